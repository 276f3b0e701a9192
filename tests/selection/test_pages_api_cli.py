"""Selection pages, API and CLI on the referential (proxy centrality, population evolution from
the referential) and on the BPE/official fixtures."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.contrib.auth.models import User

from pvd.cli import main
from pvd.selection import selectors, services
from pvd.selection.models import Centralite, Scenario

DATA = Path(__file__).parent.parent / "data" / "selection"
LENIENT = "base=pvd&fragilite_manquante=admettre"


def test_methodology_page(client, db):
    r = client.get("/selection/methodologie/")
    assert r.status_code == 200
    text = r.content.decode()
    assert "Méthodologie du modèle de sélection" in text
    assert "indicateur approché" in text  # no BPE loaded: proxy documented and labelled
    assert "7 010" in text and "B203" in text


def test_editor_and_results_pages(client, db):
    r = client.get("/selection/?base=pvd&enveloppe_region=1200&poids_declin=2.5")
    text = r.content.decode()
    assert r.status_code == 200 and "Règles du scénario" in text
    # Form values are not localised (an input of type number must read 20000, not 20 000).
    assert 'value="20000"' in text and 'value="1200"' in text and 'value="2.5"' in text
    r = client.get(f"/selection/resultats/?{LENIENT}&region=76")
    assert r.status_code == 200
    text = r.content.decode()
    assert "Centralité estimée" in text  # proxy banner
    assert "(estimation)" in text
    assert "Lozère (48)" in text  # per-department table
    assert "<svg" in text  # map
    # Issue 13: the header search box is empty, not pre-filled with the scenario's query.
    header_box = text.split('id="header-search-input"', 1)[1].split(">", 1)[0]
    assert 'value=""' in header_box
    r = client.get(f"/selection/resultats/?{LENIENT}&departement=48")
    assert r.status_code == 200
    assert client.get("/selection/resultats/?base=inconnu").status_code == 404
    assert client.get("/selection/resultats/?population_max=abc").status_code == 400


def test_results_csv(client, db):
    r = client.get(f"/selection/resultats.csv?{LENIENT}&departement=48")
    assert r.status_code == 200
    # French spreadsheet CSV: ";", decimal comma, BOM, "oui"/"non" (issue 13).
    text = r.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows and all(row["eligible"] == "oui" for row in rows)
    assert all(row["explication"].startswith("éligible") for row in rows)
    assert all(int(row["population"]) < 20_000 for row in rows)
    scores = [row["fragilite"] for row in rows if row["fragilite"]]  # none without indicators
    assert all("." not in v for v in scores) and (not scores or any("," in v for v in scores))
    # The same file for programs, asked for explicitly: ",", decimal point, no BOM.
    r = client.get(f"/selection/resultats.csv?{LENIENT}&departement=48&csv=international")
    text = r.content.decode("utf-8")
    assert not text.startswith("\ufeff")
    intl = list(csv.DictReader(io.StringIO(text)))
    assert [row["code"] for row in intl] == [row["code"] for row in rows]
    assert all(row["eligible"] == "true" for row in intl)
    assert [row["fragilite"] for row in intl] == [
        row["fragilite"].replace(",", ".") for row in rows
    ]


def test_save_scenario_needs_login_and_share_url(client, db):
    data = {
        "base": "pvd",
        "nom": "Fragilité 70",
        "fragilite_min": "70",
        "niveaux": ["intermediaire"],
    }
    r = client.post("/selection/scenarios/enregistrer/", data)
    assert r.status_code == 302 and "/connexion/" in r["Location"]
    assert not Scenario.objects.exists()
    user = User.objects.create_user("agent", password="x")
    client.force_login(user)
    r = client.post("/selection/scenarios/enregistrer/", data)
    assert r.status_code == 302 and r["Location"] == "/selection/scenarios/fragilite-70/"
    saved = Scenario.objects.get(slug="fragilite-70")
    assert saved.regles["fragilite_min"] == 70 and saved.regles["niveaux"] == ["intermediaire"]
    r = client.get("/selection/scenarios/fragilite-70/")
    assert r.status_code == 302 and "fragilite_min=70" in r["Location"]
    assert client.get(r["Location"]).status_code == 200
    r = client.get("/selection/comparer/?a=pvd&b=fragilite-70&region=27")
    assert r.status_code == 200 and "sortent" in r.content.decode()
    # Issue 13: the page says which rules differ, with both values.
    changes = r.content.decode().split('id="regles-differentes"', 1)[1].split("</table>", 1)[0]
    assert "Fragilité minimale" in changes and "50e percentile" in changes
    assert "70e percentile" in changes and "Niveaux de centralité retenus" in changes
    assert "Seuil de population" not in changes  # unchanged rules are not listed
    # A what-if from the results page against a saved scenario, rules in the URL.
    r = client.get(f"/selection/comparer/?a=fragilite-70&{LENIENT}&region=76")
    text = r.content.decode()
    assert r.status_code == 200 and "(règles modifiées)" in text
    assert "Entrent (0)" not in text


def test_api(client, db):
    r = client.get("/api/v1/selection/scenarios")
    assert r.status_code == 200 and r.json()[0]["slug"] == "pvd"
    r = client.get(f"/api/v1/selection/resultats?{LENIENT}&departement=48&eligibles=true")
    assert r.status_code == 200
    body = r.json()
    assert body["centralite_source"] == "estimation"
    assert body["centralite"]["demandee"] == "auto" and body["centralite"]["disponibles"] == [
        "estimation"
    ]
    assert body["eligibles"] == len(body["resultats"]) > 0
    assert body["regles"]["fragilite_manquante"] == "admettre"
    assert client.get("/api/v1/selection/resultats?scenario=nope").status_code == 404
    assert client.get("/api/v1/selection/resultats?fragilite_min=300").status_code == 400
    services.scenario_save(nom="Souple", regles={"fragilite_manquante": "admettre"})
    services.scenario_save(
        nom="Intermédiaires",
        regles={"niveaux": ["intermediaire"], "fragilite_manquante": "admettre"},
    )
    r = client.get("/api/v1/selection/comparaison?a=souple&b=intermediaires&region=76")
    assert r.status_code == 200 and r.json()["sortent"]
    assert client.get("/api/v1/selection/centralite").json()["source"] == "estimation"
    assert client.get("/api/v1/selection/evaluation").status_code == 404  # empty registry


def test_cli_run_calibrate_and_import(client, db, tmp_path):
    runner = CliRunner()
    r = runner.invoke(main, ["selection", "run", "--scenario", "pvd", "--region", "76"])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))  # stderr names the source
    assert rows and {row["reg"] for row in rows} == {"76"}
    out = tmp_path / "out.csv"
    r = runner.invoke(main, ["selection", "run", "--region", "84", "--eligibles", "-o", str(out)])
    assert r.exit_code == 0 and out.exists()
    r = runner.invoke(main, ["selection", "run", "--scenario", "absent"])
    assert r.exit_code == 2
    # Default thresholds on the fixture (no calibration on six communes).
    r = runner.invoke(
        main, ["selection", "calibrate", str(DATA / "bpe13_centralite.csv"), "--no-calibrate"]
    )
    assert r.exit_code == 0, r.output
    assert Centralite.objects.filter(kind="calculee").exists()
    r = runner.invoke(main, ["selection", "import-centralite", str(DATA / "centralite.csv")])
    assert r.exit_code == 0, r.output
    assert "Accord avec la classification officielle" in r.output
    r = runner.invoke(
        main, ["selection", "import-centralite", str(DATA / "centralite-invalide.csv")]
    )
    assert r.exit_code == 1 and "ligne" in r.output
    # Both loaded: the default ("auto") now uses the official classification.
    assert selectors.inputs().centralite_source == "officielle"
    page = client.get("/selection/methodologie/").content.decode()
    assert "Matrice de confusion" in page, page[
        page.find("Source des niveaux") : page.find("Source des niveaux") + 400
    ]
    assert "BPE 2013" in page and "source utilisée par défaut" in page
    assert "Centralité estimée" not in client.get("/selection/resultats/").content.decode()
    r = runner.invoke(main, ["selection", "save", "f60", "--set", "fragilite_min=60"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["selection", "compare", "pvd", "f60", "--region", "76"])
    assert r.exit_code == 0 and "sortent" in r.output


@pytest.mark.usefixtures("db")
def test_cli_evaluate_with_laureate_file(shared_data):
    runner = CliRunner()
    r = runner.invoke(
        main,
        [
            "selection",
            "evaluate",
            "--laureats",
            str(shared_data / "pvd" / "pvd-2024-hors-aura.csv"),
        ],
    )
    assert r.exit_code == 0, r.output
    assert "AUC" in r.output and "1419 lauréats" in r.output
    r = runner.invoke(
        main,
        [
            "selection",
            "evaluate",
            "--appris",
            "--laureats",
            str(shared_data / "pvd" / "pvd-2024-hors-aura.csv"),
        ],
    )
    assert r.exit_code == 0, r.output
    assert "validation croisée par région" in r.output and "AUC" in r.output


def test_api_evaluation_from_registry(client, db, shared_data):
    from pvd.programme.services import laureates_import

    laureates_import(path=shared_data / "pvd" / "pvd-2024-hors-aura.csv", programme_slug="pvd")
    r = client.get("/api/v1/selection/evaluation?fragilite_manquante=admettre")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["modele"] == "regles" and body["laureats"] > 1300 and body["auc"] > 0.7
    assert "84" not in {g["code"] for g in body["regions"]}
    assert body["departements"] and body["calibration"]
    # Scored inside the registry's coverage only: region 84 (no list) is not a negative.
    assert "84" not in body["regions_couvertes"] and "75" in body["regions_couvertes"]
    from pvd.territories.models import Commune

    covered = Commune.objects.filter(type="COM", region_id__in=body["regions_couvertes"]).count()
    assert body["communes"] <= covered < Commune.objects.filter(type="COM").count()
    r = client.get("/api/v1/selection/evaluation?appris=true")
    assert r.status_code == 200 and r.json()["modele"] == "appris"


def test_results_flag_current_laureates_and_uncovered_regions(client, db, shared_data):
    """Issue 13: the results say which candidates are laureates today; in a region no loaded
    list covers (Auvergne-Rhône-Alpes here) they say "non couvert", never "non"."""
    from pvd.programme.services import laureates_import

    laureates_import(path=shared_data / "pvd" / "pvd-2024-hors-aura.csv", programme_slug="pvd")
    html = client.get(f"/selection/resultats/?{LENIENT}&departement=48").content.decode()
    table = html.split('id="candidates"', 1)[1]
    assert "Lauréate PVD aujourd'hui" in table
    # Saint-Chély-d'Apcher (48140) is a PVD laureate in the 2024 list.
    row = table.split("(48140)", 1)[1].split("</tr>", 1)[0]
    assert "lauréate" in row
    html = client.get(f"/selection/resultats/?{LENIENT}&departement=63").content.decode()
    table = html.split('id="candidates"', 1)[1]
    assert "non couvert" in table and "fr-badge--success" not in table
