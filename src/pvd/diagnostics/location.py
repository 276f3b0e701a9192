"""Location map of a portrait.

With the department's true contour and the commune centres (imported with ``pvd data
import-geo``, else the files found by :mod:`pvd.programme.geofiles`: downloaded, the embedded
open-data snapshot, the shared folder): an interactive Leaflet map of the department's contour,
the commune and the other communes of its EPCI, plus the same drawing as a static SVG, shown
before the script runs, to readers without JavaScript, and in the PDF. The background tiles are
optional (``PVD_MAP_TILES``): without them nothing leaves the platform and the map works offline.

Without them: the national drawing of the departments (overseas as insets), the commune's
department highlighted; without any contour, the page says the map is unavailable.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import OuterRef, Subquery
from django.utils.html import json_script
from django.utils.safestring import SafeString, mark_safe

from pvd import caching
from pvd.domain.cartography import local_cos, point_projection, project_features
from pvd.programme import geofiles, maps
from pvd.territories import selectors_pages
from pvd.territories.models import Commune, Dataset, GeoFeature

SVG_WIDTH = 400.0
COM = Commune.Type.COM.value


@dataclass(frozen=True)
class Area:
    code: str
    nom: str
    path: str
    highlighted: bool


@dataclass(frozen=True)
class LocationMap:
    """The national drawing of the departments with the commune's department highlighted."""

    view_box: str
    areas: list[Area]
    departement: str
    attribution: str
    licence_url: str
    insets: tuple[tuple[float, float, float, float], ...] = ()


@dataclass(frozen=True)
class Point:
    code: str
    nom: str
    lon: float
    lat: float
    x: float  # in the SVG view box
    y: float


@dataclass(frozen=True)
class GeoLocation:
    """The commune on its department's contour, from imported geometries."""

    departement: str
    view_box: str
    contour: str  # SVG path of the department
    commune: Point | None
    neighbours: list[Point]  # the other communes of the EPCI
    geojson: dict  # what the Leaflet script draws (contour, commune, neighbours)
    sources: list[str] = field(default_factory=list)  # French attributions, with licences
    tiles: dict | None = None  # {"url": ..., "attribution": ...} when configured
    script_json: str = ""  # script_data as json_script writes it (the contour's part kept)

    @property
    def script_data(self) -> dict:
        """What location-map.js reads (a json_script block)."""
        return {"geojson": self.geojson, "tiles": self.tiles}

    @property
    def script_tag(self) -> SafeString:
        """``json_script(script_data, "location-data")``, the department's contour (most of it)
        written once per contour instead of once per portrait."""
        if not self.script_json:
            return json_script(self.script_data, "location-data")
        tag = '<script id="location-data" type="application/json">{}</script>'
        return mark_safe(tag.format(self.script_json))

    @property
    def text(self) -> str:
        """The map said in words (RGAA: a text alternative to the map)."""
        if self.commune is None:
            return f"Département {self.departement} ; position de la commune non chargée."
        return (
            f"{self.commune.nom} (longitude {self.commune.lon:.4f}, latitude "
            f"{self.commune.lat:.4f}) dans le département {self.departement}"
            + (
                f", avec les {len(self.neighbours)} autres communes de son intercommunalité"
                if self.neighbours
                else ""
            )
            + "."
        )


def location_map(departement_code: str) -> LocationMap | None:
    base = maps.base_map("departement")
    own = base.shape(departement_code) if base else None
    if own is None:
        return None
    areas = [Area(s.code, s.nom, s.path, s.code == departement_code) for s in base.shapes]
    # The highlighted department last, so its outline is drawn above its neighbours'.
    areas.sort(key=lambda a: a.highlighted)
    vintage = f", {base.vintage}" if base.vintage else ""
    return LocationMap(
        view_box=base.view_box,
        areas=areas,
        departement=own.nom,
        attribution=f"{base.source}{vintage} — {base.licence}",
        licence_url=base.url,
        insets=base.insets,
    )


def _attribution(feature: GeoFeature) -> str:
    d = feature.dataset
    return f"{d.title}, {d.vintage} ({d.licence})"


_attributions: caching.ProcessMemo[str] = caching.ProcessMemo("geo-attributions", size=8)


def _dataset_attribution(dataset_id: int) -> str:
    """The attribution of the commune centres' dataset (one per process and data version)."""

    def compute() -> str:
        return _attribution(GeoFeature(dataset=Dataset.objects.get(pk=dataset_id)))

    return _attributions.get(dataset_id, compute)


@dataclass(frozen=True)
class Contour:
    """A department's contour, projected (the same for each of its communes' portraits)."""

    nom: str
    geometry: dict
    source: str
    feature: list  # [(code, nom, geometry)], as cartography takes it
    cos_lat: float
    view_box: str
    path: str
    feature_json: str  # its feature in the map's script data, as json_script writes it
    project: Callable[[float, float], tuple[float, float]]  # (lon, lat) -> (x, y)


# json_script's escapes (django.utils.html): the JSON may be put in a <script> element.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _script_json(value) -> str:
    """``value`` as json_script writes it, without the element (JSON texts concatenate)."""
    return json.dumps(value, cls=DjangoJSONEncoder).translate(_SCRIPT_ESCAPES)


# The departments' contours, projected, for the whole country at the first need: about 100,
# the same for each of their communes' portraits. They depend on the imported contours (or the
# geometry file) only, not on the data version: kept while their source's identity is the same
# (``_contour_source``, read once per process and data version), so that an import or a build
# which does not touch them leaves them drawn.
_contours: caching.ProcessMemo[dict[str, Contour | None]] = caching.ProcessMemo(
    "contours", size=4, versioned=False
)
_contour_sources: caching.ProcessMemo[tuple] = caching.ProcessMemo("contour-sources", size=4)


def _contour_source() -> tuple:
    """What the contours are drawn from: the imported rows' fingerprint, the file's key and the
    departments' names (a name is drawn when the contour has none)."""

    def compute() -> tuple:
        found = geofiles.find(geofiles.TRUE["departement"])
        names = tuple((c, d.nom) for c, d in selectors_pages.tables().departements.items())
        return maps.imported_fingerprint(), found.key if found is not None else None, names

    return _contour_sources.get(caching.database_key(), compute)


def _project(code: str, nom: str, geometry: dict, source: str) -> Contour:
    feature = [(code, nom, geometry)]
    cos_lat = local_cos(feature)
    view_box, shapes = project_features(feature, width=SVG_WIDTH, min_step=0.8, cos_lat=cos_lat)
    path = shapes[0].path if shapes else ""
    script = {"type": "Feature", "properties": {"role": "departement", "nom": nom}}
    script_json = _script_json({**script, "geometry": geometry})
    project = point_projection(feature, width=SVG_WIDTH, cos_lat=cos_lat)
    return Contour(nom, geometry, source, feature, cos_lat, view_box, path, script_json, project)


def _drawn(code: str, nom: str, imported: GeoFeature | None, exported) -> Contour | None:
    """The department's imported contour, else the one of the geometry files (``exported()``),
    projected; None without either."""
    if imported is not None:
        source = f"Contour du département : {_attribution(imported)}"
        return _project(code, imported.nom or nom, imported.geometry, source)
    found = exported()
    geometry = found.geometries.get(code)
    if geometry is None:
        return None
    return _project(code, nom, geometry, f"Contour du département : {found.source}")


def _imported_contours():
    return GeoFeature.objects.filter(level="departement").select_related("dataset")


def _exported_contours():
    return maps.export_geometries("departement")


def _all_contours() -> dict[tuple[str, str], Contour | None]:
    """(code, name) of every department of the referential -> its contour."""
    imported = {f.code: f for f in _imported_contours()}
    return {
        (code, d.nom): _drawn(code, d.nom, imported.get(code), _exported_contours)
        for code, d in selectors_pages.tables().departements.items()
    }


def _contour(departement_code: str, departement_nom: str) -> Contour | None:
    """The department's imported contour, else the one of the geometry files; None without."""
    contours = _contours.get(caching.database_key(), _all_contours, token=_contour_source())
    key = (departement_code, departement_nom)
    if key in contours:
        return contours[key]
    # Not in the referential's tables (a name changed since): drawn alone.
    imported = _imported_contours().filter(code=departement_code).first()
    return _drawn(departement_code, departement_nom, imported, _exported_contours)


def _with_centre(communes, level: str, level_again: str):
    """``code, nom, geometry, dataset_id`` of ``communes``, their imported centre (level
    ``level``: a parameter may be bound once only) read by the same query, None without."""

    def centre(field: str) -> Subquery:
        centres = GeoFeature.objects.filter(level=level if field == "geometry" else level_again)
        return Subquery(centres.filter(code=OuterRef("code")).values(field)[:1])

    return communes.annotate(centre=centre("geometry"), centre_dataset=centre("dataset_id"))


# The names and imported centres of every commune by group (its EPCI, or the commune alone when
# it has none), read for the whole country in one query at the first need, per process and data
# version (and shared by the workers): 1,353 groups, about 10 MiB (a first visit of an EPCI read
# its group alone before).
_groups: caching.ProcessMemo[dict] = caching.ProcessMemo("location-groups", size=4)
# Part of the shared entry's key: change it with the shape _all_groups returns, so that a new
# release never reads the former shape from the disk cache.
GROUPS_FORMAT = 1


def _all_groups(communes=None) -> dict[tuple, tuple[dict, dict, int | None]]:
    communes = Commune.objects.filter(type=COM) if communes is None else communes
    rows = _with_centre(communes.order_by("pk"), "commune", "commune").values_list(
        "pk", "epci_id", "code", "nom", "centre", "centre_dataset"
    )
    groups: dict[tuple, tuple[dict, dict, list]] = {}
    for pk, epci_id, code, nom, geometry, dataset_id in rows.iterator(chunk_size=5000):
        group = ("epci", epci_id) if epci_id else ("commune", pk)
        names, lonlats, first = groups.setdefault(group, ({}, {}, []))
        names[code] = nom
        if geometry is not None:
            lonlats[code] = tuple(geometry["coordinates"][:2])
            if not first:
                first.append(dataset_id)
    return {
        group: (names, lonlats, first[0] if first else None)
        for group, (names, lonlats, first) in groups.items()
    }


def _group_centres(commune: Commune) -> tuple[dict, dict, int | None]:
    """(code -> name of the commune and the other communes of its EPCI, code -> (lon, lat) of
    those with an imported centre, the dataset of the first centre read or None)."""
    group = ("epci", commune.epci_id) if commune.epci_id else ("commune", commune.pk)
    if caching.data_version() == caching.UNCACHED:  # PVD_CACHE=none keeps nothing: one group
        by = {"epci_id": commune.epci_id} if commune.epci_id else {"pk": commune.pk}
        groups = _all_groups(Commune.objects.filter(type=COM, **by))
    else:
        groups = _groups.get(caching.database_key(), _shared_groups)
    return groups.get(group, ({}, {}, None))


def _shared_groups() -> dict[tuple, tuple[dict, dict, int | None]]:
    """:func:`_all_groups` once per data version and database for every worker (1.7 MB pickled:
    19 ms to read back against 0.2-0.3 s to query and decode)."""
    return caching.stored_shared(caching.stored_key("location-groups", GROUPS_FORMAT), _all_groups)


def geo_location(commune: Commune) -> GeoLocation | None:
    """The location from imported geometries, else from the geometry files; None when the
    department has no true contour (the caller then falls back to :func:`location_map`)."""
    contour = _contour(commune.departement_id, commune.departement.nom)
    if contour is None:
        return None
    geometry, nom, sources = contour.geometry, contour.nom, [contour.source]
    names, lonlats, first_dataset = _group_centres(commune)
    if lonlats:
        sources.append(f"Centres des communes : {_dataset_attribution(first_dataset)}")
    else:
        lonlats, source = _file_centres(set(names))
        if source:
            sources.append(source)
    codes = sorted(lonlats, key=lambda c: (c != commune.code, names.get(c, c)))
    lonlat = [lonlats[c] for c in codes]
    xy = [contour.project(lon, lat) for lon, lat in lonlat]
    points = [
        Point(c, names.get(c, c), lon, lat, round(x, 1), round(y, 1))
        for c, (lon, lat), (x, y) in zip(codes, lonlat, xy, strict=True)
    ]
    own = next((p for p in points if p.code == commune.code), None)
    neighbours = [p for p in points if p.code != commune.code]
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"role": "departement", "nom": nom},
                "geometry": geometry,
            },
            *(
                {
                    "type": "Feature",
                    "properties": {
                        "role": "commune" if p.code == commune.code else "voisine",
                        "nom": p.nom,
                        "code": p.code,
                    },
                    "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                }
                for p in points
            ),
        ],
    }
    tiles = (
        {"url": settings.MAP_TILES, "attribution": settings.MAP_TILES_ATTRIBUTION}
        if settings.MAP_TILES
        else None
    )
    # script_data's JSON: the contour's feature written once, then the points and tiles.
    features = [contour.feature_json]
    if points:
        features.append(_script_json(geojson["features"][1:])[1:-1])
    script_json = (
        '{"geojson": {"type": "FeatureCollection", "features": ['
        + ", ".join(features)
        + ']}, "tiles": '
        + _script_json(tiles)
        + "}"
    )
    return GeoLocation(
        departement=f"{nom} ({commune.departement_id})",
        view_box=contour.view_box,
        contour=contour.path,
        commune=own,
        neighbours=neighbours,
        geojson=geojson,
        sources=sources,
        tiles=tiles,
        script_json=script_json,
    )


def _file_centres(codes: set[str]) -> tuple[dict[str, tuple[float, float]], str]:
    """(code -> (lon, lat) of ``codes``, attribution) from the commune-centre file at hand."""
    found = geofiles.find(geofiles.CENTRES)
    if found is None:
        return {}, ""
    centres = maps.commune_centres(found)
    vintage = f", {found.vintage}" if found.vintage else ""
    return (
        {c: centres[c] for c in codes if c in centres},
        f"{found.source}{vintage} ({found.licence})",
    )
