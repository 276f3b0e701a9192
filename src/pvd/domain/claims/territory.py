"""Territories named in a text: regions and departments by name (with the article and the
preposition before them: "dans les Landes", "en Gironde", "de l'Ain", "du département de la
Creuse"), by code ("région 84", "département 01", "(29)"), or by anaphora ("la région", "ce
département": the last region or department named before). Names come from the referential.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from pvd.domain.claims.text import fold_words


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


FRANCE = Scope("france")


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

    def scope(self, kind: str, code: str) -> Scope:
        names = self.regions if kind == "region" else self.departements
        return Scope(kind, code, names[code])


@dataclass(frozen=True)
class Mention:
    start: int  # with the preposition and article before the name
    end: int
    scope: Scope | None  # None: a code the referential does not know
    error: str = ""
    name_start: int = -1  # where the name or code itself starts


_ARTICLE = r"(?:le|la|les|l)"
# Preposition, article and "département de" / "région" before a name, folded.
_LEAD = re.compile(
    rf"(?<![a-z0-9])(?:(?:dans|en|de|du|des|au|aux|a|pour|sur|in|of)\s+)?(?:{_ARTICLE}\s+)?"
    rf"(?:(?:departement|region|department|region)\s+(?:de\s+|d\s+|du\s+|des\s+)?(?:{_ARTICLE}\s+)?)?$"
)
_CODE = re.compile(
    r"\b(r[ée]gions?|d[ée]partements?|departments?|dept\.?|d[ée]p\.?)\s*(?:n°\s*|no\.?\s*)?"
    r"(2[ABab]|\d{2,3})\b",
    re.IGNORECASE,
)
_PAREN_CODE = re.compile(r"\((2[ABab]|\d{2,3})\)")
_ANAPHORA = re.compile(
    r"(?<![a-z0-9])(?:(?:dans|de|en|pour)\s+)?(?:la|cette|ce|le|notre)\s+"
    r"(region|departement)(?![a-z0-9])"
)
_ARTICLE_IN_NAME = re.compile(r"^(la|le|les|l) ")


def _name_patterns(territories: Territories) -> list[tuple[re.Pattern, Scope]]:
    """One pattern per name, longest first ("haute vienne" before "vienne"); a department
    wins over a region of the same name (La Réunion, Guyane...)."""
    names = [(fold_words(n), "departement", c) for c, n in territories.departements.items()]
    names += [(fold_words(n), "region", c) for c, n in territories.regions.items()]
    names.sort(key=lambda t: (-len(t[0]), t[1] != "departement"))
    out = []
    for name, kind, code in names:
        if not name:
            continue
        bare = _ARTICLE_IN_NAME.sub("", name)  # "la reunion": the article is optional
        body = r"\s+".join(re.escape(w) for w in bare.split())
        out.append((re.compile(rf"(?<![a-z0-9]){body}(?![a-z0-9])"), territories.scope(kind, code)))
    return out


def find_mentions(text: str, folded: str, territories: Territories) -> list[Mention]:
    """Every territory named in ``text``, in order; spans do not overlap."""
    taken = [False] * len(text)
    found: list[Mention] = []

    def free(s: int, e: int) -> bool:
        return not any(taken[s:e])

    def add(m: Mention) -> None:
        for i in range(m.start, m.end):
            taken[i] = True
        found.append(m)

    def lead(s: int) -> int:
        m = _LEAD.search(folded[:s])
        return m.start() + (len(m.group(0)) - len(m.group(0).lstrip())) if m else s

    for m in _CODE.finditer(text):
        word, code = m.group(1).lower(), m.group(2).upper()
        s = lead(m.start())
        if word.startswith("r"):
            scope = territories.scope("region", code) if code in territories.regions else None
            error = "" if scope else f"région « {code} » inconnue"
        else:
            code = code.zfill(2)
            known = code in territories.departements
            scope = territories.scope("departement", code) if known else None
            error = "" if scope else f"département « {code} » inconnu"
        add(Mention(s, m.end(), scope, error, m.start()))
    for pattern, scope in _name_patterns(territories):
        for m in pattern.finditer(folded):
            s, e = m.span()
            # A name is written with a capital ("en Gironde"); "le lot" is not the Lot.
            if not text[s].isupper() or not free(s, e):
                continue
            add(Mention(lead(s), e, scope, "", s))
    for m in _PAREN_CODE.finditer(text):
        code = m.group(1).upper().zfill(2)
        if code in territories.departements and free(m.start(), m.end()):
            # "Finistère (29)": the name before is the same department.
            before = [
                x for x in found if x.end <= m.start() and not text[x.end : m.start()].strip()
            ]
            if not before:
                add(
                    Mention(
                        m.start(), m.end(), territories.scope("departement", code), "", m.start()
                    )
                )
            else:
                # The code belongs to the name's mention: "Finistère (29)".
                found.remove(before[-1])
                add(dataclasses.replace(before[-1], end=m.end()))
    found.sort(key=lambda x: x.start)
    # Anaphora: "de la région", "ce département" name the last region / department named.
    for m in _ANAPHORA.finditer(folded):
        s, e = m.span()
        if not free(s, e):
            continue
        kind = m.group(1)
        prior = [x for x in found if x.end <= s and x.scope and x.scope.kind == kind]
        if prior:
            add(Mention(s, e, prior[-1].scope, "", m.start(1)))
            found.sort(key=lambda x: x.start)
    return found
