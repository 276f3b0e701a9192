"""The selection app's stored frames: polars frames kept as compressed Arrow IPC bytes in a
model row (centrality levels, typologies), and the re-basing of a file's commune codes onto the
current geography before they are stored."""

from __future__ import annotations

import io

import polars as pl

from pvd.domain import geography
from pvd.selection.models import Centralite
from pvd.territories.current_geography import current_geography
from pvd.territories.models import Commune


def frame_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_ipc(buffer, compression="zstd")
    return buffer.getvalue()


def frame_of(row: Centralite) -> pl.DataFrame:
    return pl.read_ipc(io.BytesIO(bytes(row.frame)))


def rebase_codes(
    frame: pl.DataFrame, *, additive: bool = True
) -> tuple[pl.DataFrame, int, list[str]]:
    """Replace the file's commune codes by current ones (the one current geography,
    :mod:`pvd.domain.geography`). Facility counts are additive: an arrondissement counts for its
    city only when the file has no row for the city itself; a level (``additive=False``) never
    moves from an arrondissement to its city. Returns the frame, the number of codes moved and
    the codes not placed (unknown, or arrondissements not carried over, with the rule's
    reason in :func:`geography.plan`)."""
    where = geography.plan(frame.get_column("code").unique().to_list(), current_geography())
    target = where.additive if additive else where.non_additive
    mapping = pl.DataFrame(
        {"code": list(target), "_new": list(target.values())},
        schema={"code": pl.String, "_new": pl.String},
    )
    out = (
        frame.join(mapping, on="code", how="inner")
        .with_columns(pl.col("_new").alias("code"))
        .drop("_new")
    )
    moved = sum(1 for code, new in target.items() if new != code)
    return out, moved, sorted(set(where.rule) - set(target))


def communes_frame() -> pl.DataFrame:
    rows = Commune.objects.filter(type=Commune.Type.COM).values_list("code", "departement_id")
    return pl.DataFrame(list(rows), schema=["code", "dep"], orient="row")
