"""What the dashboards keep per process (issue 17): the scope and programme of a URL per data
version; contours, drawings and commune centres by their source's identity, so that a registry
import (a new data version) does not read and project them again, while a new source does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client

from pvd import caching
from pvd.programme import dashboard_scope, geofiles, maps
from pvd.territories.models import Region

GEO = Path(__file__).resolve().parent.parent / "data" / "geo"


def test_scope_and_programme_follow_the_data_version(imported):
    scope = dashboard_scope.scope_for(region="84")
    assert scope.nom == "Auvergne-Rhône-Alpes" and scope.child_level == "departement"
    assert dashboard_scope.scope_for(region="84") is scope  # no query for the next request
    assert dashboard_scope.scope_for(region="00") is None
    assert dashboard_scope.dashboard_programme("pvd") is dashboard_scope.dashboard_programme("pvd")
    Region.objects.filter(code="84").update(nom="Auvergne-Rhône-Alpes (renommée)")
    caching.bump_data_version()  # as every import and admin change does
    assert dashboard_scope.scope_for(region="84").nom == "Auvergne-Rhône-Alpes (renommée)"
    page = Client().get("/programme/pvd/regions/84/").content.decode()
    assert "Auvergne-Rhône-Alpes (renommée)" in page


def test_commune_centres_survive_a_data_change_not_a_new_file(db, tmp_path):
    found = geofiles.find(geofiles.CENTRES)
    if found is None:
        pytest.skip("no commune centres file at hand")
    centres = maps.commune_centres(found)
    caching.bump_data_version()
    assert maps.commune_centres(found) is centres  # a registry import: the same file, kept
    copy = tmp_path / found.path.name
    copy.write_bytes(found.path.read_bytes())
    other = geofiles.Found(copy, found.origin, found.source, found.licence)
    assert maps.commune_centres(other) is not centres  # another file: read
    os.utime(copy, ns=(1, 1))
    assert maps.commune_centres(other) == centres  # same contents, read again (new mtime)


def test_imported_contours_are_read_again_when_an_import_changes_them(imported):
    from pvd.sources.geo import read_geo
    from pvd.territories.geography import geo_import

    before = maps.export_geometries("departement")
    geo_import(geo=read_geo(GEO / "polygone-4326_dep.geojson"))  # Cantal and Lozère
    after = maps.export_geometries("departement")
    assert set(after.geometries) == {"15", "48"} and after.identity != before.identity
    assert "importé" in after.source
    caching.bump_data_version()  # a registry import: the contours are not decoded again
    again = maps.export_geometries("departement")
    assert again.geometries is after.geometries and again.identity == after.identity
