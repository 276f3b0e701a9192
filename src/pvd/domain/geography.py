"""The current geography: where the commune code of a row of any official file lands today.

One module for every import and build (indicator sources, BPE centrality, programme registry,
legal populations, the embedded snapshot). The Django reader that fills it from the referential
and the embedded history of former codes is :func:`pvd.territories.current_geography.
current_geography`; :mod:`pvd.domain.rebase` (dicts) and :mod:`pvd.domain.observations` (polars
frames) apply it.

Rules, per file (whether an arrondissement row adds to its city depends on the rest of the file):

1. **COM**, a current commune: itself. A commune nouvelle that kept the code of one of its
   communes déléguées (COMD code == parent code, 584 in COG 2026) is this case: the row is the
   commune's own.
2. **ARM**, municipal arrondissement of Paris (75056), Lyon (69123) or Marseille (13055). INSEE
   files list them *as well as* their city (census bases) or *instead of* it (BPE).

   - Additive value (count): added to the parent commune only when the file has no row for the
     parent itself. When it has one, the arrondissement rows are already in it: they are not
     added (that was the double count) and are reported as skipped with that reason.
   - Non-additive value (median, rate): never lands on the parent (a city's median is not made
     of its arrondissements'), reported as skipped.
   - Indicator imports do not keep ARM rows under their own code (indicators are built for
     communes); the legal-populations import stores them on the referential's ARM rows.
3. **COMD/COMA** whose code is not a current commune's: the former commune it was (files keyed
   by the current COG list communes, not communes déléguées, so such a row comes from an older
   vintage when it was a commune). It lands on its parent commune. The current COG's COMD/COMA
   relation wins over the history of former codes (a code absorbed long ago may since have been
   attached elsewhere: 55273, 60455 in COG 2026).
4. **Former code** of a commune merged since COG 2013 (the snapshot's ``anciens-codes``, from
   the ``anciensCodes`` of ``@etalab/decoupage-administratif``): the current commune that
   absorbed it (through its parent when that commune has itself become a commune déléguée).
5. Anything else: unknown, skipped and reported with its code.

Rules 2 to 4 move values; several parts landing on one commune are summed when additive, and a
non-additive value is kept only when it is the only part landing there (dropped and counted
otherwise, never averaged). Every move and every skip is reported, never dropped silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

COMMUNE = "commune"
ARRONDISSEMENT = "arrondissement municipal"
DELEGATED = "commune déléguée/associée"
FORMER = "ancien code"
UNKNOWN = "code inconnu"

# Why a row is skipped (report keys, user-facing).
SKIP_UNKNOWN = "code inconnu de la géographie en vigueur"
SKIP_ARM_PARENT_ROW = "arrondissement municipal : la commune a sa propre ligne dans le fichier"
SKIP_ARM_NON_ADDITIVE = (
    "arrondissement municipal : valeur non additive, pas reportée sur la commune"
)


@dataclass(frozen=True)
class CurrentGeography:
    """What the current vintage says about codes.

    ``actual``: codes of current communes (COM; never ARM, COMD, COMA).
    ``former_codes``: old code -> current commune code (communes merged since COG 2013).
    ``delegated_parent``: code of a commune déléguée/associée (not itself a current commune's
    code) -> its parent commune.
    ``arrondissements``: code of a municipal arrondissement -> its commune (75056, 69123, 13055).
    """

    actual: frozenset[str]
    former_codes: dict[str, str] = field(default_factory=dict)
    delegated_parent: dict[str, str] = field(default_factory=dict)
    arrondissements: dict[str, str] = field(default_factory=dict)

    def rule_of(self, code: str) -> str:
        """Which rule applies to ``code`` (COMMUNE, ARRONDISSEMENT, DELEGATED, FORMER, UNKNOWN)."""
        if code in self.actual:
            return COMMUNE
        if code in self.arrondissements:
            return ARRONDISSEMENT
        if code in self.delegated_parent:
            return DELEGATED
        if code in self.former_codes:
            return FORMER
        return UNKNOWN

    def target_of(self, code: str) -> str | None:
        """The current commune a code designates on its own (rules 1, 3, 4); None for an
        arrondissement (rule 2 depends on the file: see :func:`plan`) and an unknown code."""
        if code in self.actual:
            return code
        if code in self.arrondissements:
            return None
        target = self.delegated_parent.get(code) or self.former_codes.get(code)
        if target is None or target in self.actual:
            return target
        # A commune that absorbed the code and has since become a commune déléguée itself.
        parent = self.delegated_parent.get(target)
        return parent if parent in self.actual else None


def geography_of(
    rows: Iterable[tuple[str, str, str | None]], former_codes: dict[str, str]
) -> CurrentGeography:
    """The geography in force from the referential's communes ``(code, type, parent code)``
    (types COM, COMD, COMA, ARM) and the history of former codes.

    A COM row whose code is also a commune déléguée/associée of *another* commune is a former
    commune kept by a COG import because figures refer to it: it is not a current commune.
    """
    rows = list(rows)
    delegated = {
        code: parent
        for code, kind, parent in rows
        if kind in ("COMD", "COMA") and parent and parent != code
    }
    arrondissements = {code: parent for code, kind, parent in rows if kind == "ARM" and parent}
    actual = frozenset(code for code, kind, _ in rows if kind == "COM" and code not in delegated)
    former = {
        old: new
        for old, new in former_codes.items()
        if old not in actual and old not in arrondissements
    }
    return CurrentGeography(
        actual=actual,
        former_codes=former,
        delegated_parent=delegated,
        arrondissements=arrondissements,
    )


@dataclass
class Plan:
    """Where each code of one file lands.

    ``additive``/``non_additive``: code -> current commune, for additive values (counts) and for
    the others; a code absent from a mapping is skipped. ``moved``: code -> commune for codes
    that land elsewhere than themselves (rules 2 to 4); ``rule``: code -> rule of every code;
    ``skipped``: code -> reason for codes skipped for additive values; ``arm_non_additive``:
    arrondissements whose non-additive values are skipped.
    """

    additive: dict[str, str] = field(default_factory=dict)
    non_additive: dict[str, str] = field(default_factory=dict)
    moved: dict[str, str] = field(default_factory=dict)
    rule: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    arm_non_additive: list[str] = field(default_factory=list)

    @property
    def unknown(self) -> list[str]:
        return sorted(c for c, r in self.rule.items() if r == UNKNOWN)

    def codes_by_rule(self, rule: str, *, moved: bool | None = None) -> list[str]:
        return sorted(
            c
            for c, r in self.rule.items()
            if r == rule and (moved is None or (c in self.moved) == moved)
        )


def plan(codes: Iterable[str], geo: CurrentGeography) -> Plan:
    """Apply the rules of this module to the codes of one file."""
    present = set(codes)
    out = Plan()
    for code in sorted(present):
        rule = geo.rule_of(code)
        out.rule[code] = rule
        if rule == ARRONDISSEMENT:
            parent = geo.arrondissements[code]
            out.arm_non_additive.append(code)
            if parent in present:
                out.skipped[code] = SKIP_ARM_PARENT_ROW
            else:
                out.additive[code] = parent
                out.moved[code] = parent
            continue
        target = geo.target_of(code)
        if target is None:
            out.rule[code] = UNKNOWN
            out.skipped[code] = SKIP_UNKNOWN
            continue
        out.additive[code] = out.non_additive[code] = target
        if target != code:
            out.moved[code] = target
    return out
