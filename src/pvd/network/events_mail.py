"""The e-mails of the club's events (French): cancellation, a seat freed for a waiting member,
an edited event (what changed, old → new, Europe/Paris times, the new ``.ics`` link), a
registrant removed by an organiser.

Each recipient gets a message of their own (a registrant never sees the others' addresses), sent
after the commit: a rolled-back write sends nothing, and a failed send leaves the write standing
(logged).
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pvd.network.models import Evenement, Inscription

log = logging.getLogger(__name__)
Ins = Inscription

# The fields whose change a registrant must hear about (date, time, format, place, online link,
# programme), in the order of the message, with their French labels.
NOTIFIED = {
    "debut": "Début",
    "fin": "Fin",
    "format": "Format",
    "lieu": "Lieu",
    "lien": "Lien de connexion",
    "programme_texte": "Programme",
}


def event_url(ev: Evenement) -> str:
    return f"{settings.SITE_URL}{reverse('network:event', args=[ev.pk])}"


def ics_url(ev: Evenement) -> str:
    return f"{settings.SITE_URL}{reverse('network:event_ics', args=[ev.pk])}"


def send_after_commit(subject: str, lines: list[str], to: list[str]) -> None:
    """One message per address, after the commit."""
    to = sorted({a for a in to if a})
    if not to:
        return
    body = "\n".join(lines)

    def send():
        try:
            connection = get_connection()
            messages = [
                EmailMessage(subject[:200], body, settings.DEFAULT_FROM_EMAIL, [a]) for a in to
            ]
            connection.send_messages(messages)
        except Exception:  # the write stands; the failure is logged
            log.exception("e-mail « %s » non envoyé", subject)

    transaction.on_commit(send)


def _day(when: datetime) -> str:
    return f"{timezone.localtime(when):%d/%m/%Y}"


def _at(when: datetime) -> str:
    return f"{timezone.localtime(when):%d/%m/%Y à %H:%M}"


def people(ev: Evenement, etats=(Ins.Etat.INSCRIT, Ins.Etat.ATTENTE)) -> list[Inscription]:
    """The active registrations of ``ev`` in ``etats`` (with their users)."""
    return [
        i
        for i in ev.inscriptions.filter(etat__in=list(etats)).select_related("user")
        if i.user.is_active and i.user.email
    ]


def cancelled(ev: Evenement, motif: str) -> None:
    send_after_commit(
        f"Événement annulé : {ev.titre} ({_day(ev.debut)})",
        ["Bonjour,", "", f"L'événement « {ev.titre} » prévu le {_at(ev.debut)} est annulé."
         + (f" Motif : {motif}" if motif else ""), "",
         "Votre inscription est annulée de ce fait.", event_url(ev)],
        [i.user.email for i in people(ev)],
    )  # fmt: skip


def seat_freed(ev: Evenement, ins: Inscription) -> None:
    send_after_commit(
        f"Une place s'est libérée : {ev.titre} ({_day(ev.debut)})",
        ["Bonjour,", "", f"Une place s'est libérée pour « {ev.titre} » le {_at(ev.debut)} : vous "
         "étiez en liste d'attente, vous êtes maintenant inscrit.", "",
         "Si vous ne pouvez plus venir, désinscrivez-vous pour laisser la place :", event_url(ev)],
        [ins.user.email] if ins.user.is_active else [],
    )  # fmt: skip


def _value(name: str, value, ev: Evenement, *, show_link: bool) -> str:
    if value in (None, ""):
        return "(non renseigné)"
    if name in ("debut", "fin"):
        return _at(value)
    if name == "format":
        return str(dict(Evenement.Format.choices).get(value, value))
    if name == "lien" and not show_link:
        return "(communiqué aux inscrits)"
    return str(value)


def change_lines(ev: Evenement, diff: dict, *, show_link: bool) -> list[str]:
    """What changed, one line per field (old → new), the programme as two blocks."""
    lines = []
    for name, label in NOTIFIED.items():
        if name not in diff:
            continue
        old, new = diff[name]
        if name == "programme_texte":
            lines += [f"- {label} modifié.", "  Avant :", *_indent(old), "  Maintenant :",
                      *_indent(new)]  # fmt: skip
        elif name == "lien" and not show_link:
            lines.append(f"- {label} : modifié (communiqué aux inscrits)")
        else:
            before = _value(name, old, ev, show_link=show_link)
            after = _value(name, new, ev, show_link=show_link)
            lines.append(f"- {label} : {before} → {after}")
    return lines


def _indent(text) -> list[str]:
    return [f"    {line}" for line in (text or "(vide)").splitlines()] or ["    (vide)"]


def edited(ev: Evenement, diff: dict) -> int:
    """Tell every registered and waiting member what changed in ``ev``; the number told (0 when
    no notified field changed)."""
    if not any(name in diff for name in NOTIFIED):
        return 0
    told = 0
    for seated, etat in ((True, Ins.Etat.INSCRIT), (False, Ins.Etat.ATTENTE)):
        to = [i.user.email for i in people(ev, (etat,))]
        if not to:
            continue
        told += len(set(to))
        status = "Votre inscription est confirmée." if seated else "Vous êtes sur la liste d'attente."
        send_after_commit(
            f"Événement modifié : {ev.titre} ({_day(ev.debut)})",
            ["Bonjour,", "", f"Les organisateurs ont modifié l'événement « {ev.titre} » "
             f"(heure de Paris) :", "", *change_lines(ev, diff, show_link=seated), "", status,
             "Mettez votre agenda à jour avec le nouveau fichier .ics :", ics_url(ev), "",
             "L'événement :", event_url(ev)],
            to,
        )  # fmt: skip
    return told


def removed(ev: Evenement, ins: Inscription, motif: str) -> None:
    send_after_commit(
        f"Inscription retirée : {ev.titre} ({_day(ev.debut)})",
        ["Bonjour,", "", f"Les organisateurs ont retiré votre inscription à « {ev.titre} » "
         f"prévu le {_at(ev.debut)}." + (f" Motif : {motif}" if motif else ""), "",
         "Vous pouvez vous inscrire à nouveau (sur la liste d'attente si l'événement est "
         "complet) :", event_url(ev)],
        [ins.user.email] if ins.user.is_active else [],
    )  # fmt: skip
