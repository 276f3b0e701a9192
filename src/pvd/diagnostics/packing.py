"""The stored form of the built values: one row per territory with its figures and similar
towns as JSON documents (described in :class:`pvd.diagnostics.models.TerritoryValues`),
encoded by polars with no Python object per value."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

PACK_CHUNK = 4000  # territories packed and inserted at a time


def packed_chunks(values: pl.DataFrame, similar: pl.DataFrame) -> Iterator[pl.DataFrame]:
    """The rows to store (``level, code, values, peers``), a few thousand territories at a
    time, so that the JSON text of every territory (about 70 MB) and the packing's intermediate
    frames are never all held at once. Both frames are sorted once; each chunk is a slice of
    them."""
    if values.select("level", "code", "indicator", "millesime").is_duplicated().any():
        raise ValueError("valeurs d'indicateurs en double pour un même territoire et millésime")
    ordered = values.sort("level", "code", "indicator", "millesime")
    chunk = ordered.select((pl.struct("level", "code").rle_id() // PACK_CHUNK).alias("c"))
    lengths = chunk.group_by("c", maintain_order=True).len().get_column("len").to_list()
    near = similar.sort("commune", "rank")
    peer_codes = near.get_column("commune")
    offset = 0
    for length in lengths:
        part = ordered.slice(offset, length)
        offset += length
        communes = part.filter(pl.col("level") == "COM").get_column("code")
        if communes.is_empty():
            mine = near.clear()
        else:  # the chunk's communes are a range of codes: a slice of the sorted peers
            first = peer_codes.search_sorted(communes.first(), side="left")
            last = peer_codes.search_sorted(communes.last(), side="right")
            mine = near.slice(first, last - first)
        yield _packed(part, mine)


def _packed(values: pl.DataFrame, similar: pl.DataFrame) -> pl.DataFrame:
    """One row per territory of ``values`` (sorted by territory, indicator and millésime),
    with its similar towns (``similar``, sorted by commune and rank)."""
    grouped = values.group_by("level", "code", maintain_order=True).agg(
        pl.col("indicator").alias("i"),
        pl.col("millesime").alias("m"),
        pl.col("value").alias("v"),
        pl.col("percentile").alias("p"),
        pl.col("status").alias("s"),
    )
    # Statuses only exist for aggregates: the 35,000 commune rows are stored without them.
    communes = pl.col("level") == "COM"
    packed = pl.concat(
        [
            grouped.filter(communes).select(
                "level", "code", pl.struct("i", "m", "v", "p").struct.json_encode().alias("values")
            ),
            grouped.filter(~communes).select(
                "level",
                "code",
                pl.struct("i", "m", "v", "p", "s").struct.json_encode().alias("values"),
            ),
        ]
    )
    peers = (
        similar.group_by("commune", maintain_order=True)
        .agg(
            pl.col("peer").alias("c"),
            pl.col("distance").alias("d"),
            pl.col("reasons").alias("r"),
        )
        .select(
            pl.lit("COM").alias("level"),
            pl.col("commune").alias("code"),
            pl.struct("c", "d", "r").struct.json_encode().alias("peers"),
        )
    )
    return packed.join(peers, on=["level", "code"], how="left")
