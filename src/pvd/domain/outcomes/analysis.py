"""The whole outcome analysis from one frame per commune: matching, effects, breakdowns.

``frame`` (one row per current commune): code, nom, reg, dep, zone, epci, laureat (True /
False / null when no loaded list covers it or it is excluded from the pool), pop_<vintage>
columns, chef_lieu_dep, chef_lieu_arr, pole_postal, niveau (centrality measured at or before
2020, may be null), optionally n_p, n_i, n_s; for laureates ort_signee (bool) and
date_signature (date, null when unknown)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from pvd.domain.outcomes import effects as fx
from pvd.domain.outcomes import matching as mx

START_YEAR = 2020  # the programme was launched on 1 October 2020
DIMENSIONS = {
    "region": "Région",
    "departement": "Département",
    "bande": "Tranche de population (2019)",
    "ort": "Opération de revitalisation de territoire (ORT)",
    "signature": "Ancienneté de la signature de l'ORT",
}
ORT_LABELS = {"signee": "ORT signée", "non-signee": "pas d'ORT signée"}


def signature_labels(after: int) -> dict[str, str]:
    return {
        "plus-d-un-an": f"signée avant le 1er janvier {after - 1}",
        "moins-d-un-an": f"signée en {after - 1}",
        "apres": f"signée après le 1er janvier {after} (après la mesure)",
        "date-inconnue": "signée, date inconnue",
        "non-signee": "pas d'ORT signée",
    }


def vintages_of(frame: pl.DataFrame) -> list[int]:
    return sorted(int(c[4:]) for c in frame.columns if c.startswith("pop_") and c[4:].isdigit())


def around_start(vintages: list[int], start: int = START_YEAR) -> tuple[int, int] | None:
    """(before, after): the latest vintage before the start year and the latest one after it."""
    pre = [v for v in vintages if v < start]
    post = [v for v in vintages if v > start]
    return (pre[-1], post[-1]) if pre and post else None


@dataclass
class Outcomes:
    before: int
    after: int
    vintages: list[int]
    matching: mx.Matching
    national: fx.Estimate
    breakdowns: dict[str, dict[str, fx.Estimate]]
    labels: dict[str, dict[str, str]]
    towns: pl.DataFrame  # fx.town_effects + reg, dep, bande, ort, signature, nom
    series: pl.DataFrame  # code, nom, pop_<vintage>... of the laureates and their matches
    notes: list[str] = field(default_factory=list)
    # Placebo: the same matched sample between the vintage before the start and the last one
    # still before the programme (2019 -> 2020): a gap there cannot be the programme's effect.
    placebo: fx.Estimate | None = None
    placebo_after: int | None = None

    def estimate(
        self, dimension: str | None = None, value: str | None = None
    ) -> fx.Estimate | None:
        if dimension is None:
            return self.national
        return self.breakdowns.get(dimension, {}).get(value or "")


def _signature_bucket(after: int) -> pl.Expr:
    date = pl.col("date_signature")
    return (
        pl.when(~pl.col("ort_signee").fill_null(False))
        .then(pl.lit("non-signee"))
        .when(date.is_null())
        .then(pl.lit("date-inconnue"))
        .when(date < dt.date(after - 1, 1, 1))
        .then(pl.lit("plus-d-un-an"))
        .when(date < dt.date(after, 1, 1))
        .then(pl.lit("moins-d-un-an"))
        .otherwise(pl.lit("apres"))
    )


def compute(
    frame: pl.DataFrame,
    *,
    k: int = mx.K,
    caliper: float = mx.CALIPER,
    n_boot: int = fx.N_BOOT,
    seed: int = fx.SEED,
    start: int = START_YEAR,
    dimensions: tuple[str, ...] = tuple(DIMENSIONS),
) -> Outcomes | None:
    """None when the population series has no vintage on both sides of the start.
    ``dimensions``: the breakdowns computed (all by default)."""
    vintages = vintages_of(frame)
    span = around_start(vintages, start)
    if span is None:
        return None
    before, after = span
    for col, dtype in (("ort_signee", pl.Boolean), ("date_signature", pl.Date)):
        if col not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype).alias(col))
    f, names = mx.covariates(frame, before=before)
    matching = mx.match(f, names, k=k, caliper=caliper)
    variation = fx.changes(
        f.select("code", f"pop_{before}", f"pop_{after}"),
        before=f"pop_{before}",
        after=f"pop_{after}",
    )
    towns = fx.town_effects(matching.pairs, variation)
    matched = fx.matched_changes(matching.pairs, variation)
    attrs = f.filter(pl.col("laureat").fill_null(False)).select(
        pl.col("code").alias("laureat"),
        "nom",
        pl.col("reg").alias("region"),
        pl.col("dep").alias("departement"),
        "bande",
        pl.when(pl.col("ort_signee").fill_null(False))
        .then(pl.lit("signee"))
        .otherwise(pl.lit("non-signee"))
        .alias("ort"),
        _signature_bucket(after).alias("signature"),
    )
    towns = towns.join(attrs, on="laureat", how="left")
    national = fx.estimate(towns, matched, key="france", n_boot=n_boot, seed=seed)
    breakdowns = {
        dim: fx.by_group(towns, matched, towns, dim, n_boot=n_boot, seed=seed) for dim in dimensions
    }
    names_of = {
        "region": dict(f.select("reg", "reg_nom").unique().iter_rows())
        if "reg_nom" in f.columns
        else {},
        "departement": dict(f.select("dep", "dep_nom").unique().iter_rows())
        if "dep_nom" in f.columns
        else {},
        "bande": mx.BAND_LABELS,
        "ort": ORT_LABELS,
        "signature": signature_labels(after),
    }
    involved = set(matching.pairs.get_column("laureat").to_list()) | set(
        matching.pairs.get_column("comparable").to_list()
    )
    series = f.filter(pl.col("code").is_in(list(involved))).select(
        "code", "nom", "dep", *[f"pop_{v}" for v in vintages]
    )
    placebo = placebo_after = None
    inside = [v for v in vintages if before < v <= start]
    if inside:
        placebo_after = inside[-1]
        pv = fx.changes(
            f.select("code", f"pop_{before}", f"pop_{placebo_after}"),
            before=f"pop_{before}",
            after=f"pop_{placebo_after}",
        )
        placebo = fx.estimate(
            fx.town_effects(matching.pairs, pv),
            fx.matched_changes(matching.pairs, pv),
            key="placebo",
            n_boot=n_boot,
            seed=seed,
        )
    notes = []
    if matching.unmatched:
        notes.append(f"{len(matching.unmatched)} lauréats sans ville comparable (laissés de côté).")
    return Outcomes(
        before,
        after,
        vintages,
        matching,
        national,
        breakdowns,
        names_of,
        towns,
        series,
        notes,
        placebo,
        placebo_after,
    )
