"""Outcomes (issue 16) on the embedded data (referential population series 2019-2023, PVD list
2024 without Auvergne-Rhône-Alpes, ACV, ORT sheet 2024): the population outcome for France and
for each covered region with its interval, balance table and reading; the pages, API and CLI."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from pvd.cli import main


def test_france_and_each_region_have_interval_balance_and_reading(c):
    o = c.outcomes
    assert o is not None, c.reason
    assert (o.before, o.after) == (2019, 2023)
    n = o.national
    assert n.laureats > 1300 and n.comparables > 1000
    assert n.bas < n.effet < n.haut
    assert o.matching.matched == n.laureats  # every matched laureate has both populations
    assert "84" not in o.breakdowns["region"]  # Auvergne-Rhône-Alpes: not covered
    assert c.covered == "toutes les régions sauf Auvergne-Rhône-Alpes"
    covered_regions = set(o.towns["region"].unique())
    assert set(o.breakdowns["region"]) == covered_regions and len(covered_regions) >= 13
    for code, est in o.breakdowns["region"].items():
        assert est.laureats >= 2 and est.bas is not None and est.bas <= est.effet <= est.haut, code
    assert sum(e.laureats for e in o.breakdowns["region"].values()) == n.laureats
    balance = {b["variable"]: b for b in o.matching.balance}
    assert abs(balance["log_population"]["dms_avant"]) > 1  # laureates are larger towns
    for name in ("log_population", "rang_epci", "pole_postal", "logit"):
        assert abs(balance[name]["dms_apres"]) < 0.1, name
    # Nothing measured after the start is a covariate (the outcome above all).
    assert not {"population_evolution", "pop_2023"} & set(o.matching.covariates)
    assert c.acv_excluded > 100 and any("pvd-2024" in x for x in c.lists)


def test_pages_show_reading_balance_caveats_and_charts(c, client):
    page = client.get("/resultats/").content.decode()
    assert "Population 2019 → 2023" in page and "appariés a évolué de" in page
    assert "Équilibre de l'appariement" in page and "Sélection sur les observables" in page
    assert "Période courte" in page and "Millésimes disponibles" in page
    assert "Avant le programme : les mêmes villes entre 2019 et 2020" in page
    assert "Millésimes disponibles : 2017 (Mayotte seulement), 2019, 2020, 2022, 2023" in page
    assert page.count("<svg") == 4 and "Licence Ouverte" in page
    region = client.get("/resultats/region/28/")
    assert region.status_code == 200
    body = region.content.decode()
    assert "Normandie" in body and "par département" in body and "/resultats/communes/" in body
    assert client.get("/resultats/bande/2000-5000/").status_code == 200
    assert client.get("/resultats/ort/signee/").status_code == 200
    assert client.get("/resultats/region/84/").status_code == 404
    assert client.get("/resultats/inconnu/x/").status_code == 404
    code = c.outcomes.towns["laureat"][0]
    town = client.get(f"/resultats/communes/{code}/").content.decode()
    assert "face à des villes comparables" in town and "<svg" in town and "indice" in town
    other = c.outcomes.matching.pairs["comparable"][0]
    assert (
        "elle sert de ville comparable"
        in client.get(f"/resultats/communes/{other}/").content.decode()
    )
    assert client.get("/resultats/communes/00000/").status_code == 404


def test_pdf(c, client):
    r = client.get("/resultats/resultats.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and len(r.content) > 20_000


def test_api(c, client):
    france = client.get("/api/v1/resultats").json()
    assert france["resultat"]["laureats"] == c.outcomes.national.laureats
    assert len(france["resultat"]["intervalle"]) == 2 and france["equilibre"]
    assert france["methode"]["avec_remise"] is True and france["precautions"]
    assert france["avant_le_programme"]["apres"] == 2020
    regions = client.get("/api/v1/resultats/region").json()["resultats"]
    assert {r["perimetre"] for r in regions} == {
        f"region:{k}" for k in c.outcomes.breakdowns["region"]
    }
    one = client.get("/api/v1/resultats/region/28").json()
    assert one["lecture"].startswith("Entre 2019 et 2023")
    assert client.get("/api/v1/resultats/x").status_code == 404
    code = c.outcomes.towns["laureat"][0]
    assert client.get(f"/api/v1/resultats/communes/{code}").json()["apparie"] is True
    assert client.get("/api/v1/resultats/communes/00000").status_code == 404


def test_cli_compute_and_show(c):
    runner = CliRunner()
    r = runner.invoke(main, ["outcomes", "compute"])
    assert r.exit_code == 0, r.output
    assert f"{c.outcomes.matching.matched} lauréats appariés sur" in r.output
    assert "Entre 2019 et 2023" in r.output
    r = runner.invoke(main, ["outcomes", "show", "--scope", "region"])
    assert r.exit_code == 0, r.output
    table = r.stdout.split("\n\n")[0]  # the sources and caveats follow a blank line
    rows = list(csv.DictReader(io.StringIO(table)))
    assert len(rows) == len(c.outcomes.breakdowns["region"])
    assert all(float(x["bas"]) <= float(x["effet"]) <= float(x["haut"]) for x in rows)
    r = runner.invoke(main, ["outcomes", "show", "--format", "json"])
    payload = json.loads(r.stdout)
    assert payload["resultats"][0]["perimetre"] == "france" and payload["equilibre"]
    r = runner.invoke(main, ["outcomes", "show", "--scope", "nulle-part"])
    assert r.exit_code == 2 and "périmètre inconnu" in r.output
    r = runner.invoke(main, ["outcomes", "show", "--scope", "region:84"])
    assert r.exit_code == 1 and "aucun lauréat apparié" in r.output
