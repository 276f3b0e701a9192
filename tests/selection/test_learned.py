"""Learned scenario ("appris") on the referential and the shared 2024 list: typology import,
fit and storage, scoring with explanations from the CLI and the API, leak-free evaluation of a
file against the registry, and every input that used to crash."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from pvd.cli import main
from pvd.selection import learned
from pvd.selection.models import ModeleAppris, Typologie

HEADER = "insee_com,lib_com,id_pvd,date_signature\n"


@pytest.fixture
def registry(db, shared_data):
    from pvd.programme.services import laureates_import

    laureates_import(path=shared_data / "pvd" / "pvd-2024-hors-aura.csv", programme_slug="pvd")


def _list(tmp_path: Path, name: str, codes: list[str]) -> Path:
    path = tmp_path / f"pvd-2024-{name}.csv"
    rows = "".join(f"{c},Commune {c},pvd-x-{c[:2]}-{i},2021-05-28\n" for i, c in enumerate(codes))
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def _ok(result) -> None:
    """A handled outcome: no exception other than the CLI's own exit."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output


def test_import_territory_typologies(db, tmp_path):
    path = tmp_path / "densite.csv"
    # Official Observatoire des territoires layout, UTF-8 with BOM; 75056 is Paris.
    path.write_text(
        "\ufeffinsee_com,lib_com,niveau_densite\n"
        "01001,L'Abergement-Clémenciat,Rural à habitat dispersé\n"
        "75056,Paris,Grands centres urbains\n",
        encoding="utf-8",
    )
    r = CliRunner().invoke(main, ["selection", "import-territoires", str(path)])
    assert r.exit_code == 0, r.output
    assert "grille communale de densité : 2 communes" in r.output
    assert Typologie.objects.get(kind="densite").communes == 2
    bad = tmp_path / "autre.csv"
    bad.write_text("insee_com,lib_com,niveau_autre\n01001,X,Y\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["selection", "import-territoires", str(bad)])
    assert r.exit_code != 0 and "niveau_densite" in r.output
    _ok(r)


def test_fit_store_score_and_explain(registry, client):
    runner = CliRunner()
    r = runner.invoke(main, ["selection", "run", "--scenario", "appris"])
    assert r.exit_code == 1 and "pvd selection fit" in r.output
    r = runner.invoke(main, ["selection", "scenarios"])
    assert "appris (intégré)" in r.output and "aucun modèle enregistré" in r.output
    assert "Aucun modèle appris" in client.get("/selection/appris/").content.decode()
    assert "pvd selection fit" in client.get("/selection/methodologie/").content.decode()
    r = runner.invoke(main, ["selection", "fit"])
    assert r.exit_code == 0, r.output
    assert "Modèle appris enregistré : 1419 lauréats" in r.output
    assert "validation croisée par région" in r.output and "(k = 1419)" in r.output
    model = ModeleAppris.objects.get()
    assert model.entrainement["laureats"] == 1419 and "84" not in model.entrainement["regions"]
    assert model.evaluation["evaluation"]["auc"] > 0.9  # referential alone: measured 0.957
    assert any("gamme" in n for n in model.notes)  # no BPE loaded: said
    r = runner.invoke(main, ["selection", "run", "--scenario", "appris", "--departement", "48"])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows and all(0 < float(row["probabilite"]) < 1 for row in rows)
    assert all(" : +" in row["explication"] or " : -" in row["explication"] for row in rows)
    mende = next(row for row in rows if row["code"] == "48095")
    assert mende["rang_dep"] == "1" or float(mende["probabilite"]) > 0.1
    # Region 84 was never in the training set, and is scored all the same.
    aura = learned.score(model=model, region="84")
    assert aura.height > 4000 and aura.get_column("probabilite").is_not_null().all()
    # ... and no list covers it: its laureate status is unknown, never "not a laureate".
    assert aura.get_column("laureat").is_null().all()
    assert learned.score(model=model, departement="48").get_column("laureat").is_not_null().all()
    assert "non couvert" in client.get("/selection/appris/?region=84").content.decode()
    r = client.get("/api/v1/selection/appris/resultats?region=84&limit=3")
    assert r.status_code == 200 and r.json()["resultats"][0]["laureat"] is None
    # API
    r = client.get("/api/v1/selection/appris/resultats?departement=48&limit=5")
    assert r.status_code == 200
    body = r.json()
    assert body["communes"] == len(rows) and len(body["resultats"]) == 5
    assert body["modele"]["entrainement"]["laureats"] == 1419
    assert {"probabilite", "explication", "laureat"} <= set(body["resultats"][0])
    r = client.get("/api/v1/selection/resultats?scenario=appris")
    assert r.status_code == 404 and "appris/resultats" in r.json()["detail"]
    r = client.get("/api/v1/selection/appris")
    assert r.status_code == 200 and r.json()["poids"][0]["variable"]
    r = client.get("/api/v1/selection/evaluation?appris=true")
    assert r.status_code == 200 and r.json()["auc"] > 0.9 and "autres" in r.json()["methode"]
    # Pages: the learned results (probability, explanation, current laureate), methodology.
    r = client.get("/selection/appris/?region=76")
    text = r.content.decode()
    assert r.status_code == 200 and 'id="appris-resultats"' in text
    assert "Mende" in text and "commune de son EPCI" in text and "<td>oui</td>" in text
    r = client.get("/selection/methodologie/")
    text = r.content.decode()
    assert 'id="appris-regions"' in text and 'id="appris-calibration"' in text
    assert "log_population" in text and "1 419" in text


@pytest.mark.parametrize(
    "case,codes,expect",
    [
        ("une-commune", ["01001"], "testé sur les régions du fichier (84)"),
        ("une-region", ["29019", "22113", "56260"], "testé sur les régions du fichier (53)"),
        ("tout-mayotte", [f"976{i:02d}" for i in range(1, 18)], "(06)"),
    ],
)
def test_evaluate_a_file_against_the_registry_without_its_regions(
    registry, tmp_path, case, codes, expect
):
    path = _list(tmp_path, case, codes)
    r = CliRunner().invoke(main, ["selection", "evaluate", "--appris", "--laureats", str(path)])
    _ok(r)
    assert r.exit_code == 0, r.output
    assert "entraîné sur le registre sans les régions du fichier" in r.output
    assert expect in r.output and f"(k = {len(codes)})" in r.output


@pytest.mark.parametrize("case", ["vide", "une-commune", "une-region", "deux-regions"])
def test_evaluate_without_registry_never_crashes(db, tmp_path, case):
    codes = {
        "vide": [],
        "une-commune": ["01001"],
        "une-region": ["29019", "22113", "56260"],
        "deux-regions": ["29019", "22113", "48095", "12202"],
    }[case]
    path = _list(tmp_path, case, codes)
    runner = CliRunner()
    for args in (["--appris"], []):
        r = runner.invoke(main, ["selection", "evaluate", *args, "--laureats", str(path)])
        _ok(r)
        assert "Traceback" not in r.output
    r = runner.invoke(main, ["selection", "evaluate", "--appris", "--laureats", str(path)])
    if case == "deux-regions":
        assert r.exit_code == 0 and "validation croisée par région" in r.output
    elif case == "vide":
        assert r.exit_code != 0 and "aucune ligne" in r.output
    else:
        assert r.exit_code == 1 and "au moins deux régions" in r.output
    r = runner.invoke(main, ["selection", "fit", "--laureats", str(path)])
    _ok(r)
    r = runner.invoke(main, ["selection", "evaluate", "--appris"])  # empty registry
    _ok(r)
    assert r.exit_code == 1 and "aucun lauréat" in r.output
