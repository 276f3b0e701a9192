"""Compute every indicator for every commune and its aggregates (EPCI, department, region,
France) from observations. Pure Python on polars frames, no Django.

Inputs
- ``observations``: ``code`` (str, current commune code), ``variable`` (str), ``millesime``
  (int; 0 for a figure without date, such as an area), ``value`` (float, never a secret marker:
  secret figures are absent rows).
- ``geography``: one row per current commune (type COM): ``code``, ``epci``, ``dep``, ``reg``.

Output: ``values`` with ``level`` (COM, EPCI, DEP, REG, FR), ``code``, ``indicator``,
``millesime``, ``value`` and, for communes, ``percentile`` (share of communes, in %, with a
strictly lower value at the same millésime), and ``status`` (null, or for the aggregates of
figures that do not add up: ``insee`` = the publisher's own figure, ``estimation`` = a weighted
mean of commune values; see ``STATUS_LABELS``); ``missing`` names, per indicator whose inputs are not
all loaded, the variables lacking.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from pvd.domain.indicators.catalogue import Indicator, indicators
from pvd.domain.indicators.frames import (  # noqa: F401  (the engine's input frames)
    INSEE,
    INSEE_METROPOLE,
    OBS_SCHEMA,
    PUBLISHED_SCHEMA,
)

LEVELS = {"EPCI": "epci", "DEP": "dep", "REG": "reg", "FR": None}
LEVEL_COLUMNS = [c for c in LEVELS.values() if c]
VALUES_SCHEMA = {
    "level": pl.String,
    "code": pl.String,
    "indicator": pl.String,
    "millesime": pl.Int32,
    "value": pl.Float64,
    "percentile": pl.Float64,
    "status": pl.String,
}
WEIGHT = "pop_ref"  # latest legal population, the weight of weighted means
# Status of an aggregate that is not a sum of the communes' inputs (null for the others): INSEE,
# INSEE_METROPOLE (the publisher's own figures, pvd.domain.indicators.frames) or:
ESTIMATION = "estimation"  # a population-weighted mean of commune values: an approximation
STATUS_LABELS = {
    INSEE: "valeur INSEE",
    INSEE_METROPOLE: "valeur INSEE (France métropolitaine)",
    ESTIMATION: "estimation",
}
STATUS_SHORT = {INSEE: "INSEE", INSEE_METROPOLE: "INSEE, métropole", ESTIMATION: "estimation"}
STATUS_NOTES = {
    INSEE: "« INSEE » : valeur publiée par l'INSEE pour ce territoire (fichier chargé).",
    INSEE_METROPOLE: "« INSEE, métropole » : valeur publiée par l'INSEE pour la France "
    "métropolitaine, sa référence nationale.",
    ESTIMATION: "« estimation » : l'INSEE ne donne pas la valeur de ce territoire dans le "
    "fichier chargé ; moyenne des valeurs communales pondérée par la population, calculée "
    "seulement si les communes ayant une valeur regroupent au moins la moitié de sa population.",
}
# Share of a group (communes for sums, population for estimated medians) that a millésime must
# cover for an aggregate to be made.
COVERAGE_MIN = 0.5


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


_CLEAN_SCHEMA = {"code": pl.String, "millesime": pl.Int32, "value": pl.Float64}
_SEP = "\x1f"  # joins a territory code and a millésime into one key (codes never hold it)


def _clean(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(
        pl.col("code").cast(pl.String),
        pl.col("millesime").cast(pl.Int32),
        pl.col("value").cast(pl.Float64),
    ).filter(pl.col("value").is_not_null() & pl.col("value").is_finite())


def _probe(obs: pl.DataFrame) -> pl.DataFrame:
    """The observations with every value set to 1: what a formula computes on it tells which
    (code, millésime) its inputs cover, whatever the values (a negative CAF, a zero flow)."""
    return obs.with_columns(pl.lit(1.0, pl.Float64).alias("value"))


def _covered(ind: Indicator, mine: pl.DataFrame, geo: pl.DataFrame) -> pl.DataFrame:
    """(code, millesime): the communes whose inputs cover the formula at that millésime."""
    out = ind.compute(_probe(mine), geo)
    return out.select(pl.col("code").cast(pl.String), pl.col("millesime").cast(pl.Int32)).unique()


def _sum_aggregates(
    ind: Indicator, mine: pl.DataFrame, geo: pl.DataFrame
) -> dict[str, pl.DataFrame]:
    """Ratio-of-sums aggregates: at each millésime, the inputs of the member communes that
    cover the formula *at that millésime* are summed, then the formula is applied. A commune
    with a debt but no CAF in 2022 is left out of 2022 (never debt of all communes / CAF of
    some), whatever it has in other years. A millésime whose covering communes are fewer than
    half (``COVERAGE_MIN``) of the group's best millésime makes no aggregate (Mayotte's 2017
    census figures are not a population of France; a year where most CAF are missing is not
    the EPCI's debt capacity).

    The formula then runs once for every level: it sees one code per (level, territory) and,
    for a formula over several millésimes, per millésime computed too (``_SEP``-joined)."""
    empty = {level: pl.DataFrame(schema=_CLEAN_SCHEMA) for level in LEVELS}
    covered = _covered(ind, mine, geo).rename({"millesime": "_target"}).join(geo, on="code")
    if covered.is_empty():
        return empty
    keys = [
        (pl.col(column) if column else pl.lit("FR")).alias("_key") for column in LEVELS.values()
    ]
    same_year = getattr(ind.compute, "same_year", False)
    on_covered = covered.select("code", "_target", *LEVEL_COLUMNS)
    if same_year:
        # Inputs of the millésime itself, and the timeless ones (an area, pop_ref) put under
        # it: the formula then sees each millésime's members only, without a composite code.
        dated = mine.filter(pl.col("millesime") != 0).join(
            on_covered, left_on=["code", "millesime"], right_on=["code", "_target"]
        )
        timeless = (
            mine.filter(pl.col("millesime") == 0)
            .join(on_covered, on="code")
            .with_columns(pl.col("_target").alias("millesime"))
        )
        members = pl.concat([dated, timeless.select(dated.columns)])
        by = ["_key", "variable", "millesime"]
    else:
        # A formula over several millésimes (an evolution, a period): every input of the
        # commune counts for each millésime it covers. Communes are grouped by the set of
        # millésimes they cover (a handful of sets), summed once per set, and the sums of the
        # sets that contain a millésime are added up for it: sums add up, and the inputs are
        # not copied once per millésime.
        targets = sorted(covered.get_column("_target").unique().to_list())
        if len(targets) > 62:  # a set is a bit mask in an Int64
            raise ValueError(f"{ind.id} : trop de millésimes ({len(targets)})")
        bit = {t: 1 << i for i, t in enumerate(targets)}
        sets = covered.group_by("code").agg(
            pl.col("_target").replace_strict(bit, return_dtype=pl.Int64).sum().alias("_set")
        )
        members = mine.join(sets, on="code").join(geo, on="code")
        in_set = pl.DataFrame(
            [(b, t) for b in sets.get_column("_set").unique() for t, v in bit.items() if b & v],
            schema={"_set": pl.Int64, "_target": pl.Int32},
            orient="row",
        )
        by = ["_key", "_set", "variable", "millesime"]
    sums = []
    for i, key in enumerate(keys):
        parts = [pl.lit(str(i)), pl.lit(_SEP), pl.col("_key")]
        grouped = (
            members.select(key, *by[1:], "value")
            .filter(pl.col("_key").is_not_null())
            .group_by(by)
            .agg(pl.col("value").sum(), pl.len().alias("_n"))
        )
        if not same_year:
            grouped = (
                grouped.join(in_set, on="_set")
                .group_by("_key", "_target", "variable", "millesime")
                .agg(pl.col("value").sum())
            )
        if same_year:
            # Every covering commune has one row of each input at the millésime: the row
            # count is the number of covering communes.
            grouped = grouped.filter(
                pl.col("_n") >= COVERAGE_MIN * pl.col("_n").max().over("_key", "variable")
            )
        else:
            # The territories and millésimes with enough covering communes.
            valid = (
                covered.select(key, "_target")
                .filter(pl.col("_key").is_not_null())
                .group_by("_key", "_target")
                .len("_n")
                .filter(pl.col("_n") >= COVERAGE_MIN * pl.col("_n").max().over("_key"))
                .drop("_n")
            )
            grouped = grouped.join(valid, on=["_key", "_target"])
            parts += [pl.lit(_SEP), pl.col("_target").cast(pl.String)]
        sums.append(
            grouped.select(pl.concat_str(parts).alias("code"), "variable", "millesime", "value")
        )
    summed = pl.concat(sums)
    computed = _clean(ind.compute(summed, None))
    if computed.is_empty():
        return empty
    width = 2 if same_year else 3
    split = computed.with_columns(
        pl.col("code").str.split_exact(_SEP, width - 1).alias("_p")
    ).with_columns(
        pl.col("_p").struct.field("field_0").alias("_level"),
        pl.col("_p").struct.field("field_1").alias("code"),
    )
    if not same_year:
        split = split.filter(
            pl.col("millesime") == pl.col("_p").struct.field("field_2").cast(pl.Int32)
        )
    return {
        level: split.filter(pl.col("_level") == str(i)).select("code", "millesime", "value")
        for i, level in enumerate(LEVELS)
    }


def _median_aggregates(
    ind: Indicator,
    communes: pl.DataFrame,
    obs: pl.DataFrame,
    geo: pl.DataFrame,
    published: pl.DataFrame | None,
) -> dict[str, pl.DataFrame]:
    """Aggregates of a figure that does not add up (a median income, a poverty rate): INSEE's
    own value of the territory where the imported file has it (status ``insee``); otherwise a
    population-weighted mean of the commune values, only where the communes with a value hold
    at least half of the territory's population (``COVERAGE_MIN``), labelled ``estimation``."""
    weights = obs.filter(pl.col("variable") == WEIGHT).select("code", pl.col("value").alias("_w"))
    geo_w = geo.join(weights, on="code")
    weighted = geo_w.join(communes.select("code", "millesime", "value"), on="code")
    out: dict[str, pl.DataFrame] = {}
    for level, column in LEVELS.items():
        key = pl.col(column) if column else pl.lit("FR")
        totals = (
            geo_w.select(key.alias("_key"), "_w")
            .filter(pl.col("_key").is_not_null())
            .group_by("_key")
            .agg(pl.col("_w").sum().alias("_total"))
        )
        estimated = (
            weighted.select(key.alias("_key"), "_w", "millesime", "value")
            .filter(pl.col("_key").is_not_null())
            .group_by("_key", "millesime")
            .agg(
                ((pl.col("value") * pl.col("_w")).sum() / pl.col("_w").sum()).alias("value"),
                pl.col("_w").sum().alias("_covered"),
            )
            .join(totals, on="_key")
            .filter(pl.col("_covered") >= COVERAGE_MIN * pl.col("_total"))
            .select(
                pl.col("_key").cast(pl.String).alias("code"),
                pl.col("millesime").cast(pl.Int32),
                pl.col("value").cast(pl.Float64),
                pl.lit(ESTIMATION).alias("status"),
            )
        )
        official = _published(ind, published, level)
        if official is not None:
            estimated = estimated.join(official, on=["code", "millesime"], how="anti")
            estimated = pl.concat([official, estimated])
        out[level] = estimated.filter(pl.col("value").is_finite())
    return out


def _published(ind: Indicator, published: pl.DataFrame | None, level: str) -> pl.DataFrame | None:
    if published is None or published.is_empty() or len(ind.inputs) != 1:
        return None
    rows = published.filter((pl.col("level") == level) & (pl.col("variable") == ind.inputs[0]))
    if rows.is_empty():
        return None
    status = pl.col("status") if "status" in rows.columns else pl.lit(INSEE)
    return rows.select(
        pl.col("code").cast(pl.String),
        pl.col("millesime").cast(pl.Int32),
        pl.col("value").cast(pl.Float64),
        status.cast(pl.String).alias("status"),
    ).filter(pl.col("value").is_not_null())


def compute_indicator(
    ind: Indicator,
    obs: pl.DataFrame,
    geo: pl.DataFrame,
    published: pl.DataFrame | None = None,
) -> dict[str, pl.DataFrame]:
    """Values of one indicator per level: {"COM": frame, "EPCI": frame, ...}. Aggregates of
    ``weighted_mean`` indicators carry a ``status`` column (``insee`` or ``estimation``)."""
    mine = obs.filter(pl.col("variable").is_in(ind.inputs))
    out = {"COM": _clean(ind.compute(mine, geo))}
    if ind.aggregate == "none":
        return out
    if ind.aggregate == "sum":
        out |= _sum_aggregates(ind, mine, geo)
    else:  # weighted_mean
        out |= _median_aggregates(ind, out["COM"], obs, geo, published)
    return out


def build(
    observations: pl.DataFrame,
    geography: pl.DataFrame,
    catalogue: list[Indicator] | None = None,
    published: pl.DataFrame | None = None,
) -> BuildResult:
    """Every indicator of ``catalogue`` (default: all registered) at every level.

    ``published``: figures the publisher gives for territories other than communes (level,
    code, variable, millesime, value; e.g. INSEE's median income of an EPCI), used instead of an
    estimate for the aggregates of figures that do not add up."""
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
        for level, frame in compute_indicator(ind, obs, geo, published).items():
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
                    (
                        pl.col("status")
                        if "status" in frame.columns
                        else pl.lit(None, pl.String).alias("status")
                    ),
                )
            )
    values = pl.concat(frames) if frames else pl.DataFrame(schema=VALUES_SCHEMA)
    return BuildResult(values=values.cast(VALUES_SCHEMA), missing=missing)
