"""CSV, XLSX and GeoJSON exports of the registry's lists and dashboard tables.

Every export carries its sources: CSV and XLSX end with "Source" lines (a second sheet in XLSX),
GeoJSON has a top-level ``metadata`` member. CSV is UTF-8 with BOM and semicolons, what French
spreadsheet users open by double-click; numbers are plain (no thousands separator).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

from pvd.domain import wgs84
from pvd.domain.programme import STAGE_LABELS, Stage, stage_of
from pvd.formats import csv_fr
from pvd.formats.formula_guard import neutralise_row
from pvd.programme.dashboards import BreakdownRow
from pvd.programme.maps import ExportGeometry
from pvd.programme.models import Laureat
from pvd.programme.selectors import facts_of
from pvd.territories.models import Dataset

LAUREATE_COLUMNS = (
    "code_insee",
    "commune",
    "departement",
    "region",
    "epci_siren",
    "epci",
    "groupe",
    "population",
    "statut",
    "etape",
    "date_selection",
    "date_convention_adhesion",
    "date_chef_projet",
    "date_convention_cadre",
)
TERRITORY_COLUMNS = (
    "code",
    "nom",
    "communes_laureates",
    "groupes",
    "population_couverte",
    "population_territoire",
    "part_population",
    "communes_territoire",
    "part_communes",
    "conventions_adhesion",
    "chefs_de_projet",
    "conventions_cadres",
    # "non": no loaded list covers the territory, its figures are empty (missing), not 0.
    "couvert",
)


def laureate_rows(laureats: Iterable[Laureat]) -> list[list]:
    out = []
    for lau in laureats:
        c = lau.commune
        facts = facts_of(lau)
        out.append(
            [
                c.code,
                c.nom,
                c.departement_id,
                c.region_id,
                c.epci_id or "",
                c.epci.nom if c.epci else "",
                lau.groupe.code if lau.groupe else "",
                c.population,
                lau.get_statut_display(),
                STAGE_LABELS[Stage(stage_of(facts))],
                lau.date_selection,
                lau.date_convention_adhesion,
                lau.date_chef_projet,
                lau.date_convention_cadre,
            ]
        )
    return out


def territory_rows(rows: Iterable[BreakdownRow]) -> list[list]:
    return [
        [
            r.code,
            r.nom,
            r.laureats,
            r.groupes,
            r.population,
            r.population_territoire,
            None if r.part_population is None else round(100 * r.part_population, 2),
            r.communes_territoire,
            None if r.part_communes is None else round(100 * r.part_communes, 2),
            r.adhesion,
            r.chef_projet,
            r.convention_cadre,
            "oui" if r.couvert else "non",
        ]
        for r in rows
    ]


def source_lines(datasets: Sequence[Dataset]) -> list[str]:
    return [
        f"{d.title} — {d.publisher} — millésime {d.vintage} — {d.licence}"
        + (f" — {d.url}" if d.url else "")
        for d in datasets
    ]


# What an export of laureates says when its territory is not covered by the loaded lists.
UNCOVERED_NOTE = (
    "Couverture : territoire non couvert par les listes chargées — le registre ne sait pas "
    "quelles communes y sont lauréates (donnée non disponible, pas zéro lauréate)"
)


def to_csv(
    columns: Sequence[str],
    rows: list[list],
    datasets: Sequence[Dataset],
    note: str = "",
    *,
    variant: str = "fr",
) -> bytes:
    """``note``: a line said before the sources (e.g. :data:`UNCOVERED_NOTE`); ``variant``: see
    :mod:`pvd.formats.csv_fr` (French by default)."""
    tail: list[list] = [[]]
    if note:
        tail.append([note])
    tail += [[f"Source : {line}"] for line in source_lines(datasets)]
    return csv_fr.write([list(columns), *rows, *tail], variant=variant)


def to_xlsx(
    title: str,
    columns: Sequence[str],
    rows: list[list],
    datasets: Sequence[Dataset],
    note: str = "",
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(list(columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(neutralise_row(row, xlsx=True))
    for i, column in enumerate(columns, start=1):
        if column.startswith("date_"):
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = "DD/MM/YYYY"
    ws.freeze_panes = "A2"
    if note:
        ws.append([])
        ws.append(neutralise_row([note], xlsx=True))
    sources = wb.create_sheet("Sources")
    if note:
        sources.append(neutralise_row([note], xlsx=True))
    sources.append(["Source", "Éditeur", "Millésime", "Licence", "Adresse"])
    for d in datasets:
        sources.append(
            neutralise_row([d.title, d.publisher, d.vintage, d.licence, d.url], xlsx=True)
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def territories_geojson(
    level: str,
    geo: ExportGeometry,
    rows: Sequence[BreakdownRow],
    datasets: Sequence[Dataset],
) -> bytes:
    """Territories with their figures and their true WGS84 geometry (``geo``: see
    :func:`pvd.programme.maps.export_geometries`). A territory without geometry, or whose
    geometry falls outside its WGS84 box (moved overseas inset, projected file), is exported
    with ``geometry: null``, its properties kept, and named in the metadata."""
    features = []
    without: list[str] = []
    refused: list[str] = []
    for r, values in zip(rows, territory_rows(rows), strict=True):
        geometry = geo.geometries.get(r.code)
        if geometry is not None and wgs84.outside(geometry, wgs84.box_of(level, r.code)):
            geometry = None
            refused.append(r.code)
        if geometry is None:
            without.append(r.code)
        features.append(
            {
                "type": "Feature",
                "id": r.code,
                "properties": dict(zip(TERRITORY_COLUMNS, values, strict=True)),
                "geometry": geometry,
            }
        )
    note = geo.note
    if refused:
        note += (
            f" ; géométrie retirée (coordonnées hors du territoire en WGS84) : {', '.join(refused)}"
        )
    doc = {
        "type": "FeatureCollection",
        "metadata": {
            "sources": source_lines(datasets),
            "contours": geo.source,
            "geometrie": note,
            "sans_geometrie": without,
        },
        "features": features,
    }
    return json.dumps(doc, ensure_ascii=False, default=str).encode("utf-8")


def laureates_geojson(
    laureats: Sequence[Laureat],
    points: dict[str, tuple[float, float]],
    datasets: Sequence[Dataset],
    covered: bool = True,
) -> bytes:
    """Laureates as points where a location is known (ORT sheet coordinates), else null;
    ``metadata.couvert`` False (and ``couverture``) when the filtered territory is not
    covered by the loaded lists (no feature there means "not known", not "no laureate")."""
    features = []
    for lau, values in zip(laureats, laureate_rows(laureats), strict=True):
        point = points.get(lau.commune.code)
        features.append(
            {
                "type": "Feature",
                "id": lau.commune.code,
                "properties": {
                    k: (v.isoformat() if hasattr(v, "isoformat") else v)
                    for k, v in zip(LAUREATE_COLUMNS, values, strict=True)
                },
                "geometry": {"type": "Point", "coordinates": list(point)} if point else None,
            }
        )
    doc = {
        "type": "FeatureCollection",
        "metadata": {
            "sources": source_lines(datasets),
            "couvert": covered,
            "couverture": "" if covered else "non couvert par les listes chargées",
        },
        "features": features,
    }
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")
