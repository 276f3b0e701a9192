"""Re-basing commune observations ``(code, variable, millesime, value)`` of an official file onto
the current geography, on polars frames, with the rules of :mod:`pvd.domain.geography`.

Counts (population, dwellings, facilities) are summed when several codes land on one commune;
an arrondissement's count is added to its city only when the file has no row for the city
itself. Figures that do not add up (a median income, a rate) are moved when one old commune maps
to a current one, dropped (reported, never averaged) when several do, and never moved from an
arrondissement to its city. Codes that cannot be placed are reported, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from pvd.domain.geography import (
    ARRONDISSEMENT,
    SKIP_ARM_NON_ADDITIVE,
    SKIP_ARM_PARENT_ROW,
    SKIP_UNKNOWN,
    CurrentGeography,
    plan,
)


def _sample(codes: list[str], n: int = 10) -> str:
    return ", ".join(codes[:n]) + ("…" if len(codes) > n else "")


@dataclass
class RebaseSummary:
    moved: dict[str, str] = field(default_factory=dict)  # old code -> current code
    unmapped: list[str] = field(default_factory=list)
    dropped_non_additive: int = 0  # values dropped because several communes merged
    # Arrondissement code -> city: added to the city (the file has no row for it) ...
    arm_added: dict[str, str] = field(default_factory=dict)
    # ... or not added (the city has its own row): reason -> arrondissement codes.
    arm_skipped: dict[str, list[str]] = field(default_factory=dict)

    @property
    def skipped_rows(self) -> dict[str, int]:
        """Reason -> number of codes (file rows) skipped for it."""
        out = {reason: len(codes) for reason, codes in self.arm_skipped.items()}
        if self.unmapped:
            out[SKIP_UNKNOWN] = len(self.unmapped)
        return out

    def lines(self, *, arm_skips: bool = True) -> list[str]:
        """The report in words; ``arm_skips=False`` leaves out the arrondissement rows not
        carried over (for a report that counts them among its skipped rows)."""
        out = []
        merged = {a: b for a, b in self.moved.items() if a not in self.arm_added}
        if merged:
            sample = ", ".join(f"{a}→{b}" for a, b in list(merged.items())[:5])
            out.append(
                f"{len(merged)} codes communaux re-basés sur la géographie en vigueur "
                f"(ex. {sample})"
            )
        if self.arm_added:
            cities = sorted(set(self.arm_added.values()))
            out.append(
                f"{len(self.arm_added)} arrondissements municipaux ajoutés à leur commune "
                f"({', '.join(cities)}), le fichier n'ayant pas de ligne pour elle"
            )
        for reason, codes in sorted(self.arm_skipped.items() if arm_skips else ()):
            out.append(f"{len(codes)} lignes d'arrondissements non reportées ({reason})")
        if self.unmapped:
            out.append(
                f"{len(self.unmapped)} codes inconnus de la géographie en vigueur, "
                f"ignorés : {_sample(self.unmapped)}"
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
    codes = obs.get_column("code").unique().sort().to_list()
    where = plan(codes, geo)
    summary = RebaseSummary(moved=dict(where.moved), unmapped=where.unknown)
    all_additive = "*" in additive
    variables = set(obs.get_column("variable").unique().to_list())
    has_additive = all_additive or bool(variables & additive)
    has_other = not all_additive and bool(variables - additive)
    for code in where.codes_by_rule(ARRONDISSEMENT):
        parent = geo.arrondissements[code]
        if code in where.skipped:
            summary.arm_skipped.setdefault(SKIP_ARM_PARENT_ROW, []).append(code)
            continue
        if has_additive:
            summary.arm_added[code] = parent
        if has_other:
            summary.arm_skipped.setdefault(SKIP_ARM_NON_ADDITIVE, []).append(code)
    if not has_additive:
        summary.moved = {a: b for a, b in summary.moved.items() if a not in where.arm_non_additive}

    is_additive = pl.lit(True) if all_additive else pl.col("variable").is_in(list(additive))
    target = pl.when(is_additive).then(
        pl.col("code").replace_strict(where.additive, default=None, return_dtype=pl.String)
    )
    target = target.otherwise(
        pl.col("code").replace_strict(where.non_additive, default=None, return_dtype=pl.String)
    )
    mapped = obs.with_columns(target.alias("code")).filter(pl.col("code").is_not_null())
    grouped = mapped.group_by("code", "variable", "millesime", maintain_order=True).agg(
        pl.col("value").sum(), pl.len().alias("_n")
    )
    keep = grouped.filter(is_additive | (pl.col("_n") == 1))
    summary.dropped_non_additive = grouped.height - keep.height
    return keep.drop("_n").cast(obs.schema), summary
