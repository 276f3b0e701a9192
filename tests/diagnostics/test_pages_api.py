"""Portrait page, CSV export, catalogue page and API, on the session's built database."""

from __future__ import annotations

import csv
import io

import pytest

from pvd.diagnostics.selectors import territory_values


@pytest.fixture
def client(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    return client


def test_portrait_page(portrait_db, client):
    r = client.get("/communes/48140/portrait/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Portrait de ville : Saint-Chély-d&#x27;Apcher" in html
    for theme in (
        "Démographie",
        "Habitat",
        "Commerces et services",
        "Revenus",
        "Santé et vieillissement",
        "Finances locales",
        "Mobilités",
    ):
        assert theme in html
    assert "Chiffres clés" in html and "<svg" in html
    # One table per theme, the territories as columns (issue 13).
    head = html.split('id="table-demographie"', 1)[1].split("</thead>", 1)[0]
    assert "CC des Terres d&#x27;Apcher-Margeride-Aubrac" in head and "(intercommunalité)" in head
    assert "Lozère" in head and "Occitanie" in head and "France" in head
    assert "Communes similaires (médiane)" in head and "Position en France" in head
    assert "part des communes de France dont la valeur est inférieure" in html
    # A source that is not loaded is named, without an operator command (issue 13).
    assert "source non chargée (DGFiP" in html and "pvd indicators" not in html
    assert "Équipements de la gamme de proximité" in html
    assert "Communes similaires à Saint-Chély-d&#x27;Apcher" in html
    assert "Sources : " in html and "Afficher les graphiques du thème" in html


def test_portrait_unknown_commune_is_404(portrait_db, client):
    assert client.get("/communes/99999/portrait/").status_code == 404


def test_portrait_csv_has_every_figure(portrait_db, client):
    r = client.get("/communes/48140/portrait.csv")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["indicateur", "libelle", "theme"]
    levels = {row[5] for row in body if row[0] == "population"}
    assert levels == {"COM", "EPCI", "DEP", "REG", "FR", "PEERS"}
    stored = next(
        v
        for v in territory_values(level="COM", code="48140")
        if v.indicator == "population" and v.millesime == 2023
    )
    row = next(r for r in body if r[0] == "population" and r[4] == "2023" and r[5] == "COM")
    # Decimal comma in the French CSV (";" separator), e.g. "1234,5".
    assert float(row[8].replace(",", ".")) == float(f"{stored.value:.6g}")


def test_catalogue_page(portrait_db, client, django_user_model):
    r = client.get("/indicateurs/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "Taux de logements vacants" in html and "P21_LOGVAC / P21_LOG" in html
    assert "Méthode des communes similaires" in html
    assert "pvd indicators import" not in html  # operator commands: staff only (issue 13)
    staff = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(staff)
    assert "pvd indicators import filosofi FICHIER" in client.get("/indicateurs/").content.decode()


def test_api_territory_indicators(portrait_db, client):
    r = client.get("/api/v1/territoires/commune/48140/indicateurs")
    assert r.status_code == 200
    data = r.json()
    assert data["nom"] == "Saint-Chély-d'Apcher"
    pop = [v for v in data["valeurs"] if v["indicateur"] == "population"]
    assert [v["millesime"] for v in pop][-1] == 2023
    assert "gamme_proximite" not in data["non_calcules"]
    assert "source non chargée (DGFiP" in data["non_calcules"]["dette_par_habitant"]
    fr = client.get("/api/v1/territoires/france/FR/indicateurs").json()
    assert any(v["indicateur"] == "taux_vacance" for v in fr["valeurs"])
    assert client.get("/api/v1/territoires/commune/99999/indicateurs").status_code == 404
    assert client.get("/api/v1/territoires/canton/1/indicateurs").status_code == 404


def test_api_peers_and_catalogue(portrait_db, client):
    data = client.get("/api/v1/communes/48140/similaires").json()
    assert len(data["similaires"]) == 10
    first = data["similaires"][0]
    assert first["rang"] == 1 and first["code"] != "48140" and first["raisons"]
    pop = 4010  # latest population is around 4,000: the band is 1/1.25 to 1.25 of it
    assert all(3000 < (p["population"] or 0) < 5200 for p in data["similaires"]), pop
    catalogue = client.get("/api/v1/indicateurs").json()
    assert {"id", "libelle", "theme", "unite", "sens", "formule"} <= set(catalogue[0])


def test_portrait_pdf(portrait_db, client):
    from pypdf import PdfReader

    r = client.get("/communes/48140/portrait.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(r.content))
    assert reader.metadata.title.startswith("Portrait de ville : Saint-Chély-d'Apcher")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Saint-Chély-d'Apcher" in text
    # The comparison chart's own labels (drawn in SVG, absent from the print tables).
    assert "Médiane des communes similaires" in text


def test_public_pages_show_no_operator_command(portrait_db, client, django_user_model):
    """Issue 13: a visitor reads "non disponible sur cette plateforme", not `pvd ...`; an
    administrator sees what to run."""
    for url in ("/communes/48140/portrait/", "/indicateurs/"):
        html = client.get(url).content.decode()
        assert "pvd indicators" not in html and "pvd data" not in html, url
    assert (
        "non disponible sur cette plateforme"
        in client.get("/communes/48140/portrait/").content.decode()
    )
    admin = django_user_model.objects.create_user("admin", password="x", is_staff=True)
    client.force_login(admin)
    html = client.get("/communes/48140/portrait/").content.decode()
    assert "Administration : importez le fichier avec" in html


def _frame(view_box: str) -> tuple[float, float, float, float]:
    x, y, w, h = map(float, view_box.split())
    return x, y, x + w, y + h


def test_portrait_pdf_map_is_whole_overseas_too(portrait_db, client, settings, tmp_path):
    """The PDF's location map (from the geometry files, nothing imported): the department's
    contour and the communes inside the frame, for a mainland and an overseas commune."""
    import re

    from django.template.loader import render_to_string
    from pypdf import PdfReader

    from pvd.diagnostics.views import portrait_context
    from pvd.domain.cartography import path_bbox
    from pvd.territories.models import Commune

    settings.CACHE_DIR = tmp_path
    for code, dep in (("48140", "Lozère (48)"), ("97101", "Guadeloupe (971)")):
        commune = Commune.objects.select_related("departement", "region", "epci").get(
            code=code, type="COM"
        )
        html = render_to_string("diagnostics/portrait_print.html", portrait_context(commune))
        svg = re.search(r'class="pvd-location__static" viewBox="([^"]+)".*?</svg>', html, re.S)
        frame = _frame(svg.group(1))
        box = path_bbox(re.search(r'<path d="([^"]+)"', svg.group(0)).group(1))
        assert frame[0] <= box[0] and frame[1] <= box[1] and box[2] <= frame[2], code
        assert box[3] <= frame[3]
        for cx, cy in re.findall(r'<circle cx="([^"]+)" cy="([^"]+)"', svg.group(0)):
            assert frame[0] < float(cx) < frame[2] and frame[1] < float(cy) < frame[3], code
        r = client.get(f"/communes/{code}/portrait.pdf")
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
        assert f"Localisation : {commune.nom}" in text and dep in text


def test_location_on_the_national_drawing_without_true_contours(
    db, settings, tmp_path, monkeypatch
):
    """Only the drawing file at hand: the department highlighted on the whole of France,
    overseas as framed insets (the Bay-of-Biscay insets are never exported)."""
    from pvd.diagnostics.location import geo_location, location_map
    from pvd.domain.cartography import path_bbox
    from pvd.programme import geofiles
    from pvd.territories.models import Commune

    found = geofiles.find(geofiles.DRAWING["departement"])
    if found is None:
        pytest.skip("no contour file: neither the open-data snapshot nor the shared folder")
    (tmp_path / "contours").mkdir()
    (tmp_path / "contours" / "fr-drom-4326-pur-style1-dep.geojson").write_bytes(
        found.path.read_bytes()  # gzipped or not: the reader takes both
    )
    settings.CACHE_DIR = settings.SHARED_DATA_DIR = tmp_path
    monkeypatch.setattr(geofiles, "EMBEDDED_DIR", tmp_path)
    assert geo_location(Commune.objects.get(code="97101", type="COM")) is None  # no true contour
    drawing = location_map("971")
    assert len(drawing.areas) == 101 and drawing.areas[-1].code == "971"
    assert drawing.areas[-1].highlighted and len(drawing.insets) == 5
    frame = _frame(drawing.view_box)
    for a in drawing.areas:
        x0, y0, x1, y1 = path_bbox(a.path)
        assert frame[0] <= x0 and frame[1] <= y0 and x1 <= frame[2] and y1 <= frame[3], a.code
