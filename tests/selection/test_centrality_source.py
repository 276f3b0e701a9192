"""Issue 10: the selection uses the official centrality classification when it is loaded.

Rules carry ``centralite_source`` (auto | officielle | calculee | estimation); "auto" takes the
official classification if imported, else the BPE computation, else the estimation; every
result (rows, page, CSV, API, CLI, methodology) says which one it used; asking for a source that
is not loaded is a clear error."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from pvd.domain.centrality_source import CentralitySourceUnavailable, resolve_centrality
from pvd.domain.eligibility import Rules, centrality_summary, evaluate

DATA = Path(__file__).parent.parent / "data" / "selection"
ALL = ("officielle", "calculee", "estimation")
LENIENT = "base=pvd&fragilite_manquante=admettre"


def _levels() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "code": ["48080", "48061", "97101"],
            "niveau_officiel": ["intermediaire", None, None],
            "niveau_calcule": ["local", "structurant", None],
            "niveau_proxy": ["local", "local", "intermediaire"],
        }
    )


@pytest.mark.parametrize(
    ("requested", "available", "niveaux", "sources", "main"),
    [
        (
            "auto",
            ALL,
            ["intermediaire", "structurant", "intermediaire"],
            ["officielle", "calculee", "estimation"],
            "officielle",
        ),
        (
            "auto",
            ("calculee", "estimation"),
            ["local", "structurant", "intermediaire"],
            ["calculee", "calculee", "estimation"],
            "calculee",
        ),
        (
            "auto",
            ("estimation",),
            ["local", "local", "intermediaire"],
            ["estimation"] * 3,
            "estimation",
        ),
        ("officielle", ALL, ["intermediaire", None, None], ["officielle"] * 3, "officielle"),
        ("calculee", ALL, ["local", "structurant", None], ["calculee"] * 3, "calculee"),
        ("estimation", ALL, ["local", "local", "intermediaire"], ["estimation"] * 3, "estimation"),
    ],
)
def test_resolve_centrality(requested, available, niveaux, sources, main):
    out, used = resolve_centrality(_levels(), requested, available)
    assert used == main
    assert out.get_column("niveau").to_list() == niveaux
    assert out.get_column("centralite_source").to_list() == sources


@pytest.mark.parametrize(
    ("requested", "available", "command"),
    [
        ("officielle", ("calculee", "estimation"), "pvd selection import-centralite"),
        ("calculee", ("estimation",), "pvd selection calibrate"),
    ],
)
def test_unloaded_source_is_a_clear_error(requested, available, command):
    with pytest.raises(CentralitySourceUnavailable, match=command) as info:
        resolve_centrality(_levels(), requested, available)
    assert "non chargée" in str(info.value) and isinstance(info.value, ValueError)


def test_rules_validate_and_explain_the_source():
    assert Rules().centralite_source == "auto"
    rules = Rules(centralite_source="officielle")
    assert Rules.from_dict(rules.as_dict()) == rules
    assert Rules.from_dict({}).centralite_source == "auto"  # scenarios saved before
    with pytest.raises(ValueError, match="source de centralité inconnue"):
        Rules(centralite_source="insee")
    frame, main = resolve_centrality(_levels(), "auto", ALL)
    assert centrality_summary(frame, main) == (
        "Centralité : classification officielle (Observatoire des territoires) ; complétée pour "
        "1 commune hors de son champ par : calculée à partir de la BPE, 1 commune hors de son "
        "champ par : estimation sans BPE (population, rang dans l'EPCI, chef-lieu, pôle postal)."
    )
    frame, _ = resolve_centrality(_levels(), "officielle", ALL)
    frame = frame.with_columns(
        dep=pl.lit("48"), reg=pl.lit("76"), population=pl.lit(3000), fragilite_percentile=60.0
    )
    explained = evaluate(frame, Rules()).get_column("explication").to_list()
    assert "centralité inconnue (absente de la classification officielle)" in explained[1]
    assert "centre intermédiaire" in explained[0] and "estimation" not in explained[0]


def test_choosing_an_unloaded_source_on_every_surface(client, db):
    from pvd.cli import main
    from pvd.selection import services

    r = client.get(f"/selection/resultats/?{LENIENT}&departement=48&centralite_source=officielle")
    assert r.status_code == 400 and "pvd selection import-centralite" in r.content.decode()
    r = client.get(f"/selection/resultats.csv?{LENIENT}&centralite_source=calculee")
    assert r.status_code == 400 and "pvd selection calibrate" in r.content.decode()
    r = client.get(f"/api/v1/selection/resultats?{LENIENT}&centralite_source=officielle")
    assert r.status_code == 400 and "non chargée" in r.json()["detail"]
    r = CliRunner().invoke(
        main, ["selection", "run", "--departement", "48", "--centralite-source", "officielle"]
    )
    assert r.exit_code == 1 and "import-centralite" in r.output
    html = client.get("/selection/").content.decode()
    assert 'value="officielle"' in html and "— non chargée" in html  # offered, disabled
    services.scenario_save(nom="Officielle", regles={"centralite_source": "officielle"})
    r = client.get("/selection/comparer/?a=pvd&b=officielle&region=76")
    assert r.status_code == 400 and "import-centralite" in r.content.decode()
    r = client.get("/api/v1/selection/comparaison?a=pvd&b=officielle&region=76")
    assert r.status_code == 400 and "import-centralite" in r.json()["detail"]
    r = CliRunner().invoke(main, ["selection", "compare", "pvd", "officielle", "--region", "76"])
    assert r.exit_code == 1 and "import-centralite" in r.output


def test_official_classification_is_the_default_once_imported(client, db):
    from pvd.cli import main
    from pvd.selection import selectors, services

    services.centrality_compute(path=DATA / "bpe13_centralite.csv", calibrate=False)
    services.centrality_import_official(path=DATA / "centralite.csv")
    assert selectors.inputs().centralite_sources == ALL

    auto = selectors.run(rules=Rules(fragilite_manquante="admettre"), departement="48")
    rows = {r["code"]: r for r in auto.iter_rows(named=True)}
    assert rows["48080"]["niveau"] == "intermediaire" == rows["48080"]["niveau_officiel"]
    assert rows["48095"]["niveau"] == "majeur"
    assert {
        rows[c]["centralite_source"] for c in ("48095", "48061", "48080", "48140", "48001")
    } == {"officielle"}
    # The fixture's official file covers five communes of Lozère; auto completes the others
    # from the BPE computation, each row saying so.
    sources = dict(auto.get_column("centralite_source").value_counts().iter_rows())
    assert sources == {"officielle": 5, "calculee": auto.height - 5}
    used = selectors.centrality_used(auto, Rules())
    assert used["source"] == "officielle" and used["communes_par_source"]["officielle"] == 5

    computed = selectors.run(
        rules=Rules(fragilite_manquante="admettre", centralite_source="calculee"), departement="48"
    )
    assert set(computed.get_column("centralite_source")) == {"calculee"}
    assert (
        computed.get_column("niveau").to_list() == computed.get_column("niveau_calcule").to_list()
    )

    page = client.get(f"/selection/resultats/?{LENIENT}&departement=48").content.decode()
    assert "Centralité : classification officielle (Observatoire des territoires)" in page
    assert "(source choisie automatiquement)" in page and "Centralité estimée" not in page
    r = client.get(f"/selection/resultats.csv?{LENIENT}&departement=48&tout=1")
    assert r["X-Centralite-Source"] == "officielle"
    table = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert {row["code"]: row["centralite_source"] for row in table}["48080"] == "officielle"
    body = client.get(
        f"/api/v1/selection/resultats?{LENIENT}&departement=48&centralite_source=calculee"
    ).json()
    assert body["centralite_source"] == "calculee" and body["centralite"]["demandee"] == "calculee"
    assert {r["centralite_source"] for r in body["resultats"]} == {"calculee"}
    api = client.get("/api/v1/selection/centralite").json()
    assert api["source"] == "officielle" and api["disponibles"] == list(ALL)
    method = client.get("/selection/methodologie/").content.decode()
    assert "source utilisée par défaut" in method and "centralite.csv" in method
    r = CliRunner().invoke(
        main, ["selection", "run", "--departement", "48", "--centralite-source", "calculee"]
    )
    assert r.exit_code == 0 and "Centralité : calculée à partir de la BPE." in r.stderr
    assert {row["centralite_source"] for row in csv.DictReader(io.StringIO(r.stdout))} == {
        "calculee"
    }
