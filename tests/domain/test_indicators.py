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
        ("X", "pop_rp_serie", 2016, 4169.0),
        ("X", "pop_rp_serie", 2022, 4010.0),
        ("X", "pop_rp_serie", 1999, 4600.0),
        ("X", "pop_rp_serie", 1990, 4960.0),
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


def test_natural_balance_periods_come_from_the_historical_series_only():
    series = [
        ("X", "pop_rp_serie", 2016, 4169.0),
        ("X", "pop_rp_serie", 2022, 4010.0),
        ("X", "pop_rp", 2016, 4169.0),
        ("X", "pop_rp", 2022, 4010.0),
        ("X", "naissances", 2016, 180.0),
        ("X", "deces", 2016, 360.0),
    ]
    geo = pl.DataFrame({"code": ["X"], "epci": ["E"], "dep": ["48"], "reg": ["76"]})
    alone = values(engine.build(obs(*series), geo, only(["solde_naturel"])), "solde_naturel")
    # The ``ages`` file adds a 2021 census population (P21_POP): no period ends in 2021.
    both = [*series, ("X", "pop_rp", 2021, 4050.0)]
    r = engine.build(obs(*both), geo, only(["solde_naturel"]))
    assert values(r, "solde_naturel") == alone == {("X", 2022): pytest.approx(-0.73358, abs=1e-5)}


def status(result, indicator, level):
    frame = result.values.filter((pl.col("indicator") == indicator) & (pl.col("level") == level))
    return {(c, m): s for c, m, s in frame.select("code", "millesime", "status").iter_rows()}


def test_estimated_medians_are_labelled_and_need_half_of_the_population():
    rows = [
        ("A", "revenu_median", 2021, 20000.0),
        ("B", "revenu_median", 2021, 30000.0),
        ("A", "pop_ref", 0, 100.0),
        ("B", "pop_ref", 0, 300.0),
        ("C", "pop_ref", 0, 1000.0),  # secret: no median, not counted as zero
    ]
    r = engine.build(obs(*rows), GEO, only(["revenu_median"]))
    # E1 = A + B, fully covered: (20,000 × 100 + 30,000 × 300) / 400 = 27,500, an estimate.
    assert values(r, "revenu_median", "EPCI")[("E1", 2021)] == pytest.approx(27500.0)
    assert status(r, "revenu_median", "EPCI")[("E1", 2021)] == engine.ESTIMATION
    # C is secret: E2 has no median at all, not 0 and not a mean of nothing.
    assert ("E2", 2021) not in values(r, "revenu_median", "EPCI")
    # France: the communes with a median hold 400 of 1,400 inhabitants (29 % < 50 %): missing.
    assert values(r, "revenu_median", "FR") == {}
    # Commune values and sums carry no status.
    assert set(status(r, "revenu_median", "COM").values()) == {None}


def test_insee_medians_of_territories_are_used_where_published():
    rows = [
        ("A", "revenu_median", 2021, 20000.0),
        ("B", "revenu_median", 2021, 30000.0),
        ("C", "revenu_median", 2021, 22000.0),
        ("A", "pop_ref", 0, 100.0),
        ("B", "pop_ref", 0, 300.0),
        ("C", "pop_ref", 0, 1000.0),
    ]
    published = pl.DataFrame(
        [
            ("EPCI", "E1", "revenu_median", 2021, 26100.0, "insee"),  # INSEE's median of E1
            ("FR", "FR", "revenu_median", 2021, 23160.0, "insee"),
            ("EPCI", "E1", "taux_pauvrete", 2021, 14.1, "insee"),  # another measure
        ],
        schema=list(engine.PUBLISHED_SCHEMA),
        orient="row",
    ).cast(engine.PUBLISHED_SCHEMA)
    r = engine.build(obs(*rows), GEO, only(["revenu_median"]), published=published)
    epci = values(r, "revenu_median", "EPCI")
    assert epci[("E1", 2021)] == 26100.0  # not the estimate 27,500
    assert status(r, "revenu_median", "EPCI")[("E1", 2021)] == engine.INSEE
    # E2 is not in the file: estimated from its only commune, and said so.
    assert epci[("E2", 2021)] == pytest.approx(22000.0)
    assert status(r, "revenu_median", "EPCI")[("E2", 2021)] == engine.ESTIMATION
    assert values(r, "revenu_median", "FR") == {("FR", 2021): 23160.0}
    assert status(r, "revenu_median", "FR")[("FR", 2021)] == engine.INSEE
    # Exactly one value per territory and millésime.
    assert not r.values.select("level", "code", "indicator", "millesime").is_duplicated().any()


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


def test_ratio_of_sums_covers_the_year_computed():
    rows = [
        # 2021: both communes of E1 have debt and CAF.
        ("A", "dgfip_dette", 2021, 4_000_000.0),
        ("A", "dgfip_caf", 2021, 400_000.0),
        ("B", "dgfip_dette", 2021, 1_000_000.0),
        ("B", "dgfip_caf", 2021, 100_000.0),
        # 2022: B's CAF is missing; its debt must not be divided by A's CAF alone.
        ("A", "dgfip_dette", 2022, 3_000_000.0),
        ("A", "dgfip_caf", 2022, 300_000.0),
        ("B", "dgfip_dette", 2022, 15_000_000.0),
    ]
    r = engine.build(obs(*rows), GEO, only(["capacite_desendettement"]))
    epci = values(r, "capacite_desendettement", "EPCI")
    assert epci[("E1", 2021)] == pytest.approx(5_000_000 / 500_000)  # 10 years
    # 2022: A alone (3,000,000 / 300,000 = 10 years), not (3 + 15) M / 0.3 M = 60 years.
    assert epci[("E1", 2022)] == pytest.approx(10.0)


def test_a_year_covered_by_too_few_communes_makes_no_ratio_of_sums():
    geo = pl.DataFrame(
        {"code": ["A", "B", "C"], "epci": ["E1"] * 3, "dep": ["01"] * 3, "reg": ["84"] * 3}
    )
    rows = [(c, v, 2021, 1.0) for c in "ABC" for v in ("dgfip_dette", "dgfip_caf")]
    rows += [("A", "dgfip_dette", 2022, 5.0), ("A", "dgfip_caf", 2022, 1.0)]
    rows += [("B", "dgfip_dette", 2022, 7.0), ("C", "dgfip_dette", 2022, 9.0)]
    r = engine.build(obs(*rows), geo, only(["capacite_desendettement"]))
    # 2022: one commune of three has both figures: below half, no EPCI figure (not 21 years).
    assert values(r, "capacite_desendettement", "EPCI") == {("E1", 2021): pytest.approx(1.0)}


def test_non_finite_values_are_dropped():
    rows = [("A", "logements", 2021, 0.0), ("A", "logements_vacants", 2021, 0.0)]
    r = engine.build(obs(*rows), GEO, only(["taux_vacance"]))
    assert all(math.isfinite(v) for v in r.values.get_column("value"))
    assert values(r, "taux_vacance") == {}
