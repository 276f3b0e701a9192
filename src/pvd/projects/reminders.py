"""Reminder e-mails of the projects (``pvd projets rappels``, run daily by cron):

- to the action's responsable (or, without one, the team's managers), a milestone due within
  15 days or overdue (``pvd.domain.steering.milestone_reminder``);
- once a week (ISO week), a digest per project to its team: late actions with their reasons,
  overdue milestones, milestones of the next 15 days.

Idempotent: each reminder has a key (milestone, kind, planned date; project and week) recorded
in ``RappelEnvoye`` in the transaction that sends it (:func:`pvd.mail.send_once`), so it is never
sent twice; a failed send records nothing. Read-only projects and deleted actions get no reminder. ``PVD_REMINDERS=0``
disables the whole command. E-mails go through Django's mail framework (console by default,
SMTP with ``PVD_EMAIL_HOST``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from pvd.domain import steering
from pvd.mail import Ledger, send_once
from pvd.projects import selectors
from pvd.projects.models import Jalon, Membre, Projet, RappelEnvoye
from pvd.projects.readonly import read_only_reason


@dataclass(frozen=True)
class Reminder:
    key: str
    projet: Projet
    to: tuple[str, ...]
    subject: str
    body: str
    jalon: Jalon | None = None


@dataclass
class Report:
    day: date
    dry_run: bool
    disabled: bool = False
    sent: list[Reminder] = field(default_factory=list)
    already_sent: int = 0
    without_recipient: list[str] = field(default_factory=list)  # what could not be sent, why


def _url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _emails(users) -> tuple[str, ...]:
    return tuple(sorted({u.email for u in users if u.is_active and u.email}))


def _managers(groupe_id: int) -> list:
    return list(
        get_user_model().objects.filter(
            equipes_projet__groupe_id=groupe_id, equipes_projet__role=Membre.Role.GESTIONNAIRE
        )
    )


def _editable_projects():
    for projet in Projet.objects.select_related("groupe__programme").order_by("groupe__code"):
        if not read_only_reason(projet.groupe):
            yield projet


def milestone_reminders(day: date) -> tuple[list[Reminder], list[str]]:
    """Reminders of the milestones due within 15 days or overdue on ``day``; and the milestones
    nobody can be told about (no responsable nor manager with an e-mail)."""
    out, orphans = [], []
    horizon = date.fromordinal(day.toordinal() + steering.REMINDER_HORIZON_DAYS)
    for projet in _editable_projects():
        jalons = (
            Jalon.objects.filter(
                action__projet=projet,
                action__supprime_le__isnull=True,
                date_reelle__isnull=True,
                date_prevue__lte=horizon,
            )
            .select_related("action__responsable")
            .order_by("date_prevue", "pk")
        )
        managers = None
        for j in jalons:
            kind = steering.milestone_reminder(j.date_prevue, j.date_reelle, today=day)
            if not kind:
                continue
            lead = j.action.responsable
            to = _emails([lead]) if lead is not None else ()
            if not to:
                managers = managers if managers is not None else _managers(projet.groupe_id)
                to = _emails(managers)
            text = steering.milestone_reminder_text(j.libelle, j.date_prevue, today=day)
            if not to:
                orphans.append(f"{projet.groupe} — {j.action.titre} : jalon {text}")
                continue
            g = projet.groupe
            url = _url(reverse("projects:action", args=[g.programme.slug, g.code, j.action_id]))
            late = kind == steering.OVERDUE
            out.append(
                Reminder(
                    key=f"jalon:{j.pk}:{kind}:{j.date_prevue.isoformat()}",
                    projet=projet,
                    jalon=j,
                    to=to,
                    subject=(
                        f"Jalon {'en retard' if late else 'à venir'} : {j.libelle} "
                        f"({j.action.titre})"
                    )[:200],
                    body="\n".join(
                        [
                            "Bonjour,",
                            "",
                            f"Action « {j.action.titre} » du projet de territoire de {g} :",
                            f"le jalon {text}"
                            + (" n'est pas marqué comme atteint." if late else "."),
                            "",
                            "Marquez-le comme atteint ou modifiez sa date sur la page de l'action :",
                            url,
                        ]
                    ),
                )
            )
    return out, orphans


def _week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-S{week:02d}"


def digest_reminders(day: date) -> tuple[list[Reminder], list[str]]:
    """One digest per project with live actions, for the ISO week of ``day``, to its team."""
    out, orphans = [], []
    for projet in _editable_projects():
        rows = selectors.action_rows(projet, day=day)
        if not rows:
            continue
        g = projet.groupe
        team = get_user_model().objects.filter(equipes_projet__groupe=g)
        to = _emails(team)
        if not to:
            orphans.append(f"{g} — synthèse de la semaine : aucun membre avec une adresse e-mail")
            continue
        late = [r for r in rows if r.status == steering.LATE]
        blocked = [r for r in rows if r.status == steering.BLOCKED]
        overdue, soon = [], []
        for r in rows:
            for j in r.milestones:
                kind = steering.milestone_reminder(j.date_prevue, j.date_reelle, today=day)
                text = f"{r.action.titre} : {steering.milestone_reminder_text(j.libelle, j.date_prevue, today=day)}"
                (overdue if kind == steering.OVERDUE else soon if kind else []).append(text)
        n = len(rows)
        lines = [
            "Bonjour,",
            "",
            f"Synthèse de la semaine du projet de territoire de {g} ({day:%d/%m/%Y}) :",
            f"{n} action{'s' if n > 1 else ''} en cours de suivi, "
            f"{len(late)} en retard, {len(blocked)} bloquée{'s' if len(blocked) > 1 else ''}.",
        ]
        if late:
            lines += ["", "Actions en retard :"]
            lines += [f"- {r.action.titre} ({r.late_reason})" for r in late]
        if blocked:
            lines += ["", "Actions bloquées :"]
            lines += [f"- {r.action.titre}" for r in blocked]
        if overdue:
            lines += ["", "Jalons dépassés :"] + [f"- {t}" for t in overdue]
        if soon:
            lines += ["", f"Jalons des {steering.REMINDER_HORIZON_DAYS} prochains jours :"]
            lines += [f"- {t}" for t in soon]
        lines += [
            "",
            "Le projet :",
            _url(reverse("projects:projet", args=[g.programme.slug, g.code])),
        ]
        out.append(
            Reminder(
                key=f"synthese:{projet.pk}:{_week(day)}",
                projet=projet,
                to=to,
                subject=f"Projet de territoire de {g} : synthèse de la semaine {_week(day)}"[:200],
                body="\n".join(lines),
            )
        )
    return out, orphans


def reminders_send(*, day: date | None = None, dry_run: bool = False) -> Report:
    """Send the reminders due on ``day`` (default today) that were never sent; a dry run lists
    them and records nothing."""
    day = day or timezone.localdate()
    report = Report(day=day, dry_run=dry_run)
    if not settings.REMINDERS_ENABLED:
        report.disabled = True
        return report
    milestones, orphans = milestone_reminders(day)
    digests, orphans2 = digest_reminders(day)
    report.without_recipient = orphans + orphans2
    ledger = Ledger(
        RappelEnvoye,
        lambda r: {
            "projet": r.projet,
            "jalon": r.jalon,
            "destinataires": ", ".join(r.to),
            "envoye_le": timezone.now(),
        },
    )
    outcome = send_once(milestones + digests, ledger, dry_run=dry_run)
    report.sent, report.already_sent = outcome.sent, outcome.already_sent
    return report
