"""Numbers of a French (or English) text, written in digits or in words, with their spans.

"1 587" and "1,587" are thousands, "9,3" is a decimal comma, "9.3 millions" a rounded figure;
"vingt-deux", "quatre-vingt-dix", "deux cent trente" are read too. Dates, years and ordinals
are not figures and are left out here; territory codes are left out by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pvd.domain.claims.lexicon import MONTHS

_DIGITS = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d{1,3}(?:,\d{3})+(?![\d,])"
    r"|\d+(?:[.,]\d+)?)(?![\d])"
)
_MILLION = re.compile(r"^[ \u00a0\u202f]*(millions?|milliards?|m\b)", re.IGNORECASE)
_THOUSAND = re.compile(r"^[ \u00a0\u202f]*(k\b|milliers?|thousand)", re.IGNORECASE)
_PERCENT = re.compile(r"^[ \u00a0\u202f]*(%|pour ?cent|percent|per cent)", re.IGNORECASE)
_ORDINAL = re.compile(r"^(er|re|e|eme|ème|è|nd|th|st)\b", re.IGNORECASE)
_UNIT_AFTER_YEAR = re.compile(
    r"^[ \u00a0\u202f]*(communes?|habitants?|villes?|groupes?|collectivit|%)", re.IGNORECASE
)

UNITS = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60,
}  # fmt: skip
_WORD = r"(?:" + "|".join(sorted([*UNITS, "cent", "cents", "mille"], key=len, reverse=True)) + ")"
_WORDS = re.compile(rf"(?<![a-z0-9]){_WORD}(?:(?: +| et ){_WORD})*(?![a-z0-9])")
# Words that are also ordinary words: a figure only when a unit follows ("neuf communes").
_ARTICLES = frozenset({"un", "une"})
_AMBIGUOUS = frozenset({"neuf", "cent", "mille"})  # "un bâtiment neuf", "mille fois"
_PREPOSITIONS = frozenset("dans en au aux a sur de du des sont ont pour".split())
_UNIT_NOUNS = frozenset(
    "commune communes groupe groupes ville villes collectivite collectivites habitants "
    "intercommunalites epci laureates laureats".split()
)


@dataclass(frozen=True)
class Number:
    start: int
    end: int  # end of the number with its multiplier and percent sign
    value: float
    step: float  # unit of the last written digit: "9,3" -> 0.1, "9,3 millions" -> 100,000
    percent: bool
    in_words: bool = False


def _digits_value(raw: str) -> tuple[float, float]:
    compact = re.sub(r"[ \u00a0\u202f]", "", raw)
    if re.fullmatch(r"\d{1,3}(,\d{3})+", compact):
        return float(compact.replace(",", "")), 1.0
    compact = compact.replace(",", ".")
    decimals = len(compact.split(".", 1)[1]) if "." in compact else 0
    return float(compact), 10.0**-decimals


def words_value(words: str) -> int:
    """French number words (folded) -> integer: "quatre vingt dix" -> 90, "deux cent" -> 200."""
    total, current = 0, 0
    for w in words.split():
        if w == "et":
            continue
        if w in ("cent", "cents"):
            current = (current or 1) * 100
        elif w == "mille":
            total += (current or 1) * 1000
            current = 0
        elif w in ("vingt", "vingts") and current % 100 == 4:
            current += 76  # quatre-vingt(s)
        else:
            current += UNITS[w]
    return total + current


def _suffix(text: str, end: int, value: float, step: float) -> tuple[int, float, float, bool]:
    after = text[end:]
    if m := _MILLION.match(after):
        factor = 1e9 if m.group(1).lower().startswith("milliard") else 1e6
        return end + m.end(), value * factor, step * factor, False
    if m := _THOUSAND.match(after):
        return end + m.end(), value * 1e3, step * 1e3, False
    if m := _PERCENT.match(after):
        return end + m.end(), value, step, True
    return end, value, step, False


def _not_a_figure(text: str, folded: str, start: int, end: int) -> bool:
    """A date, a year, an ordinal, a number (n° 12), an hour or a fraction of a date."""
    raw = text[start:end]
    before = folded[:start].split()[-1:] or [""]
    after = folded[end:].split()[:1] or [""]
    if before[0] in MONTHS or after[0] in MONTHS:
        return True
    if _ORDINAL.match(text[end:]) or text[max(0, start - 2) : start].lower() in ("n°", "no"):
        return True
    if raw.isdigit() and len(raw) == 4 and 1900 <= int(raw) <= 2100:
        # A year ("en 2024", "la liste de 2021"), unless a unit follows ("2000 communes").
        return not _UNIT_AFTER_YEAR.match(text[end:])
    return text[end : end + 1] in ("/", "h") or text[max(0, start - 1) : start] == "/"


def find_numbers(text: str, folded: str, start: int, end: int) -> list[Number]:
    """Numbers of ``text[start:end]`` (``folded`` is :func:`fold_keep` of ``text``)."""
    out: list[Number] = []
    for m in _DIGITS.finditer(text, start, end):
        s, e = m.span(1)
        if _not_a_figure(text, folded, s, e):
            continue
        value, step = _digits_value(m.group(1))
        e2, value, step, percent = _suffix(text, e, value, step)
        out.append(Number(s, e2, value, step, percent))
    # Hyphens are spaces in the folded copy: "quatre-vingt-dix" reads "quatre vingt dix".
    for m in _WORDS.finditer(folded, start, end):
        s, e = m.span()
        words = m.group(0)
        if re.match(r"-\w", text[e : e + 2]) and text[e + 1].isupper() or text[s - 1 : s] == "-":
            continue  # part of a proper name: "Deux-Sèvres", "Trois-Rivières"
        if any(n.start <= s < n.end for n in out):
            continue  # "75 pour cent": the percent sign of a number
        nxt = (folded[e:].split()[:1] or [""])[0]
        if words in _ARTICLES and nxt not in _UNIT_NOUNS:
            continue
        if words in _AMBIGUOUS and nxt not in _UNIT_NOUNS and nxt not in _PREPOSITIONS:
            continue
        e2, fvalue, step, percent = _suffix(text, e, float(words_value(words)), 1.0)
        out.append(Number(s, e2, fvalue, step, percent, in_words=True))
    return sorted(out, key=lambda n: n.start)
