"""`pvd data backup` / `pvd data restore`: a consistent copy of the database, and a restore
that replaces a database holding data only when confirmed (issue 18)."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from click.testing import CliRunner
from django.db import connection, connections

from pvd import backup, caching
from pvd.cli import main
from pvd.territories.models import Commune

TARGET = "restore_target"


@pytest.fixture
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip(f"SQLite backup tests (database is {connection.vendor})")


@pytest.fixture
def empty_target(tmp_path):
    """A second, empty SQLite database to restore into (the test database stays untouched)."""
    connections.settings[TARGET] = {
        **connection.settings_dict,
        "NAME": str(tmp_path / "cible.sqlite3"),
    }
    yield TARGET
    connections[TARGET].close()
    del connections[TARGET]
    del connections.settings[TARGET]


def _communes(db_path) -> int:
    db = sqlite3.connect(db_path)
    try:
        return db.execute("SELECT COUNT(*) FROM territories_commune WHERE type = 'COM'").fetchone()[
            0
        ]
    finally:
        db.close()


def test_sqlite_backup_then_restore(db, sqlite_only, empty_target, tmp_path):
    communes = Commune.objects.filter(type="COM").count()
    path = tmp_path / "pvd.sqlite3"
    result = CliRunner().invoke(main, ["data", "backup", str(path)])
    assert result.exit_code == 0, result.output
    assert "Sauvegarde écrite (SQLite)" in result.output
    assert _communes(path) == communes > 34_000
    # Never overwrites a file.
    again = CliRunner().invoke(main, ["data", "backup", str(path)])
    assert again.exit_code == 1 and "existe déjà" in again.output
    # The live database holds data: restoring over it needs --confirmer (nothing touched).
    refused = CliRunner().invoke(main, ["data", "restore", str(path)])
    assert refused.exit_code == 1 and "n'est pas vide" in refused.output
    assert "--confirmer" in refused.output
    assert Commune.objects.filter(type="COM").count() == communes
    # An empty database takes it without confirmation, then refuses a second one without.
    assert backup.database_is_empty(empty_target)
    report = backup.backup_restore(path=path, alias=empty_target)
    assert report.rows and _communes(connections[empty_target].settings_dict["NAME"]) == communes
    assert not backup.database_is_empty(empty_target)
    version = caching.data_version()
    backup.backup_restore(path=path, alias=empty_target, confirm=True)
    assert caching.data_version() != version  # nothing cached before it is served again
    with pytest.raises(backup.BackupError, match="n'est pas vide"):
        backup.backup_restore(path=path, alias=empty_target)
    backup.backup_restore(path=path, alias=empty_target, confirm=True)


def test_restore_refuses_what_is_not_a_backup(db, sqlite_only, tmp_path):
    bad = tmp_path / "notes.sqlite3"
    bad.write_text("pas une base", encoding="utf-8")
    result = CliRunner().invoke(main, ["data", "restore", str(bad), "--confirmer"])
    assert result.exit_code == 1 and "pas une base SQLite lisible" in result.output
    missing = CliRunner().invoke(main, ["data", "restore", str(tmp_path / "absent.sqlite3")])
    assert missing.exit_code == 1 and "introuvable" in missing.output


def test_missing_postgresql_tools_are_named(monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(backup.BackupError, match="pg_dump introuvable.*postgresql-client"):
        backup._tool("pg_dump")


def test_postgresql_backup(db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip(f"PostgreSQL backup test (database is {connection.vendor})")
    if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        pytest.skip("pg_dump/pg_restore not on the PATH")
    path = tmp_path / "pvd.dump"
    report = backup.backup_create(path=path)
    assert report.size > 100_000 and path.read_bytes()[:5] == b"PGDMP"
    with pytest.raises(backup.BackupError, match="n'est pas vide"):
        backup.backup_restore(path=path)
