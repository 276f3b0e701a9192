"""Legal populations and the programme registry read the one current geography
(pvd.territories.current_geography): a city with its own row is not doubled by its
arrondissements, and a commune merged before 2019 (only in the former codes) is re-based.

``base-cc-pop-arrondissements-2021.CSV``: census-base layout (CODGEO;P21_POP) with Paris and its
20 arrondissements (figures of the 2023 legal populations) and two constructed rows: Nivigne et
Suran 01095 and 01172, a commune it absorbed before 2019 that is no longer a commune déléguée.
"""

from pathlib import Path

from pvd.programme.services import _geography
from pvd.sources.population import read_populations
from pvd.territories.models import Population
from pvd.territories.population_import import populations_import

DATA = Path(__file__).resolve().parent.parent / "data" / "population"


def test_city_row_is_kept_and_former_code_is_rebased(db):
    report = populations_import(
        populations=read_populations(DATA / "base-cc-pop-arrondissements-2021.CSV", millesime=2021)
    )
    paris = Population.objects.get(commune__code="75056", commune__type="COM", millesime=2021)
    assert (paris.population, paris.parts) == (2_103_778, 1)  # its own row, not doubled
    assert report.reconstructed == []
    first = Population.objects.get(commune__code="75101", commune__type="ARM", millesime=2021)
    assert first.population == 15_114  # the arrondissement keeps its own figure
    nivigne = Population.objects.get(commune__code="01095", commune__type="COM", millesime=2021)
    assert (nivigne.population, nivigne.parts) == (700 + 95, 2)
    assert ("01172", "01095", "ancien code") in {
        (m.old_code, m.new_code, m.how) for m in report.mappings
    }
    assert not any("code inconnu" in reason for reason in report.skipped)


def test_registry_geography_places_former_codes(db):
    current, geo = _geography()
    assert "01095" in current and "01172" not in current
    assert geo.target_of("01172") == "01095"
    assert geo.target_of("01039") == "01138"
    assert "75101" not in current and geo.target_of("75101") is None
