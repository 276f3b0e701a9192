"""The `pvd` command. Thin: parse arguments, call a service or selector, print.

Errors go to stderr with a non-zero exit code: 1 for a failed operation, 2 for bad usage.
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

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
@click.option(
    "--dev",
    is_flag=True,
    help="Django's development server with debug on (reloads nothing, never in production).",
)
def serve(host: str, port: int, dev: bool) -> None:
    """Migrate, load the embedded data if the database is empty, and serve (gunicorn)."""
    if dev:
        os.environ.setdefault("PVD_DEBUG", "1")
    _setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from pvd.config import serving

    try:  # a bad PVD_WORKERS stops the start at once, not after the data load
        workers = serving.worker_count(serving.available_cores(), os.environ.get("PVD_WORKERS"))
    except Exception as exc:
        _fail(str(exc))
    os.makedirs(_data_dir(), exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    _load_embedded_if_empty()
    if dev:
        click.echo(f"PVD (développement) sur http://{host}:{port}/ (Ctrl+C pour arrêter)", err=True)
        call_command("runserver", f"{host}:{port}", use_reloader=False)
        return

    from django.core.wsgi import get_wsgi_application
    from django.db import connections

    from pvd.config.staticfiles import collect_if_needed

    if collect_if_needed(settings.STATIC_ROOT):
        click.echo(f"Fichiers statiques rassemblés dans {settings.STATIC_ROOT}.", err=True)
    application = get_wsgi_application()
    connections.close_all()  # the workers are forked: none inherits the master's connection
    click.echo(
        f"PVD sur http://{host}:{port}/ ({workers} processus gunicorn ; Ctrl+C pour arrêter)",
        err=True,
    )
    serving.run_gunicorn(application, serving.gunicorn_options(host, port, workers))


def _load_embedded_if_empty() -> None:
    """On an empty database, load the embedded data (the one place `serve` loads data)."""
    from pvd.territories.models import Commune

    if not Commune.objects.exists():
        click.echo("Base vide : chargement des données embarquées...", err=True)
        # In a child process: the loader computes with polars, whose thread pool does not
        # survive a fork, and gunicorn's workers are forked from this process.
        import subprocess

        done = subprocess.run([_pvd_executable(), "data", "load", "--sans-modele"], check=False)
        if done.returncode != 0:
            _fail("le chargement des données embarquées a échoué (voir ci-dessus).")
        _fit_in_background()


def _pvd_executable() -> str:
    return str(Path(sys.executable).with_name("pvd"))


def _fit_in_background() -> None:
    """Fit the learned selection model in a child process while the site starts: the first
    page does not wait for it (about 20 s), and /selection/appris/ shows it once stored."""
    import subprocess

    log = Path(_data_dir()) / "selection-fit.log"
    command = [_pvd_executable(), "selection", "fit"]
    with open(log, "w") as out:
        subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=os.environ.copy())
    click.echo(
        f"Modèle de sélection appris : ajustement en arrière-plan (environ 20 s ; journal {log}).",
        err=True,
    )


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


def _load_all(*, fit: bool = True, details: bool = False) -> None:
    """The embedded referential and open data, through the importers; progress on stderr.
    ``fit``: also fit the learned selection model (the longest step); ``details``: print each
    importer's whole report (moves, skipped rows and their reasons) at the end."""
    from pvd.sources.report import SourceError
    from pvd.territories.opendata import opendata_load

    try:
        report = opendata_load(progress=lambda line: click.echo(line, err=True), fit=fit)
    except SourceError as exc:
        _fail_source(exc)
    if details:
        click.echo("\n".join(report.lines(details=True)))
    click.echo(report.lines()[-1], err=True)


@data.command("load")
@click.option("--dry-run", is_flag=True, help="Referential only: show what would change.")
@click.option("--referentiel", "referential_only", is_flag=True, help="Load the referential only.")
@click.option("--details", is_flag=True, help="Print every importer's report at the end.")
@click.option(
    "--sans-modele", "no_fit", is_flag=True, help="Do not fit the learned selection model."
)
def data_load(dry_run: bool, referential_only: bool, details: bool, no_fit: bool) -> None:
    """Load the embedded referential, then the embedded open data (programme lists,
    indicator inputs, typologies, contours) through the importers, and build the indicators.
    Idempotent; never overwrites newer imported data."""
    _setup_django()
    os.makedirs(_data_dir(), exist_ok=True)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if dry_run or referential_only:
        _load_snapshot(dry_run=dry_run)
        return
    _load_all(fit=not no_fit, details=details)


@data.command("backup")
@click.argument("path", required=False, type=click.Path(path_type=Path, dir_okay=False))
def data_backup(path: Path | None) -> None:
    """Save the whole database (SQLite: consistent copy; PostgreSQL: pg_dump). Default file:
    PVD_DATA_DIR/sauvegardes/pvd-<date>-<heure>.sqlite3 (or .dump)."""
    _setup_django()
    from django.db import connection

    from pvd.backup import BackupError, backup_create, default_path

    path = path or default_path(Path(_data_dir()), connection.settings_dict["ENGINE"])
    try:
        report = backup_create(path=path)
    except BackupError as exc:
        _fail(str(exc))
    click.echo("\n".join(report.lines("Sauvegarde écrite")))


@data.command("restore")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--confirmer",
    "confirm",
    is_flag=True,
    help="Replace a database that is not empty (everything in it is replaced).",
)
def data_restore(path: Path, confirm: bool) -> None:
    """Replace the database by a backup of `pvd data backup` (refused without --confirmer when
    the database holds data)."""
    _setup_django()
    from pvd.backup import BackupError, backup_restore

    try:
        report = backup_restore(path=path, confirm=confirm)
    except BackupError as exc:
        _fail(str(exc))
    click.echo("\n".join(report.lines("Base restaurée depuis")))


def _fail_source(exc: Exception) -> None:
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
        _fail_source(exc)
    except (OSError, DatabaseError) as exc:
        _fail(f"{named} : {write_failure(exc)}")


def _ensure_referential() -> None:
    from django.core.management import call_command

    from pvd.territories.models import Commune

    os.makedirs(_data_dir(), exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    if not Commune.objects.exists():
        _fail("le référentiel est vide : lancez d'abord `pvd data load`.")


def _print_report(report) -> None:
    click.echo("\n".join(report.lines()))
    if not report.changed:
        click.echo("Aucun changement.")


@data.command("sources")
@click.option("--json", "as_json", is_flag=True, help="JSON output (every field).")
def data_sources(as_json: bool) -> None:
    """List the official sources the platform knows (catalogue)."""
    from pvd.sources import catalogue

    entries = catalogue.sources()
    if as_json:
        click.echo(json.dumps([s.as_dict() for s in entries], ensure_ascii=False, indent=2))
        return
    header = ("NOM", "MILLÉSIME", "FORMAT", "LU PAR", "TITRE")
    rows = [
        (
            s.name,
            s.vintage if len(s.vintage) <= 12 else s.vintage[:11] + "…",
            s.layout.format,
            " ".join(s.import_command.split()[:3]) if s.import_command else "—",
            s.title if len(s.title) <= 70 else s.title[:69] + "…",
        )
        for s in entries
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    for r in [header, *rows]:
        click.echo("  ".join(v.ljust(w) for v, w in zip(r[:4], widths, strict=True)) + "  " + r[4])
    click.echo(
        f"\n{len(rows)} sources. `pvd data fetch NOM` télécharge un fichier ; "
        "`pvd data sources --json` donne adresses, colonnes, licences et sommes de contrôle."
    )


@data.command("fetch")
@click.argument("name")
@click.option("--force", is_flag=True, help="Download again even if the file is cached.")
@click.option(
    "--timeout",
    default=5.0,
    show_default=True,
    type=click.FloatRange(0.1, 120),
    help="Connect timeout in seconds (name resolution included).",
)
def data_fetch(name: str, force: bool, timeout: float) -> None:
    """Download an official file of the catalogue into the cache (resumable, checked)."""
    from pvd.sources import catalogue

    source = catalogue.get(name)
    if source is None:
        click.echo(
            f"Erreur : source inconnue « {name} ». Sources disponibles :\n  "
            + "\n  ".join(catalogue.names()),
            err=True,
        )
        sys.exit(2)
    _setup_django()
    from django.conf import settings

    from pvd.sources.fetch import FetchError, fetch, make_client

    try:
        with make_client(connect_timeout=timeout) as client:
            result = fetch(source, cache_dir=settings.CACHE_DIR, force=force, client=client)
    except FetchError as exc:
        _fail(str(exc))
    status = {
        "downloaded": "téléchargé",
        "resumed": "téléchargement repris et terminé",
        "cached": "déjà dans le cache (--force pour le télécharger à nouveau)",
    }[result.status]
    check = "vérifiée" if result.verified else "calculée (pas de somme de référence au catalogue)"
    click.echo(f"{source.name} : {status}")
    click.echo(f"  fichier : {result.path} ({result.size} octets)")
    click.echo(f"  SHA-256 {check} : {result.sha256}")
    click.echo(f"  lecture : {source.import_hint(str(result.path))}")


@data.command("import-cog")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--millesime", type=click.IntRange(1943, 2100), help="COG vintage (default: from file name)."
)
@click.option(
    "--prune",
    is_flag=True,
    help="Delete the rows absent from the file that nothing refers to (kept by default).",
)
@click.option("--dry-run", is_flag=True, help="Show what would change, write nothing.")
def data_import_cog(
    files: tuple[Path, ...], millesime: int | None, prune: bool, dry_run: bool
) -> None:
    """Update communes (and departments, regions, arrondissements) from INSEE COG files.

    FILES: v_commune_YYYY.csv and/or v_departement_YYYY.csv, v_region_YYYY.csv,
    v_arrondissement_YYYY.csv (told apart by their header). All or nothing.
    """
    _setup_django()
    from pvd.sources.cog import read_cog
    from pvd.territories.services import communes_import_cog

    with import_errors(*files):
        _ensure_referential()
        parsed = [read_cog(path) for path in files]
        report = communes_import_cog(
            files=parsed, millesime=millesime, prune=prune, dry_run=dry_run
        )
    _print_report(report)


@data.command("import-population")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--millesime", required=True, type=click.IntRange(1876, 2100), help="Census vintage.")
@click.option("--column", help="Population column (default: PMUN, PMUN<YYYY>, P<YY>_POP...).")
@click.option("--dry-run", is_flag=True, help="Show what would change, write nothing.")
def data_import_population(file: Path, millesime: int, column: str | None, dry_run: bool) -> None:
    """Import INSEE legal populations (donnees_communes.csv, ensemble.zip or a CODGEO file)."""
    _setup_django()
    from pvd.sources.population import read_populations
    from pvd.territories.services import populations_import

    with import_errors(file):
        _ensure_referential()
        parsed = read_populations(file, millesime=millesime, column=column)
        report = populations_import(populations=parsed, dry_run=dry_run)
    _print_report(report)


@data.command("import-geo")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change, write nothing.")
def data_import_geo(files: tuple[Path, ...], dry_run: bool) -> None:
    """Import geometries for the location maps: commune centres (CSV insee,lon,lat from
    geo.api.gouv.fr) and department contours (GeoJSON in WGS84, e.g. ANCT's
    polygone-4326_dep.geojson). Each file is checked whole, then imported atomically."""
    _setup_django()
    from pvd.sources.geo import read_geo
    from pvd.territories.geography import geo_import

    with import_errors(*files):
        _ensure_referential()
        parsed = [read_geo(f) for f in files]
        reports = [geo_import(geo=geo, dry_run=dry_run) for geo in parsed]
    for report in reports:
        _print_report(report)


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
    return {
        "code": e.code,
        "type": e.type,
        "nom": e.nom,
        "departement": e.departement,
        "population": e.population,
        "parent": e.parent_code or None,
        "match": h.match,
    }


from pvd.programme.cli import programme  # noqa: E402  (sub-command group of its own app)

main.add_command(programme)

from pvd.diagnostics.commands import indicators  # noqa: E402

main.add_command(indicators)

from pvd.selection.cli import selection  # noqa: E402

main.add_command(selection)

from pvd.projects.cli import projets  # noqa: E402

main.add_command(projets)

if __name__ == "__main__":
    main()
