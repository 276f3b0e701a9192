"""Typed import reports and errors shared by every source."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


class SourceError(Exception):
    """A file that cannot be imported: says where (file, line, column) and what was expected."""

    def __init__(
        self, path: str, message: str, *, line: int | None = None, column: str | None = None
    ):
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


@dataclass
class TableCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


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
