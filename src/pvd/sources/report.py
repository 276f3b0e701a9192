"""Typed import reports and errors shared by every source."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # polars is imported by the one function using it (not by every error)
    import polars as pl

from pvd.domain.numbers import NARROW_NBSP, grouped

# Control characters (C0 but the line feed that separates listed items, DEL, C1) and Unicode
# line/paragraph separators: shown escaped, so that a value read from a file can never move the
# cursor, recolour or clear the terminal that prints the error.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_QUOTED = re.compile(r"«\s?(.*?)\s?»", re.DOTALL)
QUOTED_MAX = 80  # characters of a value quoted in a message
_HEADER = re.compile(r"(en-tête lu : )([^)\n]*)")
HEADER_MAX = 240


def printable(text: str, limit: int | None = None) -> str:
    """``text`` with its control characters escaped (``\\x1b``) and, with ``limit``, cut to that
    many characters with the total length said (a 10 MB field stays a one-line message)."""
    text = str(text)
    cut = limit is not None and len(text) > limit
    shown = text[:limit] if cut else text
    shown = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", shown)
    if not cut:
        return shown
    size = grouped(len(text), NARROW_NBSP)
    return f"{shown}… ({size} caractères)"


def safe_message(message: str) -> str:
    """A message with every « quoted value » printable and at most QUOTED_MAX characters long."""
    message = _QUOTED.sub(lambda m: f"« {printable(m.group(1), QUOTED_MAX)} »", message)
    # The header read, quoted by missing-column errors, can hold hundreds of columns.
    message = _HEADER.sub(lambda m: m.group(1) + printable(m.group(2), HEADER_MAX), message)
    return "\n".join(printable(line) for line in message.split("\n"))


class SourceError(Exception):
    """A file that cannot be imported: says where (file, line, column) and what was expected.

    Values quoted from the file are escaped and shortened (:func:`safe_message`)."""

    def __init__(
        self, path: str, message: str, *, line: int | None = None, column: str | None = None
    ):
        path = printable(path, 300)
        column = printable(column, QUOTED_MAX) if column is not None else None
        message = safe_message(message)
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        where = path
        if line is not None:
            where += f", ligne {line}"
        if column is not None:
            where += f", colonne {column}"
        super().__init__(f"{where} : {message}")


class ConfirmationRequired(SourceError):
    """An import that would end, detach or remove what was there before (laureates, projects,
    a large share of a vintage) and was not confirmed: nothing is written, the message says what
    would be lost and how to confirm (``--confirmer``, service parameter ``confirm=True``)."""

    def __init__(self, path: str, message: str, *, items: Sequence[str] = ()):
        self.items = list(items)
        listed = "".join(f"\n  - {i}" for i in self.items)
        super().__init__(
            path,
            f"{message}{listed}\nRien n'a été écrit. Relancez avec --confirmer pour l'accepter.",
        )


@dataclass
class TableCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


def frame_counts(
    previous: pl.DataFrame | None, current: pl.DataFrame, key: Sequence[str], value: str = "value"
) -> TableCounts:
    """What replacing ``previous`` rows by ``current`` ones does, row by row on ``key``:
    created (new keys), updated (same key, another value), unchanged, deleted (keys gone). A
    first import (no ``previous``) creates every row."""
    import polars as pl

    key = list(key)
    if previous is None or previous.is_empty():
        return TableCounts(created=current.height)
    old = previous.select(*key, pl.col(value).alias("_old"))
    new = current.select(*key, pl.col(value).alias("_new"))
    both = new.join(old, on=key, how="inner", nulls_equal=True)
    same = (pl.col("_old") == pl.col("_new")) | (
        pl.col("_old").is_null() & pl.col("_new").is_null()
    )
    unchanged = both.filter(same.fill_null(False)).height
    return TableCounts(
        created=new.height - both.height,
        updated=both.height - unchanged,
        unchanged=unchanged,
        deleted=old.height - both.height,
    )


@dataclass
class ImportReport:
    """What an import did, table by table, and every row it did not take, with the reason."""

    source: str
    tables: dict[str, TableCounts] = field(default_factory=dict)
    skipped: Counter = field(default_factory=Counter)  # reason -> count
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return any(t.changed for t in self.tables.values())

    def lines(self) -> list[str]:
        out = [f"{self.source}" + (" (simulation, rien n'est écrit)" if self.dry_run else "")]
        for name, t in self.tables.items():
            out.append(
                f"  {name}: {t.created} créés, {t.updated} modifiés, {t.unchanged} inchangés, "
                f"{t.deleted} supprimés"
            )
        for reason, count in sorted(self.skipped.items()):
            out.append(f"  ignorés: {count} ({reason})")
        out.extend(f"  attention: {w}" for w in self.warnings)
        return out


def write_failure(exc: BaseException) -> str:
    """French one-line reason for a failed read or write outside the file's content: full disk,
    read-only data directory or database, a file that cannot be opened."""
    import errno

    text = str(exc).lower()
    code = getattr(exc, "errno", None)
    if code == errno.ENOSPC or "disk is full" in text or "no space" in text:
        reason = "disque plein"
    elif (
        code in (errno.EROFS, errno.EACCES, errno.EPERM)
        or "readonly" in text
        or ("read-only" in text)
    ):
        reason = "écriture refusée (dossier de données ou base en lecture seule)"
    elif code == errno.EISDIR:
        return "c'est un dossier, un fichier est attendu"
    elif isinstance(exc, OSError):
        reason = f"erreur d'entrée-sortie ({printable(exc.strerror or exc, 120)})"
    else:
        reason = f"erreur de la base de données ({printable(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, 120)})"
    return f"{reason} ; l'import est annulé, rien n'a été écrit"
