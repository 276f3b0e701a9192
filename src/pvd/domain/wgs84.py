"""Where French territories lie in WGS84 longitude/latitude (EPSG:4326), to check geometry
before it is exported as geographic coordinates.

Pure Python, no Django. The thematic "style1" contours move the overseas departments next to
mainland France (Guadeloupe drawn in the Bay of Biscay) while keeping degrees as units: good for
drawing a map, wrong as data. An export checks every coordinate against the box of its
territory and drops a geometry that falls outside (it is exported without geometry and named).

Boxes (lon min, lon max, lat min, lat max), in degrees, a little wider than the territories of
IGN Admin Express (ANCT ``polygone-4326_dep.geojson``): mainland France with Corsica (the same
box as :mod:`pvd.sources.geo`), and each overseas department.
"""

from __future__ import annotations

from collections.abc import Iterator

Box = tuple[float, float, float, float]

MAINLAND: Box = (-5.5, 10.0, 41.0, 51.5)
OVERSEAS: dict[str, Box] = {
    "971": (-61.9, -60.9, 15.8, 16.6),  # Guadeloupe (with Marie-Galante, Les Saintes, Désirade)
    "972": (-61.3, -60.75, 14.35, 14.95),  # Martinique
    "973": (-54.7, -51.5, 2.0, 5.9),  # Guyane
    "974": (55.2, 55.9, -21.45, -20.85),  # La Réunion
    "976": (44.95, 45.35, -13.05, -12.6),  # Mayotte
}
# Single-department overseas regions (COG region code -> department code).
OVERSEAS_REGIONS = {"01": "971", "02": "972", "03": "973", "04": "974", "06": "976"}


def box_of(level: str, code: str) -> Box | None:
    """The box of a department or a region ("departement" or "region" level); None for a code
    outside these (collectivités d'outre-mer...): :func:`outside` then refuses the geometry."""
    if level == "region":
        if code in OVERSEAS_REGIONS:
            return OVERSEAS[OVERSEAS_REGIONS[code]]
        return MAINLAND if code.isdigit() and int(code) >= 11 else None
    if code in OVERSEAS:
        return OVERSEAS[code]
    return None if code.startswith(("97", "98")) else MAINLAND


def points(coordinates) -> Iterator[tuple[float, float]]:
    """Every (lon, lat) of GeoJSON coordinates, whatever the geometry type."""
    if coordinates and isinstance(coordinates[0], int | float):
        yield float(coordinates[0]), float(coordinates[1])
        return
    for part in coordinates or ():
        yield from points(part)


def outside(geometry: dict | None, box: Box | None) -> tuple[float, float] | None:
    """The first point of ``geometry`` outside ``box`` (or an unreadable one), None when the
    whole geometry lies inside. A geometry without points or without a box is refused."""
    if not geometry:
        return None
    if box is None:
        return (float("nan"), float("nan"))
    lon_min, lon_max, lat_min, lat_max = box
    try:
        seen = False
        for lon, lat in points(geometry.get("coordinates")):
            seen = True
            if not (lon_min <= lon <= lon_max and lat_min <= lat <= lat_max):
                return (lon, lat)
    except (TypeError, IndexError, ValueError):
        return (float("nan"), float("nan"))
    return None if seen else (float("nan"), float("nan"))


def rounded(geometry: dict, digits: int = 5) -> dict:
    """The geometry with coordinates rounded to ``digits`` decimals (1e-5 degree is about 1 m:
    ANCT's files carry 15 decimals, three times the bytes for nothing an export can use)."""

    def walk(c):
        if c and isinstance(c[0], int | float):
            return [round(float(x), digits) for x in c]
        return [walk(x) for x in c]

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}
