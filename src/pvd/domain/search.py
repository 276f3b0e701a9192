"""Commune search: normalisation of names and ranking, in plain Python.

A query matches by name, INSEE code or postal code. Names are compared after normalisation:
lower case, no accents, hyphens and apostrophes as spaces, "st"/"ste" read as "saint"/"sainte",
and a leading article ("le", "la", "les", "l'") optional. Results are ranked by closeness
(exact, exact without article, prefix, all words as prefixes; a substring only when nothing
else matches) then by population.
"""

from __future__ import annotations

import bisect
import heapq
import re
import unicodedata
from array import array
from dataclasses import dataclass

ARTICLES = ("les", "le", "la", "l")
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_SEPARATORS = re.compile(r"[^a-z0-9]+")
_DIGITS = re.compile(r"^\d[\dab]{0,4}$|^2[ab]\d{0,3}$")
_FIELD = "\x1f"  # unit separator: between the values of one column of a persisted index
_HIGH = "\uffff"  # after every folded key: key + _HIGH bounds the keys starting with key
TEXT_COLUMNS = (
    "code",
    "type",
    "nom",
    "departement",
    "codes_postaux",
    "parent_code",
    "parent_nom",
    "bare",
)
TABLES = ("exact", "bare", "vocabulary", "code", "postal")
STATE_VERSION = 3  # part of the persisted index's cache key: a new layout is never misread


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


class _Sorted:
    """(key, entry number) pairs sorted by key then number, as two parallel arrays."""

    __slots__ = ("keys", "numbers")

    def __init__(self, keys: list[str], numbers: array):
        self.keys = keys
        self.numbers = numbers

    @classmethod
    def of(cls, pairs) -> _Sorted:
        ordered = sorted(pairs)
        return cls([k for k, _ in ordered], array("I", [i for _, i in ordered]))

    def equal(self, key: str) -> array:
        lo = bisect.bisect_left(self.keys, key)
        hi = bisect.bisect_right(self.keys, key, lo)
        return self.numbers[lo:hi]

    def prefixed(self, prefix: str) -> tuple[int, int]:
        """The positions of the keys starting with ``prefix``."""
        lo = bisect.bisect_left(self.keys, prefix)
        return lo, bisect.bisect_left(self.keys, prefix + _HIGH, lo)

    def state(self) -> tuple[str, bytes]:
        return _join(self.keys), self.numbers.tobytes()

    @classmethod
    def from_state(cls, state: tuple[str, bytes]) -> _Sorted:
        numbers = array("I")
        numbers.frombytes(state[1])
        return cls(_split(state[0], len(numbers)), numbers)


def _join(values: list[str]) -> str:
    text = _FIELD.join(values)
    if text.count(_FIELD) != max(len(values) - 1, 0):
        raise ValueError("a value of the search index holds the separator U+001F")
    return text


def _split(text: str, count: int) -> list[str]:
    return text.split(_FIELD) if count else []


class SearchIndex:
    """An in-memory index of entries; build once, query many times (read-only, thread-safe).

    Entries are kept in descending population order, so that within one closeness rank the
    index order is the display order. Exact and prefix matches come from sorted (key, entry)
    tables searched by bisection; word-prefix matches are looked for only when those do not
    fill the page, among the entries having a name word that starts with the rarest query word.

    The entries are held as columns and made into ``Entry`` objects for the hits only.
    ``state()`` gives the columns and tables as a few strings and byte arrays, which
    ``from_state`` splits back without normalising a name or sorting anything: a persisted
    index loads in milliseconds.
    """

    def __init__(self, entries: list[Entry]):
        ordered = sorted(entries, key=lambda e: (-e.population, e.code, e.type))
        keys = [normalize(e.nom) for e in ordered]
        self.columns = {
            "code": [e.code for e in ordered],
            "type": [e.type for e in ordered],
            "nom": [e.nom for e in ordered],
            "departement": [e.departement for e in ordered],
            "population": array("Q", [e.population for e in ordered]),
            "codes_postaux": [" ".join(e.codes_postaux) for e in ordered],
            "parent_code": [e.parent_code for e in ordered],
            "parent_nom": [e.parent_nom for e in ordered],
            "bare": [strip_article(k) for k in keys],
        }
        bare = self.columns["bare"]
        self.tables = {
            "exact": _Sorted.of((k, i) for i, k in enumerate(keys)),
            "bare": _Sorted.of((k, i) for i, k in enumerate(bare)),
            "vocabulary": _Sorted.of(
                (word, i) for i, key in enumerate(bare) for word in set(key.split())
            ),
            "code": _Sorted.of((c.lower(), i) for i, c in enumerate(self.columns["code"])),
            "postal": _Sorted.of((cp, i) for i, e in enumerate(ordered) for cp in e.codes_postaux),
        }
        self._ready()

    def _ready(self) -> None:
        self.types: list[str] = self.columns["type"]
        self.bare_keys: list[str] = self.columns["bare"]
        # 1 for a commune déléguée/associée (after the communes of the same closeness), else 0
        self.subordinate = bytes(1 if t in ("COMD", "COMA") else 0 for t in self.types)

    def state(self) -> dict:
        """The index as a few strings and byte arrays (compact, fast to pickle and load)."""
        return {
            "version": STATE_VERSION,
            "count": len(self),
            "columns": {name: _join(self.columns[name]) for name in TEXT_COLUMNS},
            "population": self.columns["population"].tobytes(),
            "tables": {name: self.tables[name].state() for name in TABLES},
        }

    @classmethod
    def from_state(cls, state: dict) -> SearchIndex:
        """The index whose ``state()`` this is."""
        if state.get("version") != STATE_VERSION:
            raise ValueError("search index state of another layout")
        count = state["count"]
        columns: dict[str, list] = {
            name: _split(state["columns"][name], count) for name in TEXT_COLUMNS
        }
        columns["population"] = array("Q")
        columns["population"].frombytes(state["population"])
        index = cls.__new__(cls)
        index.columns = columns
        index.tables = {name: _Sorted.from_state(state["tables"][name]) for name in TABLES}
        index._ready()
        return index

    def __len__(self) -> int:
        return len(self.types)

    def entry(self, i: int) -> Entry:
        c = self.columns
        return Entry(
            code=c["code"][i],
            type=c["type"][i],
            nom=c["nom"][i],
            departement=c["departement"][i],
            population=c["population"][i],
            codes_postaux=tuple(c["codes_postaux"][i].split()),
            parent_code=c["parent_code"][i],
            parent_nom=c["parent_nom"][i],
        )

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
        ranks: dict[int, int] = {}
        for i in self.tables["exact"].equal(key):
            ranks[i] = 0
        by_bare = self.tables["bare"]
        for i in by_bare.equal(bare):
            ranks.setdefault(i, 1)
        lo, hi = by_bare.prefixed(bare)
        if hi - lo >= limit:  # the prefix matches fill the page: no word-prefix search
            return self._prefix_page(ranks, by_bare.numbers[lo:hi], limit)
        for i in by_bare.numbers[lo:hi]:
            ranks.setdefault(i, 2)
        query_words = bare.split()
        if len(ranks) < limit:
            for i in self._word_prefix_candidates(query_words):
                if i not in ranks:
                    name_words = self.bare_keys[i].split()
                    if all(any(nw.startswith(w) for nw in name_words) for w in query_words):
                        ranks[i] = 3
        if not ranks:
            # Last resort, a full scan: the query inside a name ("ontpensier").
            for i, name in enumerate(self.bare_keys):
                if bare in name:
                    ranks[i] = 4
        subordinate = self.subordinate  # communes déléguées/associées after the communes
        best = heapq.nsmallest(
            limit,
            ranks.items(),
            key=lambda item: (item[1] * 2 + subordinate[item[0]], item[0]),
        )
        return [Hit(self.entry(i), rank * 2 + subordinate[i], "nom") for i, rank in best]

    def _prefix_page(self, ranks: dict[int, int], prefixed: array, limit: int) -> list[Hit]:
        """The page when the names starting with the query fill it (a broad query: "saint",
        "mont", thousands of names): the same order as ranking them all, (rank x 2 +
        subordinate, index order), without a Python key call for each. ``ranks`` holds the
        exact and article-less matches (ranks 0 and 1), all among ``prefixed``."""
        subordinate = self.subordinate
        keyed = sorted((rank * 2 + subordinate[i], i) for i, rank in ranks.items())
        page = keyed[:limit]
        if len(page) < limit:
            prefix_rank = 2 * 2
            communes: list[int] = []
            others: list[int] = []  # communes déléguées/associées, after the communes
            for i in sorted(prefixed):  # index order: population order
                if i in ranks:
                    continue
                if subordinate[i]:
                    if len(others) < limit:
                        others.append(i)
                else:
                    communes.append(i)
                    if len(page) + len(communes) >= limit:
                        break
            page += [(prefix_rank, i) for i in communes]
            page += [(prefix_rank + 1, i) for i in others]
            page = page[:limit]
        return [Hit(self.entry(i), key, "nom") for key, i in page]

    def _word_prefix_candidates(self, query_words: list[str]) -> array | list[int]:
        """Entries with a name word starting with the rarest query word (an entry once per
        such word)."""
        vocabulary = self.tables["vocabulary"]
        best: tuple[int, int] | None = None
        for w in query_words:
            lo, hi = vocabulary.prefixed(w)
            if best is None or hi - lo < best[1] - best[0]:
                best = (lo, hi)
        return vocabulary.numbers[best[0] : best[1]] if best else []

    def _search_code(self, digits: str, limit: int) -> list[Hit]:
        by_code, by_postal = self.tables["code"], self.tables["postal"]
        ranked: dict[int, tuple[int, str]] = {}
        for i in by_code.equal(digits):
            ranked[i] = (0, "code INSEE")
        for i in by_postal.equal(digits):
            ranked.setdefault(i, (0, "code postal"))
        if len(digits) < 5:
            for rank, table, match in (
                (2, by_code, "code INSEE"),
                (3, by_postal, "code postal"),
            ):
                lo, hi = table.prefixed(digits)
                for i in table.numbers[lo:hi]:
                    ranked.setdefault(i, (rank, match))
        best = heapq.nsmallest(limit, ranked.items(), key=lambda item: (item[1][0], item[0]))
        return [Hit(self.entry(i), rank, match) for i, (rank, match) in best]
