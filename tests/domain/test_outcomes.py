"""Outcomes (issue 16) on synthetic towns: a known injected effect is recovered within its
interval while the naive comparison is biased, no effect is found at most about as often as the
nominal 5 %, matching improves the balance, and the French readings follow the figures."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from pvd.domain.outcomes import compute, reading
from pvd.domain.outcomes.effects import Estimate
from pvd.domain.outcomes.reading import interval_text


def towns(n: int, *, effect: float, seed: int) -> pl.DataFrame:
    """Synthetic communes: larger towns and seats are more often laureates *and* grow more
    (confounding on observables), laureates gain ``effect`` points of population 2019-2023."""
    rng = np.random.default_rng(seed)
    logpop = rng.normal(8.0, 0.6, n)
    seat = rng.random(n) < 0.15
    p = 1 / (1 + np.exp(-(-2.5 + 1.5 * (logpop - 8.0) + 1.0 * seat)))
    laureat = rng.random(n) < p
    growth = -1.0 + 2.0 * (logpop - 8.0) + 1.0 * seat + rng.normal(0, 2.0, n) + effect * laureat
    pop19 = np.round(np.exp(logpop)).astype(int)
    pop23 = np.round(pop19 * np.exp(growth / 100)).astype(int)
    reg = np.where(np.arange(n) % 2 == 0, "11", "24")
    return pl.DataFrame(
        {
            "code": [f"{i:05d}" for i in range(n)],
            "nom": [f"Commune {i}" for i in range(n)],
            "reg": reg,
            "reg_nom": np.where(reg == "11", "Île-de-France", "Centre-Val de Loire"),
            "dep": [f"{10 + i % 6}" for i in range(n)],
            "zone": ["metro"] * n,
            "epci": [f"2000000{i // 12:02d}" for i in range(n)],
            "laureat": laureat,
            "pop_2019": pop19,
            "pop_2020": pop19,
            "pop_2023": pop23,
            "chef_lieu_dep": [False] * n,
            "chef_lieu_arr": seat,
            "pole_postal": rng.random(n) < 0.3,
            "niveau": np.where(logpop > 8.3, "intermediaire", "local"),
            "ort_signee": laureat & (rng.random(n) < 0.5),
        }
    )


def test_injected_effect_is_recovered_within_its_interval_and_naive_is_biased():
    f = towns(3000, effect=2.0, seed=1)
    out = compute(f)
    assert (out.before, out.after) == (2019, 2023)
    est = out.national
    assert est.bas < 2.0 < est.haut, est
    assert est.significatif and est.laureats >= 300
    g = 100 * np.log(f["pop_2023"].to_numpy() / f["pop_2019"].to_numpy())
    lau = f["laureat"].to_numpy()
    naive = g[lau].mean() - g[~lau].mean()
    assert naive > est.haut  # the naive difference carries the confounding
    assert abs(est.effet - 2.0) < abs(naive - 2.0)
    # Breakdowns exist for each dimension, their towns add up to the national figure.
    assert sum(e.laureats for e in out.breakdowns["region"].values()) == est.laureats
    assert set(out.breakdowns["ort"]) == {"signee", "non-signee"}
    assert out.labels["region"]["11"] == "Île-de-France"
    # Placebo on the vintages before the start (2019 -> 2020: no change here): no gap.
    assert out.placebo_after == 2020 and not out.placebo.significatif


def test_no_effect_found_about_as_often_as_the_nominal_rate():
    found = 0
    for seed in range(100):
        out = compute(towns(500, effect=0.0, seed=1000 + seed), n_boot=500, dimensions=())
        found += out.national.significatif
    assert found <= 10, f"{found} % of false positives"  # measured: 5 %


def test_matching_improves_balance_and_states_its_design():
    out = compute(towns(3000, effect=0.0, seed=7))
    m = out.matching
    rows = {r["variable"]: r for r in m.balance}
    assert abs(rows["log_population"]["dms_avant"]) > 0.5
    assert abs(rows["log_population"]["dms_apres"]) < 0.1
    assert abs(rows["logit"]["dms_apres"]) < abs(rows["logit"]["dms_avant"])
    assert m.replace and m.k == 3 and m.caliper > 0
    assert m.matched + len(m.unmatched) == m.laureates
    assert m.pairs.group_by("laureat").agg(pl.col("poids").sum())["poids"].round(
        9
    ).unique().to_list() == [1.0]


def test_unknown_status_takes_no_part_and_missing_population_is_left_out():
    f = towns(600, effect=0.0, seed=3)
    f = f.with_columns(
        pl.when(pl.col("reg") == "24").then(None).otherwise(pl.col("laureat")).alias("laureat"),
        pl.when(pl.col("code") == "00000")
        .then(None)
        .otherwise(pl.col("pop_2019"))
        .alias("pop_2019"),
    )
    out = compute(f, n_boot=200)
    used = set(out.matching.pairs["laureat"]) | set(out.matching.pairs["comparable"])
    assert not used & set(f.filter(pl.col("reg") == "24")["code"])
    assert "00000" not in used


def test_same_input_same_figures():
    f = towns(800, effect=1.0, seed=5)
    assert compute(f, n_boot=300).national == compute(f, n_boot=300).national


def test_no_vintage_after_the_start_gives_none():
    assert compute(towns(100, effect=0.0, seed=1).drop("pop_2023")) is None


@pytest.mark.parametrize(
    ("vt", "vc", "effet", "bas", "haut", "expected"),
    [
        (
            -1.2,
            -1.6,
            0.4,
            -0.2,
            1.0,
            "les lauréats ont perdu 0,4 point de population de moins que les villes comparables ; "
            "l'écart n'est pas significatif (intervalle à 95 % : −0,2 à +1,0 point).",
        ),
        (
            2.5,
            0.4,
            2.1,
            1.1,
            3.2,
            "les lauréats ont gagné 2,1 points de population de plus que les villes comparables ; "
            "l'écart est significatif (intervalle à 95 % : +1,1 à +3,2 points).",
        ),
        (
            -3.0,
            -1.0,
            -2.0,
            -2.9,
            -1.1,
            "les lauréats ont perdu 2,0 points de population de plus que les villes comparables ; "
            "l'écart est significatif",
        ),
        (
            0.5,
            -0.5,
            1.0,
            -0.3,
            2.2,
            "les lauréats ont gagné des habitants quand les villes "
            "comparables en perdaient : un écart de 1,0 point en leur faveur",
        ),
        (0.3, 0.32, -0.02, -0.5, 0.5, "les lauréats ont évolué comme les villes comparables"),
    ],
)
def test_reading_follows_the_figures(vt, vc, effet, bas, haut, expected):
    text = reading(Estimate(120, 300, vt, vc, effet, bas, haut), before=2019, after=2023)
    assert text.startswith("Entre 2019 et 2023, la population des 120 lauréats appariés")
    assert expected in text


def test_reading_of_few_towns_says_so():
    text = reading(Estimate(4, 9, -1.0, -1.5, 0.5, -1.0, 2.0), before=2019, after=2023)
    assert "trop peu de villes pour conclure" in text


@pytest.mark.parametrize(
    ("bas", "haut", "expected"),
    [
        (-1.53, -0.86, "−1,5 à −0,9"),
        (0.04, 1.2, "+0,04 à +1,20"),  # would read "+0,0 à +1,2" next to "significatif"
        (-0.004, 0.9, "−0,004 à +0,900"),
        (-0.0004, 0.9, "0,000 à +0,900"),  # three decimals at most
        (0.0, 1.2, "0,0 à +1,2"),  # a true zero stays one decimal
        (None, 1.0, "n.d."),
    ],
)
def test_interval_text_never_shows_a_nonzero_bound_as_zero(bas, haut, expected):
    assert interval_text(bas, haut) == expected


def test_reading_of_a_significant_gap_whose_bound_rounds_to_zero():
    est = Estimate(
        laureats=120, comparables=200, variation_laureats=1.0, variation_comparables=0.4,
        effet=0.6, bas=0.03, haut=1.1,
    )
    text = reading(est, before=2019, after=2023)
    assert "l'écart est significatif (intervalle à 95 % : +0,03 à +1,10 point" in text
