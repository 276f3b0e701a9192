"""Helpers shared by every `pvd` command group (the root's and each app's).

Public, so that the apps' command groups import them from here and `pvd.cli` imports no app:
no import cycle. Each helper imports Django (and the rest) only when called, so that loading a
command group stays cheap (`pvd --help` imports every group).

Exit codes: 1 for a failed operation, 2 for bad usage.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click

NOT_MIGRATED = (
    "la base de données n'est pas à jour (migrations en attente) : "
    "lancez `pvd data load` ou `pvd manage migrate`."
)


# Apps a command that only reads the data does without: the admin (whose start imports every
# app's admin module), the API and template apps, logins and sessions. Dropping them saves about
# a third of Django's start (0.3 s of CPU on the 2-core machine).
READ_ONLY_DROPPED_APPS = (
    "django.contrib.admin",
    "django.contrib.messages",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "widget_tweaks",
    "ninja",
    "dsfr",
    "axes",
    "csp",  # the Content-Security-Policy of pages (its checks import 30 ms of modules)
)


def setup_django(*, read_only: bool = False, apps: tuple[str, ...] = ()) -> None:
    """Start Django; ``read_only``: with the apps that hold the data only (a command that
    reads the database and prints, rendering no page and writing nothing); ``apps`` (read-only
    commands): only these installed apps, those whose models the command reads (each with the
    apps its models import). Every other app's models, ``ready()`` hooks and their imports are
    skipped: about 0.1 s of CPU for `pvd communes search`, which needs `pvd.territories` only."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
    import django

    if read_only or apps:
        from django.apps import apps as registry
        from django.conf import settings

        if not registry.ready:
            settings.INSTALLED_APPS = [
                app
                for app in settings.INSTALLED_APPS
                if app not in READ_ONLY_DROPPED_APPS and (not apps or app in apps)
            ]
    django.setup()


def fail(message: str) -> None:
    click.echo(f"Erreur : {message}", err=True)
    sys.exit(1)


def data_dir() -> str:
    from django.conf import settings

    return str(settings.DATA_DIR)


def migrate() -> None:
    """Apply the migrations (only `serve` and `data load` do: the commands that create the
    database; the others check that nothing is pending)."""
    from django.core.management import call_command

    os.makedirs(data_dir(), exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)


def pending_migrations() -> list[str]:
    """The migrations on disk that the database has not applied ("app.name"), read cheaply:
    the migration files' names against the django_migrations table (no migration module is
    imported, no graph is built)."""
    import importlib.util
    import pkgutil

    from django.apps import apps
    from django.db import DatabaseError, connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    try:
        if not recorder.has_table():
            return ["django_migrations"]
    except DatabaseError:  # no database at all (a SQLite file in a folder not created yet)
        return ["django_migrations"]
    applied = set(recorder.applied_migrations())
    pending = []
    for config in apps.get_app_configs():
        module_name, _ = MigrationLoader.migrations_module(config.label)
        try:
            spec = importlib.util.find_spec(module_name) if module_name else None
        except ModuleNotFoundError:
            spec = None
        if spec is None or not spec.submodule_search_locations:
            continue
        for module in pkgutil.iter_modules(spec.submodule_search_locations):
            if module.ispkg or module.name.startswith(("_", "~")):
                continue
            if (config.label, module.name) not in applied:
                pending.append(f"{config.label}.{module.name}")
    return pending


def ensure_migrated() -> None:
    """Exit 1 with a message naming the command to run when migrations are pending."""
    if pending_migrations():
        fail(NOT_MIGRATED)


@contextmanager
def database_errors():
    """Around a read-only command, which checks nothing before reading: a database without
    the tables (never loaded, never migrated) ends with the same message, not a traceback."""
    from django.db import DatabaseError

    try:
        yield
    except DatabaseError:
        if pending_migrations():
            fail(NOT_MIGRATED)
        raise


def fail_source(exc: Exception) -> None:
    """Print a SourceError (and the other row errors it collected) and exit 1."""
    from pvd.sources.report import safe_message

    lines = [f"Erreur : {exc}"]
    for error in getattr(exc, "errors", [])[1:11]:
        where = ", ".join(
            part
            for part in (
                f"ligne {error.line}" if error.line is not None else "",
                f"colonne {error.column}" if error.column else "",
            )
            if part
        )
        message = safe_message(error.message)
        lines.append(f"  {where} : {message}" if where else f"  {message}")
    more = len(getattr(exc, "errors", [])) - 11
    if more > 0:
        lines.append(f"  ... et {more} autres")
    click.echo("\n".join(lines), err=True)
    sys.exit(1)


@contextmanager
def import_errors(*paths: Path):
    """Around an import command (referential check, reading, writing): a file that cannot be
    read or a write that fails (full disk, read-only data directory or database) ends with a
    one-line message naming the file and exit 1, never a traceback; the import's transaction
    has left the database as it was."""
    from django.db import DatabaseError

    from pvd.sources.report import SourceError, printable, write_failure

    named = ", ".join(printable(str(p), 300) for p in paths) or "import"
    try:
        yield
    except SourceError as exc:
        fail_source(exc)
    except (OSError, DatabaseError) as exc:
        fail(f"{named} : {write_failure(exc)}")


def ensure_referential() -> None:
    """Before a command that writes: the database is migrated and holds the referential."""
    from pvd.territories.models import Commune

    ensure_migrated()
    if not Commune.objects.exists():
        fail("le référentiel est vide : lancez d'abord `pvd data load`.")


def print_report(report) -> None:
    click.echo("\n".join(report.lines()))
    if not report.changed:
        click.echo("Aucun changement.")


class LazyChoice(click.Choice):
    """A choice among names that only an import gives (a module loading polars, say): loaded
    when an argument is checked or a command's help shown, not when the group is listed."""

    def __init__(self, load, case_sensitive: bool = True) -> None:
        self._load = load
        self._choices: tuple | None = None
        super().__init__((), case_sensitive)

    @property
    def choices(self) -> tuple:
        if self._choices is None:
            self._choices = tuple(self._load())
        return self._choices

    @choices.setter
    def choices(self, value) -> None:  # click.Choice.__init__ sets the (empty) placeholder
        pass
