"""The search index as it was before it was persisted (commit 9507f0a): the reference the
persisted index must agree with, hit for hit (tests/territories/test_search_index.py)."""

from __future__ import annotations

import bisect
import heapq
import re

from pvd.domain.search import Entry, Hit, fold, normalize, strip_article

_DIGITS = re.compile(r"^\d[\dab]{0,4}$|^2[ab]\d{0,3}$")


class ReferenceIndex:
    """An in-memory index of entries; build once, query many times (read-only, thread-safe).

    Entries are kept in descending population order, so that within one closeness rank the
    index order is the display order. Exact and prefix matches come from a dict and a sorted
    list; word-prefix matches are looked for only when those do not fill the page, among the
    entries having a name word that starts with the rarest query word.
    """

    def __init__(self, entries: list[Entry]):
        self.entries = sorted(entries, key=lambda e: (-e.population, e.code, e.type))
        self.keys = [normalize(e.nom) for e in self.entries]
        self.bare_keys = [strip_article(k) for k in self.keys]
        self.words = [tuple(k.split()) for k in self.bare_keys]
        self.subordinate = [1 if e.type in ("COMD", "COMA") else 0 for e in self.entries]
        self.exact: dict[str, list[int]] = {}
        self.exact_bare: dict[str, list[int]] = {}
        self.vocabulary: dict[str, list[int]] = {}
        for i, (key, bare) in enumerate(zip(self.keys, self.bare_keys, strict=True)):
            self.exact.setdefault(key, []).append(i)
            self.exact_bare.setdefault(bare, []).append(i)
            for word in set(self.words[i]):
                self.vocabulary.setdefault(word, []).append(i)
        self.sorted_vocabulary = sorted(self.vocabulary)
        self.sorted_bare = sorted((bare, i) for i, bare in enumerate(self.bare_keys))
        self.by_code: dict[str, list[int]] = {}
        self.by_postal: dict[str, list[int]] = {}
        for i, e in enumerate(self.entries):
            self.by_code.setdefault(e.code.lower(), []).append(i)
            for cp in e.codes_postaux:
                self.by_postal.setdefault(cp, []).append(i)
        self.sorted_codes = sorted(self.by_code)
        self.sorted_postal = sorted(self.by_postal)

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
        for i in self.exact.get(key, ()):
            ranks[i] = 0
        for i in self.exact_bare.get(bare, ()):
            ranks.setdefault(i, 1)
        lo = bisect.bisect_left(self.sorted_bare, (bare,))
        hi = bisect.bisect_left(self.sorted_bare, (bare + "\uffff",))
        for _, i in self.sorted_bare[lo:hi]:
            ranks.setdefault(i, 2)
        query_words = bare.split()
        if len(ranks) < limit:
            for i in self._word_prefix_candidates(query_words):
                if i not in ranks:
                    name_words = self.words[i]
                    if all(any(nw.startswith(w) for nw in name_words) for w in query_words):
                        ranks[i] = 3
        if not ranks:
            # Last resort, a full scan: the query inside a name ("ontpensier").
            for i, name in enumerate(self.bare_keys):
                if bare in name:
                    ranks[i] = 4
        # Communes déléguées/associées come after communes of the same closeness.
        best = heapq.nsmallest(
            limit,
            ranks.items(),
            key=lambda item: (item[1] * 2 + self.subordinate[item[0]], item[0]),
        )
        return [Hit(self.entries[i], rank * 2 + self.subordinate[i], "nom") for i, rank in best]

    def _word_prefix_candidates(self, query_words: list[str]) -> list[int]:
        """Entries with a name word starting with the rarest query word."""
        best: list[int] | None = None
        for w in query_words:
            lo = bisect.bisect_left(self.sorted_vocabulary, w)
            hi = bisect.bisect_left(self.sorted_vocabulary, w + "\uffff")
            found = [i for word in self.sorted_vocabulary[lo:hi] for i in self.vocabulary[word]]
            if best is None or len(found) < len(best):
                best = found
        return best or []

    def _search_code(self, digits: str, limit: int) -> list[Hit]:
        ranked: dict[int, tuple[int, str]] = {}
        for i in self.by_code.get(digits, ()):
            ranked[i] = (0, "code INSEE")
        for i in self.by_postal.get(digits, ()):
            ranked.setdefault(i, (0, "code postal"))
        if len(digits) < 5:
            for rank, keys, table, match in (
                (2, self.sorted_codes, self.by_code, "code INSEE"),
                (3, self.sorted_postal, self.by_postal, "code postal"),
            ):
                lo = bisect.bisect_left(keys, digits)
                hi = bisect.bisect_left(keys, digits + "\uffff")
                for k in keys[lo:hi]:
                    for i in table[k]:
                        ranked.setdefault(i, (rank, match))
        best = heapq.nsmallest(limit, ranked.items(), key=lambda item: (item[1][0], item[0]))
        return [Hit(self.entries[i], rank, match) for i, (rank, match) in best]
