"""Where a commune's centrality level comes from, for the eligibility rules
(:mod:`pvd.domain.eligibility`): the official classification of the Observatoire des territoires
("officielle"), its reproduction from a BPE file ("calculee"), the proxy from the referential
("estimation"), or "auto": the first of these that is loaded, completed from the next ones for
the communes it leaves without a level."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: the rules read the names below without polars
    import polars as pl

# Sources of the centrality level, in the order "auto" tries them, and their input columns.
CENTRALITE_SOURCES = ("officielle", "calculee", "estimation")
CENTRALITE_AUTO = "auto"
CENTRALITE_COLUMNS = {
    "officielle": "niveau_officiel",
    "calculee": "niveau_calcule",
    "estimation": "niveau_proxy",
}
CENTRALITE_LABELS = {
    "officielle": "classification officielle (Observatoire des territoires)",
    "calculee": "calculée à partir de la BPE",
    "estimation": "estimation sans BPE (population, rang dans l'EPCI, chef-lieu, pôle postal)",
    "auto": "automatique : officielle si importée, sinon calculée (BPE), sinon estimation",
}
CENTRALITE_COMMANDS = {
    "officielle": "pvd selection import-centralite centralite.csv",
    "calculee": "pvd selection calibrate FICHIER_BPE.csv",
}


class CentralitySourceUnavailable(ValueError):
    """The rules ask for a centrality source that is not loaded (message in French)."""


def resolve_centrality(
    frame: pl.DataFrame, requested: str, available: tuple[str, ...]
) -> tuple[pl.DataFrame, str]:
    """Add ``niveau`` and ``centralite_source`` (the source of each row's level) to a frame
    holding the columns of :data:`CENTRALITE_COLUMNS`; ``available``: the loaded sources
    ("estimation" always is). Returns the frame and the main source used. A source asked for
    but not loaded raises :class:`CentralitySourceUnavailable` naming the command to load it.

    An explicit source is used alone (a commune it does not cover has no level, shown as
    unknown); "auto" uses the first loaded source and completes the communes it leaves without a
    level from the next ones, each row naming its own source."""
    import polars as pl

    if requested != CENTRALITE_AUTO:
        if requested not in available:
            raise CentralitySourceUnavailable(
                f"source de centralité « {requested} » ({CENTRALITE_LABELS[requested]}) non "
                f"chargée : {CENTRALITE_COMMANDS.get(requested, '')} ; sources disponibles : "
                + ", ".join(s for s in CENTRALITE_SOURCES if s in available)
            )
        col = pl.col(CENTRALITE_COLUMNS[requested])
        return frame.with_columns(
            col.alias("niveau"), pl.lit(requested, pl.String).alias("centralite_source")
        ), requested
    order = [s for s in CENTRALITE_SOURCES if s in available] or ["estimation"]
    cols = [pl.col(CENTRALITE_COLUMNS[s]) for s in order]
    source = pl.when(cols[0].is_not_null()).then(pl.lit(order[0]))
    for s, col in zip(order[1:], cols[1:], strict=True):
        source = source.when(col.is_not_null()).then(pl.lit(s))
    source = source.otherwise(pl.lit(order[0]))
    return frame.with_columns(
        pl.coalesce(cols).alias("niveau"), source.cast(pl.String).alias("centralite_source")
    ), order[0]
