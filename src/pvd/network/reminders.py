"""Reminder e-mails of the club's events (``pvd network events remind``, run daily by cron):
each registered member (not the waiting list) of a published event is reminded seven days
before (J-7) and the day before (J-1), counted in calendar days in Europe/Paris.

Idempotent, as the projects' reminders: each reminder has a key (event, member, kind, the
event's start) recorded in ``RappelEvenement`` in the transaction that sends it
(:func:`pvd.mail.send_once`), so it is never sent twice, also when the command runs again; a moved
event is reminded for its new date; a failed send records nothing (sent on the next run). A run that missed J-7 sends it late (from
J-6 to J-2, saying how many days are left); at J-1 only the J-1 reminder goes. ``PVD_REMINDERS=0``
disables it, as the projects' reminders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from pvd.mail import Ledger, send_once
from pvd.network.events import event_url
from pvd.network.models import Evenement, Inscription, RappelEvenement

J7, J1 = "j7", "j1"


@dataclass(frozen=True)
class Reminder:
    key: str
    evenement: Evenement
    to: str
    subject: str
    body: str


@dataclass
class Report:
    now: datetime
    dry_run: bool
    disabled: bool = False
    sent: list[Reminder] = field(default_factory=list)
    already_sent: int = 0
    without_address: list[str] = field(default_factory=list)


def kind_of(debut: datetime, now: datetime) -> str:
    """J7 from 7 to 2 days before the event's day, J1 the day before and the day itself (until
    it starts), "" otherwise (Paris calendar days)."""
    if debut <= now:
        return ""
    days = (timezone.localtime(debut).date() - timezone.localtime(now).date()).days
    if 2 <= days <= 7:
        return J7
    if days <= 1:
        return J1
    return ""


def _text(ev: Evenement, kind: str, now: datetime) -> tuple[str, str]:
    local = timezone.localtime(ev.debut)
    days = (local.date() - timezone.localtime(now).date()).days
    when = {0: "aujourd'hui", 1: "demain"}.get(days, f"dans {days} jours")
    subject = f"Rappel : {ev.titre}, {when} ({local:%d/%m/%Y à %H:%M})"
    where = ev.lieu or ""
    if ev.lien:
        where = f"{where} — en ligne : {ev.lien}" if where else f"en ligne : {ev.lien}"
    body = [
        "Bonjour,",
        "",
        f"Rappel de votre inscription à « {ev.titre} », {when} : le {local:%d/%m/%Y à %H:%M} (heure de Paris).",
        f"Lieu : {where}",
        "",
        "Si vous ne pouvez plus venir, désinscrivez-vous pour laisser votre place à la liste "
        "d'attente :",
        event_url(ev),
    ]
    return subject[:200], "\n".join(body)


def due(now: datetime) -> tuple[list[Reminder], list[str]]:
    """Reminders due at ``now``, and the registrations that cannot be reminded (no address)."""
    out, orphans = [], []
    events = Evenement.objects.filter(
        statut=Evenement.Statut.PUBLIE,
        supprime_le__isnull=True,
        debut__gt=now,
        debut__lt=now + timedelta(days=8),
    ).order_by("debut", "id")
    for ev in events:
        kind = kind_of(ev.debut, now)
        if not kind:
            continue
        subject, body = _text(ev, kind, now)
        regs = ev.inscriptions.filter(etat=Inscription.Etat.INSCRIT).select_related("user")
        for ins in regs.order_by("place"):
            u = ins.user
            if not u.is_active or not u.email:
                orphans.append(f"{ev.titre} : {u.get_username()} n'a pas d'adresse e-mail")
                continue
            key = f"evenement:{ev.pk}:{u.pk}:{kind}:{ev.debut.astimezone(UTC):%Y%m%dT%H%M%SZ}"
            out.append(Reminder(key=key, evenement=ev, to=u.email, subject=subject, body=body))
    return out, orphans


def event_reminders_send(*, now: datetime | None = None, dry_run: bool = False) -> Report:
    """Send the reminders due at ``now`` (default: now) that were never sent; a dry run lists
    them and records nothing."""
    now = now or timezone.now()
    report = Report(now=now, dry_run=dry_run)
    if not settings.REMINDERS_ENABLED:
        report.disabled = True
        return report
    reminders, report.without_address = due(now)
    ledger = Ledger(
        RappelEvenement,
        lambda r: {"evenement": r.evenement, "destinataire": r.to, "envoye_le": timezone.now()},
    )
    outcome = send_once(reminders, ledger, dry_run=dry_run)
    report.sent, report.already_sent = outcome.sent, outcome.already_sent
    return report
