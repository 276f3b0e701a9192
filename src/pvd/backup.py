"""Backups of the whole database (`pvd data backup` / `pvd data restore`).

- SQLite: a consistent copy made with SQLite's online backup API (``sqlite3.Connection.backup``),
  safe while the platform is serving; restoring copies the backup into the live database the
  same way (one operation, all or nothing).
- PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists``, found on the
  PATH (Debian: ``postgresql-client``); a clear error when they are missing.

Restoring replaces everything: it is refused without ``confirm`` when the target database holds
any data (a fresh, migrated or empty database needs no confirmation).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connections
from django.utils import timezone

SQLITE = "django.db.backends.sqlite3"
POSTGRESQL = "django.db.backends.postgresql"
# Tables whose rows do not make a database "not empty": `migrate` fills them itself (the
# built-in programmes PVD and ACV come from programme/0002_programmes).
BOOKKEEPING = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "sqlite_sequence",
    "programme_programme",
}


class BackupError(Exception):
    """A backup or restore that cannot be done (message in French)."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    engine: str
    size: int
    rows: int | None = None  # rows found in the data tables (SQLite)

    def lines(self, verb: str) -> list[str]:
        kind = "SQLite" if self.engine == SQLITE else "PostgreSQL"
        rows = f", {self.rows} lignes de données" if self.rows is not None else ""
        return [f"{verb} ({kind}) : {self.path} ({self.size} octets{rows})"]


def default_path(data_dir: Path, engine: str) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if engine == SQLITE else "dump"
    return Path(data_dir) / "sauvegardes" / f"pvd-{stamp}.{suffix}"


def _settings(alias: str = "default") -> dict:
    return connections[alias].settings_dict


@contextmanager
def _sqlite_live(alias: str) -> Iterator[sqlite3.Connection]:
    """The live SQLite database: its own connection on the file (the backup API locks what it
    must), or Django's connection for an in-memory database (the test database)."""
    conn = connections[alias]
    if conn.is_in_memory_db():
        conn.ensure_connection()
        yield conn.connection
        return
    db = sqlite3.connect(conn.settings_dict["NAME"])
    try:
        yield db
    finally:
        db.close()


def _count_data_rows_sqlite(db: sqlite3.Connection) -> int:
    tables = [
        name
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if name not in BOOKKEEPING
    ]
    return sum(db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables)


def _pg_env(s: dict) -> tuple[dict, list[str]]:
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    args = []
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    return env, args


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} introuvable sur le PATH : installez le client PostgreSQL "
            "(Debian : apt-get install postgresql-client) ou ajoutez-le au PATH"
        )
    return found


def _run(cmd: list[str], env: dict) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(f"{Path(cmd[0]).name} a échoué : {' / '.join(message[-3:])}")


def database_is_empty(alias: str = "default") -> bool:
    """No row in any table but the ones ``migrate`` fills."""
    conn = connections[alias]
    if conn.settings_dict["ENGINE"] == SQLITE:
        with _sqlite_live(alias) as db:
            return _count_data_rows_sqlite(db) == 0
    with conn.cursor() as cursor:
        tables = [t for t in conn.introspection.table_names(cursor) if t not in BOOKKEEPING]
        for table in tables:
            cursor.execute(f"SELECT 1 FROM {conn.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone():
                return False
    return True


def backup_create(*, path: Path, alias: str = "default") -> BackupReport:
    """Write a consistent copy of the database to ``path`` (refuses to overwrite a file)."""
    s = _settings(alias)
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} existe déjà : choisissez un autre fichier")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"dossier {path.parent} impossible à créer : {exc.strerror}") from exc
    if s["ENGINE"] == SQLITE:
        partial = path.with_name(path.name + ".part")
        try:
            target = sqlite3.connect(partial)
            try:
                with _sqlite_live(alias) as live:
                    live.backup(target)
                rows = _count_data_rows_sqlite(target)
            finally:
                target.close()
            partial.replace(path)
        except (sqlite3.Error, OSError) as exc:
            partial.unlink(missing_ok=True)
            raise BackupError(f"copie SQLite vers {path} impossible : {exc}") from exc
        return BackupReport(path, SQLITE, path.stat().st_size, rows)
    if s["ENGINE"] == POSTGRESQL:
        env, args = _pg_env(s)
        partial = path.with_name(path.name + ".part")
        try:
            _run(
                [_tool("pg_dump"), "--format=custom", *args, "--file", str(partial), s["NAME"]],
                env,
            )
        except BackupError:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(path)
        return BackupReport(path, POSTGRESQL, path.stat().st_size)
    raise BackupError(f"moteur de base non pris en charge : {s['ENGINE']}")


def _check_sqlite_backup(path: Path) -> int:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            names = {n for (n,) in db.execute("SELECT name FROM sqlite_master")}
            if "django_migrations" not in names:
                raise BackupError(f"{path} n'est pas une sauvegarde de la plateforme")
            return _count_data_rows_sqlite(db)
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} n'est pas une base SQLite lisible : {exc}") from exc


def backup_restore(*, path: Path, confirm: bool = False, alias: str = "default") -> BackupReport:
    """Replace the database by the backup at ``path``. Refused without ``confirm`` when the
    database holds data (everything in it would be replaced)."""
    s = _settings(alias)
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} : fichier de sauvegarde introuvable")
    if s["ENGINE"] == SQLITE:
        rows = _check_sqlite_backup(path)
    elif s["ENGINE"] == POSTGRESQL:
        rows = None
        _tool("pg_restore")
    else:
        raise BackupError(f"moteur de base non pris en charge : {s['ENGINE']}")
    if not confirm and not database_is_empty(alias):
        raise BackupError(
            "la base n'est pas vide : la restauration remplacerait toutes ses données. "
            "Faites d'abord une sauvegarde (`pvd data backup`), puis relancez avec --confirmer"
        )
    if s["ENGINE"] == SQLITE:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            with _sqlite_live(alias) as live:
                source.backup(live)
        except sqlite3.Error as exc:
            raise BackupError(f"restauration de {path} impossible : {exc}") from exc
        finally:
            source.close()
        _forget_cached_pages()
        return BackupReport(path, SQLITE, path.stat().st_size, rows)
    env, args = _pg_env(s)
    connections[alias].close()
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            *args,
            "--dbname",
            s["NAME"],
            str(path),
        ],
        env,
    )
    _forget_cached_pages()
    return BackupReport(path, POSTGRESQL, path.stat().st_size)


def _forget_cached_pages() -> None:
    """Pages, indexes and memos cached before the restore describe the replaced data."""
    from pvd.caching import bump_data_version

    bump_data_version()
