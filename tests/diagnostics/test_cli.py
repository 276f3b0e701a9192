"""`pvd indicators ...`: thin commands, errors on stderr with file, line and column."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pvd import cli
from pvd.diagnostics.models import SourceTable

DATA = Path(__file__).resolve().parent.parent / "data"


def run(*args: str):
    return CliRunner().invoke(cli.main, ["indicators", *args])


def test_list_json():
    result = run("list", "--json")
    assert result.exit_code == 0
    items = json.loads(result.stdout)
    vacancy = next(i for i in items if i["id"] == "taux_vacance")
    assert vacancy["theme"] == "habitat" and vacancy["direction"] == "lower_better"


def test_import_error_goes_to_stderr(db):
    result = run("import", "logement", str(DATA / "insee" / "logement-valeur-invalide.CSV"))
    assert result.exit_code == 1
    assert "ligne 3, colonne P21_LOGVAC" in result.stderr
    assert result.stdout == ""


def test_import_dry_run_then_import(db):
    SourceTable.objects.filter(kind="ages").delete()
    path = str(DATA / "insee" / "base-cc-evol-struct-pop-2021.CSV")
    result = run("import", "ages", path, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "simulation, rien n'est écrit" in result.stdout
    assert not SourceTable.objects.filter(kind="ages").exists()
    result = run("import", "ages", path)
    assert result.exit_code == 0 and "pvd indicators build" in result.stdout
    assert SourceTable.objects.filter(kind="ages").exists()


def test_unknown_kind_is_a_usage_error():
    assert run("import", "cadastre", "x.csv").exit_code == 2
