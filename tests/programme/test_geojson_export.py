"""Regression tests of issue 10: the territories' GeoJSON export carries true WGS84 geometry
(overseas departments where they are), never the moved insets of the "style1" drawing files;
without geographic contours it exports the features without geometry and says so."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from django.test import Client

from pvd.domain import wgs84

GEO = Path(__file__).resolve().parent.parent / "data" / "geo"
MAINLAND = (-5.5, 10.0, 41.0, 51.5)
OVERSEAS = {  # department -> (lon min, lon max, lat min, lat max)
    "971": (-62.0, -60.8, 15.7, 16.7),  # Caribbean
    "972": (-61.4, -60.7, 14.3, 15.0),
    "973": (-54.8, -51.4, 1.9, 6.0),
    "974": (55.1, 56.0, -21.5, -20.8),
    "976": (44.9, 45.4, -13.1, -12.5),
}
REGION_DEP = {"01": "971", "02": "972", "03": "973", "04": "974", "06": "976"}
# The referential also lists the collectivités d'outre-mer (975, 977, 978, 98x), which no
# department contour file covers: they are always exported without geometry.
COM = {"975", "977", "978", "984", "986", "987", "988", "989"}


def _box(level: str, code: str):
    dep = REGION_DEP.get(code) if level == "region" else code
    return OVERSEAS.get(dep, MAINLAND)


def _export(url: str) -> dict:
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


def _assert_in_france(doc: dict, level: str) -> int:
    """Every coordinate of every feature inside France's WGS84 boxes; returns the number of
    features with a geometry."""
    n = 0
    for feature in doc["features"]:
        if feature["geometry"] is None:
            continue
        n += 1
        lon_min, lon_max, lat_min, lat_max = _box(level, feature["id"])
        for lon, lat in wgs84.points(feature["geometry"]["coordinates"]):
            assert lon_min <= lon <= lon_max and lat_min <= lat <= lat_max, (feature["id"], lon)
    return n


def _points(doc: dict, code: str) -> list[tuple[float, float]]:
    feature = next(f for f in doc["features"] if f["id"] == code)
    return list(wgs84.points(feature["geometry"]["coordinates"]))


@pytest.fixture
def no_contours(settings, tmp_path, monkeypatch):
    """Empty cache, snapshot and shared folders: only what a test puts there is found."""
    from pvd.programme import geofiles

    monkeypatch.setattr(geofiles, "EMBEDDED_DIR", tmp_path / "embedded")
    settings.CACHE_DIR = tmp_path / "cache"
    settings.SHARED_DATA_DIR = tmp_path / "shared"
    (tmp_path / "cache" / "contours").mkdir(parents=True)
    (tmp_path / "shared" / "geo").mkdir(parents=True)
    return tmp_path


def test_export_uses_the_geographic_files_not_style1(
    imported, shared_data, settings, tmp_path, monkeypatch
):
    from pvd.programme import geofiles

    # The shared folder holds both the style1 files (maps) and polygone-4326 (geography).
    assert (shared_data / "geo" / "fr-drom-4326-pur-style1-dep.geojson").is_file()
    settings.CACHE_DIR = tmp_path
    monkeypatch.setattr(geofiles, "EMBEDDED_DIR", tmp_path)  # the shared files, not the snapshot
    deps = _export("/programme/pvd/territoires.geojson?niveau=departement")
    assert _assert_in_france(deps, "departement") == 101
    assert set(deps["metadata"]["sans_geometrie"]) == COM
    guadeloupe = _points(deps, "971")
    assert all(-61.9 < lon < -60.9 and 15.8 < lat < 16.6 for lon, lat in guadeloupe)
    assert "polygone-4326_dep.geojson" in deps["metadata"]["contours"]
    assert "style1" not in json.dumps(deps["metadata"])
    regions = _export("/programme/pvd/territoires.geojson")
    assert _assert_in_france(regions, "region") == 18
    assert all(-61.9 < lon < -60.9 for lon, _ in _points(regions, "01"))
    creuse = _export("/programme/pvd/territoires.geojson?region=75")
    assert _assert_in_france(creuse, "departement") == 12


def test_export_prefers_imported_contours(imported, no_contours):
    from pvd.sources.geo import read_geo
    from pvd.territories.geography import geo_import

    geo_import(geo=read_geo(GEO / "polygone-4326_dep.geojson"))  # Cantal and Lozère
    doc = _export("/programme/pvd/territoires.geojson?niveau=departement")
    assert _assert_in_france(doc, "departement") == 2
    with_geometry = {f["id"] for f in doc["features"] if f["geometry"]}
    assert with_geometry == {"15", "48"}
    assert "importé" in doc["metadata"]["contours"] and "WGS84" in doc["metadata"]["geometrie"]
    assert "971" in doc["metadata"]["sans_geometrie"]
    # Regions are formed from their departments only when all of them have a contour.
    regions = _export("/programme/pvd/territoires.geojson")
    assert not [f for f in regions["features"] if f["geometry"]]


def test_style1_alone_gives_no_geometry(imported, shared_data, no_contours):
    for level in ("dep", "reg"):
        name = f"fr-drom-4326-pur-style1-{level}.geojson"
        shutil.copy(shared_data / "geo" / name, no_contours / "cache" / "contours" / name)
        shutil.copy(shared_data / "geo" / name, no_contours / "shared" / "geo" / name)
    doc = _export("/programme/pvd/territoires.geojson?niveau=departement")
    assert len(doc["features"]) == 101 + len(COM)
    assert all(f["geometry"] is None for f in doc["features"])
    assert all(f["properties"]["nom"] for f in doc["features"])  # properties kept
    assert doc["metadata"]["contours"] is None
    assert "Sans géométrie" in doc["metadata"]["geometrie"]
    assert len(doc["metadata"]["sans_geometrie"]) == 101 + len(COM)


def test_geometry_outside_its_territory_is_dropped_and_named(imported, shared_data, no_contours):
    # A geographic-looking file whose 971 is the moved style1 inset (Bay of Biscay).
    style1 = json.loads(
        (shared_data / "geo" / "fr-drom-4326-pur-style1-dep.geojson").read_text(encoding="utf-8")
    )
    (no_contours / "cache" / "contours" / "polygone-4326_dep.geojson").write_text(
        json.dumps(style1), encoding="utf-8"
    )
    doc = _export("/programme/pvd/territoires.geojson?niveau=departement")
    assert _assert_in_france(doc, "departement") == 96
    assert set(doc["metadata"]["sans_geometrie"]) - COM == {"971", "972", "973", "974", "976"}
    assert "retirée" in doc["metadata"]["geometrie"] and "971" in doc["metadata"]["geometrie"]


@pytest.mark.parametrize(
    ("level", "code", "point", "inside"),
    [
        ("departement", "971", (-61.5, 16.2), True),
        ("departement", "971", (-4.0, 45.3), False),  # the style1 inset
        ("departement", "23", (1.9, 46.1), True),
        ("departement", "23", (655000.0, 6550000.0), False),  # Lambert 93 metres
        ("region", "01", (-61.5, 16.2), True),
        ("region", "75", (-61.5, 16.2), False),
        ("region", "04", (55.5, -21.1), True),
        ("departement", "975", (-56.2, 46.8), False),  # no box: refused
    ],
)
def test_wgs84_boxes(level, code, point, inside):
    geometry = {"type": "Polygon", "coordinates": [[list(point), list(point), list(point)]]}
    assert (wgs84.outside(geometry, wgs84.box_of(level, code)) is None) is inside
