"""Rows whose figure may be missing (pvd.domain.sorting.missing_last): the missing ones last in
either direction, in their own order."""

from __future__ import annotations

import pytest

from pvd.domain.sorting import missing_last


@pytest.mark.parametrize(
    ("values", "descending", "expected"),
    [
        ([3, None, 1, 6, None, 0], True, [6, 3, 1, 0, None, None]),
        ([3, None, 1, 6, None, 0], False, [0, 1, 3, 6, None, None]),
        ([None, None], True, [None, None]),
        ([], False, []),
        ([0.5, -2.0, 0.0], True, [0.5, 0.0, -2.0]),
    ],
)
def test_missing_last(values, descending, expected):
    rows = [{"name": f"r{i}", "v": v} for i, v in enumerate(values)]
    ordered = missing_last(rows, lambda r: r["v"], descending=descending)
    assert [r["v"] for r in ordered] == expected


def test_missing_rows_keep_their_order_and_ties_are_stable():
    rows = [("b", None), ("a", 2), ("c", None), ("d", 2)]
    assert missing_last(rows, lambda r: r[1], descending=True) == [
        ("a", 2),
        ("d", 2),
        ("b", None),
        ("c", None),
    ]
