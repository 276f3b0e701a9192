"""Formulas of the environment (land consumption), local finances, job concentration and
commuting indicators on hand-checked values (arithmetic in the comments)."""

from __future__ import annotations

import polars as pl
import pytest

from pvd.domain.indicators import catalogue, engine

GEO = pl.DataFrame(
    {"code": ["A", "B", "C"], "epci": ["E1", "E1", "E2"], "dep": ["01"] * 3, "reg": ["84"] * 3}
)


def obs(*rows):
    return pl.DataFrame(rows, schema=["code", "variable", "millesime", "value"], orient="row").cast(
        engine.OBS_SCHEMA
    )


def values(result, indicator, level="COM"):
    frame = result.values.filter((pl.col("indicator") == indicator) & (pl.col("level") == level))
    return {(c, m): v for c, m, v in frame.select("code", "millesime", "value").iter_rows()}


def build(rows, ids):
    return engine.build(obs(*rows), GEO, [catalogue.get(i) for i in ids])


def flows(code, per_year, years=range(2009, 2023), housing=None):
    rows = [(code, "naf_conso", y, float(per_year(y))) for y in years]
    if housing is not None:
        rows += [(code, "naf_conso_habitat", y, float(housing(y))) for y in years]
    return rows


# A: 5,000 m² a year in 2011-2020, 1,000 in 2009-2010, 2,000 in 2021 and 3,000 in 2022;
#    housing 3,000 a year in 2011-2020; area 40,000,000 m²; 3,955 inhabitants.
A = [
    *flows(
        "A",
        lambda y: {2009: 1000, 2010: 2000, 2021: 2000, 2022: 3000}.get(y, 5000),
        housing=lambda y: 3000,
    ),
    ("A", "surface_commune", 0, 40_000_000.0),
    ("A", "pop_ref", 0, 3955.0),
]
# B: 1,000 m² every year (2009-2022); area 10,000,000 m²; 1,000 inhabitants.
B = [
    *flows("B", lambda y: 1000, housing=lambda y: 500),
    ("B", "surface_commune", 0, 10_000_000.0),
    ("B", "pop_ref", 0, 1000.0),
]
# C: the 2015 flow is unknown: no decade figure, but its yearly flows are shown.
C = [
    *flows("C", lambda y: 700, years=[y for y in range(2009, 2023) if y != 2015]),
    ("C", "surface_commune", 0, 5_000_000.0),
    ("C", "pop_ref", 0, 500.0),
]
NAF = [
    "naf_conso_2011_2021",
    "naf_conso_part_surface",
    "naf_conso_par_habitant",
    "naf_conso_part_habitat",
    "naf_conso_annuelle",
    "naf_rythme_depuis_2021",
]


def test_land_consumption_over_the_reference_decade():
    r = build(A + B + C, NAF)
    # A: 10 × 5,000 = 50,000 m² = 5 ha (2009, 2010, 2021, 2022 are outside the decade).
    assert values(r, "naf_conso_2011_2021") == {
        ("A", 2021): pytest.approx(5.0),
        ("B", 2021): pytest.approx(1.0),  # 10 × 1,000 m²
    }  # C: a flow of the decade is missing, no partial sum
    # 50,000 / 40,000,000 × 100 = 0.125 %; B: 10,000 / 10,000,000 × 100 = 0.1 %
    share = values(r, "naf_conso_part_surface")
    assert share[("A", 2021)] == pytest.approx(0.125)
    assert share[("B", 2021)] == pytest.approx(0.1)
    # 50,000 m² / 3,955 inhabitants = 12.642 m² per inhabitant; B: 10,000 / 1,000 = 10
    per_inhabitant = values(r, "naf_conso_par_habitant")
    assert per_inhabitant[("A", 2021)] == pytest.approx(12.642, abs=1e-3)
    assert per_inhabitant[("B", 2021)] == pytest.approx(10.0)
    # housing: 10 × 3,000 / 50,000 × 100 = 60 %; B: 5,000 / 10,000 = 50 %
    assert values(r, "naf_conso_part_habitat")[("A", 2021)] == pytest.approx(60.0)
    assert values(r, "naf_conso_part_habitat")[("B", 2021)] == pytest.approx(50.0)
    # yearly series in ha: 2022 flow of A = 3,000 m² = 0.3 ha; C keeps its known years
    yearly = values(r, "naf_conso_annuelle")
    assert yearly[("A", 2022)] == pytest.approx(0.3)
    assert yearly[("C", 2014)] == pytest.approx(0.07) and ("C", 2015) not in yearly
    # pace: mean(2,000, 3,000) = 2,500 a year since 2021 / (50,000 / 10 = 5,000) × 100 = 50 %
    pace = values(r, "naf_rythme_depuis_2021")
    assert pace[("A", 2022)] == pytest.approx(50.0)
    assert pace[("B", 2022)] == pytest.approx(100.0)  # 1,000 / (10,000 / 10)


def test_land_consumption_aggregates_are_ratios_of_sums():
    r = build(A + B + C, NAF)
    # E1 = A + B: (50,000 + 10,000) m² = 6 ha
    assert values(r, "naf_conso_2011_2021", "EPCI")[("E1", 2021)] == pytest.approx(6.0)
    # 60,000 / (40,000,000 + 10,000,000) × 100 = 0.12 % (not the mean of 0.125 and 0.1)
    assert values(r, "naf_conso_part_surface", "EPCI")[("E1", 2021)] == pytest.approx(0.12)
    # 60,000 / (3,955 + 1,000) = 12.109 m² per inhabitant
    assert values(r, "naf_conso_par_habitant", "EPCI")[("E1", 2021)] == pytest.approx(60_000 / 4955)
    # pace of E1: mean(2,000 + 1,000, 3,000 + 1,000) = 3,500 / (60,000 / 10) × 100 = 58.33 %
    assert values(r, "naf_rythme_depuis_2021", "EPCI")[("E1", 2022)] == pytest.approx(
        3500 / 6000 * 100
    )


def test_nothing_consumed_gives_zero_and_no_pace():
    zero = [
        *flows("A", lambda y: 0),
        ("A", "surface_commune", 0, 1_000_000.0),
        ("A", "pop_ref", 0, 100.0),
    ]
    r = build(zero, NAF)
    assert values(r, "naf_conso_part_surface") == {("A", 2021): 0.0}
    assert values(r, "naf_rythme_depuis_2021") == {}  # 0 / 0: undefined, not 0 or 100


FIN = [
    "dette_par_habitant",
    "caf_brute_par_habitant",
    "depenses_equipement_par_habitant",
    "capacite_desendettement",
]


def finances(code, year, pop, debt, caf, equipment):
    return [
        (code, "dgfip_population", year, pop),
        (code, "dgfip_dette", year, debt),
        (code, "dgfip_caf", year, caf),
        (code, "dgfip_equipement", year, equipment),
    ]


def test_local_finances_per_inhabitant_and_debt_capacity():
    rows = [
        # A in 2021: 4,000 k€ of debt, 800 k€ of CAF, 1,500 k€ of equipment, 4,233 inhabitants
        *finances("A", 2021, 4233.0, 4_000_000.0, 800_000.0, 1_500_000.0),
        *finances("A", 2022, 4224.0, 3_600_000.0, 900_000.0, 2_100_000.0),
        # B in 2021: negative CAF
        *finances("B", 2021, 2152.0, 2_500_000.0, -150_000.0, 700_000.0),
    ]
    r = build(rows, FIN)
    # 4,000,000 / 4,233 = 944.96 € per inhabitant
    assert values(r, "dette_par_habitant")[("A", 2021)] == pytest.approx(944.957, abs=1e-3)
    # 900,000 / 4,224 = 213.07 €; 2,100,000 / 4,224 = 497.16 €
    assert values(r, "caf_brute_par_habitant")[("A", 2022)] == pytest.approx(213.068, abs=1e-3)
    assert values(r, "depenses_equipement_par_habitant")[("A", 2022)] == pytest.approx(
        497.159, abs=1e-3
    )
    # 4,000,000 / 800,000 = 5 years; 3,600,000 / 900,000 = 4 years
    debt_years = values(r, "capacite_desendettement")
    assert debt_years[("A", 2021)] == pytest.approx(5.0)
    assert debt_years[("A", 2022)] == pytest.approx(4.0)
    assert ("B", 2021) not in debt_years  # negative CAF: not meaningful
    assert values(r, "caf_brute_par_habitant")[("B", 2021)] == pytest.approx(-69.703, abs=1e-3)
    # E1 in 2021 = A + B: (4,000,000 + 2,500,000) / (4,233 + 2,152) = 1,017.99 € per inhabitant
    assert values(r, "dette_par_habitant", "EPCI")[("E1", 2021)] == pytest.approx(6_500_000 / 6385)
    # 6,500,000 / (800,000 − 150,000) = 10 years
    assert values(r, "capacite_desendettement", "EPCI")[("E1", 2021)] == pytest.approx(10.0)


def test_job_concentration_and_commuting_modes():
    rows = [
        # A: 2,110 jobs for 1,620 employed residents; 1,620 commuters of whom 1,290 by car,
        #    30 by public transport, 160 on foot and 20 by bicycle
        ("A", "emplois_lieu_travail", 2021, 2110.0),
        ("A", "actifs_occupes_15p", 2021, 1620.0),
        ("A", "navetteurs_15p", 2021, 1620.0),
        ("A", "navetteurs_voit", 2021, 1290.0),
        ("A", "navetteurs_tcom", 2021, 30.0),
        ("A", "navetteurs_mar", 2021, 160.0),
        ("A", "navetteurs_velo", 2021, 20.0),
        ("B", "emplois_lieu_travail", 2021, 780.0),
        ("B", "actifs_occupes_15p", 2021, 500.0),
    ]
    ids = [
        "concentration_emploi",
        "part_actifs_voiture",
        "part_actifs_transports_commun",
        "part_actifs_marche_velo",
    ]
    r = build(rows, ids)
    # 2,110 / 1,620 × 100 = 130.25 jobs per 100 employed residents; B: 780 / 500 × 100 = 156
    assert values(r, "concentration_emploi")[("A", 2021)] == pytest.approx(130.247, abs=1e-3)
    assert values(r, "concentration_emploi")[("B", 2021)] == pytest.approx(156.0)
    # E1: (2,110 + 780) / (1,620 + 500) × 100 = 136.32
    assert values(r, "concentration_emploi", "EPCI")[("E1", 2021)] == pytest.approx(
        2890 / 2120 * 100
    )
    # 1,290 / 1,620 × 100 = 79.63 %; 30 / 1,620 × 100 = 1.85 %; (160 + 20) / 1,620 = 11.11 %
    assert values(r, "part_actifs_voiture")[("A", 2021)] == pytest.approx(79.630, abs=1e-3)
    assert values(r, "part_actifs_transports_commun")[("A", 2021)] == pytest.approx(1.852, abs=1e-3)
    assert values(r, "part_actifs_marche_velo")[("A", 2021)] == pytest.approx(11.111, abs=1e-3)
    assert ("B", 2021) not in values(r, "part_actifs_voiture")  # B's file had no modes


def test_new_themes_are_filled_and_documented():
    themes = catalogue.by_theme()
    assert {i.id for i in themes["environnement"]} >= set(NAF)
    assert {i.id for i in themes["finances"]} == set(FIN)
    assert catalogue.THEMES_TO_COME == {}
    for ind in themes["environnement"] + themes["finances"]:
        assert ind.source and ind.vintage and ind.licence and ind.formula
    assert catalogue.get("naf_conso_2011_2021").extensive  # hectares grow with the commune
    assert catalogue.get("naf_conso_part_surface").direction == catalogue.LOWER_BETTER
    assert catalogue.get("dette_par_habitant").direction == catalogue.LOWER_BETTER
