"""Geometries for the location maps: commune centres (CSV) and department contours (GeoJSON),
checked whole, imported atomically and idempotently, drawn on the portrait."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from pvd import cli
from pvd.diagnostics.location import geo_location
from pvd.domain.cartography import project_features, project_points
from pvd.sources.geo import read_geo
from pvd.sources.report import SourceError
from pvd.sources.tabular import INVALID_VALUE, MISSING_COLUMN
from pvd.territories.geography import geo_import
from pvd.territories.models import Commune, GeoFeature

GEO = Path(__file__).resolve().parent.parent / "data" / "geo"


def test_centres_are_read_as_points():
    geo = read_geo(GEO / "communes-centroides.csv")
    assert geo.level == "commune" and len(geo.records) == 10
    stchely = next(r for r in geo.records if r.code == "48140")
    assert stchely.geometry == {"type": "Point", "coordinates": [3.2783, 44.8144]}
    assert stchely.nom == "Saint-Chély-d'Apcher"


def test_contours_are_read_and_rounded():
    geo = read_geo(GEO / "polygone-4326_dep.geojson")
    assert geo.level == "departement"
    assert [(r.code, r.nom) for r in geo.records] == [("15", "Cantal"), ("48", "Lozère")]
    ring = geo.records[1].geometry["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) > 20


@pytest.mark.parametrize(
    "name, code, line, column, words",
    [
        ("communes-centroides-inversees.csv", INVALID_VALUE, 3, "lon", "(44.7211, 3.8318)"),
        ("communes-centroides-valeur.csv", INVALID_VALUE, 3, "lon", "« 3;83 »"),
        ("communes-centroides-sans-lon.csv", MISSING_COLUMN, 1, "lon", "lon, lat"),
        ("departements-sans-code.geojson", MISSING_COLUMN, None, None, "insee_dep"),
    ],
)
def test_malformed_files_say_where_and_what(name, code, line, column, words):
    with pytest.raises(SourceError) as exc:
        read_geo(GEO / name)
    error = exc.value.errors[0]
    assert (error.code, error.line, error.column) == (code, line, column)
    assert words in str(exc.value) and name in str(exc.value)


def test_thematic_style1_contours_are_refused(tmp_path):
    path = tmp_path / "fr-drom-4326-pur-style1-dep.geojson"
    path.write_text((GEO / "polygone-4326_dep.geojson").read_text(encoding="utf-8"))
    with pytest.raises(SourceError, match="pas géographiques"):
        read_geo(path)


def test_import_is_idempotent_and_reports_unknown_codes(db):
    report = geo_import(geo=read_geo(GEO / "communes-centroides.csv"))
    assert report.tables["centres des communes"].created == 9
    assert sum(report.skipped.values()) == 1  # 13201, an arrondissement municipal
    assert "13201" in "\n".join(report.lines())
    again = geo_import(geo=read_geo(GEO / "communes-centroides.csv"))
    assert again.tables["centres des communes"].unchanged == 9 and not again.changed
    contours = geo_import(geo=read_geo(GEO / "polygone-4326_dep.geojson"))
    assert contours.tables["contours des départements"].created == 2
    # Importing one level never touches the other.
    assert GeoFeature.objects.filter(level="commune").count() == 9
    feature = GeoFeature.objects.get(level="departement", code="48")
    assert feature.dataset.licence.startswith("Licence Ouverte") and "ANCT" in feature.dataset.title


def test_cli_error_changes_nothing_and_dry_run_writes_nothing(db):
    runner = CliRunner()
    bad = runner.invoke(
        cli.main,
        [
            "data",
            "import-geo",
            str(GEO / "polygone-4326_dep.geojson"),
            str(GEO / "communes-centroides-inversees.csv"),
        ],
    )
    assert bad.exit_code == 1 and "ligne 3, colonne lon" in bad.stderr
    assert not GeoFeature.objects.exists()  # the good file before it is not imported either
    dry = runner.invoke(
        cli.main, ["data", "import-geo", str(GEO / "communes-centroides.csv"), "--dry-run"]
    )
    assert dry.exit_code == 0 and "simulation" in dry.stdout and "9 créés" in dry.stdout
    assert not GeoFeature.objects.exists()


def test_point_lies_inside_its_projected_department():
    contour = read_geo(GEO / "polygone-4326_dep.geojson").records[1]
    features = [(contour.code, contour.nom, contour.geometry)]
    view_box, shapes = project_features(features, width=400)
    (x, y), (x2, y2) = project_points(features, [(3.2783, 44.8144), (3.6443, 44.2834)], width=400)
    width, height = map(float, view_box.split()[2:])
    assert 0 < x < width and 0 < y < height
    # Cans et Cévennes lies south-east of Saint-Chély-d'Apcher: right and below on the map.
    assert x2 > x and y2 > y


@pytest.fixture
def no_geometry_files(settings, tmp_path, monkeypatch):
    """No contour file anywhere (cache, open-data snapshot, shared folder)."""
    from pvd.programme import geofiles

    settings.CACHE_DIR = settings.SHARED_DATA_DIR = tmp_path
    monkeypatch.setattr(geofiles, "EMBEDDED_DIR", tmp_path)


def test_location_of_a_commune_with_geometries(db, no_geometry_files):
    geo_import(geo=read_geo(GEO / "communes-centroides.csv"))
    assert geo_location(Commune.objects.get(code="48140", type="COM")) is None  # no contour yet
    geo_import(geo=read_geo(GEO / "polygone-4326_dep.geojson"))
    commune = Commune.objects.select_related("departement").get(code="48140", type="COM")
    geo = geo_location(commune)
    assert geo.commune.code == "48140" and geo.departement == "Lozère (48)"
    # Albaret-Sainte-Marie and Les Bessons share its EPCI (CC des Terres d'Apcher-Margeride-
    # Aubrac); Albaret-le-Comtal, Nasbinals, Langogne and Cans et Cévennes are in others.
    assert [p.code for p in geo.neighbours] == ["48002", "48025"]
    assert all(p.nom for p in geo.neighbours)
    roles = [f["properties"]["role"] for f in geo.geojson["features"]]
    assert roles[0] == "departement" and roles.count("commune") == 1
    assert "Saint-Chély-d'Apcher (longitude 3.2783, latitude 44.8144)" in geo.text
    assert any("ANCT" in s for s in geo.sources) and geo.tiles is None


def test_location_from_the_geometry_files_without_import(db, shared_data, settings, tmp_path):
    """Nothing imported: the department's true contour and the commune centres come from the
    files (snapshot or shared folder); overseas departments too."""
    settings.CACHE_DIR = tmp_path
    for code, dep in (("48140", "Lozère (48)"), ("97101", "Guadeloupe (971)")):
        commune = Commune.objects.select_related("departement").get(code=code, type="COM")
        geo = geo_location(commune)
        assert geo is not None and geo.departement == dep and geo.commune.code == code
        x0, y0, w, h = map(float, geo.view_box.split())
        assert x0 < geo.commune.x < x0 + w and y0 < geo.commune.y < y0 + h
        assert geo.neighbours and any("Centres des communes" in s for s in geo.sources)
