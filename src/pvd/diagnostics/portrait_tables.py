"""One table per theme of the portrait, the territories as columns (as INSEE's Comparateur
de territoires lays them out): the commune, its EPCI, department, region, France and the median
of its similar towns; one row per indicator with its millésime and national position.

Charts stay available on demand under the table (see the portrait template); this module only
arranges the stored figures of :mod:`pvd.diagnostics.selectors`, it computes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from pvd.diagnostics.selectors import Figure, Portrait, Theme
from pvd.domain import wording

# The columns, in reading order, with their header when the territory has no name of its own.
COLUMNS = ("COM", "EPCI", "DEP", "REG", "FR", "PEERS")
NOT_APPLICABLE = "—"  # a rank within the EPCI has no value for the department, etc.


@dataclass
class Column:
    level: str
    header: str
    scope: str  # spelled out for screen readers and the phone layout: "Intercommunalité"


@dataclass
class Cell:
    label: str  # the column's header, repeated on the phone layout
    text: str
    missing: bool = False  # "n.d.": the value does not exist in the source (secrecy, no data)
    not_applicable: bool = False


@dataclass
class Row:
    figure: Figure
    cells: list[Cell]
    vintage_note: str  # "données de 2013" when the source is old, else ""
    source_index: int | None  # 1-based note number of its source under the table


@dataclass
class ThemeTable:
    theme: Theme
    columns: list[Column]
    rows: list[Row]  # indicators with a value for this commune
    # Indicators without a value, grouped by the reason (source not loaded, secrecy...): a row
    # of "n.d." across every territory says less than one line naming them with the reason.
    unavailable: dict[str, list[str]] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what "estimation" or "INSEE" means
    admin_hints: list[str] = field(default_factory=list)  # staff only

    @property
    def unavailable_lines(self) -> list[str]:
        return [
            f"{' ; '.join(labels)} — {reason[:1].lower()}{reason[1:]}."
            for reason, labels in self.unavailable.items()
        ]


def columns(portrait: Portrait) -> list[Column]:
    names = {level: name for level, (_, name) in portrait.territories.items()}
    out = [Column("COM", portrait.commune.nom, "Commune")]
    scopes = {"EPCI": "Intercommunalité", "DEP": "Département", "REG": "Région"}
    for level in ("EPCI", "DEP", "REG"):
        if level in names:
            out.append(Column(level, names[level], scopes[level]))
    out.append(Column("FR", "France", "France"))
    if portrait.peers:
        out.append(Column("PEERS", "Communes similaires (médiane)", "Communes similaires"))
    return out


def source_text(figure: Figure) -> str:
    """Title, publisher, millésime and licence of the figure's source, as one French line."""
    if figure.source is not None:
        s = figure.source
        return f"{s.title}, {s.publisher}, millésime {s.vintage}, {s.licence}"
    ind = figure.indicator
    return f"{ind.source}, {ind.vintage}, {ind.licence}"


def _cells(figure: Figure, cols: list[Column]) -> list[Cell]:
    by_level = {c.level: c for c in figure.comparisons}
    cells = []
    for col in cols:
        if col.level == "COM":
            # The unit is in the row header; a rank reads as an ordinal ("3e").
            text = figure.display if figure.indicator.unit == "rang" else figure.text
            cells.append(Cell(col.header, text, missing=not figure.available))
            continue
        if not figure.available:
            cells.append(Cell(col.header, "n.d.", missing=True))
            continue
        comparison = by_level.get(col.level)
        if comparison is None:
            if col.level != "PEERS" and figure.indicator.aggregate == "none":
                cells.append(Cell(col.header, NOT_APPLICABLE, not_applicable=True))
            else:
                cells.append(Cell(col.header, "n.d.", missing=True))
        else:
            cells.append(Cell(col.header, comparison.text, missing=comparison.value is None))
    return cells


def theme_tables(portrait: Portrait, *, today: datetime.date | None = None) -> list[ThemeTable]:
    year = (today or datetime.date.today()).year
    cols = columns(portrait)
    tables = []
    for theme in portrait.themes:
        table = ThemeTable(theme, cols, [])
        for figure in theme.figures:
            if not figure.available:
                reason = figure.message.rstrip(".")
                table.unavailable.setdefault(reason, []).append(figure.indicator.label)
                if figure.admin_hint:
                    table.admin_hints.append(f"{figure.admin_hint} ({figure.indicator.label})")
                continue
            source = source_text(figure)
            if source not in table.sources:
                table.sources.append(source)
            note = (
                wording.vintage_age_note(figure.millesime, year)
                if figure.millesime is not None
                else ""
            )
            table.rows.append(
                Row(figure, _cells(figure, cols), note, table.sources.index(source) + 1)
            )
            if figure.status_note and figure.status_note not in table.notes:
                table.notes.append(figure.status_note)
        tables.append(table)
    return tables
