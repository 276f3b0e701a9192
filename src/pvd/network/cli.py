"""`pvd network ...`: the network's commands: exports of the directory and the published
practices; `pvd network events` holds the club's events: list them, send the reminders, export an
attendance list; `pvd network digest` sends the weekly digest.

Thin: parse arguments, call one service or selector, print. Exit codes: 0 success, 1 failed
operation, 2 bad usage.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import click

from pvd.cli.helpers import database_errors, fail, setup_django


@click.group()
def network() -> None:
    """Réseau des villes du programme : annuaire, fiches expériences, rencontres du club."""


@network.command("export")
@click.argument("kind", type=click.Choice(["annuaire", "pratiques"]))
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Fichier à écrire (défaut : sortie standard).",
)
@click.option("--international", is_flag=True, help="CSV « , » et « . » décimal (scripts).")
def export(kind: str, fmt: str, output: Path | None, international: bool) -> None:
    """Exporte l'annuaire public (sans données personnelles) ou les fiches publiées."""
    setup_django(read_only=True)  # reads and prints: no admin, API (pydantic) nor page apps
    from pvd.network.exports import export as run

    with database_errors():  # a database never loaded: the command to run, not a traceback
        body = run(kind, fmt, variant="international" if international else "fr")
    if output is None:
        click.echo(body.decode("utf-8-sig"), nl=False)
        return
    output.write_bytes(body)
    click.echo(f"{kind} ({fmt}) écrit dans {output} ({len(body)} octets).", err=True)


@network.group("events")
def events() -> None:
    """Rencontres du réseau : liste, rappels par e-mail, liste des participants."""


@events.command("list")
@click.option("--passes", is_flag=True, help="Les rencontres passées (défaut : à venir).")
@click.option("--region", default="", help="Code de région (ses rencontres et les nationales).")
@click.option(
    "--format", "fmt", type=click.Choice(["presentiel", "en_ligne", "hybride"]), default=None,
    help="Format de la rencontre.",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
def list_events(passes: bool, region: str, fmt: str | None, as_json: bool) -> None:
    """Liste les rencontres publiées (et annulées), avec inscrits et liste d'attente."""
    setup_django(read_only=True)
    from django.utils import timezone

    from pvd.network.events_selectors import events as select

    with database_errors():
        rows = list(
            select(None, period="passes" if passes else "a-venir", region=region, format=fmt or "")
        )
    out = [
        {
            "id": ev.pk,
            "titre": ev.titre,
            "debut": timezone.localtime(ev.debut).isoformat(),
            "echelle": ev.echelle,
            "region": ev.region_id,
            "departement": ev.departement_id,
            "format": ev.format,
            "statut": ev.statut,
            "capacite": ev.capacite,
            "inscrits": ev.nb_inscrits,
            "attente": ev.nb_attente,
        }
        for ev in rows
    ]
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    for r in out:
        cap = "sans limite" if r["capacite"] is None else f"{r['inscrits']}/{r['capacite']}"
        where = r["departement"] or r["region"] or "national"
        flag = " [annulé]" if r["statut"] == "annule" else ""
        click.echo(f"{r['id']:>5}  {r['debut'][:16]}  {where:<8} {cap:<12} {r['titre']}{flag}")
    click.echo(f"{len(out)} rencontre(s).")


def _when(ctx, param, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"date et heure attendues (AAAA-MM-JJTHH:MM), pas « {value} »") from exc
    from django.utils import timezone

    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _mails(send, *, failed: str, disabled: str):
    """Run an e-mail service: "<failed> : <why>" and exit 1 when it fails (SMTP refused,
    database...), "<disabled> (PVD_REMINDERS=0)" and None when the setting disables it, else
    its report."""
    try:
        report = send()
    except Exception as exc:  # a message, not a traceback
        fail(f"{failed} : {exc}")
    if report.disabled:
        click.echo(f"{disabled} (PVD_REMINDERS=0) : aucun e-mail envoyé.")
        return None
    return report


@events.command("remind")
@click.option("--maintenant", "now", help="Instant des rappels, AAAA-MM-JJTHH:MM heure de Paris (défaut : maintenant).")  # noqa: E501
@click.option("--dry-run", is_flag=True, help="Affiche les rappels sans les envoyer.")
def remind(now: str | None, dry_run: bool) -> None:
    """Envoie les rappels J-7 et J-1 aux inscrits des rencontres ; jamais deux fois le même
    rappel ; PVD_REMINDERS=0 les désactive."""
    setup_django()
    from pvd.network.reminders import event_reminders_send

    when = _when(None, None, now)
    report = _mails(
        lambda: event_reminders_send(now=when, dry_run=dry_run),
        failed="rappels interrompus",
        disabled="Rappels désactivés",
    )
    if report is None:
        return
    verb = "à envoyer" if dry_run else "envoyé(s)"
    click.echo(f"Rappels des rencontres : {len(report.sent)} {verb}, {report.already_sent} déjà envoyé(s).")
    for r in report.sent:
        click.echo(f"- {r.subject} → {r.to}")
    for line in report.without_address:
        click.echo(f"- sans adresse : {line}")


@events.command("export-attendance")
@click.argument("event_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Fichier CSV (défaut : sortie standard).")  # noqa: E501
@click.option("--fr", "french", is_flag=True, help="CSV pour tableur français (« ; », BOM) au lieu du CSV international.")  # noqa: E501
def export_attendance(event_id: int, output: str | None, french: bool) -> None:
    """Exporte la liste des participants d'une rencontre (inscrits par place, puis liste
    d'attente dans l'ordre) en CSV."""
    setup_django(read_only=True)
    from pvd.formats import csv_fr
    from pvd.network.events_selectors import attendance_rows, event_get

    with database_errors():
        ev = event_get(event_id)
        if ev is None:
            fail(f"aucune rencontre n° {event_id}")
        rows = attendance_rows(ev)
    body = csv_fr.write(rows, variant="fr" if french else csv_fr.INTERNATIONAL)
    if output:
        with open(output, "wb") as fh:
            fh.write(body)
        click.echo(f"{len(rows) - 1} participant(s) → {output}", err=True)
    else:
        sys.stdout.buffer.write(body)


@network.command("digest")
@click.option("--semaine", "week", help="Semaine ISO des fiches publiées, AAAA-Wss (défaut : la dernière semaine complète).")  # noqa: E501
@click.option("--dry-run", is_flag=True, help="Affiche les lettres sans les envoyer ni les noter.")
def digest(week: str | None, dry_run: bool) -> None:
    """Envoie la lettre hebdomadaire du réseau à chaque membre : fiches publiées dans la
    semaine sur ses thèmes, rencontres des 30 jours suivants ; une fois par membre et par
    semaine ; PVD_REMINDERS=0 la désactive."""
    from pvd.domain.weeks import parse_week

    try:
        monday = parse_week(week) if week else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--semaine") from exc
    setup_django()
    from pvd.network.digest import digest_send

    report = _mails(
        lambda: digest_send(week=monday, dry_run=dry_run),
        failed="lettre interrompue",
        disabled="Lettre désactivée",
    )
    if report is None:
        return
    verb = "à envoyer" if dry_run else "envoyée(s)"
    click.echo(
        f"Lettre du réseau, semaine {report.week} : {len(report.sent)} {verb}, "
        f"{report.already_sent} déjà envoyée(s) ; {report.members} membre(s), "
        f"{report.nothing_new} sans nouveauté, {report.opted_out} désabonné(s), "
        f"{len(report.without_address)} sans adresse e-mail."
    )
    for d in report.sent:
        click.echo(f"- {d.to} : {d.nb_pratiques} fiche(s), {d.nb_evenements} rencontre(s)")
    for name in report.without_address:
        click.echo(f"- sans adresse : {name}")
