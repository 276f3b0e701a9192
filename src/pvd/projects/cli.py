"""`pvd projets ...`: the projets de territoire's commands (reminder e-mails).

Thin: parse arguments, call one service, print. Exit codes: 0 success, 1 failed operation,
2 bad usage.
"""

from __future__ import annotations

from datetime import date

import click

from pvd.cli.helpers import fail, setup_django


@click.group()
def projets() -> None:
    """Projets de territoire : rappels par e-mail."""


def _date(ctx, param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"date attendue au format AAAA-MM-JJ, pas « {value} »") from exc


@projets.command("rappels")
@click.option(
    "--date", "day", callback=_date, help="Jour des rappels, AAAA-MM-JJ (défaut : aujourd'hui)."
)
@click.option("--dry-run", is_flag=True, help="Affiche les rappels sans les envoyer.")
def rappels(day: date | None, dry_run: bool) -> None:
    """Envoie les rappels : jalons à 15 jours ou dépassés (au responsable de l'action, sinon
    aux gestionnaires) et synthèse hebdomadaire de chaque projet à son équipe. Jamais deux fois
    le même rappel ; PVD_REMINDERS=0 les désactive."""
    setup_django()
    from pvd.projects.reminders import reminders_send

    try:
        report = reminders_send(day=day, dry_run=dry_run)
    except Exception as exc:  # SMTP refused, database...: a message, not a traceback
        fail(f"rappels interrompus : {exc}")
    if report.disabled:
        click.echo("Rappels désactivés (PVD_REMINDERS=0) : aucun e-mail envoyé.")
        return
    verb = "à envoyer" if dry_run else "envoyé(s)"
    click.echo(
        f"Rappels du {report.day:%d/%m/%Y} : {len(report.sent)} {verb}, {report.already_sent} déjà envoyé(s)."
    )
    for r in report.sent:
        click.echo(f"- {r.subject} → {', '.join(r.to)}")
    if report.without_recipient:
        click.echo(f"{len(report.without_recipient)} rappel(s) sans destinataire :")
        for line in report.without_recipient:
            click.echo(f"- {line}")
