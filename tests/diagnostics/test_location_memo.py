"""The location map's per-process data (issue 17, cold portrait): every department's contour
drawn at the first need and kept while the contours' source is the same (a data change that
does not touch them leaves them drawn), every EPCI's communes and centres read in one query per
data version. A new contour import, a renamed commune, a commune moved to another EPCI: the next
portrait shows them."""

import json
from pathlib import Path

import pytest

from pvd.caching import bump_data_version
from pvd.diagnostics import location
from pvd.diagnostics.location import geo_location
from pvd.sources.geo import read_geo
from pvd.territories.geography import geo_import
from pvd.territories.models import Commune

GEO = Path(__file__).resolve().parent.parent / "data" / "geo"


@pytest.fixture
def no_geometry_files(settings, tmp_path, monkeypatch):
    """No contour file anywhere (cache, open-data snapshot, shared folder)."""
    from pvd.programme import geofiles

    settings.CACHE_DIR = settings.SHARED_DATA_DIR = tmp_path
    monkeypatch.setattr(geofiles, "EMBEDDED_DIR", tmp_path)


def _stchely() -> Commune:
    return Commune.objects.select_related("departement").get(code="48140", type="COM")


def test_contours_follow_their_source_not_the_data_version(db, no_geometry_files, tmp_path):
    geo_import(geo=read_geo(GEO / "communes-centroides.csv"))
    geo_import(geo=read_geo(GEO / "polygone-4326_dep.geojson"))
    first = geo_location(_stchely())
    kept = location._contour("48", "Lozère")
    bump_data_version()  # e.g. a registry import: the contours' rows are the same
    assert location._contour("48", "Lozère") is kept  # not drawn again
    assert geo_location(_stchely()).contour == first.contour

    # A new contour of Lozère imported (the same polygon moved east by 0.5 degree).
    data = json.loads((GEO / "polygone-4326_dep.geojson").read_text())
    for feature in data["features"]:
        feature["geometry"]["coordinates"] = _moved(feature["geometry"]["coordinates"])
    moved = tmp_path / "moved.geojson"
    moved.write_text(json.dumps(data))
    geo_import(geo=read_geo(moved))
    after = geo_location(_stchely())
    assert location._contour("48", "Lozère") is not kept
    assert after.geojson["features"][0]["geometry"] != first.geojson["features"][0]["geometry"]
    assert after.commune.x != first.commune.x  # the commune drawn on the new contour


def _moved(coordinates):
    if isinstance(coordinates[0], (int, float)):
        return [coordinates[0] + 0.5, *coordinates[1:]]
    return [_moved(c) for c in coordinates]


def test_epci_members_follow_the_referential(db, no_geometry_files):
    geo_import(geo=read_geo(GEO / "communes-centroides.csv"))
    geo_import(geo=read_geo(GEO / "polygone-4326_dep.geojson"))
    assert [p.code for p in geo_location(_stchely()).neighbours] == ["48002", "48025"]

    Commune.objects.filter(code="48025", type="COM").update(nom="Les Bessons (renommée)")
    Commune.objects.filter(code="48002", type="COM").update(epci=None)
    bump_data_version()  # what the referential's load does
    neighbours = geo_location(_stchely()).neighbours
    assert [(p.code, p.nom) for p in neighbours] == [("48025", "Les Bessons (renommée)")]
    alone = geo_location(Commune.objects.select_related("departement").get(code="48002"))
    assert alone.commune.code == "48002" and alone.neighbours == []


@pytest.mark.parametrize("tiles", [None, "https://tiles.example/{z}/{x}/{y}.png?a=<1>&b=2"])
def test_script_data_written_as_json_script_does(db, no_geometry_files, settings, tiles):
    """The map's script data is put together from the contour's JSON written once: the same
    bytes as ``json_script`` of the whole (escapes, separators, a commune with and without
    other communes in its group)."""
    from django.utils.html import json_script

    settings.MAP_TILES = tiles
    settings.MAP_TILES_ATTRIBUTION = "IGN & <contributeurs>" if tiles else ""
    geo_import(geo=read_geo(GEO / "communes-centroides.csv"))
    geo_import(geo=read_geo(GEO / "polygone-4326_dep.geojson"))
    Commune.objects.filter(code="48002", type="COM").update(epci=None)
    bump_data_version()
    for code in ("48140", "48002"):
        geo = geo_location(Commune.objects.select_related("departement").get(code=code))
        assert geo.script_json
        assert geo.script_tag == json_script(geo.script_data, "location-data")
    assert geo.neighbours == []  # 48002 alone


def test_without_any_cache_one_group_is_read(db, no_geometry_files, settings):
    """PVD_CACHE=none keeps nothing: the commune's group alone is read (not the country's)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    geo_import(geo=read_geo(GEO / "communes-centroides.csv"))
    geo_import(geo=read_geo(GEO / "polygone-4326_dep.geojson"))
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with CaptureQueriesContext(connection) as queries:
        geo = geo_location(_stchely())
    assert [p.code for p in geo.neighbours] == ["48002", "48025"]
    centres = [q["sql"] for q in queries.captured_queries if "centre" in q["sql"]]
    assert centres and all('"epci_id" = ' in sql.split("WHERE")[-1] for sql in centres)


def test_a_renamed_department_is_drawn_again(db, no_geometry_files):
    from pvd.territories.models import Departement

    geo_import(geo=read_geo(GEO / "communes-centroides.csv"))
    geo_import(geo=read_geo(GEO / "polygone-4326_dep.geojson"))
    geo_location(_stchely())
    Departement.objects.filter(code="48").update(nom="Lozère (renommée)")
    bump_data_version()  # what the referential's load does
    assert ("48", "Lozère (renommée)") in location._contours.get(
        location.caching.database_key(), location._all_contours, token=location._contour_source()
    )


def test_groups_are_shared_by_the_workers(db, no_geometry_files):
    """A second worker (its memo empty) reads the groups from the shared cache, no query; after
    a data change it reads them again from the database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    geo_import(geo=read_geo(GEO / "communes-centroides.csv"))
    geo_import(geo=read_geo(GEO / "polygone-4326_dep.geojson"))
    geo_location(_stchely())
    location._groups.clear()  # another process
    with CaptureQueriesContext(connection) as queries:
        assert [p.code for p in geo_location(_stchely()).neighbours] == ["48002", "48025"]
    assert not [q for q in queries.captured_queries if "centre" in q["sql"]]
    Commune.objects.filter(code="48025", type="COM").update(nom="Les Bessons (renommée)")
    bump_data_version()
    location._groups.clear()
    names = [p.nom for p in geo_location(_stchely()).neighbours]
    assert "Les Bessons (renommée)" in names
