"""Commune search: normalisation of names and ranking, in plain Python.

A query matches by name, INSEE code or postal code. Names are compared after normalisation:
lower case, no accents, hyphens and apostrophes as spaces, "st"/"ste" read as "saint"/"sainte",
and a leading article ("le", "la", "les", "l'") optional. Results are ranked by closeness
(exact, exact without article, prefix, all words as prefixes, substring) then by population.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

ARTICLES = ("les", "le", "la", "l")
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_SEPARATORS = re.compile(r"[^a-z0-9]+")
_DIGITS = re.compile(r"^\d[\dab]{0,4}$|^2[ab]\d{0,3}$")


def fold(text: str) -> str:
    """Lower case, accents removed, every run of non-alphanumerics as one space."""
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "oe"))
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return _SEPARATORS.sub(" ", ascii_text).strip()


def normalize(text: str) -> str:
    """Search key of a name: folded, abbreviations expanded."""
    return " ".join(ABBREVIATIONS.get(word, word) for word in fold(text).split())


def strip_article(key: str) -> str:
    words = key.split(" ", 1)
    if len(words) == 2 and words[0] in ARTICLES:
        return words[1]
    return key


@dataclass(frozen=True)
class Entry:
    """One searchable territory (a commune, or a commune déléguée/associée, or an ARM)."""

    code: str
    type: str
    nom: str
    departement: str
    population: int
    codes_postaux: tuple[str, ...] = ()
    parent_code: str = ""
    parent_nom: str = ""


@dataclass(frozen=True)
class Hit:
    entry: Entry
    rank: int  # 0 = closest
    match: str  # what matched: "nom", "code INSEE", "code postal"


class SearchIndex:
    """An in-memory index of entries; build once, query many times (thread-safe: read-only)."""

    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self.keys = [normalize(e.nom) for e in entries]
        self.bare_keys = [strip_article(k) for k in self.keys]
        self.by_code: dict[str, list[int]] = {}
        self.by_postal: dict[str, list[int]] = {}
        for i, e in enumerate(entries):
            self.by_code.setdefault(e.code.lower(), []).append(i)
            for cp in e.codes_postaux:
                self.by_postal.setdefault(cp, []).append(i)
        # All keys in one string for a fast substring prefilter.
        self._haystack = "\n".join(self.keys)
        self._line_starts = [0]
        for k in self.keys[:-1]:
            self._line_starts.append(self._line_starts[-1] + len(k) + 1)

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        q = query.strip()
        if not q:
            return []
        folded = fold(q).replace(" ", "")
        if _DIGITS.match(folded):
            return self._search_code(folded, limit)
        key = normalize(q)
        if not key:
            return []
        bare = strip_article(key)
        words = bare.split()
        hits: list[tuple[int, int, int]] = []  # (rank, -population, index)
        for i in self._candidates(max(words, key=len)):
            rank = self._rank_name(i, key, bare, words)
            if rank is not None:
                hits.append((rank, -self.entries[i].population, i))
        hits.sort()
        return [Hit(self.entries[i], rank, "nom") for rank, _, i in hits[:limit]]

    def _candidates(self, word: str) -> list[int]:
        """Indexes of keys containing ``word`` (the longest query word): a cheap prefilter."""
        import bisect

        found, start = [], 0
        haystack, starts = self._haystack, self._line_starts
        while True:
            pos = haystack.find(word, start)
            if pos < 0:
                return found
            i = bisect.bisect_right(starts, pos) - 1
            found.append(i)
            start = starts[i + 1] if i + 1 < len(starts) else len(haystack)

    def _rank_name(self, i: int, key: str, bare: str, words: list[str]) -> int | None:
        name, name_bare = self.keys[i], self.bare_keys[i]
        subordinate = 1 if self.entries[i].type in ("COMD", "COMA") else 0
        if name == key:
            rank = 0
        elif name_bare == bare:
            rank = 1
        elif name_bare.startswith(bare):
            rank = 2
        else:
            name_words = name_bare.split()
            if all(any(nw.startswith(w) for nw in name_words) for w in words):
                rank = 3
            elif bare in name_bare:
                rank = 4
            else:
                return None
        # Communes déléguées/associées come after the communes of the same closeness.
        return rank * 2 + subordinate

    def _search_code(self, digits: str, limit: int) -> list[Hit]:
        ranked: list[tuple[int, int, int, str]] = []
        seen = set()
        for i in self.by_code.get(digits, []):
            ranked.append((0, -self.entries[i].population, i, "code INSEE"))
            seen.add(i)
        for i in self.by_postal.get(digits, []):
            if i not in seen:
                ranked.append((0, -self.entries[i].population, i, "code postal"))
                seen.add(i)
        if len(digits) < 5:
            for code, idx in self.by_code.items():
                if code.startswith(digits):
                    for i in idx:
                        if i not in seen:
                            ranked.append((2, -self.entries[i].population, i, "code INSEE"))
                            seen.add(i)
            for cp, idx in self.by_postal.items():
                if cp.startswith(digits):
                    for i in idx:
                        if i not in seen:
                            ranked.append((3, -self.entries[i].population, i, "code postal"))
                            seen.add(i)
        ranked.sort()
        return [Hit(self.entries[i], rank, match) for rank, _, i, match in ranked[:limit]]
