"""Eligibility rules, explanations, envelopes and comparisons."""

from __future__ import annotations

import polars as pl
import pytest

from pvd.domain.eligibility import Rules, compare, evaluate
from pvd.domain.envelope import allocate, select

WIDE = Rules(niveaux=("local", "intermediaire", "structurant"))


def _frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "code": ["01001", "01002", "01003", "01004", "01005", "02001"],
            "dep": ["01", "01", "01", "01", "01", "02"],
            "reg": ["84", "84", "84", "84", "84", "84"],
            "population": [3412, 24310, 1, 5000, None, 8000],
            "niveau": ["intermediaire", "intermediaire", "local", "non_centre", "local", "local"],
            "centralite_source": [
                "calculee",
                "calculee",
                "estimation",
                "calculee",
                "calculee",
                "calculee",
            ],
            "fragilite_percentile": [71.4, 90.0, 55.0, 80.0, 60.0, None],
        }
    )


def test_criteria_and_explanations():
    out = evaluate(_frame(), WIDE)
    rows = {r["code"]: r for r in out.iter_rows(named=True)}
    assert rows["01001"]["eligible"]
    assert rows["01001"]["explication"] == (
        "éligible : 3 412 habitants, centre intermédiaire, fragilité 71e percentile"
    )
    assert not rows["01002"]["crit_population"]
    assert rows["01002"]["explication"] == (
        "non éligible : 24 310 habitants (seuil : moins de 20 000), centre intermédiaire, "
        "fragilité 90e percentile"
    )
    assert rows["01003"]["explication"] == (
        "éligible : 1 habitant, centre local (estimation), fragilité 55e percentile"
    )
    assert "non centre (niveau non retenu)" in rows["01004"]["explication"]
    assert rows["01005"]["explication"].startswith("non éligible : population inconnue")
    assert rows["02001"]["explication"].endswith(
        "fragilité non calculable (données manquantes, exclue)"
    )
    assert rows["02001"]["criteres_ok"] == 2


def test_missing_fragility_admitted_when_rules_say_so():
    out = evaluate(_frame(), Rules(niveaux=WIDE.niveaux, fragilite_manquante="admettre"))
    row = out.filter(pl.col("code") == "02001").row(0, named=True)
    assert row["eligible"] and row["explication"].endswith("(données manquantes)")


def test_rules_round_trip_and_validation():
    rules = Rules(population_max=10_000, niveaux=("intermediaire",), fragilite_min=70)
    assert Rules.from_dict(rules.as_dict()) == rules
    with pytest.raises(ValueError, match="niveau de centralité inconnu"):
        Rules(niveaux=("metropole",))
    with pytest.raises(ValueError, match="règle inconnue"):
        Rules.from_dict({"seuil": 3})


def test_allocate_largest_remainder_with_caps():
    assert allocate({"a": 1, "b": 1, "c": 1}, 10) == {"a": 4, "b": 3, "c": 3}
    assert allocate({"a": 9, "b": 1}, 5, {"a": 2, "b": 10}) == {"a": 2, "b": 3}
    assert allocate({"a": 1}, 5, {"a": 2}) == {"a": 2}


def test_envelope_ranks_by_fragility_within_department():
    rules = Rules(niveaux=WIDE.niveaux, enveloppe_region=2, fragilite_manquante="admettre")
    out = select(evaluate(_frame(), rules), rules)
    rows = {r["code"]: r for r in out.iter_rows(named=True)}
    # Eligible: 01001 (71.4), 01003 (55), 02001 (missing, admitted). Envelope 2 for the region,
    # shared by population of eligible communes: dep 01 3,413, dep 02 8,000 -> 1 each.
    assert rows["01001"]["rang_dep"] == 1 and rows["01003"]["rang_dep"] == 2
    assert rows["01001"]["retenue"] and not rows["01003"]["retenue"]
    assert rows["02001"]["retenue"]
    assert rows["01002"]["rang_dep"] is None and not rows["01002"]["retenue"]


def test_compare_who_enters_and_leaves():
    a = evaluate(_frame(), WIDE)
    b = evaluate(_frame(), Rules(niveaux=("local",), fragilite_manquante="admettre"))
    assert compare(a, b) == {"entrent": ["02001"], "sortent": ["01001"]}


def test_epci_role_criterion_and_ranking_score():
    frame = _frame().with_columns(
        pl.Series("rang_epci", [1, 2, 3, 5, None, 4], dtype=pl.UInt32),
        pl.Series("part_epci", [0.40, 0.30, 0.10, 0.16, None, 0.05]),
    )
    rules = Rules(niveaux=WIDE.niveaux, fragilite_manquante="admettre")
    out = evaluate(frame, rules)
    rows = {r["code"]: r for r in out.iter_rows(named=True)}
    assert rows["01001"]["explication"] == (
        "éligible : 3 412 habitants, centre intermédiaire, fragilité 71e percentile, "
        "1re commune de son EPCI (40 % de sa population)"
    )
    assert rows["01003"]["crit_epci"] is False and not rows["01003"]["eligible"]
    assert rows["01003"]["explication"].endswith(
        "3e commune de son EPCI (10 % de sa population) (seuil : parmi les 2 premières ou 15 %)"
    )
    assert rows["01004"]["crit_epci"]  # 5th but 16 % of its EPCI
    assert rows["01005"]["explication"].endswith("hors EPCI (critère non rempli)")
    assert rows["01001"]["criteres_ok"] == 4
    # Same criteria met: the higher accepted level, then the EPCI rank, ranks first.
    assert rows["01001"]["score"] > rows["01003"]["score"] + 1000
    off = evaluate(frame, Rules(niveaux=WIDE.niveaux, rang_epci_max=None))
    assert off.get_column("crit_epci").all() and off.get_column("criteres_ok").max() == 3
    with pytest.raises(ValueError, match="rang dans l'EPCI"):
        Rules(rang_epci_max=0)
