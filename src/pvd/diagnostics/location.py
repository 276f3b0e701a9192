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

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import OuterRef, Subquery

from pvd import caching
from pvd.domain.cartography import local_cos, project_features, project_points
from pvd.programme import geofiles, maps
from pvd.territories.models import Commune, Dataset, GeoFeature
from pvd.territories.selectors_sql import Prepared

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

    @property
    def script_data(self) -> dict:
        """What location-map.js reads (a json_script block)."""
        return {"geojson": self.geojson, "tiles": self.tiles}

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


# Contours of the departments drawn so far, per process and data version (about 100).
_contours: caching.ProcessMemo[Contour | None] = caching.ProcessMemo("contours", size=128)


def _contour(departement_code: str, departement_nom: str) -> Contour | None:
    """The department's imported contour, else the one of the geometry files; None without."""

    def compute() -> Contour | None:
        contour = (
            GeoFeature.objects.filter(level="departement", code=departement_code)
            .select_related("dataset")
            .first()
        )
        if contour is not None:
            geometry, nom = contour.geometry, contour.nom or departement_nom
            source = f"Contour du département : {_attribution(contour)}"
        else:
            found = maps.export_geometries("departement")
            geometry, nom = found.geometries.get(departement_code), departement_nom
            if geometry is None:
                return None
            source = f"Contour du département : {found.source}"
        feature = [(departement_code, nom, geometry)]
        cos_lat = local_cos(feature)
        view_box, shapes = project_features(
            feature, width=SVG_WIDTH, min_step=0.8, cos_lat=cos_lat
        )
        path = shapes[0].path if shapes else ""
        return Contour(nom, geometry, source, feature, cos_lat, view_box, path)

    return _contours.get((departement_code, departement_nom), compute)


def _with_centre(communes, level: str, level_again: str):
    """``code, nom, geometry, dataset_id`` of ``communes``, their imported centre (level
    ``level``: a parameter may be bound once only) read by the same query, None without."""

    def centre(field: str) -> Subquery:
        centres = GeoFeature.objects.filter(level=level if field == "geometry" else level_again)
        return Subquery(centres.filter(code=OuterRef("code")).values(field)[:1])

    return communes.annotate(centre=centre("geometry"), centre_dataset=centre("dataset_id"))


# Prebuilt SQL (pvd.territories.selectors_sql): compiled once, run on every cold portrait.
_EPCI_CENTRES = Prepared(
    lambda com, epci, level, level_again: _with_centre(
        Commune.objects.filter(type=com, epci_id=epci), level, level_again
    ).values_list("code", "nom", "centre", "centre_dataset")
)
_OWN_CENTRE = Prepared(
    lambda com, pk, level, level_again: _with_centre(
        Commune.objects.filter(type=com, pk=pk), level, level_again
    ).values_list("code", "nom", "centre", "centre_dataset")
)


# The names and imported centres of an EPCI's communes (or of a commune without EPCI), per
# process and data version: the same for every commune of the EPCI (9.8 MiB for all 1,353).
_groups: caching.ProcessMemo[tuple[dict, dict, int | None]] = caching.ProcessMemo(
    "location-groups", size=2048
)


def _group_centres(commune: Commune) -> tuple[dict, dict, int | None]:
    """(code -> name of the commune and the other communes of its EPCI, code -> (lon, lat) of
    those with an imported centre, the dataset of the first centre read or None)."""

    def compute() -> tuple[dict, dict, int | None]:
        # The commune and the other communes of its EPCI, with their centres, in one query.
        if commune.epci_id:
            rows = _EPCI_CENTRES.run(COM, commune.epci_id, "commune", "commune")
        else:
            rows = _OWN_CENTRE.run(COM, commune.pk, "commune", "commune")
        names, lonlats, first_dataset = {}, {}, None
        for code, nom, geometry, dataset_id in rows:
            names[code] = nom
            if geometry is not None:
                lonlats[code] = tuple(geometry["coordinates"][:2])
                if first_dataset is None:
                    first_dataset = dataset_id
        return names, lonlats, first_dataset

    group = ("epci", commune.epci_id) if commune.epci_id else ("commune", commune.pk)
    return _groups.get((*caching.database_key(), group), compute)


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
    feature, cos_lat = contour.feature, contour.cos_lat
    codes = sorted(lonlats, key=lambda c: (c != commune.code, names.get(c, c)))
    lonlat = [lonlats[c] for c in codes]
    xy = project_points(feature, lonlat, width=SVG_WIDTH, cos_lat=cos_lat) if codes else []
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
    return GeoLocation(
        departement=f"{nom} ({commune.departement_id})",
        view_box=contour.view_box,
        contour=contour.path,
        commune=own,
        neighbours=neighbours,
        geojson=geojson,
        sources=sources,
        tiles=tiles,
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
