"""Issue 14: the figures check through its three doors (page, API, CLI) gives the same JSON;
the page highlights each claim, works without JavaScript and is labelled; with two vintages
of the list loaded, each count says which one it matches."""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

from click.testing import CliRunner
from django.test import Client

from pvd.cli import main
from pvd.domain import claims
from pvd.programme import selectors
from pvd.programme.figures_check import text_check, vintage_label
from pvd.programme.services import laureates_import

# Figures of the fixture list (tests/data/programme/pvd-datagouv.csv): 3 communes in the
# Creuse, none listed in region 84 (not covered).
TEXT = (
    "Près de 6 communes sont lauréates en Nouvelle-Aquitaine, dont 3 dans la Creuse et "
    "4 en Corrèze. 226 communes en Auvergne-Rhône-Alpes. Pas de chiffre dans cette phrase."
)


def _page(client, text, **extra):
    return client.get("/programme/pvd/verifier/", {"enonces": text, **extra})


def test_cli_page_and_api_agree(imported):
    client = Client()
    api = client.post(
        "/api/v1/programmes/pvd/verifier-texte", {"texte": TEXT}, content_type="application/json"
    )
    assert api.status_code == 200
    data = api.json()
    permalink_api = client.get(
        "/api/v1/programmes/pvd/verifier-texte?" + urlencode({"texte": TEXT})
    )
    assert permalink_api.json() == data
    page_json = _page(client, TEXT, format="json")
    assert page_json.status_code == 200 and page_json.json() == data
    out = CliRunner().invoke(main, ["programme", "check", "--json", TEXT])
    assert json.loads(out.output) == data
    assert out.exit_code == 1  # Corrèze contradicted
    statuses = [a["statut"] for a in data["affirmations"]]
    assert [a["enonce"] for a in data["affirmations"]] == [
        "Près de 6 communes",
        "3",
        "4",
        "226 communes",
    ]
    assert statuses[1] == claims.CONFIRMED and statuses[3] == claims.NOT_VERIFIABLE
    assert data["affirmations"][1]["partie_de"] == 1
    assert {c["code"] for c in data["affirmations"][1]["communes"]} == {
        "23001",
        "23067",
        "23176",
    }
    assert data["affirmations"][0]["tolerance"].startswith("± 5 % (« près de »)")
    assert data["sources"] and data["sources"][0]["millesime"] == "2024"
    # The page shows the same verdicts and messages, claim by claim.
    html = _page(client, TEXT).content.decode()
    for a in data["affirmations"]:
        assert a["message"].replace("'", "&#x27;") in html
    # Each argument is a line of the same text (a line without a figure is plain prose).
    lines = CliRunner().invoke(main, ["programme", "check", "3 dans la Creuse", "rien"])
    assert lines.exit_code == 0 and "[OK ] 1. 3 — département Creuse (23)" in lines.output


def test_page_highlights_each_claim_without_javascript(imported):
    client = Client()
    response = _page(client, TEXT)
    html = response.content.decode()
    # One <mark> per figure and per territory, a class per verdict, the verdict as hidden text.
    marks = re.findall(r'<mark class="pvd-claim pvd-claim--([a-z-]+)[^"]*">(.*?)</mark>', html)
    assert (
        "confirme",
        '<a href="#affirmation-2">3</a><span class="fr-sr-only"> (Confirmé, affirmation 2)</span>',
    ) in marks
    kinds = {k for k, _ in marks}
    assert {"confirme", "contredit", "non-verifiable"} <= kinds
    assert 'id="affirmation-3"' in html and "fr-badge--error" in html
    # The communes behind a count, on demand, without script.
    assert "<details><summary>Les 3 communes lauréates derrière ce chiffre</summary>" in html
    assert "Lien permanent vers cette vérification" in html
    assert "Incohérence interne" in html or "Cohérent" in html
    # Accessible basics: the field is labelled and described, headings follow each other.
    assert '<label class="fr-label" for="id_enonces">Texte à vérifier' in html
    assert 'aria-describedby="id_enonces_aide"' in html
    levels = [int(h) for h in re.findall(r"<h([1-6])", html.split("<main", 1)[-1])]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    assert "<script" not in html.split('id="resultats"', 1)[1].split("</main>")[0]


def test_vintage_labels():
    assert vintage_label("2021-01", "pvd-2021-01.csv") == "janvier 2021"
    assert vintage_label("2024", "x.csv") == "2024"
    assert vintage_label("", "pvd-2021-01-hors-aura.csv") == "janvier 2021"


def test_each_claim_says_which_vintage_it_matches(db, shared_data):
    laureates_import(path=shared_data / "pvd" / "pvd-2021-01-hors-aura.csv", programme_slug="pvd")
    laureates_import(
        path=shared_data / "pvd" / "pvd-2024-hors-aura.csv", programme_slug="pvd", confirm=True
    )
    pvd = selectors.programme_get(slug="pvd")
    report = text_check(
        programme=pvd,
        text="15 communes dans le Lot-et-Garonne. 20 en Dordogne. 16 en Gironde.",
    )
    lot, dordogne, gironde = report.verdicts
    # 2021-01 list: 15 in Lot-et-Garonne, 19 in Dordogne; 2024: 18 and 20; Gironde 16 in both.
    assert lot.status == claims.CONTRADICTED
    assert "Conforme à la liste de janvier 2021, pas à celle de 2024." in lot.message
    assert [(m.label, m.value) for m in lot.vintages] == [("janvier 2021", 15), ("2024", 18)]
    assert dordogne.status == claims.CONFIRMED
    assert "Conforme à la liste de 2024, pas à celle de janvier 2021." in dordogne.message
    assert gironde.status == claims.CONFIRMED
    assert "Conforme à chaque liste chargée (janvier 2021, 2024)." in gironde.message
    html = _page(Client(), "15 communes dans le Lot-et-Garonne").content.decode()
    assert "Liste de janvier 2021 : confirmé (15)" in html
