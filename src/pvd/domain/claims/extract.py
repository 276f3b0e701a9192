"""Claims of a text: each figure with its unit, its qualifier and tolerance, its territory.

Reading rules, sentence by sentence (pure Python, no Django):
- a number (digits or words) with "%", "millions", "milliers" after it; dates, years and
  ordinals are not figures;
- its unit is the measure word right after it ("180 communes", "1000 collectivités"); a stage
  named later in its clause wins over "communes" ("32 communes ont signé leur convention
  d'adhésion"); without a unit, a percentage is a share of the communes (or of the population
  when the clause says so) and a count takes the unit of the figure before it in the sentence;
- its qualifier is written before it: "près de", "environ", "quelque" allow ±5 % (the
  tolerance is stated with each claim), "plus de" / "moins de" are strict bounds, "au moins" /
  "au plus" inclusive ones; a figure written with decimals ("9,3 millions", "98 %") accepts
  whatever rounds to it; else it must be exact;
- its territories are those named after it and before the next figure (or ";", ":", "."); several
  of them share the figure ("20 dans les Pyrénées-Atlantiques, en Dordogne et en
  Charente-Maritime": one claim each). Without one, the territory opening the sentence ("En
  Bretagne, 42 communes..."), else the total's (for a part), else France;
- after "dont" (or "parmi lesquelles"), the figures are parts of the figure before it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from pvd.domain import numbers
from pvd.domain.claims import lexicon as lx
from pvd.domain.claims.numbers import Number, find_numbers
from pvd.domain.claims.territory import FRANCE, Mention, Scope, Territories, find_mentions
from pvd.domain.claims.text import fold_keep, phrase_at, sentences


@dataclass(frozen=True)
class Claim:
    index: int
    start: int  # qualifier, number and unit: "près de 180 communes"
    end: int
    value: float
    low: float  # accepted interval [low, high] for the registry's figure
    high: float
    measure: str
    percent: bool
    scope: Scope
    qualifier: str = ""  # as written, folded: "pres de", "plus de"... or ""
    tolerance: str = ""  # in French: "exact", "± 5 % (« près de »)"...
    scope_start: int = -1  # the territory's words, with article and preposition
    scope_end: int = -1
    sentence: int = 0
    total: int | None = None  # index of the claim this one is a part of
    error: str = ""  # why the claim cannot be checked (unknown territory code)

    def words(self, text: str) -> str:
        return text[self.start : self.end]


def _bounds(n: Number, qualifier: str | None, shown: str) -> tuple[float, float, str]:
    v = n.value
    if qualifier in lx.MORE_INCLUSIVE:
        return v, math.inf, f"au moins {_short(v)} (borne incluse)"
    if qualifier in lx.MORE_STRICT:
        return math.nextafter(v, math.inf), math.inf, f"strictement plus de {_short(v)}"
    if qualifier in lx.LESS_INCLUSIVE:
        return -math.inf, v, f"au plus {_short(v)} (borne incluse)"
    if qualifier in lx.LESS_STRICT:
        return -math.inf, math.nextafter(v, -math.inf), f"strictement moins de {_short(v)}"
    if qualifier in lx.ABOUT:
        margin = max(abs(v) * lx.ABOUT_TOLERANCE, n.step / 2)
        pct = round(lx.ABOUT_TOLERANCE * 100)
        return (
            v - margin,
            v + margin,
            f"± {pct} % (« {shown} ») : de {_short(v - margin)} à {_short(v + margin)}",
        )
    if n.step != 1 or n.percent:
        half = n.step / 2
        return v - half, v + half, f"arrondi : de {_short(v - half)} à {_short(v + half)}"
    return v, v, "exact"


def _short(x: float) -> str:
    return numbers.compact(int(x) if x == int(x) else x)


def _unit_after(folded: str, pos: int, limit: int) -> str | None:
    """The measure named right after a number (up to two filler words in between)."""
    words = folded[pos:limit].split()[:5]
    for skip in range(3):
        rest = " ".join(words[skip:])
        for measure, keys in lx.MEASURE_WORDS:
            if any(rest == k or rest.startswith(k + " ") for k in keys):
                return measure
        if skip < len(words) and words[skip] not in lx.FILLERS:
            return None
    return None


def _measure_in(folded: str, start: int, end: int, measures: tuple[str, ...]) -> str | None:
    clause = f" {' '.join(folded[start:end].split())} "
    for measure, keys in lx.MEASURE_WORDS:
        if measure in measures and any(f" {k} " in clause for k in keys):
            return measure
    return None


_BREAKS = (";", ":", ".", "(", ")")


def _owned_mentions(text: str, mentions: list[Mention], start: int, end: int) -> list[Mention]:
    """Mentions after a number and before ``end`` with no ";" ":" "." in between."""
    out = []
    for m in mentions:
        if m.start < start or m.end > end:
            continue
        if any(b in text[start : m.start] for b in _BREAKS if b != "("):
            break
        out.append(m)
    return out


def extract(text: str, territories: Territories) -> list[Claim]:
    folded = fold_keep(text)
    mentions = find_mentions(text, folded, territories)
    claims: list[Claim] = []
    for sent_no, (s, e) in enumerate(sentences(text)):
        in_sentence = [m for m in mentions if m.start >= s and m.end <= e]
        numbers = [
            n
            for n in find_numbers(text, folded, s, e)
            if not any(m.name_start <= n.start < m.end for m in in_sentence)
        ]
        topic = next((m for m in in_sentence if not numbers or m.end <= numbers[0].start), None)
        previous_measure: str | None = None
        total: Claim | None = None
        parts_open = False
        last_end = s
        for i, n in enumerate(numbers):
            nxt = numbers[i + 1].start if i + 1 < len(numbers) else e
            between = folded[last_end : n.start]
            if any(f" {p} " in f" {' '.join(between.split())} " for p in lx.PARTS_OPENERS):
                parts_open = True
                total = claims[-1] if claims and claims[-1].sentence == sent_no else None
            qualifier = phrase_at(
                folded,
                n.start,
                (
                    *lx.ABOUT,
                    *lx.MORE_STRICT,
                    *lx.MORE_INCLUSIVE,
                    *lx.LESS_STRICT,
                    *lx.LESS_INCLUSIVE,
                ),
            )
            if qualifier is None and text[s : n.start].rstrip().endswith("~"):
                qualifier = "environ"
            if qualifier is None and text[s : n.start].rstrip().endswith("+ de"):
                qualifier = "plus de"
            unit = _unit_after(folded, n.end, nxt)
            stage = _measure_in(folded, n.end, nxt, lx.STAGE_MEASURES)
            if stage and unit in (None, lx.COMMUNES):
                measure = stage
            elif unit:
                measure = unit
            elif n.percent:
                measure = _measure_in(folded, n.end, nxt, (lx.POPULATION,)) or lx.COMMUNES
            else:
                measure = previous_measure or (total.measure if total else lx.COMMUNES)
            previous_measure = measure
            start, shown = n.start, qualifier or ""
            if qualifier:
                found = folded.rfind(qualifier.split()[0], s, n.start)
                if found >= 0:
                    start, shown = found, " ".join(text[found : n.start].split())
                    shown = shown[:1].lower() + shown[1:]  # "Près de" opening a sentence
                else:
                    start = text.rfind("~" if qualifier == "environ" else "+", s, n.start)
            low, high, tolerance = _bounds(n, qualifier, shown)
            end = n.end
            if unit:
                end = _unit_end(folded, n.end, nxt, unit)
            owned = _owned_mentions(text, in_sentence, n.end, nxt)
            if not owned:
                between_prev = [m for m in in_sentence if last_end <= m.start and m.end <= n.start]
                if between_prev:
                    owned = [between_prev[-1]]
                elif topic is not None:
                    owned = [topic]
            part_of = total.index if parts_open and total is not None else None
            targets: list[Mention | None] = list(owned) or [None]
            for m in targets:
                scope = m.scope if m and m.scope else None
                if scope is None:
                    scope = total.scope if (part_of is not None and total and not m) else FRANCE
                claims.append(
                    Claim(
                        index=len(claims),
                        start=start,
                        end=end,
                        value=n.value,
                        low=low,
                        high=high,
                        measure=measure,
                        percent=n.percent,
                        scope=scope,
                        qualifier=shown,
                        tolerance=tolerance,
                        scope_start=m.start if m and m is not topic else -1,
                        scope_end=m.end if m and m is not topic else -1,
                        sentence=sent_no,
                        total=part_of,
                        error=m.error if m else "",
                    )
                )
            last_end = n.end
    return claims


def _unit_end(folded: str, pos: int, limit: int, measure: str) -> int:
    """End of the unit's words after a number (for the highlighted span)."""
    keys = dict(lx.MEASURE_WORDS)[measure]
    window = folded[pos:limit]
    best = -1
    best_start = len(window)
    for k in keys:
        body = r"\s+".join(k.split())
        m = re.search(rf"(?<![a-z0-9]){body}(?![a-z0-9])", window)
        if m and m.start() < best_start:
            best, best_start = m.end(), m.start()
    return pos + best if best >= 0 else pos
