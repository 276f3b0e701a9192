"""Coverage of registry lists: inference, ``--perimetre`` parsing, what totals leave out."""

from __future__ import annotations

import pytest

from pvd.domain.coverage import (
    Coverage,
    PerimetreError,
    exclusion_note,
    infer,
    parse_perimetre,
    uncovered_regions,
)

REGIONS = {"75": ["16", "23", "87"], "84": ["01", "63"], "11": ["75"], "975": ["975"]}
DEPS = [d for deps in REGIONS.values() for d in deps]
NAMES = {"75": "Nouvelle-Aquitaine", "84": "Auvergne-Rhône-Alpes", "11": "Île-de-France"}


def test_infer_at_region_level():
    c = infer([("23", "75"), ("16", "75"), ("75", "11")])
    assert c == Coverage(regions=frozenset({"75", "11"}))
    # One row in a region covers all its departments, even those without a row.
    assert c.covers_departement("87", "75") and not c.covers_departement("63", "84")


@pytest.mark.parametrize(
    ("text", "regions", "departements", "national"),
    [
        ("reg:75", {"75"}, set(), False),
        ("reg:75,dep:63", {"75"}, {"63"}, False),
        ("region=84 ; departement:1", {"84"}, {"01"}, False),
        ("DEP:23 dep:87", set(), {"23", "87"}, False),
        ("national", set(), set(), True),
    ],
)
def test_parse_perimetre(text, regions, departements, national):
    c = parse_perimetre(text, regions=REGIONS, departements=DEPS)
    assert (set(c.regions), set(c.departements), c.national) == (regions, departements, national)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "vide"),
        ("reg:99", "région « 99 » inconnue"),
        ("dep:64", "département « 64 » inconnu"),
        ("75", "illisible"),
    ],
)
def test_parse_perimetre_errors(text, message):
    with pytest.raises(PerimetreError, match=message):
        parse_perimetre(text, regions=REGIONS, departements=DEPS)


@pytest.mark.parametrize(
    ("coverage", "region", "covered"),
    [
        (Coverage(regions=frozenset({"75"})), "75", True),
        (Coverage(regions=frozenset({"75"})), "84", False),
        (Coverage(departements=frozenset({"01"})), "84", False),  # partly: not the region
        (Coverage(departements=frozenset({"01", "63"})), "84", True),  # every department
        (Coverage(national=True), "84", True),
        (Coverage(), "75", False),
    ],
)
def test_covers_region(coverage, region, covered):
    assert coverage.covers_region(region, REGIONS[region]) is covered


def test_exclusion_note_names_the_regions_left_out():
    c = Coverage(regions=frozenset({"75", "11"}))
    # The overseas collectivities (3-digit pseudo-regions) are outside the programmes.
    assert uncovered_regions(c, REGIONS) == ["84"]
    assert (
        exclusion_note(c, REGIONS, NAMES)
        == "hors Auvergne-Rhône-Alpes (non couverte par les listes chargées)"
    )
    assert exclusion_note(Coverage(national=True), REGIONS, NAMES) == ""
    assert "aucune liste" in exclusion_note(Coverage(), REGIONS, NAMES)
    two = exclusion_note(Coverage(regions=frozenset({"75"})), REGIONS, NAMES)
    assert two == "hors Île-de-France, Auvergne-Rhône-Alpes (non couvertes par les listes chargées)"
