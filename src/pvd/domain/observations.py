"""Re-basing commune observations ``(code, variable, millesime, value)`` of an older COG vintage
onto the current geography, on polars frames (the frame counterpart of :mod:`pvd.domain.rebase`).

Counts (population, dwellings, facilities) are summed when several old communes merged into one.
Figures that do not add up (a median income, a rate) are moved when one old commune maps to a
current one, and dropped (reported, never averaged) when several do. Codes that cannot be placed
are reported, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from pvd.domain.rebase import CurrentGeography


@dataclass
class RebaseSummary:
    moved: dict[str, str] = field(default_factory=dict)  # old code -> current code
    unmapped: list[str] = field(default_factory=list)
    dropped_non_additive: int = 0  # values dropped because several communes merged

    def lines(self) -> list[str]:
        out = []
        if self.moved:
            sample = ", ".join(f"{a}→{b}" for a, b in list(self.moved.items())[:5])
            out.append(
                f"{len(self.moved)} codes communaux re-basés sur la géographie en vigueur "
                f"(ex. {sample})"
            )
        if self.unmapped:
            out.append(
                f"{len(self.unmapped)} codes inconnus de la géographie en vigueur, "
                f"ignorés : {', '.join(self.unmapped[:10])}"
                + ("…" if len(self.unmapped) > 10 else "")
            )
        if self.dropped_non_additive:
            out.append(
                f"{self.dropped_non_additive} valeurs non additives abandonnées (communes "
                "fusionnées depuis)"
            )
        return out


def rebase_observations(
    obs: pl.DataFrame, geo: CurrentGeography, *, additive: frozenset[str]
) -> tuple[pl.DataFrame, RebaseSummary]:
    """``additive``: variables that add up; ``{"*"}`` for all."""
    summary = RebaseSummary()
    codes = obs.get_column("code").unique().sort().to_list()
    mapping: dict[str, str | None] = {}
    for code in codes:
        target = geo.target_of(code)
        mapping[code] = target
        if target is None:
            summary.unmapped.append(code)
        elif target != code:
            summary.moved[code] = target
    mapped = obs.with_columns(
        pl.col("code").replace_strict(mapping, default=None, return_dtype=pl.String)
    ).filter(pl.col("code").is_not_null())
    is_additive = pl.lit(True) if "*" in additive else pl.col("variable").is_in(list(additive))
    grouped = mapped.group_by("code", "variable", "millesime", maintain_order=True).agg(
        pl.col("value").sum(), pl.len().alias("_n")
    )
    keep = grouped.filter(is_additive | (pl.col("_n") == 1))
    summary.dropped_non_additive = grouped.height - keep.height
    return keep.drop("_n").cast(obs.schema), summary
