"""Compute every indicator for every commune and its aggregates (EPCI, department, region,
France) from observations. Pure Python on polars frames, no Django.

Inputs
- ``observations``: ``code`` (str, current commune code), ``variable`` (str), ``millesime``
  (int; 0 for a figure without date, such as an area), ``value`` (float, never a secret marker:
  secret figures are absent rows).
- ``geography``: one row per current commune (type COM): ``code``, ``epci``, ``dep``, ``reg``.

Output: ``values`` with ``level`` (COM, EPCI, DEP, REG, FR), ``code``, ``indicator``,
``millesime``, ``value`` and, for communes, ``percentile`` (share of communes, in %, with a
strictly lower value at the same millésime); ``missing`` names, per indicator whose inputs are not
all loaded, the variables lacking.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from pvd.domain.indicators.catalogue import Indicator, indicators

LEVELS = {"EPCI": "epci", "DEP": "dep", "REG": "reg", "FR": None}
OBS_SCHEMA = {"code": pl.String, "variable": pl.String, "millesime": pl.Int32, "value": pl.Float64}
VALUES_SCHEMA = {
    "level": pl.String,
    "code": pl.String,
    "indicator": pl.String,
    "millesime": pl.Int32,
    "value": pl.Float64,
    "percentile": pl.Float64,
}
WEIGHT = "pop_ref"  # latest legal population, the weight of weighted means


@dataclass
class BuildResult:
    values: pl.DataFrame
    missing: dict[str, list[str]] = field(default_factory=dict)

    def count(self, level: str) -> int:
        return self.values.filter(pl.col("level") == level).height


def normalise_observations(obs: pl.DataFrame) -> pl.DataFrame:
    """Cast to the expected schema, drop missing and non-finite values, and keep one value per
    (code, variable, millésime): the first given (sources are concatenated by priority)."""
    return (
        obs.select([pl.col(c).cast(t) for c, t in OBS_SCHEMA.items()])
        .filter(pl.col("value").is_not_null() & pl.col("value").is_finite())
        .unique(subset=["code", "variable", "millesime"], keep="first", maintain_order=True)
    )


def _clean(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(
        pl.col("code").cast(pl.String),
        pl.col("millesime").cast(pl.Int32),
        pl.col("value").cast(pl.Float64),
    ).filter(pl.col("value").is_not_null() & pl.col("value").is_finite())


def compute_indicator(
    ind: Indicator, obs: pl.DataFrame, geo: pl.DataFrame
) -> dict[str, pl.DataFrame]:
    """Values of one indicator per level: {"COM": frame, "EPCI": frame, ...}."""
    mine = obs.filter(pl.col("variable").is_in(ind.inputs))
    out = {"COM": _clean(ind.compute(mine, geo))}
    if ind.aggregate == "none":
        return out
    if ind.aggregate == "sum":
        # Only communes that have every input, so that a ratio of sums compares like with like.
        have = mine.group_by("code").agg(pl.col("variable").n_unique().alias("n"))
        complete = have.filter(pl.col("n") == len(set(ind.inputs))).select("code")
        members = mine.join(complete, on="code").join(geo, on="code")
        for level, column in LEVELS.items():
            key = pl.col(column) if column else pl.lit("FR")
            summed = (
                members.with_columns(key.alias("_key"))
                .filter(pl.col("_key").is_not_null())
                .group_by("_key", "variable", "millesime")
                .agg(pl.col("value").sum(), pl.len().alias("_n"))
                # A millésime that covers less than half of the group's communes does not make
                # a total (Mayotte's 2017 census figures are not a population of France).
                .filter(pl.col("_n") * 2 >= pl.col("_n").max().over("_key", "variable"))
                .drop("_n")
                .rename({"_key": "code"})
            )
            out[level] = _clean(ind.compute(summed, None))
    else:  # weighted_mean
        weights = obs.filter(pl.col("variable") == WEIGHT).select(
            "code", pl.col("value").alias("_w")
        )
        weighted = out["COM"].join(weights, on="code").join(geo, on="code")
        for level, column in LEVELS.items():
            key = pl.col(column) if column else pl.lit("FR")
            agg = (
                weighted.with_columns(key.alias("_key"))
                .filter(pl.col("_key").is_not_null())
                .group_by("_key", "millesime")
                .agg(((pl.col("value") * pl.col("_w")).sum() / pl.col("_w").sum()).alias("value"))
                .rename({"_key": "code"})
            )
            out[level] = _clean(agg)
    return out


def build(
    observations: pl.DataFrame,
    geography: pl.DataFrame,
    catalogue: list[Indicator] | None = None,
) -> BuildResult:
    """Every indicator of ``catalogue`` (default: all registered) at every level."""
    obs = normalise_observations(observations)
    geo = geography.select(
        pl.col("code").cast(pl.String),
        pl.col("epci").cast(pl.String),
        pl.col("dep").cast(pl.String),
        pl.col("reg").cast(pl.String),
    )
    present = set(obs.get_column("variable").unique().to_list())
    frames: list[pl.DataFrame] = []
    missing: dict[str, list[str]] = {}
    for ind in catalogue if catalogue is not None else indicators():
        lacking = [v for v in ind.inputs if v not in present]
        if lacking:
            missing[ind.id] = lacking
            continue
        for level, frame in compute_indicator(ind, obs, geo).items():
            if frame.is_empty():
                continue
            if level == "COM":
                n = pl.len().over("millesime")
                pct = ((pl.col("value").rank("min").over("millesime") - 1) / n * 100).alias(
                    "percentile"
                )
            else:
                pct = pl.lit(None, pl.Float64).alias("percentile")
            frames.append(
                frame.select(
                    pl.lit(level).alias("level"),
                    "code",
                    pl.lit(ind.id).alias("indicator"),
                    "millesime",
                    "value",
                    pct.cast(pl.Float64),
                )
            )
    values = pl.concat(frames) if frames else pl.DataFrame(schema=VALUES_SCHEMA)
    return BuildResult(values=values.cast(VALUES_SCHEMA), missing=missing)
