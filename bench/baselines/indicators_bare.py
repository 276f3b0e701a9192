#!/usr/bin/env python
"""Bare baseline of `pvd indicators build`: the same inputs and outputs with polars + numpy and
sqlite3, no Django. Reads the communes, the populations and the imported source tables (Arrow
IPC blobs) straight from the SQLite file, runs the same pure computation (pvd.domain.indicators
engine, similar towns), packs one JSON row per territory as the platform stores them and
replaces the table's rows with ``executemany`` in one transaction.

Usage: indicators_bare.py DATABASE_FILE
"""

from __future__ import annotations

import io
import json
import sqlite3
import sys

import polars as pl

from pvd.domain import peers
from pvd.domain.indicators import engine
from pvd.domain.indicators.catalogue import indicators
from pvd.sources.indicator_inputs import KINDS


def inputs(db: sqlite3.Connection) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    geo = pl.DataFrame(
        db.execute(
            "SELECT code, epci_id, departement_id, region_id FROM territories_commune"
            " WHERE type = 'COM'"
        ).fetchall(),
        schema=["code", "epci", "dep", "reg"],
        orient="row",
    ).cast(pl.String)
    pops = pl.DataFrame(
        db.execute(
            "SELECT c.code, p.millesime, p.population FROM territories_population p"
            " JOIN territories_commune c ON c.id = p.commune_id WHERE c.type = 'COM'"
        ).fetchall(),
        schema={"code": pl.String, "millesime": pl.Int32, "value": pl.Float64},
        orient="row",
    )
    parts = [
        pops.select("code", pl.lit("population").alias("variable"), "millesime", "value"),
        pops.sort("millesime").group_by("code").last().select(
            "code", pl.lit("pop_ref").alias("variable"), pl.lit(0, pl.Int32).alias("millesime"),
            "value",
        ),
    ]  # fmt: skip
    wanted = {v for ind in indicators() for v in ind.inputs}
    published = []
    tables = "SELECT kind, frame, published FROM diagnostics_sourcetable ORDER BY kind"
    for kind, blob, pub in db.execute(tables).fetchall():
        frame = pl.read_ipc(io.BytesIO(blob))
        if KINDS[kind].derive is not None:
            frame = KINDS[kind].derive(frame)
        frame = frame.filter(pl.col("variable").is_in(wanted))
        if kind == "bpe":
            covered = geo.join(frame.select("code").unique(), on="code").select("dep").unique()
            grid = (
                geo.join(covered, on="dep")
                .select("code")
                .join(frame.select("variable", "millesime").unique(), how="cross")
            )
            frame = (
                grid.join(frame, on=["code", "variable", "millesime"], how="left")
                .with_columns(pl.col("value").fill_null(0.0))
                .select(frame.columns)
            )
        parts.append(frame.select(list(engine.OBS_SCHEMA)).cast(engine.OBS_SCHEMA))
        if pub:
            p = pl.read_ipc(io.BytesIO(pub))
            if not p.is_empty():
                published.append(
                    p.select(list(engine.PUBLISHED_SCHEMA)).cast(engine.PUBLISHED_SCHEMA)
                )
    pub_frame = pl.concat(published) if published else pl.DataFrame(schema=engine.PUBLISHED_SCHEMA)
    return pl.concat(parts), geo, pub_frame


def packed(values: pl.DataFrame, similar: pl.DataFrame) -> pl.DataFrame:
    grouped = (
        values.sort("level", "code", "indicator", "millesime")
        .group_by("level", "code", maintain_order=True)
        .agg(pl.col("indicator").alias("i"), pl.col("millesime").alias("m"),
             pl.col("value").alias("v"), pl.col("percentile").alias("p"),
             pl.col("status").alias("s"))
    )  # fmt: skip
    com = pl.col("level") == "COM"
    rows = pl.concat([
        grouped.filter(com).select("level", "code", pl.struct("i", "m", "v", "p").struct.json_encode().alias("values")),
        grouped.filter(~com).select("level", "code", pl.struct("i", "m", "v", "p", "s").struct.json_encode().alias("values")),
    ])  # fmt: skip
    near = (
        similar.sort("commune", "rank")
        .group_by("commune", maintain_order=True)
        .agg(pl.col("peer").alias("c"), pl.col("distance").alias("d"), pl.col("reasons").alias("r"))
        .select(pl.lit("COM").alias("level"), pl.col("commune").alias("code"),
                pl.struct("c", "d", "r").struct.json_encode().alias("peers"))
    )  # fmt: skip
    return rows.join(near, on=["level", "code"], how="left")


def main(database: str) -> None:
    db = sqlite3.connect(database)
    obs, geo, published = inputs(db)
    result = engine.build(obs, geo, published=published)
    similar = peers.similar_communes(result.values, k=peers.K)
    rows = packed(result.values, similar)
    columns = rows.columns
    names = ", ".join(f'"{c}"' for c in columns)
    with db:
        db.execute("DELETE FROM diagnostics_territoryvalues")
        db.executemany(
            f"INSERT INTO diagnostics_territoryvalues ({names})"
            f" VALUES ({', '.join('?' * len(columns))})",
            zip(*(rows.get_column(c).to_list() for c in columns), strict=True),
        )
        db.execute(
            'INSERT INTO diagnostics_build (built_at, duration_ms, "values", communes, datasets,'
            " missing) VALUES (datetime('now'), 0, ?, ?, '{}', ?)",
            (result.values.height, geo.height, json.dumps(result.missing)),
        )
    db.close()
    print(result.values.height, geo.height, similar.height)


if __name__ == "__main__":
    main(sys.argv[1])
