"""Centrality levels on a BPE fixture in the official layout, calibration, agreement, proxy."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pvd.domain import centrality as c
from pvd.domain import centrality_proxy
from pvd.sources.centralite import read_official_centrality
from pvd.sources.insee_bpe import read_bpe
from pvd.sources.report import SourceError

DATA = Path(__file__).parent.parent / "data" / "selection"
RULES = {
    "majeur": c.Rule(25, 35),
    "structurant": c.Rule(10, 25),
    "intermediaire": c.Rule(12, 15),
    "local": c.Rule(8, 1),
}


def _presence(path: Path) -> pl.DataFrame:
    obs = read_bpe(path).observations.filter(pl.col("variable").str.contains(r"^bpe_[A-G]\d{3}$"))
    return obs.select(
        "code", pl.col("variable").str.slice(4).alias("typequ"), pl.col("value").alias("count")
    )


def test_gamme_counts_count_distinct_types_present():
    counts = c.gamme_counts(_presence(DATA / "bpe13_centralite.csv")).sort("code")
    rows = {r["code"]: (r["n_p"], r["n_i"], r["n_s"]) for r in counts.iter_rows(named=True)}
    assert rows["48095"] == (30, 40, 30)
    assert rows["48140"] == (10, 3, 0)
    # B203 with NB_EQUIP = 0 is absent; types outside the gammes are ignored.
    assert rows["48001"] == (4, 0, 0)
    assert rows["48002"] == (0, 0, 0)


def test_levels_on_fixture():
    counts = c.gamme_counts(_presence(DATA / "bpe13_centralite.csv"))
    levels = dict(c.assign_levels(counts, RULES).select("code", "niveau").iter_rows())
    assert levels == {
        "48095": "majeur",
        "48061": "structurant",
        "48080": "intermediaire",
        "48140": "local",
        "48001": "non_centre",
        "48002": "non_centre",
    }


def test_every_bpe13_type_of_a_gamme_is_a_valid_code_and_gammes_are_disjoint():
    assert all(len(t) == 4 and t[0] in "ABCDEFG" for t in c.GAMMES)
    assert set(c.GAMMES.values()) == {"P", "I", "S"}


def test_calibrate_hits_targets_on_synthetic_counts():
    # 1,000 communes with n_s = i // 10 ... : targets reachable exactly.
    n = 1000
    frame = pl.DataFrame(
        {
            "code": [f"{i:05d}" for i in range(n)],
            "n_p": [min(i // 20, 30) for i in range(n)],
            "n_i": [i // 25 for i in range(n)],
            "n_s": [i // 40 for i in range(n)],
        }
    )
    targets = {"majeur": 40, "structurant": 80, "intermediaire": 200, "local": 300}
    cal = c.calibrate(frame, targets)
    assert cal.counts["majeur"] == 40
    assert cal.within_tolerance, cal.lines()
    # The calibrated thresholds reproduce the counts when applied.
    got = c.assign_levels(frame, cal.thresholds).get_column("niveau").value_counts()
    assert dict(got.iter_rows())["majeur"] == cal.counts["majeur"]


def test_official_file_and_agreement():
    official = read_official_centrality(DATA / "centralite.csv")
    assert official.undefined == 1
    levels = dict(official.frame.iter_rows())
    assert levels["48080"] == "intermediaire" and levels["97101"] is None
    computed = pl.DataFrame(
        {
            "code": ["48095", "48061", "48080", "48140", "48001", "48002"],
            "niveau": ["majeur", "structurant", "intermediaire", "local", "non_centre", "local"],
        }
    )
    a = c.agreement(computed, official.frame)
    assert a.compared == 5
    assert a.matrix["intermediaire"]["local"] == 1  # 48140
    assert a.exact == pytest.approx(4 / 5)
    assert a.within_one == 1.0
    assert a.only_computed == 1  # 48002, absent from the official file
    assert "kappa" in a.lines()[0]


def test_official_file_errors_name_line_and_column():
    with pytest.raises(SourceError) as exc:
        read_official_centrality(DATA / "centralite-invalide.csv")
    messages = [e.message for e in exc.value.errors]
    assert any("Centre très majeur" in m for m in messages)
    assert any("4809" in m for m in messages)


def test_proxy_levels():
    frame = pl.DataFrame(
        {
            "code": ["1", "2", "3", "4", "5", "6"],
            "population": [60_000, 6_000, 3_000, 900, 300, None],
            "epci": ["A", "A", "B", "B", "B", "B"],
            "chef_lieu_dep": [True, False, False, False, False, False],
            "chef_lieu_arr": [False, True, False, False, False, False],
            "pole_postal": [False, False, False, True, False, False],
        }
    )
    out = dict(centrality_proxy.proxy_levels(frame).select("code", "niveau").iter_rows())
    assert out == {
        "1": "majeur",
        "2": "structurant",  # arrondissement seat of >= 5,000
        "3": "intermediaire",  # first of its EPCI, >= 2,500
        "4": "local",  # postal hub, >= 800
        "5": "non_centre",
        "6": None,  # unknown population: no level asserted
    }
