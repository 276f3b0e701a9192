"""The `pvd` command as a package (issue 19): a root that imports no app, groups loaded when
used, helpers the apps import from `pvd.cli.helpers`; commands other than `serve` and `data load`
never migrate and say what to run when the database is not migrated; read-only starts stay light.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from pvd import cli
from pvd.cli import helpers

HEAVY = ("polars", "sklearn", "weasyprint", "django", "numpy", "pvd.territories")


def _python(code: str, tmp_path, **env) -> subprocess.CompletedProcess:
    environ = {**os.environ, "PVD_DATA_DIR": str(tmp_path), **env}
    environ.pop("DATABASE_URL", None)  # a fresh SQLite file in tmp_path, on both CI databases
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environ, timeout=120
    )


def test_help_lists_every_group_and_imports_no_app_nor_django(tmp_path):
    out = _python(
        "import sys\n"
        "from pvd.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in sys.modules if m.startswith({HEAVY!r})))",
        tmp_path,
    )
    assert out.returncode == 0, out.stderr
    *help_lines, loaded = out.stdout.strip().splitlines()
    assert loaded == "[]"
    for name in cli.COMMANDS:
        assert any(line.strip().startswith(name + " ") for line in help_lines), name


def test_every_registered_group_loads_and_has_a_help_line():
    for name, target in cli.COMMANDS.items():
        command = cli.load_command(target)
        assert isinstance(command, click.Command), name
        assert command.get_short_help_str().strip(), name


def test_python_dash_m_runs_the_same_command(tmp_path):
    environ = {**os.environ, "PVD_DATA_DIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-m", "pvd.cli", "--help"], capture_output=True, text=True, env=environ
    )
    assert out.returncode == 0, out.stderr
    assert "Usage: pvd " in out.stdout and "communes" in out.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["data", "import-population", "nowhere.csv", "--millesime", "2021"],
        ["communes", "search", "Paris"],
        ["programme", "check", "201 communes de Nouvelle-Aquitaine"],
        ["network", "events", "list"],  # a traceback before (issue 15's review)
        ["network", "events", "export-attendance", "1"],
        ["network", "export", "annuaire"],  # said « no such table: projects_projet »
    ],
)
def test_a_database_not_migrated_is_named_not_migrated(tmp_path, argv):
    out = _python(f"from pvd.cli import main; main({argv!r})", tmp_path)
    assert out.returncode == 1
    assert "lancez `pvd data load` ou `pvd manage migrate`" in out.stderr
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "pvd.sqlite3").exists() or _tables(tmp_path) == []


def _tables(tmp_path) -> list[str]:
    import sqlite3

    with sqlite3.connect(tmp_path / "pvd.sqlite3") as db:
        return [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]


def test_the_test_database_has_no_pending_migration(db):
    assert helpers.pending_migrations() == []


def test_config_lists_settings_and_masks_secrets():
    runner = CliRunner()
    env = {
        "PVD_EMAIL_PASSWORD": "hunter2-secret",
        "DATABASE_URL": "postgres://pvd:pw-in-url@127.0.0.1:5432/pvd",
    }
    out = runner.invoke(cli.main, ["config", "--json"], env=env)
    assert out.exit_code == 0, out.output
    rows = {row["name"]: row for row in json.loads(out.output)}
    assert rows["PVD_EMAIL_PASSWORD"]["value"] == "********"
    assert rows["DATABASE_URL"]["value"] == "postgres://pvd:********@127.0.0.1:5432/pvd"
    assert "hunter2" not in out.output and "pw-in-url" not in out.output
    assert all(row["help"] for row in rows.values())
    text = runner.invoke(cli.main, ["config"], env={"PVD_CACHE": ""})
    assert "PVD_DATA_DIR = " in text.output and "(non défini : valeur par défaut)" in text.output


def test_lazy_choice_checks_like_a_choice():
    runner = CliRunner()
    out = runner.invoke(cli.main, ["indicators", "import", "nope", "x.csv"])
    assert out.exit_code == 2 and "'nope' is not one of 'historique'" in out.output
