"""Where the maps' geometry files are, and how they are read.

Each geometry is looked for, in order of preference:
1. the official file downloaded into the cache (``<PVD_DATA_DIR>/cache/contours/<name>``);
2. the embedded open-data snapshot (``pvd/data/opendata/geo/``, built by
   ``scripts/build_opendata.py`` from the shared folder; its ``manifest.json`` names source,
   publisher, vintage and licence of each file);
3. the shared open-data folder (``PVD_SHARED_DATA/geo/<name>``: development, tests, CI).

The official files carry ANCT's property names (``insee_dep``/``lib_dep``, ``insee_reg``...),
the snapshot's the contract's ``code``/``nom``: the reader accepts both. Files may be gzipped.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

EMBEDDED_DIR = settings.PACKAGE_DIR / "data" / "opendata"
ORIGINS = {
    "cache": "fichier téléchargé",
    "embedded": "instantané embarqué",
    "shared": "dossier de données partagé",
}
ANCT_LICENCE = "Licence Ouverte 2.0 (Etalab)"


@dataclass(frozen=True)
class GeoFile:
    """One geometry: its official file name (cache, shared folder) and its snapshot name."""

    official: str
    embedded: str
    source: str  # French attribution when no manifest entry says better
    licence: str = ANCT_LICENCE
    code_key: str = "code"  # the official files' property names
    name_key: str = "nom"


DRAWING = {
    "departement": GeoFile(
        "fr-drom-4326-pur-style1-dep.geojson",
        "departements-dessin.geojson.gz",
        "Contours : ANCT, d'après IGN Admin Express (départements d'outre-mer rapprochés de la "
        "métropole)",
        code_key="insee_dep",
        name_key="lib_dep",
    ),
    "region": GeoFile(
        "fr-drom-4326-pur-style1-reg.geojson",
        "regions-dessin.geojson.gz",
        "Contours : ANCT, d'après IGN Admin Express (régions d'outre-mer rapprochées de la "
        "métropole)",
        code_key="insee_reg",
        name_key="lib_reg",
    ),
}
TRUE = {
    "departement": GeoFile(
        "polygone-4326_dep.geojson",
        "departements.geojson.gz",
        "Contours géographiques : ANCT, d'après IGN Admin Express (WGS84, outre-mer à sa place)",
        code_key="insee_dep",
        name_key="lib_dep",
    ),
    "region": GeoFile(
        "polygone-4326_reg.geojson",
        "regions.geojson.gz",
        "Contours géographiques : ANCT, d'après IGN Admin Express (WGS84, outre-mer à sa place)",
        code_key="insee_reg",
        name_key="lib_reg",
    ),
}
CENTRES = GeoFile(
    "communes-centroides.csv",
    "communes-centres.csv.gz",
    "Centres des communes : geo.api.gouv.fr (Etalab), d'après INSEE et IGN",
    code_key="insee",
)


@dataclass(frozen=True)
class Found:
    """A geometry file found, with what to print under a map drawn from it."""

    path: Path
    origin: str  # "cache", "embedded" or "shared"
    source: str
    licence: str
    vintage: str = ""
    url: str = ""

    @property
    def key(self) -> tuple:
        return (str(self.path), self.path.stat().st_mtime_ns)


def candidates(geo: GeoFile) -> list[tuple[Path, str]]:
    return [
        (Path(settings.CACHE_DIR) / "contours" / geo.official, "cache"),
        (EMBEDDED_DIR / "geo" / geo.embedded, "embedded"),
        (Path(settings.SHARED_DATA_DIR) / "geo" / geo.official, "shared"),
    ]


def find(geo: GeoFile) -> Found | None:
    """The best file at hand for ``geo``, or None."""
    for path, origin in candidates(geo):
        if path.is_file():
            entry = _manifest().get(f"geo/{geo.embedded}") if origin == "embedded" else None
            if entry:
                source = " ; ".join(x for x in (entry.get("title"), entry.get("publisher")) if x)
                return Found(
                    path,
                    origin,
                    f"{source} — {ORIGINS[origin]}",
                    entry.get("licence") or geo.licence,
                    str(entry.get("vintage") or ""),
                    entry.get("url") or "",
                )
            return Found(path, origin, f"{geo.source} — {ORIGINS[origin]} {path.name}", geo.licence)
    return None


def searched(geo: GeoFile) -> str:
    """The places looked in, for the "fond de carte indisponible" message."""
    return ", ".join(str(path) for path, _ in candidates(geo))


@lru_cache(maxsize=1)
def _manifest() -> dict[str, dict]:
    path = EMBEDDED_DIR / "manifest.json"
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {e["file"]: e for e in data.get("files") or [] if isinstance(e, dict) and "file" in e}


def _text(path: Path) -> str:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return raw.decode("utf-8-sig")


def read_features(path: Path, geo: GeoFile) -> list[tuple[str, str, dict]]:
    """``(code, nom, geometry)`` of every feature with a geometry and a code, sorted by code;
    the contract's ``code``/``nom`` properties, else the official file's."""
    data = json.loads(_text(path))
    out = []
    for f in data.get("features") or []:
        props = f.get("properties") or {}
        code = props.get("code") or props.get(geo.code_key)
        if f.get("geometry") and code:
            out.append(
                (str(code), str(props.get("nom") or props.get(geo.name_key) or ""), f["geometry"])
            )
    return sorted(out, key=lambda t: t[0])


def read_centres(path: Path) -> dict[str, tuple[float, float]]:
    """code -> (lon, lat) from ``code,lon,lat`` (snapshot) or ``insee,dept,lon,lat,name``."""
    out = {}
    for row in csv.DictReader(io.StringIO(_text(path))):
        code = row.get("code") or row.get("insee")
        try:
            out[code] = (float(row["lon"]), float(row["lat"]))
        except (TypeError, ValueError, KeyError):
            continue  # a row without position: the map counts the communes it cannot place
    return out
