"""Geometry files of the open-data snapshot (``geo/`` of src/pvd/data/opendata), built from the
shared ANCT and geo.api.gouv.fr files. Deterministic (see opendata_io).

- ``*-dessin.geojson.gz``: ANCT "style1" files, overseas moved and scaled next to mainland
  France: for thematic drawing only.
- ``departements``/``regions.geojson.gz``: true WGS84 (``polygone-4326_*``), simplified with
  shapely (topology preserved, tolerance 0.002 degrees).
- ``epci.geojson.gz``: true WGS84 EPCI contours: the mainland features of the style1 EPCI file
  (geographic, checked against the true departments) and the overseas ones moved back by
  inverting, per department, the affine map (scale and shift per axis) that style1 applied,
  fitted from the department's bounding boxes in both files (main islands only).
- ``communes-centres.csv.gz``: ``code,lon,lat`` of the current communes.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import shapely
from opendata_io import csv_bytes, entry, geojson_bytes, snapshot_geography, write_gz
from shapely.geometry import mapping, shape

from pvd.domain.geography import CurrentGeography

DECIMALS = 4
VINTAGE = "Admin Express (version de l'export, non indiquée)"
TOLERANCE = 0.002  # degrees, about 150 to 220 m
ANCT_URL = (
    "https://www.data.gouv.fr/fr/datasets/contours-des-territoires-francais-pour-cartographie/"
)
ANCT = "ANCT (Agence nationale de la cohésion des territoires), d'après IGN Admin Express"
STYLE1 = "fr-drom-4326-pur-style1-{}.geojson"
TRUE = "polygone-4326_{}.geojson"
LEVELS = {  # file key -> (our name, code property, name property)
    "dep": ("departements", "insee_dep", "lib_dep"),
    "reg": ("regions", "insee_reg", "lib_reg"),
    "epci": ("epci", "siren_epci", "lib_epci"),
}


def _features(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def _ring(coords, transform=None) -> list[list[float]] | None:
    """Round a ring to DECIMALS, drop repeated points; None when degenerate."""
    out: list[list[float]] = []
    for x, y, *_ in coords:
        if transform is not None:
            x, y = transform(x, y)
        point = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or point != out[-1]:
            out.append(point)
    if len(out) < 3:
        return None
    if out[0] != out[-1]:
        out.append(out[0])
    if len(out) < 4 or shapely.area(shapely.Polygon(out)) == 0:
        return None
    return out


def clean_geometry(geometry: dict, transform=None) -> dict | None:
    """Rounded (Multi)Polygon without empty or degenerate rings; a polygon whose outer ring is
    degenerate is dropped with its holes. None when nothing is left."""
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    kept = []
    for polygon in polygons:
        rings = [_ring(r, transform) for r in polygon]
        if not rings or rings[0] is None:
            continue
        kept.append([rings[0], *(r for r in rings[1:] if r is not None)])
    if not kept:
        return None
    if len(kept) == 1:
        return {"type": "Polygon", "coordinates": kept[0]}
    return {"type": "MultiPolygon", "coordinates": kept}


def _feature(code: str, nom: str, geometry: dict) -> dict:
    return {"type": "Feature", "properties": {"code": code, "nom": nom}, "geometry": geometry}


def _polygons(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


def _collection(features: list[dict]) -> list[dict]:
    """Sorted by code, one feature per code: the style1 EPCI file has one feature per EPCI and
    department, whose polygons are put together (in file order) into one MultiPolygon."""
    merged: dict[str, dict] = {}
    for f in features:
        code = f["properties"]["code"]
        if code not in merged:
            merged[code] = f
            continue
        polygons = _polygons(merged[code]["geometry"]) + _polygons(f["geometry"])
        merged[code]["geometry"] = {"type": "MultiPolygon", "coordinates": polygons}
    return [merged[code] for code in sorted(merged)]


def affine_of(style1_bounds, true_bounds):
    """The map from style1 coordinates back to true ones: per axis, scale and shift fitted on
    the bounding boxes (minx, miny, maxx, maxy) of one department in both files."""
    sx = (true_bounds[2] - true_bounds[0]) / (style1_bounds[2] - style1_bounds[0])
    sy = (true_bounds[3] - true_bounds[1]) / (style1_bounds[3] - style1_bounds[1])

    def transform(x: float, y: float) -> tuple[float, float]:
        return (
            true_bounds[0] + (x - style1_bounds[0]) * sx,
            true_bounds[1] + (y - style1_bounds[1]) * sy,
        )

    return transform


def main_bounds(geometry, share: float = 0.1) -> tuple[float, float, float, float]:
    """Bounding box of the polygons of at least ``share`` of the largest one's area: style1
    leaves out small islands (Les Saintes, La Désirade), so fitting on the whole department
    would shift the map; both files are filtered the same way."""
    parts = list(getattr(geometry, "geoms", [geometry]))
    largest = max(p.area for p in parts)
    return shapely.MultiPolygon([p for p in parts if p.area >= share * largest]).bounds


def _drawing(shared: Path, key: str) -> tuple[list[dict], int]:
    name, code_key, nom_key = LEVELS[key]
    dropped = 0
    features = []
    for f in _features(shared / "geo" / STYLE1.format(key)):
        props = f["properties"]
        geometry = clean_geometry(f["geometry"]) if f.get("geometry") else None
        if geometry is None or not props[code_key]:  # no code: islands outside any EPCI
            dropped += 1
            continue
        features.append(_feature(props[code_key], props[nom_key], geometry))
    return _collection(features), dropped


def _true(shared: Path, key: str) -> tuple[list[dict], int]:
    name, code_key, nom_key = LEVELS[key]
    dropped = 0
    features = []
    for f in _features(shared / "geo" / TRUE.format(key)):
        props = f["properties"]
        simple = shapely.simplify(shape(f["geometry"]), TOLERANCE, preserve_topology=True)
        geometry = clean_geometry(mapping(simple))
        if geometry is None:
            dropped += 1
            continue
        features.append(_feature(props[code_key], props[nom_key], geometry))
    return _collection(features), dropped


def _epci_true(shared: Path) -> tuple[list[dict], dict]:
    """True WGS84 EPCI contours (see the module docstring) and what was done."""
    style1_dep = {
        f["properties"]["insee_dep"]: shape(f["geometry"])
        for f in _features(shared / "geo" / STYLE1.format("dep"))
    }
    true_dep = {
        f["properties"]["insee_dep"]: shape(f["geometry"])
        for f in _features(shared / "geo" / TRUE.format("dep"))
    }
    moved: dict[str, int] = {}
    outside: list[str] = []
    dropped = 0
    features = []
    for f in _features(shared / "geo" / STYLE1.format("epci")):
        props = f["properties"]
        dep = props["insee_dep"]
        if not props["siren_epci"]:  # islands outside any EPCI (Sein, Yeu, Bréhat)
            dropped += 1
            continue
        transform = None
        if dep.startswith("97"):
            transform = affine_of(main_bounds(style1_dep[dep]), main_bounds(true_dep[dep]))
            moved[dep] = moved.get(dep, 0) + 1
        geometry = clean_geometry(f["geometry"], transform) if f.get("geometry") else None
        if geometry is None:
            dropped += 1
            continue
        point = shape(geometry).representative_point()
        if not true_dep[dep].buffer(0.02).contains(point):
            outside.append(props["siren_epci"])
        features.append(_feature(props["siren_epci"], props["lib_epci"], geometry))
    if outside:
        raise SystemExit(
            f"EPCI hors de leur département réel après transformation : {', '.join(outside)}"
        )
    return _collection(features), {"moved": moved, "dropped": dropped}


def _centres(shared: Path, geo: CurrentGeography) -> tuple[bytes, int, dict[str, int], int]:
    rows = []
    dropped: dict[str, int] = {}
    with (shared / "geo" / "communes-centroides.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            code = row["insee"].strip()
            if code not in geo.actual:
                reason = geo.rule_of(code)
                dropped[reason] = dropped.get(reason, 0) + 1
                continue
            rows.append((code, f"{float(row['lon']):.5f}", f"{float(row['lat']):.5f}"))
    rows.sort()
    missing = len(geo.actual - {r[0] for r in rows})
    return csv_bytes(("code", "lon", "lat"), rows), len(rows), dropped, missing


def build_geo(shared: Path, out: Path, geo: CurrentGeography | None = None) -> list[dict]:
    """Write the ``geo/`` files into ``out``; returns their manifest entries. ``geo``: the
    current geography (default: the embedded referential's)."""
    geo = geo or snapshot_geography()
    entries = []
    for key in ("dep", "reg", "epci"):
        name = LEVELS[key][0]
        features, dropped = _drawing(shared, key)
        rel, sha = write_gz(out, f"geo/{name}-dessin.geojson.gz", geojson_bytes(features))
        entries.append(
            entry(
                file=rel,
                sha256=sha,
                rows=len(features),
                title=f"Contours des {name} pour le dessin (outre-mer rapprochés, « style1 »)",
                publisher=ANCT,
                vintage="EPCI d'un millésime antérieur" if key == "epci" else VINTAGE,
                url=ANCT_URL,
                inputs=[(f"geo/{STYLE1.format(key)}", shared / "geo" / STYLE1.format(key))],
                notes=(
                    "Outre-mer déplacé et agrandi près de la métropole : pour le dessin "
                    f"seulement. Coordonnées arrondies à {DECIMALS} décimales ; "
                    f"{dropped} entités sans géométrie valide ou sans code écartées"
                    + (" (îles hors EPCI : Sein, Yeu, Bréhat)." if key == "epci" else ".")
                ),
            )
        )
    for key in ("dep", "reg"):
        name = LEVELS[key][0]
        features, dropped = _true(shared, key)
        rel, sha = write_gz(out, f"geo/{name}.geojson.gz", geojson_bytes(features))
        entries.append(
            entry(
                file=rel,
                sha256=sha,
                rows=len(features),
                title=f"Contours des {name} (WGS84 réel, simplifiés)",
                publisher=ANCT,
                vintage=VINTAGE,
                url=ANCT_URL,
                inputs=[(f"geo/{TRUE.format(key)}", shared / "geo" / TRUE.format(key))],
                notes=(
                    f"Simplifiés avec shapely {shapely.__version__} (GEOS "
                    f"{shapely.geos_version_string}), tolérance {TOLERANCE}°, topologie "
                    f"préservée ; arrondis à {DECIMALS} décimales ; {dropped} entités écartées."
                ),
            )
        )
    features, info = _epci_true(shared)
    rel, sha = write_gz(out, "geo/epci.geojson.gz", geojson_bytes(features))
    moved = ", ".join(f"{dep} : {n}" for dep, n in sorted(info["moved"].items()))
    entries.append(
        entry(
            file=rel,
            sha256=sha,
            rows=len(features),
            title="Contours des EPCI (WGS84 réel)",
            publisher=ANCT,
            vintage="EPCI d'un millésime antérieur",
            url=ANCT_URL,
            inputs=[
                (f"geo/{STYLE1.format(k)}", shared / "geo" / STYLE1.format(k))
                for k in ("epci", "dep")
            ]
            + [("geo/" + TRUE.format("dep"), shared / "geo" / TRUE.format("dep"))],
            notes=(
                "Métropole : géométries du fichier style1 (géographiques, vérifiées contre les "
                "départements réels). Outre-mer ramené à sa place en inversant, par département, "
                f"l'application affine du style1 ajustée sur les boîtes englobantes ({moved}). "
                f"{info['dropped']} entités sans géométrie ou sans code (îles hors EPCI) écartées."
            ),
            moved_back=info["moved"],
        )
    )
    raw, rows, dropped, missing = _centres(shared, geo)
    rel, sha = write_gz(out, "geo/communes-centres.csv.gz", raw)
    entries.append(
        entry(
            file=rel,
            sha256=sha,
            rows=rows,
            title="Centres des communes",
            publisher="Etalab, API Découpage administratif (geo.api.gouv.fr)",
            vintage="géographie de l'export (2025), rebasée sur la géographie en vigueur",
            url="https://geo.api.gouv.fr/decoupage-administratif/communes",
            inputs=[("geo/communes-centroides.csv", shared / "geo" / "communes-centroides.csv")],
            notes=(
                f"Codes hors communes en vigueur écartés : {sum(dropped.values())} ; "
                f"communes en vigueur sans centre : {missing}."
            ),
            skipped=dict(sorted(dropped.items())),
        )
    )
    return entries
