"""Re-base commune-keyed figures of an older COG vintage onto the current geography.

The COG changes every 1 January: communes merge into *communes nouvelles* (the old codes survive
as communes déléguées or in the new commune's ``anciensCodes``), and a few are restored
(*rétablissements*). A figure keyed by an old code is moved to the current commune that absorbed
it; several old codes landing on one current commune are summed. Every move is reported, and an
old code that cannot be placed is reported too, never dropped silently.

The rules (which code lands where) are those of :mod:`pvd.domain.geography`, the one current
geography module; this module applies them to a dict of additive values (populations).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from pvd.domain.geography import DELEGATED, FORMER, CurrentGeography

__all__ = ["CurrentGeography", "Mapping", "RebaseResult", "rebase", "rebase_with_history"]


@dataclass(frozen=True)
class Mapping:
    old_code: str
    new_code: str
    how: str  # "ancien code" or "commune déléguée/associée" (pvd.domain.geography.FORMER/DELEGATED)


@dataclass
class RebaseResult:
    values: dict[str, int]
    mappings: list[Mapping] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    # Current communes that did not exist as such in the old vintage and received nothing
    # (for example a commune restored after a split): their old value is unknown, not zero.
    missing: list[str] = field(default_factory=list)
    # Current communes whose old value covers a territory that has since been split off.
    split_from: dict[str, list[str]] = field(default_factory=dict)


def rebase(old_values: dict[str, int], geo: CurrentGeography) -> RebaseResult:
    """Sum the old values onto current commune codes, reporting each move.

    A municipal arrondissement keeps its value under its own code (legal populations are
    published for the arrondissements and for their city, each its own figure); it is never
    added to its city here.
    """
    sums: dict[str, int] = defaultdict(int)
    result = RebaseResult(values={})
    for old_code, value in sorted(old_values.items()):
        if old_code in geo.arrondissements:
            sums[old_code] += value
            continue
        target = geo.target_of(old_code)
        if target is None:
            result.unmapped.append(old_code)
            continue
        if target != old_code:
            how = DELEGATED if geo.rule_of(old_code) == DELEGATED else FORMER
            result.mappings.append(Mapping(old_code, target, how))
        sums[target] += value
    result.values = dict(sums)
    result.missing = sorted(geo.actual - sums.keys())
    return result


def rebase_with_history(
    old_values: dict[str, int],
    geo: CurrentGeography,
    old_delegated_parent: dict[str, str],
) -> RebaseResult:
    """Like :func:`rebase`, also naming, for each restored commune, the old commune it left.

    The old value of that old commune covered the restored territory too: it is kept (it is
    the official figure) and reported in ``split_from`` so a reader can judge comparability.
    """
    result = rebase(old_values, geo)
    for code in result.missing:
        old_parent = old_delegated_parent.get(code)
        if old_parent:
            current = geo.target_of(old_parent) or old_parent
            result.split_from.setdefault(current, []).append(code)
    return result
