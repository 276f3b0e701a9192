"""An envelope turns the eligible communes into a selection (:mod:`pvd.domain.eligibility`):
``enveloppe_nationale`` towns shared between regions, or ``enveloppe_region`` towns given to each
region; a region's envelope is shared between its departments in proportion to the population of
their eligible communes (largest remainders), and in each department the eligible communes are
ranked by fragility."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from pvd.domain.eligibility import Rules


def allocate(weights: dict[str, float], total: int, caps: dict[str, int] | None = None) -> dict:
    """Share ``total`` between keys in proportion to ``weights`` (largest remainders), never
    more than ``caps[key]``; what a capped key cannot take goes to the others."""
    caps = caps or {}
    cap = {k: caps.get(k, total) for k in weights}
    out = dict.fromkeys(weights, 0)
    target = min(total, sum(cap.values()))
    active = [k for k in weights if weights[k] > 0 and cap[k] > 0]
    while active and sum(out.values()) < target:
        left = target - sum(out.values())
        wsum = sum(weights[k] for k in active)
        shares = {k: left * weights[k] / wsum for k in active}
        saturated = [k for k in active if out[k] + shares[k] >= cap[k]]
        if saturated:
            for k in saturated:
                out[k] = cap[k]
            active = [k for k in active if k not in saturated]
            continue
        for k in active:
            out[k] += int(shares[k])
        rest = left - sum(int(v) for v in shares.values())
        for k in sorted(active, key=lambda k: (-(shares[k] - int(shares[k])), k))[:rest]:
            out[k] += 1
        break
    return out


def select(frame: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """Adds rang_dep (rank of eligible communes in their department, by fragility then
    population) and retenue (inside the department's envelope; null without envelope)."""
    ranked = frame.with_columns(
        pl.when(pl.col("eligible"))
        .then(
            pl.struct(
                pl.col("fragilite_percentile").fill_null(-1.0), pl.col("population").fill_null(0)
            )
            .rank("ordinal", descending=True)
            .over("dep", "eligible")
        )
        .otherwise(None)
        .cast(pl.Int32)
        .alias("rang_dep")
    )
    if rules.enveloppe_nationale is None and rules.enveloppe_region is None:
        return ranked.with_columns(pl.lit(None, pl.Boolean).alias("retenue"))
    elig = ranked.filter(pl.col("eligible"))
    pop_dep = dict(elig.group_by("dep").agg(pl.col("population").sum()).iter_rows())
    n_dep = dict(elig.group_by("dep").len().iter_rows())
    dep_reg = dict(frame.select("dep", "reg").unique("dep").iter_rows())
    regions = sorted(set(dep_reg.values()))
    if rules.enveloppe_region is not None:
        per_region = dict.fromkeys(regions, rules.enveloppe_region)
    else:
        pop_reg = {r: 0.0 for r in regions}
        cap_reg = dict.fromkeys(regions, 0)
        for d, p in pop_dep.items():
            pop_reg[dep_reg[d]] += p or 0
            cap_reg[dep_reg[d]] += n_dep[d]
        per_region = allocate(pop_reg, int(rules.enveloppe_nationale or 0), cap_reg)
    quota: dict[str, int] = {}
    for reg in regions:
        deps = [d for d in dep_reg if dep_reg[d] == reg]
        weights = {d: float(pop_dep.get(d) or 0) for d in deps}
        quota |= allocate(weights, per_region[reg], {d: n_dep.get(d, 0) for d in deps})
    q = pl.DataFrame(
        {"dep": list(quota), "_quota": list(quota.values())},
        schema={"dep": pl.String, "_quota": pl.Int32},
    )
    return (
        ranked.join(q, on="dep", how="left")
        .with_columns(
            (
                pl.col("rang_dep").is_not_null()
                & (pl.col("rang_dep") <= pl.col("_quota").fill_null(0))
            ).alias("retenue")
        )
        .drop("_quota")
    )
