"""The build packs and inserts its rows a few territories at a time (issue 17: its peak
memory): the rows must be the ones the whole packing gives, whatever the chunk's bounds."""

from __future__ import annotations

import polars as pl
import pytest

from pvd.diagnostics import packing
from pvd.domain.indicators.engine import VALUES_SCHEMA


def _values() -> pl.DataFrame:
    rows = []
    for level, codes in (
        ("COM", ["01001", "01002", "2A004", "2B033", "97101", "75056"]),
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


def _similar(codes: list[str]) -> pl.DataFrame:
    rows = [
        (commune, peer, rank, rank / 10, ["population"])
        for commune in codes
        if commune != "75056"  # a commune without similar towns: peers stay null
        for rank, peer in enumerate(c for c in codes if c != commune)
    ]
    return pl.DataFrame(
        rows,
        schema={
            "commune": pl.String,
            "peer": pl.String,
            "rank": pl.Int32,
            "distance": pl.Float64,
            "reasons": pl.List(pl.String),
        },
        orient="row",
    ).sample(fraction=1.0, seed=5)


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 100])
def test_chunks_pack_the_same_rows_as_the_whole(monkeypatch, chunk):
    values = _values()
    similar = _similar(["01001", "01002", "2A004", "2B033", "97101", "75056"])
    whole = packing.territory_rows(values, similar).sort("level", "code")
    monkeypatch.setattr(packing, "PACK_CHUNK", chunk)
    parts = list(packing.packed_chunks(values, similar))
    assert len(parts) == -(-whole.height // chunk)
    assert all(part.height <= chunk for part in parts)
    assert pl.concat(parts).sort("level", "code").equals(whole)
    assert whole.filter(pl.col("code") == "75056").item(0, "peers") is None
    assert whole.filter(pl.col("code") == "2A004").item(0, "peers").startswith('{"c":["01001"')


def test_duplicated_values_are_refused_before_any_chunk():
    values = _values()
    chunks = packing.packed_chunks(pl.concat([values, values.head(1)]), _similar(["01001"]))
    with pytest.raises(ValueError, match="en double"):
        next(chunks)
