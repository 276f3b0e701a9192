"""Fragility index on hand-checked values."""

from __future__ import annotations

import polars as pl
import pytest

from pvd.domain.fragility import fragility


def _values() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "code": ["A", "B", "C", "D"],
            "population_evolution": [-4.0, -1.0, 2.0, 5.0],  # lower = more fragile
            "taux_vacance": [12.0, 9.0, None, 6.0],  # C: secret, missing
            "revenu_median": [None, None, None, 25_000.0],  # only D has a value
        }
    )


def test_percentiles_oriented_and_missing_left_out():
    out = fragility(_values(), {"declin": 2.0, "vacance": 1.0}).sort("code")
    rows = {r["code"]: r for r in out.iter_rows(named=True)}
    # declin: -evolution ranks A highest. 4 values: (rank - 0.5) / 4 * 100.
    assert [rows[c]["p_declin"] for c in "ABCD"] == [87.5, 62.5, 37.5, 12.5]
    # vacance: 3 values (C missing, not zero): A 83.3, B 50, D 16.7.
    assert rows["A"]["p_vacance"] == pytest.approx(250 / 3)
    assert rows["C"]["p_vacance"] is None
    # A: (2 × 87.5 + 1 × 83.33) / 3
    assert rows["A"]["fragilite"] == pytest.approx((2 * 87.5 + 250 / 3) / 3)
    # C: only declin present (2/3 of the weight >= 0.5): index = its percentile.
    assert rows["C"]["fragilite"] == pytest.approx(37.5)
    assert rows["C"]["fragilite_couverture"] == pytest.approx(2 / 3)
    assert rows["A"]["fragilite_percentile"] == pytest.approx(87.5)


def test_index_missing_when_coverage_too_low():
    out = fragility(_values(), {"vacance": 1.0, "revenu": 2.0}).sort("code")
    rows = {r["code"]: r for r in out.iter_rows(named=True)}
    # C has neither: missing, never zero.
    assert rows["C"]["fragilite"] is None and rows["C"]["fragilite_percentile"] is None
    # A has vacance only: 1/3 of the weight < 0.5 -> missing.
    assert rows["A"]["fragilite"] is None
    # D has both.
    assert rows["D"]["fragilite"] is not None


def test_absent_indicator_column_counts_as_missing_and_weights_validated():
    out = fragility(_values(), {"declin": 1.0, "chomage": 1.0})
    assert out.get_column("p_chomage").null_count() == 4
    assert out.get_column("fragilite").null_count() == 0  # coverage 0.5
    with pytest.raises(ValueError, match="inconnue"):
        fragility(_values(), {"nope": 1.0})
    with pytest.raises(ValueError, match="poids positif"):
        fragility(_values(), {"declin": 0.0})


def test_every_component_and_weight_refers_to_a_registered_indicator():
    from pvd.domain import fragility as fdomain
    from pvd.domain.eligibility import Rules
    from pvd.domain.indicators import catalogue

    registered = {i.id for i in catalogue.indicators()}
    for comp in fdomain.COMPONENTS:
        assert comp.indicator in registered, comp
        assert comp.weight > 0 and comp.sign in (1, -1)
    assert set(fdomain.DEFAULT_WEIGHTS) == set(fdomain.COMPONENT_BY_KEY)
    for key in Rules().poids:  # the default rules' weights
        assert fdomain.COMPONENT_BY_KEY[key].indicator in registered
    # Saved-scenario validation: an unknown component is refused...
    with pytest.raises(ValueError, match="composante de fragilité inconnue : nope"):
        Rules.from_dict({"poids": {"declin": 1.0, "nope": 1.0}})
    # ...and a withdrawn one (no indicator ever computed it) is read without its weight.
    assert not set(fdomain.RETIRED) & set(fdomain.COMPONENT_BY_KEY)
    saved = Rules.from_dict({"poids": {**fdomain.DEFAULT_WEIGHTS, "equipements": 1.0}})
    assert saved.poids == fdomain.DEFAULT_WEIGHTS
    with pytest.raises(ValueError, match="inconnue"):
        Rules(poids={"equipements": 1.0})
