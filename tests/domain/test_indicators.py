"""Formulas of the indicator catalogue on hand-checked values, and the build engine."""

from __future__ import annotations

import math

import polars as pl
import pytest

from pvd.domain.indicators import catalogue, engine


def obs(*rows):
    return pl.DataFrame(rows, schema=["code", "variable", "millesime", "value"], orient="row").cast(
        engine.OBS_SCHEMA
    )


GEO = pl.DataFrame(
    {"code": ["A", "B", "C"], "epci": ["E1", "E1", "E2"], "dep": ["01"] * 3, "reg": ["84"] * 3}
)
POPS = [
    ("A", "population", 2019, 100.0),
    ("A", "population", 2023, 110.0),
    ("B", "population", 2019, 200.0),
    ("B", "population", 2023, 190.0),
    ("C", "population", 2019, 300.0),
    ("C", "population", 2023, 330.0),
]


def values(result, indicator, level="COM"):
    frame = result.values.filter((pl.col("indicator") == indicator) & (pl.col("level") == level))
    return {(c, m): v for c, m, v in frame.select("code", "millesime", "value").iter_rows()}


def only(indicator_ids):
    return [catalogue.get(i) for i in indicator_ids]


def test_catalogue_is_complete_and_documented():
    items = catalogue.indicators()
    assert len({i.id for i in items}) == len(items) >= 20
    for ind in items:
        assert ind.label and ind.unit and ind.formula and ind.source and ind.vintage
        assert ind.licence and ind.inputs and ind.compute is not None
        assert ind.theme in catalogue.THEMES and ind.direction in catalogue.DIRECTIONS
    themes = {i.theme for i in items} | set(catalogue.THEMES_TO_COME)
    assert themes == set(catalogue.THEMES)  # every theme has indicators or says what is coming
    assert len(catalogue.THEMES) == 10


def test_population_evolution_and_annual_growth():
    r = engine.build(obs(*POPS), GEO, only(["population_evolution", "population_tcam"]))
    evo = values(r, "population_evolution")
    assert evo[("A", 2023)] == pytest.approx(10.0)
    assert evo[("B", 2023)] == pytest.approx(-5.0)
    assert ("A", 2019) not in evo  # the base millésime has no evolution
    tcam = values(r, "population_tcam")
    assert tcam[("A", 2023)] == pytest.approx((1.1 ** (1 / 4) - 1) * 100)  # 2.4114 %
    assert tcam[("A", 2023)] == pytest.approx(2.4114, abs=1e-4)
    # Aggregates on summed populations: E1 = A + B = 300 then 300.
    assert values(r, "population_evolution", "EPCI")[("E1", 2023)] == pytest.approx(0.0)
    assert values(r, "population_evolution", "FR")[("FR", 2023)] == pytest.approx(5.0)


def test_a_millesime_covering_few_communes_makes_no_aggregate():
    # Like Mayotte: one commune has only an older census; France's evolution stays 2019-based.
    geo = GEO.vstack(pl.DataFrame({"code": ["M"], "epci": ["E3"], "dep": ["976"], "reg": ["06"]}))
    rows = [*POPS, ("M", "population", 2017, 50.0)]
    r = engine.build(obs(*rows), geo, only(["population", "population_evolution"]))
    assert values(r, "population_evolution", "FR") == {("FR", 2023): pytest.approx(5.0)}
    assert ("FR", 2017) not in values(r, "population", "FR")
    assert values(r, "population", "DEP")[("976", 2017)] == 50.0


def test_rank_and_share_within_epci():
    r = engine.build(obs(*POPS), GEO, only(["population_rang_epci", "population_part_epci"]))
    rank = values(r, "population_rang_epci")
    assert rank[("B", 2023)] == 1 and rank[("A", 2023)] == 2 and rank[("C", 2023)] == 1
    share = values(r, "population_part_epci")
    assert share[("A", 2023)] == pytest.approx(110 / 300 * 100)
    assert share[("C", 2023)] == pytest.approx(100.0)
    assert values(r, "population_rang_epci", "EPCI") == {}  # no aggregate for a rank


def test_rate_aggregates_are_ratios_of_sums_not_means_of_rates():
    rows = [
        ("A", "logements", 2021, 50.0),
        ("A", "logements_vacants", 2021, 5.0),
        ("B", "logements", 2021, 100.0),
        ("B", "logements_vacants", 2021, 20.0),
        ("C", "logements", 2021, 10.0),  # no vacancy figure: left out of the aggregates
    ]
    r = engine.build(obs(*rows), GEO, only(["taux_vacance"]))
    v = values(r, "taux_vacance")
    assert v == {("A", 2021): pytest.approx(10.0), ("B", 2021): pytest.approx(20.0)}
    assert values(r, "taux_vacance", "EPCI")[("E1", 2021)] == pytest.approx(25 / 150 * 100)
    assert values(r, "taux_vacance", "DEP")[("01", 2021)] == pytest.approx(25 / 150 * 100)


def test_natural_balance_uses_the_intercensal_period():
    rows = [
        ("X", "pop_rp", 2016, 4169.0),
        ("X", "pop_rp", 2022, 4010.0),
        ("X", "pop_rp", 1999, 4600.0),
        ("X", "pop_rp", 1990, 4960.0),
        # NAIS1621 / DECE1621 (2016 to 2021), stored under the census opening the period.
        ("X", "naissances", 2016, 180.0),
        ("X", "deces", 2016, 360.0),
        # NAIS9099 / DECE9099 (D90 to D99): a 9-year period.
        ("X", "naissances", 1990, 450.0),
        ("X", "deces", 1990, 540.0),
    ]
    geo = pl.DataFrame({"code": ["X"], "epci": ["E"], "dep": ["48"], "reg": ["76"]})
    r = engine.build(obs(*rows), geo, only(["solde_naturel"]))
    got = values(r, "solde_naturel")
    # (180 − 360) / 6 years / ((4169 + 4010) / 2) × 100 = −0.73358 % per year
    assert got[("X", 2022)] == pytest.approx(-0.73358, abs=1e-5)
    # (450 − 540) / 9 years / ((4960 + 4600) / 2) × 100 = −0.20921 % per year
    assert got[("X", 1999)] == pytest.approx(-0.20921, abs=1e-5)
    assert set(got) == {("X", 2022), ("X", 1999)}


def test_weighted_mean_for_medians_and_secret_values_left_out():
    rows = [
        ("A", "revenu_median", 2021, 20000.0),
        ("B", "revenu_median", 2021, 30000.0),
        ("A", "pop_ref", 0, 100.0),
        ("B", "pop_ref", 0, 300.0),
        ("C", "pop_ref", 0, 1000.0),  # secret: no median, not counted as zero
    ]
    r = engine.build(obs(*rows), GEO, only(["revenu_median"]))
    assert values(r, "revenu_median", "EPCI")[("E1", 2021)] == pytest.approx(27500.0)
    assert values(r, "revenu_median", "FR")[("FR", 2021)] == pytest.approx(27500.0)
    assert ("E2", 2021) not in values(r, "revenu_median", "EPCI")


def test_rates_per_inhabitant_and_percentiles():
    rows = [
        ("A", "bpe_total", 2013, 1.0),
        ("B", "bpe_total", 2013, 4.0),
        ("C", "bpe_total", 2013, 9.0),
        ("A", "pop_ref", 0, 100.0),
        ("B", "pop_ref", 0, 200.0),
        ("C", "pop_ref", 0, 300.0),
    ]
    r = engine.build(obs(*rows), GEO, only(["equipements_1000"]))
    assert values(r, "equipements_1000") == {
        ("A", 2013): pytest.approx(10.0),
        ("B", 2013): pytest.approx(20.0),
        ("C", 2013): pytest.approx(30.0),
    }
    com = r.values.filter(pl.col("level") == "COM").sort("code")
    assert com.get_column("percentile").to_list() == pytest.approx([0.0, 100 / 3, 200 / 3])
    assert values(r, "equipements_1000", "FR")[("FR", 2013)] == pytest.approx(14 / 600 * 1000)


def test_missing_sources_are_reported_not_zero():
    r = engine.build(obs(*POPS), GEO)
    assert r.missing["taux_chomage"] == ["chomeurs_15_64", "actifs_15_64"]
    assert "population" not in r.missing
    assert r.values.filter(pl.col("indicator") == "taux_chomage").is_empty()


def test_non_finite_values_are_dropped():
    rows = [("A", "logements", 2021, 0.0), ("A", "logements_vacants", 2021, 0.0)]
    r = engine.build(obs(*rows), GEO, only(["taux_vacance"]))
    assert all(math.isfinite(v) for v in r.values.get_column("value"))
    assert values(r, "taux_vacance") == {}
