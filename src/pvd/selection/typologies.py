"""The typologies of one commune, for its portrait: centrality level (official classification,
else computed from the BPE), density grid, typology of rural areas, mountain massif; each with
its source, vintage and licence. Missing means not loaded or not classified, never a value."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import polars as pl

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


_lock = threading.Lock()
_frames: dict[tuple, pl.DataFrame] = {}


def _values(row) -> pl.DataFrame:
    """The stored frame of a typology or centrality row, cached per process and version."""
    key = (type(row).__name__, row.kind, row.updated_at)
    with _lock:
        if key not in _frames:
            for old in [k for k in _frames if k[:2] == key[:2]]:
                del _frames[old]
            _frames[key] = frame_of(row)
        return _frames[key]


def _source(file: str, fallback_title: str, row) -> tuple[str, str, str]:
    """Title, vintage, licence: the embedded open-data record when the row came from it."""
    from pvd.territories.models import Dataset

    ds = Dataset.objects.filter(key=f"opendata:territoires/{file}").first()
    # The loader records the product after importing it: a later import of another file is
    # newer than the record.
    if ds is not None and ds.loaded_at >= row.updated_at:
        return ds.title, ds.vintage, ds.licence
    return fallback_title, f"fichier importé le {row.updated_at:%d/%m/%Y}", OBSERVATOIRE[1]


def _lookup(frame: pl.DataFrame, code: str, column: str) -> str | None:
    hit = frame.filter(pl.col("code") == code)
    if hit.is_empty():
        return None
    value = hit.get_column(column)[0]
    return None if value in (None, "", "undefined") else str(value)


def of_commune(code: str) -> list[TypologyFact]:
    facts = []
    central = {c.kind: c for c in Centralite.objects.all()}
    row = central.get(Centralite.Kind.OFFICIELLE) or central.get(Centralite.Kind.CALCULEE)
    if row is None:
        facts.append(TypologyFact(LABELS["centralite"], None, "non chargée", "", ""))
    else:
        level = _lookup(_values(row), code, "niveau")
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
    typologies = {t.kind: t for t in Typologie.objects.all()}
    for kind in Typologie.Kind:
        row = typologies.get(kind)
        if row is None:
            facts.append(TypologyFact(LABELS[kind], None, "non chargée", "", ""))
            continue
        value = _lookup(_values(row), code, "valeur")
        if value is None and kind == Typologie.Kind.MONTAGNE:
            value = "hors zone de montagne"  # the file lists the mountain communes only
        title, vintage, licence = _source(f"{kind.value}.csv.gz", kind.label.capitalize(), row)
        facts.append(TypologyFact(LABELS[kind], value, title, vintage, licence))
    return facts
