"""The `pvd` command. Thin: parse arguments, call a service or selector, print.

Errors go to stderr with a non-zero exit code: 1 for a failed operation, 2 for bad usage.
"""

from __future__ import annotations

import json
import os
import sys

import click


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
    import django

    django.setup()


def _fail(message: str) -> None:
    click.echo(f"Erreur : {message}", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pvd")
def main() -> None:
    """PVD : plateforme du programme Petites villes de demain."""


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command (migrate, createsuperuser, shell...)."""
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pvd manage", *args])


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Migrate, load the embedded referential if the database is empty, and serve."""
    _setup_django()
    from django.core.management import call_command

    from pvd.territories.models import Commune

    os.makedirs(_data_dir(), exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    if not Commune.objects.exists():
        click.echo("Base vide : chargement du référentiel territorial embarqué...", err=True)
        _load_snapshot(dry_run=False)
    click.echo(f"PVD sur http://{host}:{port}/ (Ctrl+C pour arrêter)", err=True)
    call_command("runserver", f"{host}:{port}", use_reloader=False)


def _data_dir() -> str:
    from django.conf import settings

    return str(settings.DATA_DIR)


@main.group()
def data() -> None:
    """Load, import and fetch official data."""


def _load_snapshot(*, dry_run: bool) -> None:
    from django.conf import settings

    from pvd.sources.report import SourceError
    from pvd.sources.snapshot import read_snapshot
    from pvd.territories.services import referential_load_snapshot

    try:
        snapshot = read_snapshot(settings.SNAPSHOT_DIR)
    except SourceError as exc:
        _fail(str(exc))
    report = referential_load_snapshot(snapshot=snapshot, dry_run=dry_run)
    click.echo("\n".join(report.lines()))
    if not report.changed:
        click.echo("Aucun changement : le référentiel est déjà à jour.")


@data.command("load")
@click.option("--dry-run", is_flag=True, help="Show what would change, write nothing.")
def data_load(dry_run: bool) -> None:
    """Load the embedded referential (regions to communes, populations). Idempotent."""
    _setup_django()
    os.makedirs(_data_dir(), exist_ok=True)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    _load_snapshot(dry_run=dry_run)


@main.group()
def communes() -> None:
    """Find communes."""


@communes.command("search")
@click.argument("query")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 200))
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
def communes_search(query: str, limit: int, as_json: bool) -> None:
    """Search communes by name, INSEE code or postal code."""
    _setup_django()
    from pvd.territories.models import Commune
    from pvd.territories.selectors import communes_search as search

    if not Commune.objects.exists():
        _fail("le référentiel est vide : lancez d'abord `pvd data load`.")
    hits = search(query=query, limit=limit)
    if as_json:
        click.echo(json.dumps([_hit_dict(h) for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo("Aucune commune trouvée.", err=True)
        sys.exit(1)
    for h in hits:
        e = h.entry
        extra = f" — {e.type} de {e.parent_nom}" if e.parent_nom else ""
        pop = f"{e.population:,} hab.".replace(",", " ") if e.population else "—"
        click.echo(f"{e.code}\t{e.nom} ({e.departement}){extra}\t{pop}")


def _hit_dict(h) -> dict:
    e = h.entry
    return {"code": e.code, "type": e.type, "nom": e.nom, "departement": e.departement,
            "population": e.population, "parent": e.parent_code or None, "match": h.match}


if __name__ == "__main__":
    main()
