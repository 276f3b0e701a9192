"""Geometries of territories for the location maps: commune centres and department contours.

Pure Python, no Django. Each reader checks the whole file before returning anything (errors name
the file, the line or feature, and the column or property), so an import never half-writes.

- Commune centres: ``communes-centroides.csv`` as exported from geo.api.gouv.fr (Etalab, API
  Découpage administratif, Licence Ouverte 2.0): ``insee,dept,lon,lat,name``, comma-separated,
  UTF-8, WGS84 degrees. Needs ``insee``, ``lon`` and ``lat``; other columns are ignored. The
  embedded open data's ``communes-centres.csv`` (``code,lon,lat``) is read the same way.
- Department contours: ANCT's ``polygone-4326_dep.geojson`` (from IGN Admin Express, WGS84,
  geographic, overseas departments where they are; Licence Ouverte 2.0) or any GeoJSON
  FeatureCollection of Polygon/MultiPolygon features with a department code property
  (``insee_dep``, ``code_insee``, ``code`` or ``INSEE_DEP``) and optionally a name (``lib_dep``,
  ``nom``...). The thematic "style1" files, whose overseas departments are moved next to
  mainland France, are refused: their coordinates are not geographic.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from pvd.domain.codes import COMMUNE_CODE, DEPARTEMENT_OR_COLLECTIVITY_CODE
from pvd.domain.wgs84 import MAINLAND
from pvd.sources.columns import ColumnError, box_of, check_coordinates, parse_name, parse_number
from pvd.sources.contracts import COMMUNE_CENTRES
from pvd.sources.tabular import (
    DUPLICATE_KEY,
    INVALID_CODE,
    INVALID_VALUE,
    MISSING_COLUMN,
    UNKNOWN_LAYOUT,
    ErrorCollector,
    RowError,
    SourceError,
    SourceRowErrors,
    read_table,
)

CENTRES_LAYOUT = COMMUNE_CENTRES.layout
DEP_CODE_KEYS = ("insee_dep", "code_insee", "code", "INSEE_DEP", "code_dep")
DEP_NAME_KEYS = ("lib_dep", "nom", "nom_dep", "NOM", "libelle")
# Bounding box of mainland France and Corsica, in degrees (lon, lat): a territory of a
# mainland department outside it means swapped columns, a projected file (Lambert 93 metres)
# or a typing error. Overseas territories (codes 97x and 98x) only need valid WGS84 degrees.


@dataclass(frozen=True)
class GeoRecord:
    code: str
    nom: str
    geometry: dict  # GeoJSON geometry, WGS84 (lon, lat)


@dataclass
class GeoFile:
    path: str
    level: str  # "commune" (centres) or "departement" (contours)
    sha256: str
    records: list[GeoRecord] = field(default_factory=list)


def read_geo(path: Path) -> GeoFile:
    """Read a centres CSV or a contours GeoJSON, told apart by their content."""
    path = Path(path)
    if not path.is_file():
        raise SourceError(str(path), "fichier introuvable")
    with path.open("rb") as f:
        head = f.read(64).lstrip(b"\xef\xbb\xbf \r\n\t")
    if head.startswith(b"{"):
        return read_departement_contours(path)
    return read_commune_centres(path)


def _plausible(code: str, lon: float, lat: float) -> bool:
    """Inside the bounding box of the commune's or department's territory (column rules)."""
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lon, lat)):
        return False
    return check_coordinates(code, lon, lat) is None


def read_commune_centres(path: Path) -> GeoFile:
    table = read_table(path, separators=(",", ";"))
    found = COMMUNE_CENTRES.resolve(table.header, path=table.path, separator=table.separator)
    key = found["insee"].lower()  # errors name it as the layout does
    errors = ErrorCollector(table.path)
    records: list[GeoRecord] = []
    seen: set[str] = set()
    for line, row in table.rows:
        code = row[key.upper()]
        if not COMMUNE_CODE.fullmatch(code):
            errors.add(INVALID_CODE, f"code commune invalide « {code} »", line=line, column=key)
            continue
        if code in seen:
            errors.add(DUPLICATE_KEY, f"code commune en double « {code} »", line=line, column=key)
            continue
        seen.add(code)
        lon, lat = parse_number(row["LON"]), parse_number(row["LAT"])
        if isinstance(lon, ColumnError) or isinstance(lat, ColumnError):
            bad = "lon" if isinstance(lon, ColumnError) else "lat"
            errors.add(
                INVALID_VALUE,
                f"coordonnée non numérique « {row[bad.upper()]} » (degrés décimaux, point décimal)",
                line=line,
                column=bad,
            )
            continue
        problem = check_coordinates(code, lon, lat)
        if problem is not None:
            where = "de la France métropolitaine" if box_of(code) == MAINLAND else "du territoire"
            errors.add(
                INVALID_VALUE,
                f"coordonnées ({lon}, {lat}) hors {where} pour la commune {code} : "
                f"{problem.expected}",
                line=line,
                column="lon",
            )
            continue
        name = parse_name(row.get("NAME", ""))
        if isinstance(name, ColumnError):
            errors.add(INVALID_VALUE, name.message, line=line, column="name")
            continue
        records.append(GeoRecord(code, name, {"type": "Point", "coordinates": [lon, lat]}))
    errors.raise_if_any()
    if not records:
        raise SourceError(table.path, "aucune commune dans le fichier")
    return GeoFile(path=table.path, level="commune", sha256=table.sha256, records=records)


def _rings(geometry: dict) -> list[list] | None:
    """The rings of a Polygon or MultiPolygon, None when they are not lists of at least 4
    points of 2 or 3 numbers (a malformed file then gets an error, not a traceback)."""
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list):
        return None
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    rings = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return None
        rings.extend(polygon)
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            return None
        for point in ring:
            if not isinstance(point, list) or len(point) not in (2, 3):
                return None
            if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in point):
                return None
    return rings


def _rounded(geometry: dict) -> dict:
    """Coordinates rounded to 1e-5 degree (about 1 m): the files carry 15 decimals, three
    times the bytes for nothing a location map can show."""

    def walk(c):
        return (
            [round(c[0], 5), round(c[1], 5)]
            if isinstance(c[0], float | int)
            else [walk(x) for x in c]
        )

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def read_departement_contours(path: Path) -> GeoFile:
    raw = Path(path).read_bytes()
    display = str(path)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise SourceError(display, f"GeoJSON illisible : {exc}", line=line) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise SourceRowErrors(
            display,
            [
                RowError(
                    UNKNOWN_LAYOUT, "FeatureCollection GeoJSON attendue (contours des départements)"
                )
            ],
        )
    if "style1" in Path(path).name or "pur-style" in str(data.get("name", "")):
        raise SourceRowErrors(
            display,
            [
                RowError(
                    UNKNOWN_LAYOUT,
                    "fichier « style1 » : les départements d'outre-mer y sont déplacés près de la "
                    "métropole, ses coordonnées ne sont pas géographiques ; prenez les contours "
                    "géographiques (par exemple polygone-4326_dep.geojson de l'ANCT)",
                )
            ],
        )
    features = data.get("features") or []
    if not isinstance(features, list):
        raise SourceRowErrors(
            display,
            [RowError(UNKNOWN_LAYOUT, "« features » doit être une liste d'entités GeoJSON")],
        )
    errors = ErrorCollector(display)
    records: list[GeoRecord] = []
    seen: set[str] = set()
    for n, feature in enumerate(features, start=1):
        where = f"entité {n}"
        if not isinstance(feature, dict) or not isinstance(feature.get("properties") or {}, dict):
            errors.add(
                UNKNOWN_LAYOUT, f"{where} : entité GeoJSON (objet avec « properties ») attendue"
            )
            continue
        props = feature.get("properties") or {}
        key = next((k for k in DEP_CODE_KEYS if k in props), None)
        if key is None:
            errors.add(
                MISSING_COLUMN,
                f"{where} : propriété du code de département absente (attendu : "
                f"{', '.join(DEP_CODE_KEYS)} ; lu : {', '.join(props) or 'aucune'})",
            )
            continue
        code = str(props[key]).strip()
        # The contours include the overseas collectivities (97x, 98x), not only departments.
        if not DEPARTEMENT_OR_COLLECTIVITY_CODE.fullmatch(code):
            errors.add(
                INVALID_CODE, f"{where} : code de département invalide « {code} »", column=key
            )
            continue
        if code in seen:
            errors.add(DUPLICATE_KEY, f"{where} : département en double « {code} »", column=key)
            continue
        seen.add(code)
        geometry = feature.get("geometry") or {}
        if not isinstance(geometry, dict):
            geometry = {"type": type(geometry).__name__}
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            errors.add(
                INVALID_VALUE,
                f"{where} ({code}) : géométrie {geometry.get('type')} (Polygon ou MultiPolygon "
                "attendu)",
                column="geometry",
            )
            continue
        rings = _rings(geometry)
        if rings is None:
            errors.add(
                INVALID_VALUE,
                f"{where} ({code}) : coordonnées illisibles (anneaux d'au moins 4 points "
                "[longitude, latitude] attendus)",
                column="geometry",
            )
            continue
        outside = [p for ring in rings for p in ring if not _plausible(code, p[0], p[1])]
        if outside:
            problem = check_coordinates(code, *outside[0][:2])
            expected = problem.expected if problem else "degrés WGS84 (EPSG:4326)"
            errors.add(
                INVALID_VALUE,
                f"{where} ({code}) : coordonnées ({outside[0][0]}, {outside[0][1]}) refusées : "
                f"contours en {expected}",
                column="geometry",
            )
            continue
        nom = parse_name(next((str(props[k]) for k in DEP_NAME_KEYS if k in props), ""))
        if isinstance(nom, ColumnError):
            errors.add(INVALID_VALUE, f"{where} ({code}) : {nom.message}", column="nom")
            continue
        records.append(GeoRecord(code, nom, _rounded(geometry)))
    errors.raise_if_any()
    if not records:
        raise SourceError(display, "aucun contour de département dans le fichier")
    return GeoFile(
        path=display,
        level="departement",
        sha256=hashlib.sha256(raw).hexdigest(),
        records=records,
    )
