"""Re-base commune-keyed figures of an older COG vintage onto the current geography.

The COG changes every 1 January: communes merge into *communes nouvelles* (the old codes survive
as communes déléguées or in the new commune's ``anciensCodes``), and a few are restored
(*rétablissements*). A figure keyed by an old code is moved to the current commune that absorbed
it; several old codes landing on one current commune are summed. Every move is reported, and an
old code that cannot be placed is reported too, never dropped silently.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CurrentGeography:
    """What the current vintage says about codes.

    ``actual``: codes of current communes (COM and, for Paris/Lyon/Marseille, not ARM).
    ``former_codes``: old code -> current commune code (from ``anciensCodes``).
    ``delegated_parent``: code of a commune déléguée/associée -> its current parent commune.
    """

    actual: frozenset[str]
    former_codes: dict[str, str]
    delegated_parent: dict[str, str]

    def target_of(self, old_code: str) -> str | None:
        if old_code in self.actual:
            return old_code
        if old_code in self.former_codes:
            return self.former_codes[old_code]
        return self.delegated_parent.get(old_code)


@dataclass(frozen=True)
class Mapping:
    old_code: str
    new_code: str
    how: str  # "ancien code" or "commune déléguée/associée"


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
    """Sum the old values onto current commune codes, reporting each move."""
    sums: dict[str, int] = defaultdict(int)
    result = RebaseResult(values={})
    for old_code, value in sorted(old_values.items()):
        target = geo.target_of(old_code)
        if target is None:
            result.unmapped.append(old_code)
            continue
        if target != old_code:
            how = "ancien code" if old_code in geo.former_codes else "commune déléguée/associée"
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
