"""Dashboards, lists, exports, maps, published-figures check (web, API, CLI)."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner
from django.test import Client
from openpyxl import load_workbook

from pvd.programme import maps, selectors


def test_national_dashboard(imported):
    page = Client().get("/programme/pvd/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Petites villes de demain — France" in html
    assert "communes lauréates" in html and "Nouvelle-Aquitaine" in html
    assert "<svg" in html and 'href="/programme/pvd/regions/75/"' in html
    assert "Licence Ouverte" in html  # sources of the figures


def test_region_and_department_dashboards(imported):
    html = Client().get("/programme/pvd/regions/75/?mesure=part_population").content.decode()
    assert "région Nouvelle-Aquitaine" in html
    assert 'href="/programme/pvd/departements/23/"' in html
    html = Client().get("/programme/pvd/departements/23/").content.decode()
    assert "Ahun" in html and "La Souterraine" in html and "La Courtine" in html
    assert Client().get("/programme/pvd/departements/99/").status_code == 404
    assert Client().get("/programme/zzz/").status_code == 404


def test_dashboard_figures(imported):
    board = selectors.dashboard(programme=imported, scope=selectors.Scope("france"))
    assert board.laureats == 7
    assert board.cycle.adhesion == 5 and board.cycle.convention_cadre == 1
    naq = next(r for r in board.breakdown if r.code == "75")
    assert naq.laureats == 6 and naq.convention_cadre == 1
    assert 0 < naq.part_population < 1
    # The fixture list covers regions 75 and 01 only: the others are "non couvert" (None, not 0)
    # and the national total says what it leaves out.
    assert board.population == sum(r.population for r in board.breakdown if r.couvert)
    ara = next(r for r in board.breakdown if r.code == "84")
    assert not ara.couvert and ara.laureats is None and ara.part_population is None
    assert "Auvergne-Rhône-Alpes" in board.exclusion and "non couvertes" in board.exclusion


def test_dashboard_sort_headers_and_uncovered_rows_last(imported):
    """The breakdown's headers are the shared sortable headers (web/includes/sort_th.html); the
    regions the lists do not cover (no figure) come last in both directions."""
    import re

    def regions(url: str) -> tuple[str, list[str]]:
        html = Client().get(url).content.decode()
        table = html[html.index('<h2 id="detail">') :]
        return html, re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', table)

    html, names = regions("/programme/pvd/?tri=-laureats")
    header = re.sub(r">\s+<", "><", re.search(r'<th scope="col" aria-sort.*?</th>', html, re.S)[0])
    assert header == (
        '<th scope="col" aria-sort="descending" class="pvd-num"><a class="pvd-sort" '
        'href="?tri=laureats#detail">Communes lauréates<span class="pvd-sort__arrow" '
        'aria-hidden="true">▼</span><span class="fr-sr-only"> (trier par ordre croissant)</span>'
        "</a></th>"
    )
    assert 'href="?tri=-population#detail">Population couverte' in html
    assert names[:2] == ["Nouvelle-Aquitaine", "Guadeloupe"]  # 6 laureates, then 1
    assert names[-1] == "Île de Clipperton"  # not covered: last, in the table's own order
    _, ascending = regions("/programme/pvd/?tri=laureats")
    assert ascending[:2] == ["Guadeloupe", "Nouvelle-Aquitaine"]
    assert ascending[2:] == names[2:]


def test_list_filters_sort_and_exports(imported):
    client = Client()
    html = client.get("/programme/pvd/laureats/?departement=23&tri=-population").content.decode()
    assert html.index("La Souterraine") < html.index("Ahun")
    assert "Ussel" not in html
    response = client.get("/programme/pvd/laureats.csv?departement=23")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:2] == ["code_insee", "commune"]
    assert {r[0] for r in rows[1:4]} == {"23001", "23067", "23176"}
    assert any(r and r[0].startswith("Source :") for r in rows)
    wb = load_workbook(io.BytesIO(client.get("/programme/pvd/laureats.xlsx").content))
    assert wb.sheetnames == ["Lauréats", "Sources"]
    assert wb["Lauréats"].max_row == 8
    geo = json.loads(client.get("/programme/pvd/laureats.geojson").content)
    ahun = next(f for f in geo["features"] if f["id"] == "23001")
    assert ahun["geometry"]["coordinates"] == [2.0419, 46.0853]  # from the ORT sheet
    territories = json.loads(client.get("/programme/pvd/territoires.geojson").content)
    from pvd.territories.models import Region

    assert len(territories["features"]) == Region.objects.count()
    table = client.get("/programme/pvd/territoires.csv?region=75").content.decode("utf-8-sig")
    assert "Creuse" in table
    assert client.get("/programme/pvd/laureats.pdf").status_code == 404


def test_maps_sources(imported, shared_data, settings, tmp_path, monkeypatch):
    from pvd.programme import geofiles

    settings.CACHE_DIR = tmp_path  # nothing downloaded, no snapshot: the shared GeoJSON is used
    monkeypatch.setattr(geofiles, "EMBEDDED_DIR", tmp_path)
    shared = maps.base_map("departement")
    assert "IGN" in shared.source and "dossier de données partagé" in shared.source
    assert len(shared.shapes) == 101 and len(shared.insets) == 5
    assert "Licence Ouverte" in shared.licence
    settings.SHARED_DATA_DIR = tmp_path  # nothing at all: no drawn fallback
    assert maps.base_map("region") is None
    assert maps.unavailable("region").startswith("Fond de carte indisponible")


def test_figures_check_page_api_and_cli(imported):
    html = (
        Client()
        .get(
            "/programme/pvd/verifier/",
            {"enonces": "6 communes en Nouvelle-Aquitaine\n226 communes in region 84"},
        )
        .content.decode()
    )
    assert "confirmé" in html and "non vérifiable" in html and "La Souterraine" in html
    response = Client().post(
        "/api/v1/programmes/pvd/verifier",
        {"enonces": ["3 dans le département 23"]},
        content_type="application/json",
    )
    assert response.json()[0]["statut"] == "confirmé"
    assert {c["code"] for c in response.json()[0]["communes"]} == {"23001", "23067", "23176"}

    from pvd.cli import main

    runner = CliRunner()
    ok = runner.invoke(main, ["programme", "check", "plus de 6 communes", "3 in department 23"])
    assert ok.exit_code == 0, ok.output
    assert "[OK ]" in ok.output and "Source :" in ok.output
    ko = runner.invoke(main, ["programme", "check", "4 communes in department 23", "--list"])
    assert ko.exit_code == 1 and "Contredit" in ko.output
    # Region 84 is covered by no loaded list: neither confirmed nor contradicted (exit 3).
    nv = runner.invoke(main, ["programme", "check", "226 communes in region 84"])
    assert nv.exit_code == 3 and "Non vérifiable : région Auvergne-Rhône-Alpes" in nv.output
    # A national figure while regions are not covered: not verifiable either.
    nv = runner.invoke(main, ["programme", "check", "7 communes"])
    assert nv.exit_code == 3 and "France hors " in nv.output and "Auvergne-Rhône-Alpes" in nv.output
    unknown = runner.invoke(main, ["programme", "check", "rien"])
    assert unknown.exit_code == 2


def test_cli_import_dry_run_and_errors(pvd, data_dir):
    from pvd.cli import main
    from pvd.programme.models import Laureat

    runner = CliRunner()
    dry = runner.invoke(
        main, ["programme", "import-laureates", str(data_dir / "pvd-datagouv.csv"), "--dry-run"]
    )
    assert dry.exit_code == 0, dry.output
    assert "simulation" in dry.output and "+ 23001 Ahun" in dry.output
    assert not Laureat.objects.exists()
    bad = runner.invoke(main, ["programme", "import-laureates", str(data_dir / "pvd-champs.csv")])
    assert bad.exit_code == 1 and "ligne 3" in bad.output
    both = runner.invoke(
        main,
        ["programme", "import-laureates", str(data_dir / "pvd-datagouv.csv"), "--national"]
        + ["--perimetre", "reg:75"],
    )
    assert both.exit_code == 2
    naq = runner.invoke(
        main,
        ["programme", "import-laureates", str(data_dir / "pvd-datagouv.csv"), "--dry-run"]
        + ["--perimetre", "reg:75"],
    )
    assert naq.exit_code == 0 and "déclaré (--perimetre)" in naq.output
    assert "lignes hors du périmètre déclaré (ligne ignorée) : 1" in naq.output
    ort = runner.invoke(main, ["programme", "import-ort", str(data_dir / "ort-sans-colonne.csv")])
    assert ort.exit_code == 1 and "Signée ?" in ort.output


def test_api(imported):
    client = Client()
    programmes = client.get("/api/v1/programmes").json()
    assert {p["slug"] for p in programmes} >= {"pvd", "acv"}
    page = client.get("/api/v1/programmes/pvd/laureats?departement=23&tri=-population").json()
    assert page["total"] == 3 and page["items"][0]["code"] == "23176"
    assert page["sources"][0]["licence"].startswith("Licence Ouverte")
    ahun = client.get("/api/v1/programmes/pvd/laureats/23001").json()
    assert ahun["etape"] == "convention_cadre" and ahun["date_convention_cadre"] == "2022-10-18"
    assert client.get("/api/v1/programmes/pvd/laureats/75056").status_code == 404
    board = client.get("/api/v1/programmes/pvd/tableau-de-bord?region=75").json()
    assert board["communes_laureates"] == 6 and len(board["detail"]) == 12
    assert client.get("/api/v1/programmes/pvd/groupes").status_code == 200
