"""The publisher's own figures of territories larger than communes (INSEE's median income of
an EPCI, a department, a region, France), stored beside the commune observations of the file
that carries them and given to the build, which prefers them to an estimate."""

from __future__ import annotations

import io

import polars as pl

from pvd.diagnostics.models import SourceTable
from pvd.domain.indicators import engine
from pvd.sources.report import ImportReport
from pvd.territories.models import EPCI, Departement, Region


def published_of(table: SourceTable) -> pl.DataFrame | None:
    """The publisher's own figures of larger territories stored with ``table``, if any."""
    if not table.published:
        return None
    return pl.read_ipc(io.BytesIO(bytes(table.published)))


def known_territories(published: pl.DataFrame | None, report: ImportReport) -> pl.DataFrame | None:
    """The published rows of territories the referential knows; the others (an EPCI of another
    year's map) are counted in the report and left out, never attached to a wrong territory."""
    if published is None or published.is_empty():
        return None
    known = pl.DataFrame(
        [("EPCI", c) for c in EPCI.objects.values_list("siren", flat=True)]
        + [("DEP", c) for c in Departement.objects.values_list("code", flat=True)]
        + [("REG", c) for c in Region.objects.values_list("code", flat=True)]
        + [("FR", "FR")],
        schema={"level": pl.String, "code": pl.String},
        orient="row",
    )
    unknown = published.join(known, on=["level", "code"], how="anti")
    for level, n in unknown.group_by("level").len().sort("level").rows():
        report.skipped[f"valeurs publiées de territoires {level} inconnus du référentiel"] = n
    return published.join(known, on=["level", "code"], how="semi")


def published_frame() -> pl.DataFrame:
    """INSEE's own figures of EPCI, departments, regions and France from every imported file
    that has them (``engine.PUBLISHED_SCHEMA``)."""
    parts = []
    for table in SourceTable.objects.exclude(published=None).order_by("kind"):
        frame = published_of(table)
        if frame is not None and not frame.is_empty():
            parts.append(frame.select(list(engine.PUBLISHED_SCHEMA)).cast(engine.PUBLISHED_SCHEMA))
    return pl.concat(parts) if parts else pl.DataFrame(schema=engine.PUBLISHED_SCHEMA)
