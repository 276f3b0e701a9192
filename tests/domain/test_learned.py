"""Learned selection model, pure part: features with explicit missing values, fit, leak-free
cross-validation, explanations, and the inputs that used to crash (one region, one laureate,
no laureate, all laureates, singular designs)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from pvd.domain import learned as L
from pvd.domain.evaluation import evaluate, logistic_cv
from pvd.domain.learned_cv import cross_validate, holdout


def towns(n_regions: int = 4, per_region: int = 60, seed: int = 0) -> pl.DataFrame:
    """Synthetic communes: laureates are the intermediate centres first in their EPCI."""
    rng = np.random.default_rng(seed)
    rows = []
    for r in range(n_regions):
        for i in range(per_region):
            pop = int(rng.lognormal(7, 1.2))
            niveau = ["non_centre", "local", "intermediaire", "structurant"][min(pop // 2500, 3)]
            rows.append(
                {
                    "code": f"{r + 1:02d}{i:03d}",
                    "reg": f"{r + 11}",
                    "dep": f"{r + 1:02d}",
                    "population": pop,
                    "niveau": niveau,
                    "rang_epci": int(rng.integers(1, 12)),
                    "part_epci": float(rng.uniform(0.01, 0.6)),
                    "revenu_median": None if i % 7 == 0 else float(rng.normal(21000, 2500)),
                    "densite": ["Bourgs ruraux", "Petites villes"][i % 2],
                }
            )
    f = pl.DataFrame(rows)
    lau = f.filter(
        pl.col("niveau").is_in(["intermediaire", "structurant"]) | (pl.col("rang_epci") == 1)
    )
    return f, set(lau.get_column("code").to_list())


def test_design_keeps_missing_values_missing_with_an_indicator():
    f, _ = towns()
    d = L.design(f, ["revenu_median"])
    j = d.columns.index("revenu_median")
    k = d.columns.index("revenu_median" + L.MISSING)
    missing = f.get_column("revenu_median").is_null().to_numpy()
    assert np.isnan(d.x[missing, j]).all()  # never a zero
    assert (d.x[missing, k] == 1).all() and (d.x[~missing, k] == 0).all()
    assert "densite=Petites villes" in d.columns
    assert d.concepts[d.columns.index("premier_epci")] == "epci"
    # Features not loaded are said, not invented.
    assert any("gamme" in n for n in d.notes) and any("montagne" in n for n in d.notes)
    # A stored model's columns on data that lacks one: missing (NaN), its indicator set.
    x = L.align(L.design(f.drop("revenu_median"), []), d.columns)
    assert np.isnan(x[:, j]).all() and (x[:, k] == 1).all()


def test_fit_standardises_on_training_rows_only():
    f, lau = towns()
    d = L.design(f, ["revenu_median"])
    y = f.get_column("code").is_in(list(lau)).to_numpy()
    train = (f.get_column("reg") != "11").to_numpy()
    m = L.fit(d.x[train], y[train], d.columns, d.concepts)
    j = d.columns.index("log_population")
    assert m.mean[j] == pytest.approx(np.nanmean(d.x[train, j]))
    assert m.mean[j] != pytest.approx(np.nanmean(d.x[:, j]))
    p = m.proba(d.x)
    assert ((p > 0) & (p < 1)).all()
    # JSON round trip scores the same.
    again = L.Fitted.from_dict(m.as_dict())
    assert np.allclose(again.proba(d.x), p)


def test_cross_validation_cannot_see_the_region_it_scores():
    f, lau = towns()
    d = L.design(f, ["revenu_median"])
    y = f.get_column("code").is_in(list(lau)).to_numpy()
    groups = f.get_column("reg").to_numpy()
    a = cross_validate(d.x, y, groups, d.columns, d.concepts)
    # Change every label of region 11: its own scores must not move (the others may).
    y2 = y.copy()
    y2[groups == "11"] = ~y2[groups == "11"]
    b = cross_validate(d.x, y2, groups, d.columns, d.concepts)
    assert np.allclose(a.score[groups == "11"], b.score[groups == "11"])
    assert not np.allclose(a.score[groups != "11"], b.score[groups != "11"])
    assert [fold["groupe"] for fold in a.folds] == ["11", "12", "13", "14"]
    assert all(fold["entrainement"] == 180 for fold in a.folds)
    scores = f.select("code", "reg", "dep").with_columns(pl.Series("score", a.score))
    assert evaluate(scores, lau).auc > 0.9


@pytest.mark.parametrize("case", ["one_region", "one_laureate", "no_laureate", "all_laureates"])
def test_inputs_that_used_to_crash_give_a_message(case):
    f, lau = towns()
    groups = f.get_column("reg").to_numpy()
    d = L.design(f, ["revenu_median"])
    y = f.get_column("code").is_in(list(lau)).to_numpy()
    if case == "one_region":
        keep = groups == "11"
        res = cross_validate(d.x[keep], y[keep], groups[keep], d.columns, d.concepts)
        assert np.isnan(res.score).all() and "au moins deux régions" in res.notes[0]
        return
    if case == "one_laureate":
        y = np.zeros_like(y)
        y[0] = True  # in region 11: the other folds have it, region 11's training set has none
    elif case == "no_laureate":
        y = np.zeros_like(y)
    else:
        y = np.ones_like(y)
    res = cross_validate(d.x, y, groups, d.columns, d.concepts)
    assert res.notes  # each unscorable region is named
    if case == "one_laureate":
        assert np.isnan(res.score[groups == "11"]).all()
        assert not np.isnan(res.score[groups == "12"]).any()
    else:
        assert np.isnan(res.score).all()
    with pytest.raises(L.LearnedModelError, match="lauréates et des non-lauréates"):
        L.fit(d.x, np.zeros(len(y), bool), d.columns, d.concepts)


def test_holdout_fits_on_some_regions_and_scores_others():
    f, lau = towns()
    d = L.design(f, [])
    y = f.get_column("code").is_in(list(lau)).to_numpy()
    test = (f.get_column("reg") == "14").to_numpy()
    res = holdout(d.x, y, ~test, test, d.columns, d.concepts)
    assert np.isnan(res.score[~test]).all() and not np.isnan(res.score[test]).any()
    assert res.folds[0]["entrainement"] == 180
    with pytest.raises(ValueError):
        holdout(d.x, y, test, test, d.columns, d.concepts)


def test_logistic_cv_with_a_singular_design_does_not_raise():
    """The former hand-written Newton solver raised numpy's LinAlgError here."""
    f, lau = towns(n_regions=2)
    f = f.with_columns(pl.lit(1.0).alias("const"), (pl.col("population") * 2).alias("pop2"))
    out = logistic_cv(f, ["population", "pop2", "const"], lau)
    assert out.height == f.height
    one = logistic_cv(f.filter(pl.col("reg") == "11"), ["population"], lau)
    assert one.is_empty()  # one region: nothing can be scored without leak


def test_explanations_in_french_with_signed_contributions():
    f, lau = towns()
    d = L.design(f, ["revenu_median"])
    y = f.get_column("code").is_in(list(lau)).to_numpy()
    m = L.fit(d.x, y, d.columns, d.concepts)
    text = L.explain(m, d.x, f)
    concepts, contrib = L.contributions(m, d.x)
    i = int(np.argmax(m.proba(d.x)))
    top = concepts[int(np.argmax(np.abs(contrib[i])))]
    first = text[i].split(" ; ")[0]
    assert first.endswith(f"{contrib[i, concepts.index(top)]:+.1f}".replace(".", ","))
    assert any(
        w in text[i] for w in ("centre intermédiaire", "centre structurant", "commune de son EPCI")
    )
    # Contributions add up to the log-odds relative to the average commune.
    assert np.allclose(contrib.sum(axis=1) + m.intercept, m.logit(d.x))
    missing = f.get_column("revenu_median").is_null().to_list().index(True)
    labels = L.labels(f, ["revenu_median"])["revenu_median"]
    assert labels[missing] == "revenu médian inconnu"
    assert labels[1].startswith("revenu médian au ") and labels[1].endswith("percentile")


def test_nearest_larger_centre():
    f = pl.DataFrame(
        {
            "code": ["a", "b", "c", "d"],
            "lon": [2.0, 2.1, 2.0, None],
            "lat": [46.0, 46.0, 47.0, 46.0],
            "population": [5000, 20000, 3000, 100],
            "niveau": ["intermediaire", "structurant", "intermediaire", "non_centre"],
        }
    )
    d = dict(L.nearest_larger_centre(f).iter_rows())
    assert d["a"] == pytest.approx(7.7, abs=0.2)  # 0.1° of longitude at 46°N
    assert d["c"] == pytest.approx(111.2, abs=0.5)  # a (5,000) is nearer than b and larger
    assert d["b"] > 100  # the largest: a lower bound, the farthest of the k nearest
    assert "d" not in d  # no coordinates: missing
