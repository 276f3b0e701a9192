"""The build packs and inserts its rows a few territories at a time (issue 17: its peak
memory): the rows must be the ones one packing of everything gives, whatever the chunk's
bounds, in the format :class:`TerritoryValues` documents."""

from __future__ import annotations

import json

import polars as pl
import pytest

from pvd.diagnostics import packing
from pvd.domain.indicators.engine import VALUES_SCHEMA

SIMILAR_SCHEMA = {
    "commune": pl.String,
    "peer": pl.String,
    "rank": pl.Int32,
    "distance": pl.Float64,
    "reasons": pl.String,
}
COMMUNES = ["01001", "01002", "2A004", "2B033", "97101", "75056"]


def _values() -> pl.DataFrame:
    rows = []
    for level, codes in (
        ("COM", COMMUNES),
        ("EPCI", ["200000172", "241300391"]),
        ("DEP", ["2A"]),
        ("FR", ["FR"]),
    ):
        for n, code in enumerate(codes):
            for indicator in ("population", "taux_vacance"):
                for millesime in (2016, 2022):
                    status = None if level == "COM" else ("insee" if n else "estimation")
                    pct = 50.0 if level == "COM" else None
                    rows.append((level, code, indicator, millesime, n + millesime / 1e4, pct, status))
    # Shuffled: the packing sorts.
    return pl.DataFrame(rows, schema=VALUES_SCHEMA, orient="row").sample(fraction=1.0, seed=3)


def _similar() -> pl.DataFrame:
    rows = [
        (commune, peer, rank, rank / 10, "population,taux_vacance")
        for commune in COMMUNES
        if commune != "75056"  # a commune without similar towns: peers stay null
        for rank, peer in enumerate(c for c in COMMUNES if c != commune)
    ]
    return pl.DataFrame(rows, schema=SIMILAR_SCHEMA, orient="row").sample(fraction=1.0, seed=5)


def _whole(values: pl.DataFrame, similar: pl.DataFrame) -> pl.DataFrame:
    return pl.concat(list(packing.packed_chunks(values, similar)))


def test_rows_hold_the_documented_json():
    rows = {
        (r["level"], r["code"]): r
        for r in _whole(_values(), _similar()).iter_rows(named=True)
    }
    assert len(rows) == 10
    commune = rows[("COM", "2A004")]
    assert json.loads(commune["values"]) == {
        "i": ["population", "population", "taux_vacance", "taux_vacance"],
        "m": [2016, 2022, 2016, 2022],
        "v": [2.2016, 2.2022, 2.2016, 2.2022],
        "p": [50.0, 50.0, 50.0, 50.0],
    }
    assert json.loads(commune["peers"]) == {
        "c": ["01001", "01002", "2B033", "97101", "75056"],
        "d": [0.0, 0.1, 0.2, 0.3, 0.4],
        "r": ["population,taux_vacance"] * 5,
    }
    assert rows[("COM", "75056")]["peers"] is None
    epci = json.loads(rows[("EPCI", "241300391")]["values"])
    assert epci["s"] == ["insee"] * 4 and epci["p"] == [None] * 4
    assert json.loads(rows[("EPCI", "200000172")]["values"])["s"] == ["estimation"] * 4
    assert rows[("FR", "FR")]["peers"] is None


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 100])
def test_chunks_pack_the_same_rows_as_one_chunk(monkeypatch, chunk):
    values, similar = _values(), _similar()
    monkeypatch.setattr(packing, "PACK_CHUNK", 10_000)
    whole = _whole(values, similar).sort("level", "code")
    monkeypatch.setattr(packing, "PACK_CHUNK", chunk)
    parts = list(packing.packed_chunks(values, similar))
    assert len(parts) == -(-whole.height // chunk)
    assert all(part.height <= chunk for part in parts)
    assert pl.concat(parts).sort("level", "code").equals(whole)


def test_duplicated_values_are_refused_before_any_chunk():
    values = _values()
    chunks = packing.packed_chunks(pl.concat([values, values.head(1)]), _similar())
    with pytest.raises(ValueError, match="en double"):
        next(chunks)
