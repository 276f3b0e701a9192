"""Check published figures against the registry.

A statement is one short sentence, in French or English, as found in a press release or a
report: "226 communes in region 84", "22 dans le département 01", "9,3 millions d'habitants",
"1 587 communes dans 860 intercommunalités" (two figures: say them one per line), "98 % ont signé
leur convention d'adhésion", "environ 1 600 communes", "plus de 150 ORT".

Reading rules (pure Python, no Django):
- the scope: "région 84" / "region Occitanie" / "en Occitanie", "département 01" / "dans l'Ain"
  / "(01)", else the whole country;
- the measure: communes (default), groups, inhabitants, intercommunalities, conventions
  d'adhésion, project managers, conventions-cadres / ORT; a percentage is a share of the
  communes of the scope (for a stage) or of the population of the territory (for inhabitants);
- the number, with its precision: "226" must be exact, "9.3 million" means 9.25 to 9.35
  million, "environ"/"about" allows 5 %, "plus de"/"more than" and "moins de"/"fewer than" are
  bounds. "1,587" and "1 587" are thousands; "9,3" is a decimal comma.

Coverage: a figure about a territory that no loaded list covers is "non vérifiable" (neither
confirmed nor contradicted: the registry knows nothing there). A national figure while some
regions are not covered is confirmed only as a lower bound ("plus de 150 ORT"); a claim below
what the covered regions already count is contradicted (France can only have more); otherwise
it is "non vérifiable", naming the regions left out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pvd.domain.coverage import Coverage, exclusion_note
from pvd.domain.programme import LaureateFacts
from pvd.domain.search import fold

COMMUNES = "communes"
GROUPES = "groupes"
POPULATION = "population"
EPCI = "epci"
ADHESION = "adhesion"
CHEF_PROJET = "chef_projet"
CADRE = "cadre"

MEASURE_LABELS = {
    COMMUNES: "communes lauréates",
    GROUPES: "groupes (PVD)",
    POPULATION: "habitants des communes lauréates",
    EPCI: "intercommunalités (EPCI) des communes lauréates",
    ADHESION: "conventions d'adhésion signées",
    CHEF_PROJET: "chefs de projet recrutés",
    CADRE: "conventions-cadres (ORT) signées",
}

# Folded keywords, most specific first: the first measure whose keyword occurs wins.
_MEASURE_WORDS: list[tuple[str, tuple[str, ...]]] = [
    (ADHESION, ("convention d adhesion", "conventions d adhesion", "adhesion")),
    (
        CADRE,
        (
            "convention cadre",
            "conventions cadres",
            "conventions cadre",
            "ort",
            "framework agreement",
            "revitalisation",
        ),
    ),
    (CHEF_PROJET, ("chef de projet", "chefs de projet", "project manager")),
    (
        EPCI,
        ("intercommunalite", "intercommunalites", "intercommunality", "intercommunalities", "epci"),
    ),
    (GROUPES, ("groupe", "groupes", "group", "groups")),
    (
        POPULATION,
        ("habitant", "habitants", "inhabitant", "inhabitants", "residents", "people", "population"),
    ),
    (
        COMMUNES,
        (
            "commune",
            "communes",
            "ville",
            "villes",
            "town",
            "towns",
            "laureat",
            "laureats",
            "laureate",
            "laureates",
            "municipalities",
        ),
    ),
]
_ABOUT = (
    "environ",
    "about",
    "around",
    "approximately",
    "pres de",
    "quelque",
    "some",
    "roughly",
    "nearly",
    "presque",
    "~",
)
_MORE = ("plus de", "more than", "over", "au moins", "at least", "superieur")
_LESS = ("moins de", "fewer than", "less than", "under", "au plus", "at most", "inferieur")

CONFIRMED = "confirmé"
CONTRADICTED = "contredit"
NOT_UNDERSTOOD = "incompris"
NOT_VERIFIABLE = "non vérifiable"


@dataclass(frozen=True)
class Scope:
    kind: str  # "france", "region" or "departement"
    code: str | None = None
    nom: str = "France"

    @property
    def label(self) -> str:
        if self.kind == "region":
            return f"région {self.nom} ({self.code})"
        if self.kind == "departement":
            return f"département {self.nom} ({self.code})"
        return "France entière"


@dataclass(frozen=True)
class Statement:
    text: str
    value: float
    low: float  # accepted interval [low, high] for the registry's figure
    high: float
    measure: str
    percent: bool
    scope: Scope
    qualifier: str = ""  # "environ", "plus de", "moins de" or ""


@dataclass
class Verdict:
    text: str
    status: str  # CONFIRMED, CONTRADICTED, NOT_UNDERSTOOD or NOT_VERIFIABLE
    statement: Statement | None = None
    registry_value: float | None = None
    message: str = ""
    communes: list[LaureateFacts] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == CONFIRMED


class StatementError(ValueError):
    """The sentence could not be read; the message (French) says what is missing."""


@dataclass(frozen=True)
class Territories:
    """Names of regions and departments (code -> name), and the population of each territory
    (latest legal populations: ("france", None), ("region", code), ("departement", code))."""

    regions: dict[str, str]
    departements: dict[str, str]
    populations: dict[tuple[str, str | None], int] = field(default_factory=dict)
    region_of: dict[str, str] = field(default_factory=dict)  # department -> region

    def departements_of(self, region: str) -> list[str]:
        return [d for d, r in self.region_of.items() if r == region]

    def region_departements(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {r: [] for r in self.regions}
        for d, r in self.region_of.items():
            out.setdefault(r, []).append(d)
        return out

    def _names(self) -> list[tuple[str, str, str]]:
        """(folded name, kind, code), longest first, so "corse du sud" wins over "corse"."""
        names = [(fold(n), "region", c) for c, n in self.regions.items()]
        names += [(fold(n), "departement", c) for c, n in self.departements.items()]
        return sorted(names, key=lambda t: (-len(t[0]), t[1] != "departement"))


_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d{1,3}(?:,\d{3})+(?![\d,])|\d+(?:[.,]\d+)?)"
)
_MILLION = re.compile(r"^\s*(millions?|million|m\b)", re.IGNORECASE)
_THOUSAND = re.compile(r"^\s*(k\b|milliers?|thousand)", re.IGNORECASE)
_PERCENT = re.compile(r"^\s*(%|pour ?cent|percent|per cent)", re.IGNORECASE)
_SCOPE_CODE = re.compile(
    r"\b(r[ée]gions?|d[ée]partements?|departments?|dept\.?|d[ée]p\.?)\s*(?:n°\s*|no\.?\s*)?"
    r"(2[ABab]|\d{2,3})\b",
    re.IGNORECASE,
)
_PAREN_CODE = re.compile(r"\((2[ABab]|\d{2,3})\)")


def _scope(text: str, territories: Territories) -> tuple[Scope, str]:
    """The scope named in ``text`` and the text without it (so its code is not the value)."""
    m = _SCOPE_CODE.search(text)
    if m:
        word, code = fold(m.group(1)), m.group(2).upper()
        rest = text[: m.start()] + " " + text[m.end() :]
        if word.startswith("r"):
            if code not in territories.regions:
                raise StatementError(f"région « {code} » inconnue")
            return Scope("region", code, territories.regions[code]), rest
        code = code.zfill(2)
        if code not in territories.departements:
            raise StatementError(f"département « {code} » inconnu")
        return Scope("departement", code, territories.departements[code]), rest
    m = _PAREN_CODE.search(text)
    if m and m.group(1).upper().zfill(2) in territories.departements:
        code = m.group(1).upper().zfill(2)
        return (
            Scope("departement", code, territories.departements[code]),
            text[: m.start()] + " " + text[m.end() :],
        )
    folded = f" {fold(text)} "
    for name, kind, code in territories._names():
        if name and f" {name} " in folded:
            names = territories.regions if kind == "region" else territories.departements
            return Scope(kind, code, names[code]), text
    return Scope("france"), text


def _number(raw: str) -> tuple[float, float]:
    """(value, unit of the last written digit): "1 587" -> (1587, 1); "9,3" -> (9.3, 0.1)."""
    compact = re.sub(r"[ \u00a0\u202f]", "", raw)
    if re.fullmatch(r"\d{1,3}(,\d{3})+", compact):
        return float(compact.replace(",", "")), 1.0
    compact = compact.replace(",", ".")
    decimals = len(compact.split(".", 1)[1]) if "." in compact else 0
    return float(compact), 10.0**-decimals


def parse_statement(text: str, territories: Territories) -> Statement:
    clean = " ".join(text.split())
    if not clean:
        raise StatementError("énoncé vide")
    scope, rest = _scope(clean, territories)
    m = _NUMBER.search(rest)
    if not m:
        raise StatementError("aucun nombre trouvé")
    value, unit = _number(m.group(1))
    after = rest[m.end() :]
    percent = False
    if mm := _MILLION.match(after):
        value, unit = value * 1e6, unit * 1e6
        after = after[mm.end() :]
    elif mm := _THOUSAND.match(after):
        value, unit = value * 1e3, unit * 1e3
        after = after[mm.end() :]
    elif mm := _PERCENT.match(after):
        percent = True
        after = after[mm.end() :]
    folded = f" {fold(rest)} "
    measure = COMMUNES
    for name, words in _MEASURE_WORDS:
        if any(f" {w} " in folded for w in words):
            measure = name
            break
    if percent and measure in (EPCI, GROUPES):
        raise StatementError("un pourcentage d'intercommunalités ou de groupes n'a pas de sens ici")
    before = f" {fold(rest[: m.start()])} "
    qualifier = ""
    if any(f" {w} " in before for w in _MORE) or "+ de" in rest[: m.start()]:
        # "plus de 150" is strict; "au moins 150" includes 150.
        inclusive = " au moins " in before or " at least " in before
        qualifier = "au moins" if inclusive else "plus de"
        low = value if inclusive else math.nextafter(value, math.inf)
        high = math.inf
    elif any(f" {w} " in before for w in _LESS):
        inclusive = " au plus " in before or " at most " in before
        qualifier = "au plus" if inclusive else "moins de"
        low = -math.inf
        high = value if inclusive else math.nextafter(value, -math.inf)
    elif any(f" {w} " in before for w in _ABOUT) or "~" in rest[: m.start()]:
        qualifier = "environ"
        margin = max(abs(value) * 0.05, unit / 2)
        low, high = value - margin, value + margin
    elif unit != 1 or percent:
        # A rounded figure ("9.3 million", "98 %"): anything that rounds to it.
        low, high = value - unit / 2, value + unit / 2
    else:
        low = high = value
    return Statement(clean, value, low, high, measure, percent, scope, qualifier)


def in_scope(f: LaureateFacts, scope: Scope) -> bool:
    if scope.kind == "region":
        return f.region == scope.code
    if scope.kind == "departement":
        return f.departement == scope.code
    return True


def registry_value(
    statement: Statement, rows: Sequence[LaureateFacts], territories: Territories
) -> float | None:
    """The registry's figure for the statement's measure over ``rows`` (already in scope)."""
    m = statement.measure
    if m == COMMUNES:
        count: float = len(rows)
    elif m == GROUPES:
        count = len({f.groupe for f in rows if f.groupe})
    elif m == EPCI:
        count = len({f.epci for f in rows if f.epci})
    elif m == POPULATION:
        count = sum(f.population or 0 for f in rows)
    elif m == ADHESION:
        count = sum(1 for f in rows if f.date_convention_adhesion)
    elif m == CHEF_PROJET:
        count = sum(1 for f in rows if f.date_chef_projet)
    else:
        # Only where an ORT sheet gives the status (elsewhere it is unknown, not "unsigned").
        count = sum(1 for f in rows if f.cadre_connu and f.cadre_signee)
    if not statement.percent:
        return count
    if m == POPULATION:
        total = territories.populations.get((statement.scope.kind, statement.scope.code))
    elif m == CADRE:
        total = sum(1 for f in rows if f.cadre_connu)
    else:
        total = len(rows)
    return 100 * count / total if total else None


def _fmt(value: float, percent: bool) -> str:
    if percent:
        return f"{value:.1f} %".replace(".", ",")
    return f"{value:,.0f}".replace(",", "\u202f")


def _stated(st: Statement) -> str:
    stated = _fmt(st.value, st.percent)
    return f"{st.qualifier} {stated}" if st.qualifier else stated


def _uncovered(st: Statement, coverage: Coverage, territories: Territories) -> str:
    """Why the registry cannot speak for the statement's scope ("" when it can)."""
    scope = st.scope
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


def check(
    text: str,
    rows: Sequence[LaureateFacts],
    territories: Territories,
    coverage: Coverage | None = None,
    cadre_coverage: Coverage | None = None,
    chef_known: bool = True,
) -> Verdict:
    """Confirm or contradict one statement; ``rows`` are all active laureates of the programme.

    ``coverage``: what the loaded laureate lists cover (None: everything, as before coverage
    was recorded); ``cadre_coverage``: what the ORT sheets cover, for convention-cadre figures;
    ``chef_known``: whether any source carries the recruitment of project managers.
    """
    try:
        st = parse_statement(text, territories)
    except StatementError as exc:
        return Verdict(text=text, status=NOT_UNDERSTOOD, message=f"Énoncé non compris : {exc}.")
    behind = [f for f in rows if in_scope(f, st.scope)]
    if st.measure == CHEF_PROJET and not chef_known:
        return Verdict(
            text,
            NOT_VERIFIABLE,
            st,
            None,
            "Non vérifiable : aucune liste chargée ne porte le recrutement des chefs de projet.",
            behind,
        )
    coverages: list[Coverage] = [] if coverage is None else [coverage]
    if cadre_coverage is not None and st.measure == CADRE:
        coverages.append(cadre_coverage)
    for c in coverages:
        why = _uncovered(st, c, territories)
        if why:
            return Verdict(text, NOT_VERIFIABLE, st, None, f"Non vérifiable : {why}.", behind)
    value = registry_value(st, behind, territories)
    if value is None:
        return Verdict(
            text,
            NOT_UNDERSTOOD,
            st,
            None,
            "Le registre ne permet pas de calculer ce chiffre (total inconnu).",
            behind,
        )
    ok = st.low <= value <= st.high
    left_out = ""
    if st.scope.kind == "france":
        notes = [
            exclusion_note(c, territories.region_departements(), territories.regions)
            for c in coverages
        ]
        left_out = "; ".join(dict.fromkeys(n for n in notes if n))
    if left_out and not st.percent and not ok and st.high < value:
        # The covered regions alone already exceed the claim: the whole of France can only
        # have more, so the claim is contradicted ("1000 communes" while 1,419 are counted).
        return Verdict(
            text,
            CONTRADICTED,
            st,
            value,
            f"Contredit : le registre compte déjà {_fmt(value, False)} "
            f"{MEASURE_LABELS[st.measure]}, France {left_out} (minimum pour la France entière) "
            f"; l'énoncé dit {_stated(st)}.",
            behind,
        )
    if left_out and not (ok and st.high == math.inf and not st.percent):
        # A partial national total can only confirm a lower bound.
        return Verdict(
            text,
            NOT_VERIFIABLE,
            st,
            value,
            f"Non vérifiable : le registre compte {_fmt(value, st.percent)} "
            f"{MEASURE_LABELS[st.measure]}, France {left_out} ; l'énoncé porte sur la France "
            "entière.",
            behind,
        )
    stated = _stated(st)
    verb = "Confirmé" if ok else "Contredit"
    label = MEASURE_LABELS[st.measure]
    if st.percent:
        base = "de la population du territoire" if st.measure == POPULATION else "des lauréates"
        found = f"le registre donne {_fmt(value, True)} ({label}, part {base})"
    else:
        found = f"le registre compte {_fmt(value, False)} {label}"
    where = f"France {left_out}" if left_out else st.scope.label
    message = f"{verb} : {found}, {where} ; l'énoncé dit {stated}."
    return Verdict(text, CONFIRMED if ok else CONTRADICTED, st, value, message, behind)
