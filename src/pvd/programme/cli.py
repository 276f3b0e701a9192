"""`pvd programme ...`: import the official lists, check published figures, manage editors.

Thin, like the rest of the `pvd` command: parse arguments, call one service or selector, print.
Exit codes: 0 success, 1 failed operation (or a contradicted statement), 2 bad usage (or a
statement not understood), 3 a statement not verifiable (its territory is not covered by the
loaded lists: neither confirmed nor contradicted).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from pvd.cli.helpers import (
    ensure_referential,
    fail,
    import_errors,
    print_report,
    setup_django,
)

# The apps whose models a read-only command of the registry reads (with those they import).
PROGRAMME_APPS = ("django.contrib.auth", "django.contrib.contenttypes", "pvd.territories", "pvd.programme")


@click.group()
def programme() -> None:
    """Programme registry: laureates, groups, ORT, published figures."""


def _import(run, **kwargs) -> None:
    if kwargs.get("national") and kwargs.get("perimetre"):
        click.echo("Erreur : --national et --perimetre s'excluent.", err=True)
        sys.exit(2)
    with import_errors(kwargs["path"]):
        ensure_referential()
        report = run(**kwargs)
    print_report(report)


@programme.command("import-laureates")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--programme", "slug", default="pvd", show_default=True, help="Programme slug (pvd, acv)."
)
@click.option("--dry-run", is_flag=True, help="Show what would change, write nothing.")
@click.option("--millesime", help="Vintage of the list (default: the year in the file name).")
@click.option(
    "--selection-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Selection date given to laureates that have none (YYYY-MM-DD).",
)
@click.option(
    "--perimetre",
    help="Territories the list covers, e.g. reg:75,dep:23 (default: the regions of its rows).",
)
@click.option(
    "--national",
    is_flag=True,
    help="The list is national: entries absent from it end everywhere, not only in its regions.",
)
@click.option(
    "--confirmer",
    "confirm",
    is_flag=True,
    help="Accept that laureates end and projects become read-only (listed by the dry run).",
)
def import_laureates(
    path: Path,
    slug: str,
    dry_run: bool,
    millesime: str | None,
    selection_date,
    perimetre: str | None,
    national: bool,
    confirm: bool,
) -> None:
    """Import an official list of laureate communes (data.gouv.fr or early layout).

    Only laureates inside the list's coverage change: a one-region list leaves the other
    regions alone. The dry run shows the coverage and names the laureates that would leave and
    the projects that would become read-only; the import refuses them without --confirmer."""
    setup_django()
    from pvd.programme.services import laureates_import

    _import(
        laureates_import,
        path=path,
        programme_slug=slug,
        dry_run=dry_run,
        millesime=millesime,
        selection_date=selection_date.date() if selection_date else None,
        perimetre=perimetre,
        national=national,
        confirm=confirm,
    )


@programme.command("import-ort")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change, write nothing.")
@click.option("--millesime", help="Vintage of the sheet (default: the year in the file name).")
@click.option(
    "--perimetre",
    help="Territories the list covers, e.g. reg:75,dep:23 (default: the regions of its rows).",
)
@click.option(
    "--national",
    is_flag=True,
    help="The list is national: entries absent from it end everywhere, not only in its regions.",
)
@click.option(
    "--confirmer",
    "confirm",
    is_flag=True,
    help="Accept that ORT rows absent from the sheet are removed (listed by the dry run).",
)
def import_ort(
    path: Path,
    dry_run: bool,
    millesime: str | None,
    perimetre: str | None,
    national: bool,
    confirm: bool,
) -> None:
    """Import the national ORT tracking sheet (French headers).

    An ORT is signed only when its "Signée ?" column says so; rows whose status and date
    disagree are reported. Only ORT inside the sheet's coverage change; removing rows the sheet
    no longer lists needs --confirmer (the dry run names them)."""
    setup_django()
    from pvd.programme.services import ort_import

    _import(
        ort_import,
        path=path,
        dry_run=dry_run,
        millesime=millesime,
        perimetre=perimetre,
        national=national,
        confirm=confirm,
    )


@programme.command("check")
@click.argument("statements", nargs=-1)
@click.option("--programme", "slug", default="pvd", show_default=True)
@click.option(
    "--fichier",
    "path",
    type=click.File("r", encoding="utf-8"),
    help="Read the text from a file ('-': standard input), e.g. a press article.",
)
@click.option("--list", "show_list", is_flag=True, help="Print the communes behind each figure.")
@click.option("--json", "as_json", is_flag=True, help="JSON output (the API's).")
def check(statements: tuple[str, ...], slug: str, path, show_list: bool, as_json: bool) -> None:
    """Check the figures of a French text, claim by claim, e.g. "201 communes de
    Nouvelle-Aquitaine, dont 22 dans la Creuse" or "9,3 millions d'habitants" (each argument
    is one line of the text).

    Exit code 1 when a claim is contradicted or the text contradicts itself (parts against
    their total), 2 when one is not understood, 3 when one is not verifiable (a territory no
    loaded list covers)."""
    from pvd.domain import claims
    from pvd.programme import stored_check

    # The registry as the check reads it and the sources, stored per data version: read with
    # the settings and the shared cache only (no app started); else read from the database
    # (the registry's apps only) and stored for the next command.
    key = stored_check.key(slug)
    context = stored_check.get(key)
    if context is None:
        setup_django(read_only=True, apps=PROGRAMME_APPS)
        ensure_referential()
    text = "\n".join([*statements, *([path.read()] if path else [])])
    if not text.strip():
        raise click.UsageError("aucun texte : donnez des énoncés ou --fichier")
    if context is None:
        context = stored_check.build(slug)
        if context is None:
            fail(f"programme inconnu « {slug} »")
        stored_check.put(key, context)
    report = claims.check_text(text, context.registry)
    verdicts = report.verdicts
    if as_json:
        data = claims.report_dict(report, context.sources)
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        marks = {
            claims.CONFIRMED: "OK ",
            claims.CONTRADICTED: "NON",
            claims.NOT_UNDERSTOOD: "?? ",
            claims.NOT_VERIFIABLE: "N/V",
        }
        for i, v in enumerate(verdicts, 1):
            where = f" — {v.claim.scope.label}" if v.claim else ""
            click.echo(f"[{marks[v.status]}] {i}. {v.text}{where}\n      {v.message}")
            if show_list and v.communes:
                for f in sorted(v.communes, key=lambda f: f.code):
                    click.echo(f"      {f.code}\t{f.nom} ({f.departement})")
        for c in report.consistency:
            click.echo(f"[{'OK ' if c.consistent else 'NON'}] cohérence : {c.message}")
        click.echo(f"Source : {context.sources_line}")
    if any(v.status == claims.CONTRADICTED for v in verdicts) or any(
        not c.consistent for c in report.consistency
    ):
        sys.exit(1)
    if any(v.status == claims.NOT_UNDERSTOOD for v in verdicts):
        sys.exit(2)
    if any(v.status == claims.NOT_VERIFIABLE for v in verdicts):
        sys.exit(3)


@programme.command("grant")
@click.argument("username")
@click.option("--national", "niveau", flag_value="national", help="Edit every laureate.")
@click.option("--region", "region", help="Region code (e.g. 84).")
@click.option("--departement", "departement", help="Department code (e.g. 01).")
def grant(username: str, niveau: str | None, region: str | None, departement: str | None) -> None:
    """Let a user edit the laureates of a scope (national, a region or a department)."""
    setup_django()
    from django.contrib.auth import get_user_model

    from pvd.programme.services import scope_group_ensure

    chosen = [x for x in (niveau, region, departement) if x]
    if len(chosen) != 1:
        click.echo(
            "Erreur : choisissez exactement un périmètre (--national, --region ou --departement).",
            err=True,
        )
        sys.exit(2)
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        fail(
            f"utilisateur inconnu « {username} » (créez-le avec `pvd manage createsuperuser` "
            "ou dans l'administration)"
        )
    try:
        if niveau:
            scope = scope_group_ensure(niveau="national")
        elif region:
            scope = scope_group_ensure(niveau="region", code=region)
        else:
            scope = scope_group_ensure(niveau="departement", code=departement)
    except Exception as exc:  # unknown region or department code
        fail(f"périmètre introuvable : {exc}")
    user.groups.add(scope.group)
    click.echo(f"{username} peut modifier les lauréats : {scope} (groupe « {scope.group.name} »).")


@programme.command("restaurer")
@click.argument("changement_id", type=int)
def restore(changement_id: int) -> None:
    """Put back what a deletion removed (a project with its content, a team membership, a
    group, an ORT row...), from its entry in the change history (id shown in the admin)."""
    setup_django()
    from pvd.programme.audit import Actor, RestoreError, deletion_restore
    from pvd.programme.models import Changement

    changement = Changement.objects.filter(pk=changement_id).first()
    if changement is None:
        fail(f"aucun changement n° {changement_id} dans l'historique")
    try:
        n = deletion_restore(
            changement=changement, actor=Actor.import_of("pvd programme restaurer")
        )
    except RestoreError as exc:
        fail(str(exc))
    click.echo(f"{changement.libelle} : {n} ligne(s) restaurée(s).")
