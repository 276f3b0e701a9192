"""Base maps of the dashboards: which boundaries to draw, from the best file at hand.

National and region maps are drawn from ANCT's "style1" contours (``fr-drom-4326-pur-style1-
{dep,reg}.geojson``, derived from IGN Admin Express, Licence Ouverte 2.0): overseas departments
moved and scaled next to mainland France, for thematic drawing only. They are drawn as insets
with a frame and a note saying so. Department maps draw the department's true contour (WGS84,
local projection) and its communes as points from their centres. Files are found by
:mod:`pvd.programme.geofiles` (downloaded, else the embedded snapshot, else the shared folder).

There is no drawn fallback: without a file for a level, :func:`base_map` returns None and the
page says "fond de carte indisponible" next to the table.

These drawing files are never exported: the exports' coordinates come from geographic contours
(:func:`export_geometries`). Projection and simplification happen once per process and file
(see :mod:`pvd.domain.cartography`).
"""

from __future__ import annotations

from dataclasses import dataclass

from pvd import caching
from pvd.domain import wgs84
from pvd.domain.cartography import (
    MARGIN,
    OVERSEAS,
    BaseMap,
    inset_frames,
    local_cos,
    project_features,
    project_points,
    view_box_of,
)
from pvd.programme import geofiles

LEVEL_NAMES = {"departement": "départements", "region": "régions"}

# Drawings kept in each process (pvd.caching): a few dozen (levels, regions). They depend on the
# contours only, never on the registry: the key carries the contours' identity (a file's path and
# modification time, the imported rows' fingerprint), so a data change does not redraw them.
_drawings: caching.ProcessMemo[BaseMap] = caching.ProcessMemo("base-maps", size=64, versioned=False)


def base_map(level: str) -> BaseMap | None:
    """The drawing of every territory of ``level`` ("departement" or "region"), overseas as
    framed insets; None when no contour file is at hand."""
    found = geofiles.find(geofiles.DRAWING[level])
    if found is None:
        return None
    return _drawings.get((level, *found.key), lambda: _drawing(level, found))


def _drawing(level: str, found: geofiles.Found) -> BaseMap:
    features = geofiles.read_features(found.path, geofiles.DRAWING[level])
    _, shapes = project_features(features)
    insets = inset_frames(shapes, OVERSEAS[level])
    return BaseMap(
        level=level,
        view_box=view_box_of([s.path for s in shapes], margin=MARGIN, frames=insets),
        shapes=tuple(sorted(shapes, key=lambda s: s.code)),
        source=found.source,
        licence=found.licence,
        url=found.url,
        vintage=found.vintage,
        insets=insets,
    )


def region_base_map(codes: list[str]) -> BaseMap | None:
    """The departments ``codes`` of a region on their own: true contours in a local projection
    (the detail a zoom on the national drawing lacks); the national drawing framed on them when
    one of them has no true contour; None without any geometry."""
    contours = export_geometries("departement")
    if codes and all(c in contours.geometries for c in codes):
        key = ("region-of", tuple(sorted(codes)), contours.source, contours.identity)

        def drawing() -> BaseMap:
            features = [(c, "", contours.geometries[c]) for c in sorted(codes)]
            _, shapes = project_features(features, cos_lat=local_cos(features))
            return BaseMap(
                level="departement",
                view_box=view_box_of([s.path for s in shapes], margin=MARGIN),
                shapes=tuple(shapes),
                source=contours.source or "",
                licence="",
            )

        return _drawings.get(key, drawing)
    base = base_map("departement")
    if base is None:
        return None
    shapes = tuple(s for s in base.shapes if s.code in codes)
    return BaseMap(
        level="departement",
        view_box=view_box_of([s.path for s in shapes], margin=MARGIN),
        shapes=shapes,
        source=base.source,
        licence=base.licence,
        url=base.url,
        vintage=base.vintage,
    )


def unavailable(level: str) -> str:
    """What the page says instead of a map when no contour file is at hand."""
    geo = geofiles.DRAWING[level]
    return (
        f"Fond de carte indisponible : aucun contour des {LEVEL_NAMES[level]} n'a été trouvé "
        f"({geo.official} ou {geo.embedded}, cherchés dans {geofiles.searched(geo)}). "
        "Les chiffres sont dans le tableau ci-dessous."
    )


# --- Department maps: the true contour and the communes as points -----------------------------
DEPARTMENT_WIDTH = 600.0


@dataclass(frozen=True)
class CommunePoint:
    code: str
    nom: str
    x: float
    y: float
    laureate: bool


@dataclass(frozen=True)
class DepartmentMap:
    code: str
    nom: str
    view_box: str
    contour: str  # SVG path of the department
    points: tuple[CommunePoint, ...]  # laureates last (drawn above the others)
    unplaced: tuple[str, ...]  # communes without a known centre (named in the text)
    sources: tuple[str, ...]  # French attributions, with licences and vintages

    @property
    def laureates(self) -> int:
        return sum(p.laureate for p in self.points)


def department_map(
    code: str, nom: str, *, communes: dict[str, str], laureates: set[str]
) -> DepartmentMap | str:
    """The department ``code`` with its ``communes`` (code -> name) as points, ``laureates``
    highlighted; a French message saying what is missing when it cannot be drawn."""
    contours = export_geometries("departement")
    geometry = contours.geometries.get(code)
    if geometry is None:
        return (
            f"Fond de carte indisponible : aucun contour géographique du département {code} "
            f"({geofiles.TRUE['departement'].official} ou "
            f"{geofiles.TRUE['departement'].embedded}, cherchés dans "
            f"{geofiles.searched(geofiles.TRUE['departement'])}). "
            "Les communes lauréates sont dans le tableau ci-dessous."
        )
    centres_file = geofiles.find(geofiles.CENTRES)
    centres = commune_centres(centres_file) if centres_file else {}
    feature = [(code, nom, geometry)]
    cos_lat = local_cos(feature)
    _, shapes = project_features(feature, width=DEPARTMENT_WIDTH, min_step=0.8, cos_lat=cos_lat)
    placed = sorted((c for c in communes if c in centres), key=lambda c: (c in laureates, c))
    xy = project_points(
        feature, [centres[c] for c in placed], width=DEPARTMENT_WIDTH, cos_lat=cos_lat
    )
    points = tuple(
        CommunePoint(c, communes[c], round(x, 1), round(y, 1), c in laureates)
        for c, (x, y) in zip(placed, xy, strict=True)
    )
    contour = shapes[0].path if shapes else ""
    dots = [(p.x - 5, p.y - 5, 10.0, 10.0) for p in points]
    sources = [contours.source or ""]
    if centres_file:
        sources.append(_attribution(centres_file))
    return DepartmentMap(
        code=code,
        nom=nom,
        view_box=view_box_of([contour] if contour else [], margin=MARGIN, frames=dots),
        contour=contour,
        points=points,
        unplaced=tuple(sorted(communes[c] for c in communes if c not in centres)),
        sources=tuple(s for s in sources if s),
    )


def _attribution(found: geofiles.Found) -> str:
    vintage = f", {found.vintage}" if found.vintage else ""
    return f"{found.source}{vintage} ({found.licence})"


_centres: caching.ProcessMemo[dict] = caching.ProcessMemo(
    "commune-centres", size=1, versioned=False
)


def commune_centres(found: geofiles.Found) -> dict[str, tuple[float, float]]:
    """The centres of a file, one file kept in each process, read again when the file changes
    (not when the data version does: 35,000 rows of CSV, 250 ms, for an unchanged file)."""
    return _centres.get("centres", lambda: geofiles.read_centres(found.path), token=found.key)


# --- Geometry of the exports ------------------------------------------------------------------
# Exports carry coordinates, so only geographic contours (overseas departments where they are):
# never the "style1" files above, whose moved overseas insets are for drawing only.
NO_GEOMETRY = (
    "Sans géométrie : aucun contour géographique en WGS84 n'est disponible (importez "
    "polygone-4326_dep.geojson avec « pvd data import-geo » ou placez les fichiers "
    "polygone-4326_{dep,reg}.geojson de l'ANCT dans le dossier des contours ; l'instantané "
    "embarqué en contient une version simplifiée). Les contours "
    "« style1 » des cartes, où l'outre-mer est rapproché de la métropole, ne sont pas exportés."
)


@dataclass(frozen=True)
class ExportGeometry:
    """code -> GeoJSON geometry in WGS84 lon/lat, where it comes from (None: no geometry)."""

    geometries: dict[str, dict]
    source: str | None
    note: str
    identity: tuple = ()  # what the geometries were read from (the drawings' memo key)


_exports: caching.ProcessMemo[ExportGeometry] = caching.ProcessMemo("export-geometries", size=2)


def export_geometries(level: str) -> ExportGeometry:
    """:func:`_export_geometries`, read once per process and data version (the geometry imports
    replace it): the region dashboards draw from it on every request."""
    return _exports.get(level, lambda: _export_geometries(level))


def _export_geometries(level: str) -> ExportGeometry:
    """True WGS84 geometry of departments or regions for the exports, from the best source:
    departments: imported contours (``pvd data import-geo``), else ANCT's geographic file
    (downloaded, embedded simplified, or shared); regions: ANCT's geographic file, else the
    imported contours of their departments."""
    from pvd.territories.models import Departement

    fingerprint = imported_fingerprint()
    imported, source = (
        _imported.get("departement", _read_imported, token=fingerprint)
        if fingerprint
        else ({}, None)
    )
    if level == "departement" and imported:
        return ExportGeometry(imported, source, _note(source), ("imported", fingerprint))
    found = geofiles.find(geofiles.TRUE[level])
    if found is not None:
        # One file per level kept in memory, read again when the file changes.
        geometries = _geometries.get(level, lambda: _read_true(level, found), token=found.key)
        name = _attribution(found)
        return ExportGeometry(geometries, name, _note(name), ("file", *found.key))
    if level == "region" and imported:
        region_of = dict(Departement.objects.values_list("code", "region_id"))
        parts: dict[str, list] = {}
        for code, geometry in imported.items():
            polygons = (
                [geometry["coordinates"]]
                if geometry["type"] == "Polygon"
                else geometry["coordinates"]
            )
            parts.setdefault(region_of.get(code, ""), []).extend(polygons)
        complete = {
            r
            for r in parts
            if {c for c, reg in region_of.items() if reg == r}
            <= {c for c in imported if region_of.get(c) == r}
        }
        geometries = {
            r: {"type": "MultiPolygon", "coordinates": parts[r]} for r in sorted(complete) if r
        }
        name = f"{source} ; régions formées des contours de leurs départements"
        return ExportGeometry(geometries, name, _note(name))
    return ExportGeometry({}, None, NO_GEOMETRY)


# The imported department contours (``pvd data import-geo``), decoded once per process and kept
# while their rows' fingerprint is the same: decoding their GeoJSON costs about 90 ms, and the
# registry's imports (which change the data version) never touch them.
_imported: caching.ProcessMemo[tuple[dict[str, dict], str | None]] = caching.ProcessMemo(
    "imported-contours", size=1, versioned=False
)


def imported_fingerprint() -> tuple:
    """The imported department contours' rows as one GROUP BY: their datasets (key, checksum,
    load time), how many rows and their ids; empty when none is imported."""
    from django.db.models import Count, Max, Min

    from pvd.territories.models import GeoFeature

    return tuple(
        GeoFeature.objects.filter(level="departement")
        .values_list("dataset_id", "dataset__checksum", "dataset__loaded_at")
        .annotate(Count("id"), Min("id"), Max("id"))
        .order_by("dataset_id")
    )


def _read_imported() -> tuple[dict[str, dict], str | None]:
    from pvd.territories.models import GeoFeature

    imported = list(
        GeoFeature.objects.filter(level="departement")
        .select_related("dataset")
        .only("code", "geometry", "dataset__title", "dataset__version")
    )
    if not imported:
        return {}, None
    d = imported[0].dataset
    return {f.code: f.geometry for f in imported}, f"{d.title} — fichier {d.version} (importé)"


def _note(source: str) -> str:
    return f"Géométrie en WGS84 (EPSG:4326, longitude/latitude), outre-mer à sa place : {source}"


def _read_true(level: str, found: geofiles.Found) -> dict[str, dict]:
    return {
        code: wgs84.rounded(geometry)
        for code, _, geometry in geofiles.read_features(found.path, geofiles.TRUE[level])
    }


_geometries: caching.ProcessMemo[dict[str, dict]] = caching.ProcessMemo(
    "true-geometries", size=2, versioned=False
)
