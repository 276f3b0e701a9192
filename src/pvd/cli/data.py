"""`pvd data ...`: load the embedded data, back up and restore, list, fetch and import official
files. Only `data load` migrates (it creates the database); the imports check that nothing is
pending (`ensure_referential`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from pvd.cli.helpers import (
    data_dir,
    ensure_referential,
    fail,
    fail_source,
    import_errors,
    migrate,
    print_report,
    setup_django,
)


@click.group()
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
        fail(str(exc))
    report = referential_load_snapshot(snapshot=snapshot, dry_run=dry_run)
    click.echo("\n".join(report.lines()))
    if not report.changed:
        click.echo("Aucun changement : le référentiel est déjà à jour.")


def _load_all(*, fit: bool = True, details: bool = False) -> None:
    """The embedded referential and open data, through the importers; progress on stderr.
    ``fit``: also fit the learned selection model (the longest step); ``details``: print each
    importer's whole report (moves, skipped rows and their reasons) at the end."""
    from pvd.opendata.load import opendata_load
    from pvd.sources.report import SourceError

    try:
        report = opendata_load(progress=lambda line: click.echo(line, err=True), fit=fit)
    except SourceError as exc:
        fail_source(exc)
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
    setup_django()
    migrate()
    if dry_run or referential_only:
        _load_snapshot(dry_run=dry_run)
        return
    _load_all(fit=not no_fit, details=details)


@data.command("backup")
@click.argument("path", required=False, type=click.Path(path_type=Path, dir_okay=False))
def data_backup(path: Path | None) -> None:
    """Save the whole database (SQLite: consistent copy; PostgreSQL: pg_dump). Default file:
    PVD_DATA_DIR/sauvegardes/pvd-<date>-<heure>.sqlite3 (or .dump)."""
    setup_django()
    from django.db import connection

    from pvd.backup import BackupError, backup_create, default_path

    path = path or default_path(Path(data_dir()), connection.settings_dict["ENGINE"])
    try:
        report = backup_create(path=path)
    except BackupError as exc:
        fail(str(exc))
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
    setup_django()
    from pvd.backup import BackupError, backup_restore

    try:
        report = backup_restore(path=path, confirm=confirm)
    except BackupError as exc:
        fail(str(exc))
    click.echo("\n".join(report.lines("Base restaurée depuis")))


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
    setup_django()
    from django.conf import settings

    from pvd.sources.fetch import FetchError, fetch, make_client

    try:
        with make_client(connect_timeout=timeout) as client:
            result = fetch(source, cache_dir=settings.CACHE_DIR, force=force, client=client)
    except FetchError as exc:
        fail(str(exc))
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
    setup_django()
    from pvd.sources.cog import read_cog
    from pvd.territories.cog_import import communes_import_cog

    with import_errors(*files):
        ensure_referential()
        parsed = [read_cog(path) for path in files]
        report = communes_import_cog(
            files=parsed, millesime=millesime, prune=prune, dry_run=dry_run
        )
    print_report(report)


@data.command("import-population")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--millesime", required=True, type=click.IntRange(1876, 2100), help="Census vintage.")
@click.option("--column", help="Population column (default: PMUN, PMUN<YYYY>, P<YY>_POP...).")
@click.option("--dry-run", is_flag=True, help="Show what would change, write nothing.")
def data_import_population(file: Path, millesime: int, column: str | None, dry_run: bool) -> None:
    """Import INSEE legal populations (donnees_communes.csv, ensemble.zip or a CODGEO file)."""
    setup_django()
    from pvd.sources.population import read_populations
    from pvd.territories.population_import import populations_import

    with import_errors(file):
        ensure_referential()
        parsed = read_populations(file, millesime=millesime, column=column)
        report = populations_import(populations=parsed, dry_run=dry_run)
    print_report(report)


@data.command("import-geo")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change, write nothing.")
def data_import_geo(files: tuple[Path, ...], dry_run: bool) -> None:
    """Import geometries for the location maps: commune centres (CSV insee,lon,lat from
    geo.api.gouv.fr) and department contours (GeoJSON in WGS84, e.g. ANCT's
    polygone-4326_dep.geojson). Each file is checked whole, then imported atomically."""
    setup_django()
    from pvd.sources.geo import read_geo
    from pvd.territories.geography import geo_import

    with import_errors(*files):
        ensure_referential()
        parsed = [read_geo(f) for f in files]
        reports = [geo_import(geo=geo, dry_run=dry_run) for geo in parsed]
    for report in reports:
        print_report(report)


