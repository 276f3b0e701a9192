"""French plurals, ordinals and units (issue 13: "3 rang", "1 équipements", "0 communes")."""

import pytest

from pvd.domain import wording


@pytest.mark.parametrize(
    ("n", "forms", "expected"),
    [
        (0, "s", ""),
        (1, "s", ""),
        (1.5, "s", ""),
        (2, "s", "s"),
        (-3, "s", "s"),
        (1, "son,leur", "son"),
        (12, "son,leur", "leur"),
        (None, "s", ""),
    ],
)
def test_suffix_follows_french_rule(n, forms, expected):
    assert wording.suffix(n, forms) == expected


@pytest.mark.parametrize(("n", "expected"), [(1, "1er"), (2, "2e"), (3, "3e"), (21, "21e")])
def test_ordinal(n, expected):
    assert wording.ordinal(n) == expected


@pytest.mark.parametrize(
    ("value", "text", "unit", "expected"),
    [
        (3.0, "3", "rang", "3e"),
        (1.0, "1", "rang", "1er"),
        (1.0, "1", "équipements", "1 équipement"),
        (0.0, "0", "équipements", "0 équipement"),
        (14.0, "14", "équipements", "14 équipements"),
        (1.0, "1", "habitants", "1 habitant"),
        (2.5, "2,5", "%", "2,5 %"),
        (None, "n.d.", "équipements", "n.d."),
    ],
)
def test_quantity(value, text, unit, expected):
    assert wording.quantity(value, text, unit) == expected
