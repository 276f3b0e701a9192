"""Maps of the dashboards: every territory of each level drawn, inside the frame.

Rendered through the views on the test database (the embedded referential) with the geometry
at hand: the embedded open-data snapshot, else the shared folder (the test skips when neither is
there). Runs on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import gzip
import json
import re
from html import escape

import pytest
from django.test import Client

from pvd.domain.cartography import INSET_NOTE, OVERSEAS, path_bbox
from pvd.programme import geofiles, maps
from pvd.territories.models import Commune, Departement, Region

SVG = re.compile(r'<svg viewBox="([^"]+)"[^>]*data-level="[^"]+">(.*?)</svg>', re.S)
PATH = re.compile(r'<path id="carte-([^"]+)" data-code="([^"]+)"[^>]* d="([^"]*)"')
CIRCLE = re.compile(
    r'<circle data-code="([^"]+)" cx="([^"]+)" cy="([^"]+)" r="[^"]+" class="([^"]+)"'
)


@pytest.fixture
def geometry(settings, tmp_path):
    settings.CACHE_DIR = tmp_path  # nothing downloaded: the snapshot or the shared folder
    if maps.base_map("region") is None or geofiles.find(geofiles.TRUE["departement"]) is None:
        pytest.skip("no contour file: neither the open-data snapshot nor the shared folder")


def _svg(html: str) -> tuple[tuple[float, float, float, float], str]:
    found = SVG.search(html)
    assert found, "no map in the page"
    x, y, w, h = map(float, found.group(1).split())
    return (x, y, x + w, y + h), found.group(2)


def _inside(box, frame) -> bool:
    return frame[0] <= box[0] and frame[1] <= box[1] and box[2] <= frame[2] and box[3] <= frame[3]


def _choropleth(html: str) -> dict[str, tuple]:
    """code -> bounding box of its path, checking one path per code, inside the view box."""
    frame, body = _svg(html)
    paths = PATH.findall(body)
    codes = [code for code, _, _ in paths]
    assert len(codes) == len(set(codes)), "a territory drawn twice"
    boxes = {}
    for code, data_code, d in paths:
        assert code == data_code
        box = path_bbox(d)
        assert box[2] > box[0] and box[3] > box[1], f"{code}: empty path"
        assert _inside(box, frame), f"{code} {box} outside the view box {frame}"
        boxes[code] = box
    return boxes


def test_national_maps_draw_every_territory_with_overseas_insets(imported, geometry):
    html = Client().get("/programme/pvd/").content.decode()
    boxes = _choropleth(html)
    # Regions and departments of France (mainland and overseas departments): the collectivités
    # d'outre-mer of the referential (zone "com") are in the tables, not on these contours.
    assert set(boxes) == set(
        Region.objects.filter(zone__in=["metro", "drom"]).values_list("code", flat=True)
    )
    assert len(boxes) == 18 and OVERSEAS["region"] <= set(boxes)
    assert html.count('class="pvd-map__inset"') == 5 and escape(INSET_NOTE) in html
    assert "Fond de carte indisponible" not in html and "Licence Ouverte" in html
    html = Client().get("/programme/pvd/?carte=departements").content.decode()
    boxes = _choropleth(html)
    assert set(boxes) == set(
        Departement.objects.filter(zone__in=["metro", "drom"]).values_list("code", flat=True)
    )
    assert len(boxes) == 101 and html.count('class="pvd-map__inset"') == 5
    # One projection for the whole drawing: Corsica and the overseas insets beside mainland,
    # none overlapping another territory's frame.
    assert boxes["2A"][0] > boxes["29"][2] and boxes["971"][2] < boxes["33"][0]


def test_each_region_map_draws_its_departments(imported, geometry):
    client = Client()
    for region in Region.objects.filter(zone__in=["metro", "drom"]).order_by("code"):
        html = client.get(f"/programme/pvd/regions/{region.code}/").content.decode()
        boxes = _choropleth(html)
        expected = set(region.departements.values_list("code", flat=True))
        assert set(boxes) == expected, region.code
        assert 'class="pvd-map__inset"' not in html


def test_each_department_map_draws_its_communes(imported, geometry):
    client = Client()
    centres = geofiles.read_centres(geofiles.find(geofiles.CENTRES).path)
    for dep in Departement.objects.filter(zone__in=["metro", "drom"]).order_by("code"):
        html = client.get(f"/programme/pvd/departements/{dep.code}/").content.decode()
        frame, body = _svg(html)
        (contour,) = [(c, d) for c, dc, d in PATH.findall(body)]
        assert contour[0] == dep.code and _inside(path_bbox(contour[1]), frame)
        points = CIRCLE.findall(body)
        communes = set(
            Commune.objects.filter(departement=dep, type="COM").values_list("code", flat=True)
        )
        assert {p[0] for p in points} == communes & set(centres), dep.code
        for code, cx, cy, _ in points:
            assert _inside((float(cx), float(cy), float(cx), float(cy)), frame), code
    html = client.get("/programme/pvd/departements/23/").content.decode()
    laureates = {c for c, _, _, cls in CIRCLE.findall(html) if cls == "pvd-map__laureate"}
    assert laureates == {"23001", "23067", "23176"}
    assert "dont 3 lauréates" in html and 'href="/programme/pvd/communes/23001/"' in html


def test_without_geometry_the_page_says_so_and_keeps_the_table(
    imported, settings, tmp_path, monkeypatch
):
    settings.CACHE_DIR = tmp_path
    settings.SHARED_DATA_DIR = tmp_path
    monkeypatch.setattr(geofiles, "EMBEDDED_DIR", tmp_path)
    for url in (
        "/programme/pvd/",
        "/programme/pvd/regions/75/",
        "/programme/pvd/departements/23/",
    ):
        html = Client().get(url).content.decode()
        assert "Fond de carte indisponible" in html and "<svg viewBox" not in html, url
        assert 'id="detail"' in html


def test_reader_accepts_official_and_contract_properties(shared_data, tmp_path):
    official = geofiles.read_features(
        shared_data / "geo" / "fr-drom-4326-pur-style1-reg.geojson", geofiles.DRAWING["region"]
    )
    assert len(official) == 18 and official[0][:2] == ("01", "Guadeloupe")
    contract = tmp_path / "regions-dessin.geojson.gz"
    features = [
        {"type": "Feature", "properties": {"code": c, "nom": n}, "geometry": g}
        for c, n, g in official
    ]
    with gzip.GzipFile(contract, "wb", mtime=0) as f:
        f.write(json.dumps({"type": "FeatureCollection", "features": features}).encode())
    assert geofiles.read_features(contract, geofiles.DRAWING["region"]) == official


def test_downloaded_contours_come_first(imported, geometry, shared_data, settings, tmp_path):
    (tmp_path / "contours").mkdir()
    name = "fr-drom-4326-pur-style1-reg.geojson"
    (tmp_path / "contours" / name).write_bytes((shared_data / "geo" / name).read_bytes())
    base = maps.base_map("region")
    assert "fichier téléchargé" in base.source and len(base.shapes) == 18


def test_department_map_without_commune_centres_says_so(imported, geometry, monkeypatch):
    monkeypatch.setattr(geofiles, "CENTRES", geofiles.GeoFile("absent.csv", "absent.csv.gz", ""))
    html = Client().get("/programme/pvd/departements/23/").content.decode()
    frame, body = _svg(html)
    assert not CIRCLE.findall(body) and len(PATH.findall(body)) == 1  # the contour alone
    assert "Sans position connue, 255 communes non placées : " in html and " …" in html
