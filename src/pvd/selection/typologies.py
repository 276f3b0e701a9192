"""The typologies of one commune, for its portrait: centrality level (official classification,
else computed from the BPE), density grid, typology of rural areas, mountain massif; each with
its source, vintage and licence. Missing means not loaded or not classified, never a value."""

from __future__ import annotations

from dataclasses import dataclass

from pvd import caching
from pvd.caching import ProcessMemo
from pvd.domain.centrality import LEVEL_LABELS
from pvd.selection.models import Centralite, Typologie
from pvd.selection.services import frame_of

OBSERVATOIRE = ("ANCT, Observatoire des territoires", "Licence Ouverte 2.0 (Etalab)")
LABELS = {
    "centralite": "Niveau de centralité (équipements et services)",
    Typologie.Kind.DENSITE: "Grille communale de densité (INSEE)",
    Typologie.Kind.RURALITE: "Typologie des ruralités",
    Typologie.Kind.MONTAGNE: "Massif de montagne",
}


@dataclass(frozen=True)
class TypologyFact:
    label: str
    value: str | None  # None: not available for this commune
    source: str
    vintage: str
    licence: str


# One table per row and column, read again when the row is updated.
_tables: ProcessMemo[dict[str, str]] = ProcessMemo("typology-tables", size=64, versioned=False)


def _values(row, column: str) -> dict[str, str]:
    """code -> value of a typology or centrality row (its first one per code, empty values
    left out), kept per process for this row's version: a portrait reads one code of it."""

    def read() -> dict[str, str]:
        # The blob read into a row of its own: ``row`` is kept by ``_rows`` without its frame.
        frame = frame_of(type(row).objects.get(pk=row.pk))  # once per process and version
        table: dict[str, str] = {}
        for code, value in zip(
            frame.get_column("code").to_list(), frame.get_column(column).to_list(), strict=True
        ):
            if code not in table:
                table[code] = value
        return table

    key = (type(row).__name__, row.kind, column)
    return _tables.get(key, read, token=row.updated_at)


# The sources' records, per process and data version (the loader bumps it).
_sources: ProcessMemo[tuple[str, str, str]] = ProcessMemo("typology-sources", size=16)


def _source(file: str, fallback_title: str, row) -> tuple[str, str, str]:
    """Title, vintage, licence: the embedded open-data record when the row came from it."""
    from pvd.territories.models import Dataset

    def compute() -> tuple[str, str, str]:
        ds = Dataset.objects.filter(key=f"opendata:territoires/{file}").first()
        # The loader records the product after importing it: a later import of another file
        # is newer than the record.
        if ds is not None and ds.loaded_at >= row.updated_at:
            return ds.title, ds.vintage, ds.licence
        return fallback_title, f"fichier importé le {row.updated_at:%d/%m/%Y}", OBSERVATOIRE[1]

    return _sources.get((file, fallback_title, row.updated_at), compute)


def _lookup(table: dict[str, str], code: str) -> str | None:
    value = table.get(code)
    return None if value in (None, "", "undefined") else str(value)


# The centrality and typology rows without their frames (a handful), per process and data
# version: every import of them bumps it (selection.services, selection.centrality_services).
_rows: ProcessMemo[tuple[dict, dict]] = ProcessMemo("typology-rows", size=4)


def _rows_by_kind() -> tuple[dict, dict]:
    """(kind -> Centralite, kind -> Typologie), their frames not read (read-only instances)."""

    def read() -> tuple[dict, dict]:
        # The stored frames (large blobs) are read only when this process has not decoded them.
        return (
            {c.kind: c for c in Centralite.objects.defer("frame")},
            {t.kind: t for t in Typologie.objects.defer("frame")},
        )

    return _rows.get(caching.database_key(), read)


def of_commune(code: str) -> list[TypologyFact]:
    facts = []
    central, typologies = _rows_by_kind()
    row = central.get(Centralite.Kind.OFFICIELLE) or central.get(Centralite.Kind.CALCULEE)
    if row is None:
        facts.append(TypologyFact(LABELS["centralite"], None, "non chargée", "", ""))
    else:
        level = _lookup(_values(row, "niveau"), code)
        if row.kind == Centralite.Kind.OFFICIELLE:
            title, vintage, licence = _source(
                "centralite.csv.gz", "Centralités (INRAE-CESAER/ANCT)", row
            )
        else:
            title = "Niveau calculé par la plateforme d'après la BPE"
            vintage = str(row.details.get("millesime", ""))
            licence = "Licence Ouverte 2.0 (INSEE, BPE)"
        facts.append(
            TypologyFact(
                LABELS["centralite"],
                LEVEL_LABELS.get(level, level) if level else None,
                title,
                vintage,
                licence,
            )
        )
    for kind in Typologie.Kind:
        row = typologies.get(kind)
        if row is None:
            facts.append(TypologyFact(LABELS[kind], None, "non chargée", "", ""))
            continue
        value = _lookup(_values(row, "valeur"), code)
        if value is None and kind == Typologie.Kind.MONTAGNE:
            value = "hors zone de montagne"  # the file lists the mountain communes only
        title, vintage, licence = _source(f"{kind.value}.csv.gz", kind.label.capitalize(), row)
        facts.append(TypologyFact(LABELS[kind], value, title, vintage, licence))
    return facts
