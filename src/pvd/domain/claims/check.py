"""Verdicts on the claims of a text: each against the registry, parts against their total.

- A claim about a territory that no loaded list covers is "non vérifiable", never "contredit":
  the registry knows nothing there. A national figure while some regions are not covered is
  confirmed only as a lower bound ("plus de 150 ORT"); a claim below what the covered regions
  already count is contradicted (France can only have more); otherwise "non vérifiable",
  naming the regions left out.
- When several vintages of the list are loaded, each count of communes also says which
  vintages it matches ("conforme à la liste de janvier 2021, pas à celle de 2024").
- Parts against their total, inside the text: parts that add up to more than the total, or
  all the departments of a region adding up to another figure than the region's, make the
  text inconsistent, whatever the registry says.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from pvd.domain import numbers
from pvd.domain.claims import lexicon as lx
from pvd.domain.claims.extract import Claim, extract
from pvd.domain.claims.territory import Scope, Territories
from pvd.domain.coverage import Coverage, exclusion_note
from pvd.domain.programme import LaureateFacts


@dataclass(frozen=True)
class Vintage:
    """One loaded vintage of the laureate list: its label ("janvier 2021"), the communes it
    listed and what it covered."""

    label: str
    rows: Sequence[LaureateFacts]
    coverage: Coverage | None = None


@dataclass(frozen=True)
class Registry:
    """What the check reads: active laureates, names and populations, coverages."""

    rows: Sequence[LaureateFacts]
    territories: Territories
    coverage: Coverage | None = None  # None: everything (before coverage was recorded)
    cadre_coverage: Coverage | None = None  # what the ORT sheets cover
    chef_known: bool = True  # whether any source carries project managers' recruitment
    vintages: Sequence[Vintage] = ()


@dataclass(frozen=True)
class VintageMatch:
    label: str
    status: str
    value: float | None


@dataclass
class Verdict:
    text: str  # the claim's words, or the statement when no claim was read
    status: str
    claim: Claim | None = None
    registry_value: float | None = None
    message: str = ""
    communes: list[LaureateFacts] = field(default_factory=list)
    vintages: list[VintageMatch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == lx.CONFIRMED

    @property
    def label(self) -> str:
        return lx.STATUS_LABELS[self.status]

    @property
    def badge(self) -> str:
        return lx.BADGES[self.status]

    @property
    def slug(self) -> str:
        return lx.STATUS_SLUGS[self.status]


@dataclass(frozen=True)
class Consistency:
    total: int  # claim index
    parts: tuple[int, ...]
    total_value: float
    parts_sum: float
    consistent: bool
    message: str


@dataclass
class Report:
    text: str
    verdicts: list[Verdict]
    consistency: list[Consistency]


def in_scope(f: LaureateFacts, scope: Scope) -> bool:
    if scope.kind == "region":
        return f.region == scope.code
    if scope.kind == "departement":
        return f.departement == scope.code
    return True


def registry_value(
    claim: Claim, rows: Sequence[LaureateFacts], territories: Territories
) -> float | None:
    """The registry's figure for the claim's measure over ``rows`` (already in scope)."""
    m = claim.measure
    if m == lx.COMMUNES:
        count: float = len(rows)
    elif m == lx.GROUPES:
        count = len({f.groupe for f in rows if f.groupe})
    elif m == lx.EPCI:
        count = len({f.epci for f in rows if f.epci})
    elif m == lx.POPULATION:
        count = sum(f.population or 0 for f in rows)
    elif m == lx.ADHESION:
        count = sum(1 for f in rows if f.date_convention_adhesion)
    elif m == lx.CHEF_PROJET:
        count = sum(1 for f in rows if f.date_chef_projet)
    else:
        # Only where an ORT sheet gives the status (elsewhere it is unknown, not "unsigned").
        count = sum(1 for f in rows if f.cadre_connu and f.cadre_signee)
    if not claim.percent:
        return count
    if m == lx.POPULATION:
        total = territories.populations.get((claim.scope.kind, claim.scope.code))
    elif m == lx.CADRE:
        total = sum(1 for f in rows if f.cadre_connu)
    else:
        total = len(rows)
    return 100 * count / total if total else None


def fmt(value: float, percent: bool = False) -> str:
    if percent:
        return numbers.percent(value, 1)
    if value != int(value) and abs(value) < 1000:
        return numbers.decimal(value, 2).rstrip("0")  # "10,5", a stated decimal
    return numbers.french_number(value, 0, minus="-")


def _stated(c: Claim) -> str:
    stated = fmt(c.value, c.percent)
    return f"{c.qualifier} {stated}" if c.qualifier else stated


def _uncovered(c: Claim, coverage: Coverage, territories: Territories) -> str:
    """Why the registry cannot speak for the claim's territory ("" when it can)."""
    scope = c.scope
    if coverage.empty:
        return "aucune liste chargée ne couvre ce territoire"
    if scope.kind == "region" and not coverage.covers_region(
        scope.code, territories.departements_of(scope.code)
    ):
        return f"région {scope.nom} ({scope.code}) non couverte par les listes chargées"
    if scope.kind == "departement" and not coverage.covers_departement(
        scope.code, territories.region_of.get(scope.code)
    ):
        return f"département {scope.nom} ({scope.code}) non couvert par les listes chargées"
    return ""


def check_claim(c: Claim, reg: Registry) -> Verdict:
    """Confirm, contradict or leave unverifiable one claim (without vintages)."""
    words = ""  # set by check_text (the claim's words in the text)
    if c.error:
        return Verdict(words, lx.NOT_UNDERSTOOD, c, message=f"Non compris : {c.error}.")
    if c.percent and c.measure in (lx.EPCI, lx.GROUPES):
        why = "un pourcentage d'intercommunalités ou de groupes n'a pas de sens ici"
        return Verdict(words, lx.NOT_UNDERSTOOD, c, message=f"Non compris : {why}.")
    t = reg.territories
    behind = [f for f in reg.rows if in_scope(f, c.scope)]
    if c.measure == lx.CHEF_PROJET and not reg.chef_known:
        why = "aucune liste chargée ne porte le recrutement des chefs de projet"
        return Verdict(words, lx.NOT_VERIFIABLE, c, None, f"Non vérifiable : {why}.", behind)
    coverages: list[Coverage] = [] if reg.coverage is None else [reg.coverage]
    if reg.cadre_coverage is not None and c.measure == lx.CADRE:
        coverages.append(reg.cadre_coverage)
    for cov in coverages:
        why = _uncovered(c, cov, t)
        if why:
            return Verdict(words, lx.NOT_VERIFIABLE, c, None, f"Non vérifiable : {why}.", behind)
    value = registry_value(c, behind, t)
    if value is None:
        why = "le registre ne permet pas de calculer ce chiffre (total inconnu)"
        return Verdict(words, lx.NOT_UNDERSTOOD, c, None, f"Non compris : {why}.", behind)
    ok = c.low <= value <= c.high
    label = lx.measure_label(c.measure, 2 if c.percent else value)
    left_out = ""
    if c.scope.kind == "france":
        notes = [exclusion_note(cov, t.region_departements(), t.regions) for cov in coverages]
        left_out = "; ".join(dict.fromkeys(n for n in notes if n))
    tolerance = f" (tolérance : {c.tolerance})"
    if left_out and not c.percent and not ok and c.high < value:
        # The covered regions alone already exceed the claim: France can only have more.
        return Verdict(
            words,
            lx.CONTRADICTED,
            c,
            value,
            f"Contredit : le registre compte déjà {fmt(value)} {label}, France {left_out} "
            f"(minimum pour la France entière) ; l'énoncé dit {_stated(c)}{tolerance}.",
            behind,
        )
    if left_out and not (ok and c.high == math.inf and not c.percent):
        # A partial national total can only confirm a lower bound.
        return Verdict(
            words,
            lx.NOT_VERIFIABLE,
            c,
            value,
            f"Non vérifiable : le registre compte {fmt(value, c.percent)} {label}, France "
            f"{left_out} ; l'énoncé porte sur la France entière.",
            behind,
        )
    verb = "Confirmé" if ok else "Contredit"
    if c.percent:
        base = "de la population du territoire" if c.measure == lx.POPULATION else "des lauréates"
        found = f"le registre donne {fmt(value, True)} ({label}, part {base})"
    else:
        found = f"le registre compte {fmt(value)} {label}"
    where = f"France {left_out}" if left_out else c.scope.label
    message = f"{verb} : {found}, {where} ; l'énoncé dit {_stated(c)}{tolerance}."
    return Verdict(words, lx.CONFIRMED if ok else lx.CONTRADICTED, c, value, message, behind)


def _with_vintages(v: Verdict, reg: Registry) -> Verdict:
    c = v.claim
    if c is None or len(reg.vintages) < 2 or v.status == lx.NOT_UNDERSTOOD or c.percent:
        return v
    if c.measure not in (lx.COMMUNES, lx.POPULATION, lx.EPCI):
        return v
    for vint in reg.vintages:
        one = check_claim(c, replace(reg, rows=vint.rows, coverage=vint.coverage, vintages=()))
        v.vintages.append(VintageMatch(vint.label, one.status, one.registry_value))
    yes = [m.label for m in v.vintages if m.status == lx.CONFIRMED]
    no = [m.label for m in v.vintages if m.status == lx.CONTRADICTED]
    if yes and no:
        v.message += f" Conforme à la liste de {', '.join(yes)}, pas à celle de {', '.join(no)}."
    elif yes:
        v.message += f" Conforme à chaque liste chargée ({', '.join(yes)})."
    elif no:
        v.message += f" Conforme à aucune liste chargée ({', '.join(no)})."
    return v


def consistency(claims: Sequence[Claim], territories: Territories) -> list[Consistency]:
    """Parts against their total, inside the text."""
    out = []
    for total in claims:
        parts = [c for c in claims if c.total == total.index]
        if not parts or total.percent or any(p.percent for p in parts):
            continue
        measures = {p.measure for p in parts}
        if len(measures) != 1 or not (
            measures == {total.measure}
            or (total.measure == lx.COMMUNES and measures <= set(lx.STAGE_MEASURES))
        ):
            continue
        low = sum(p.low for p in parts)
        high = sum(p.high for p in parts)
        s = sum(p.value for p in parts)
        detail = " + ".join(_terms(parts))
        where = total.scope.label
        exhaustive = total.scope.kind == "region" and {
            p.scope.code for p in parts if p.scope.kind == "departement"
        } >= set(territories.departements_of(total.scope.code or ""))
        if low > total.high:
            msg = (
                f"Incohérence interne : les parties ({detail}) totalisent {fmt(s)}, plus que "
                f"le total annoncé de {_stated(total)} ({where})."
            )
            ok = False
        elif exhaustive and high < total.low:
            msg = (
                f"Incohérence interne : tous les départements de la {where} totalisent "
                f"{fmt(s)} ({detail}), le texte annonce {_stated(total)}."
            )
            ok = False
        else:
            msg = f"Cohérent : les parties ({detail}) totalisent {fmt(s)} pour un total de {_stated(total)} ({where})."
            ok = True
        out.append(Consistency(total.index, tuple(p.index for p in parts), total.value, s, ok, msg))
    return out


def _terms(parts: Sequence[Claim]) -> list[str]:
    """ "22 + 20 × 3 + 18 × 2": one term per written figure."""
    out: list[str] = []
    seen: dict[tuple[int, int], int] = {}
    for p in parts:
        key = (p.start, p.end)
        seen[key] = seen.get(key, 0) + 1
    for (start, _), n in sorted(seen.items()):
        value = next(p.value for p in parts if p.start == start)
        out.append(fmt(value) + (f" × {n}" if n > 1 else ""))
    return out


def check_text(text: str, reg: Registry) -> Report:
    """Every claim of ``text`` with its verdict, and the consistency of its totals."""
    claims = extract(text, reg.territories)
    verdicts = [_with_vintages(check_claim(c, reg), reg) for c in claims]
    for v, c in zip(verdicts, claims, strict=True):
        v.text = c.words(text)
    if not claims and text.strip():
        verdicts = [
            Verdict(
                " ".join(text.split()),
                lx.NOT_UNDERSTOOD,
                message="Non compris : aucun chiffre trouvé (nombre suivi de son unité).",
            )
        ]
    return Report(text, verdicts, consistency(claims, reg.territories))
