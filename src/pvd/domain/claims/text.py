"""Text helpers that keep positions: a folded copy of the same length, sentences, words."""

from __future__ import annotations

import re
import unicodedata


def _fold_char(ch: str) -> str:
    if ch.isalnum():
        base = unicodedata.normalize("NFKD", ch)[0].lower()
        return base if base.isalnum() else ch.lower()
    return " "


def fold_keep(text: str) -> str:
    """Lower case, accents removed, every other character a space: same length as ``text``,
    so a match in the folded copy is the span of the words in the text."""
    return "".join(_fold_char(ch) if ch not in "%~+" else ch for ch in text)


def fold_words(text: str) -> str:
    """Folded words joined by one space ("Pyrénées-Atlantiques" -> "pyrenees atlantiques")."""
    return " ".join(fold_keep(text).split())


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)|\n+")


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences (and lines) of ``text``; a decimal point does not end one."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if text[start : m.start()].strip():
            out.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def words_before(folded: str, pos: int, n: int) -> str:
    """The last ``n`` folded words before ``pos``, one space apart."""
    return " ".join(folded[:pos].split()[-n:])


def phrase_at(folded: str, pos: int, phrases: tuple[str, ...]) -> str | None:
    """The phrase of ``phrases`` written right before ``pos`` (folded), if any."""
    tail = " " + " ".join(folded[:pos].split()[-4:])
    for p in sorted(phrases, key=len, reverse=True):
        if tail.endswith(" " + p):
            return p
    return None
