"""Fragility index of communes: a weighted mean of national percentiles of portrait indicators.

The programme's fragility indicators were never published; studies of the laureates show
population loss, vacant dwellings above the national average and an older population in most of
them. The index below makes one reading explicit and adjustable (weights are scenario data):

- each component is an indicator of the portrait de ville (``pvd.domain.indicators``), oriented
  so that a higher value means more fragile (``sign``);
- normalisation: national percentile of each component among the communes that have a value,
  ``100 × (rank − 0.5) / n`` with average ranks for ties (0 = least fragile, 100 = most);
- a missing value (statistical secrecy, no data) is **never zero**: the component is left out
  for that commune and the weights of the present components are re-normalised; when the
  present components weigh less than ``min_coverage`` of the total, the index is missing
  ("non calculable") rather than guessed;
- the index (0-100) is then ranked again: ``fragilite_percentile`` is its national percentile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: the rules read the components without polars
    import polars as pl


@dataclass(frozen=True)
class Component:
    key: str
    indicator: str  # indicator id of the portrait catalogue
    label: str  # French
    sign: int  # +1: higher is more fragile; -1: lower is more fragile
    weight: float


COMPONENTS: tuple[Component, ...] = (
    Component("declin", "population_evolution", "évolution de la population", -1, 2.0),
    Component("revenu", "revenu_median", "revenu médian", -1, 1.5),
    Component("pauvrete", "taux_pauvrete", "taux de pauvreté", +1, 1.5),
    Component("chomage", "taux_chomage", "taux de chômage", +1, 1.0),
    Component("vacance", "taux_vacance", "taux de logements vacants", +1, 1.5),
    Component("vieillissement", "part_75_ans_plus", "part des 75 ans et plus", +1, 1.0),
)
COMPONENT_BY_KEY = {c.key: c for c in COMPONENTS}
DEFAULT_WEIGHTS = {c.key: c.weight for c in COMPONENTS}
MIN_COVERAGE = 0.5
# Components withdrawn, with the reason. "equipements" (loss of facilities) referred to an
# indicator that never existed: an evolution of BPE counts needs two vintages on a constant
# list of facility types (the nomenclature changes between vintages: D301 pharmacies until
# 2020...), and the importer keeps one BPE file. It never had a value, so it never weighed on an
# index; saved scenarios that still carry its weight are read without it.
RETIRED = {
    "equipements": "évolution du nombre d'équipements : indicateur jamais calculé (une seule "
    "BPE chargée), composante retirée",
}


def percentile(col: str) -> pl.Expr:
    """National percentile of a column among non-null values (average ranks for ties)."""
    import polars as pl

    n = pl.col(col).count()
    return 100.0 * (pl.col(col).rank("average") - 0.5) / n


def fragility(
    values: pl.DataFrame,
    weights: dict[str, float] | None = None,
    min_coverage: float = MIN_COVERAGE,
) -> pl.DataFrame:
    """``values``: one row per commune, ``code`` and one column per component *indicator id*
    (absent columns count as missing everywhere). Returns code, ``p_<key>`` (component
    percentiles, oriented), ``fragilite`` (index 0-100), ``fragilite_couverture`` (share of
    the weight present) and ``fragilite_percentile``."""
    import polars as pl

    w = {k: float(v) for k, v in (weights or DEFAULT_WEIGHTS).items() if v and v > 0}
    unknown = set(w) - set(COMPONENT_BY_KEY)
    if unknown:
        raise ValueError(f"composante de fragilité inconnue : {', '.join(sorted(unknown))}")
    total = sum(w.values())
    if total <= 0:
        raise ValueError("au moins une composante de fragilité doit avoir un poids positif")
    frame = values.select("code", *[c for c in values.columns if c != "code"])
    parts = []
    for key, weight in w.items():
        comp = COMPONENT_BY_KEY[key]
        col = f"p_{key}"
        if comp.indicator in frame.columns:
            oriented = (pl.col(comp.indicator).cast(pl.Float64) * comp.sign).alias(col)
            frame = frame.with_columns(oriented.fill_nan(None)).with_columns(
                percentile(col).alias(col)
            )
        else:
            frame = frame.with_columns(pl.lit(None, pl.Float64).alias(col))
        parts.append((col, weight))
    present = pl.sum_horizontal(
        [pl.when(pl.col(c).is_not_null()).then(pl.lit(wt)).otherwise(0.0) for c, wt in parts]
    )
    weighted = pl.sum_horizontal([(pl.col(c) * wt).fill_null(0.0) for c, wt in parts])
    frame = frame.with_columns((present / total).alias("fragilite_couverture")).with_columns(
        pl.when(pl.col("fragilite_couverture") >= min_coverage)
        .then(weighted / present)
        .otherwise(None)
        .alias("fragilite")
    )
    frame = frame.with_columns(percentile("fragilite").alias("fragilite_percentile"))
    return frame.select(
        "code",
        *[c for c, _ in parts],
        "fragilite",
        "fragilite_couverture",
        "fragilite_percentile",
    )
