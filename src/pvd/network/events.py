"""The club's events: writes (one transaction each, every write in the programme's history).

- ``event_create`` / ``event_update`` (values checked by :func:`clean_values`), ``event_publish``,
  ``event_cancel`` (registered and waiting members told by e-mail), ``event_delete`` (hidden,
  never removed: ``event_restore`` brings it back);
- ``registration_register``: a seat when one is free, else the waiting list; the event row is
  locked (``select_for_update``) and each seat number is unique in its event, so two members can
  never take the same last seat, whatever the database;
- ``registration_cancel``: frees the seat and promotes the first of the waiting list, who is told
  by e-mail.

E-mails leave after the commit (a rolled-back write sends nothing). Events are on no cached page,
so these writes leave the shared cache's data version alone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from pvd.network import permissions_events as perms
from pvd.network.events_validation import EventError, clean_text, clean_values
from pvd.network.models import Evenement, Inscription
from pvd.programme.audit import Actor, assign_changes, change
from pvd.programme.models import Changement

log = logging.getLogger(__name__)
E, Ins = Evenement, Inscription


class EventPermissionDenied(EventError):
    """The user may not do this (French message)."""


@dataclass
class RegistrationResult:
    inscription: Inscription
    already: bool = False  # the member was already registered or waiting
    promoted: list[Inscription] = field(default_factory=list)  # moved up from the waiting list


def _record(user, origine: str, ev: Evenement, *, action: str, libelle: str, changes: dict):
    change(
        Actor(origine, user),
        programme=None,
        objet="evenement",
        objet_id=ev.pk,
        libelle=libelle,
        commune_code="",
        action=action,
        changes=changes,
        at=timezone.now(),
    ).save()


def _require_manage(user, ev: Evenement) -> None:
    if not perms.can_manage_event(user, ev):
        raise EventPermissionDenied(
            "Vous n'avez pas les droits pour organiser cet événement : réservé aux services du "
            "programme de son territoire."
        )


def _mail_after_commit(subject: str, lines: list[str], to: list[str]) -> None:
    to = sorted({a for a in to if a})
    if not to:
        return

    def send():
        try:
            send_mail(subject[:200], "\n".join(lines), settings.DEFAULT_FROM_EMAIL, to)
        except Exception:  # the write stands; the failure is logged
            log.exception("e-mail « %s » non envoyé", subject)

    transaction.on_commit(send)


def event_url(ev: Evenement) -> str:
    return f"{settings.SITE_URL}{reverse('network:event', args=[ev.pk])}"


def event_create(*, user, values: dict, origine: str = "web") -> Evenement:
    """A new event (a draft unless ``values['statut']`` is "publie")."""
    clean = clean_values(values)
    if not perms.can_create_event(
        user, echelle=clean["echelle"], region_id=clean["region_id"],
        departement_id=clean["departement_id"],
    ):  # fmt: skip
        raise EventPermissionDenied(
            "Vous n'avez pas les droits pour organiser un événement à cette échelle ou sur ce "
            "territoire."
        )
    statut = values.get("statut") or E.Statut.BROUILLON
    if statut not in (E.Statut.BROUILLON, E.Statut.PUBLIE):
        raise EventError({"statut": "Statut : brouillon ou publié"})
    with transaction.atomic():
        ev = Evenement.objects.create(**clean, statut=statut, cree_par=user)
        _record(user, origine, ev, action=Changement.Action.CREATION, libelle=f"événement {ev}",
                changes={k: (None, v) for k, v in clean.items() if v not in (None, "")})  # fmt: skip
    return ev


def event_update(*, user, evenement: Evenement, values: dict, origine: str = "web") -> dict:
    """Change an event's values; returns what changed. A larger capacity promotes waiting
    members."""
    with transaction.atomic():
        ev = Evenement.objects.select_for_update().get(pk=evenement.pk)
        _require_manage(user, ev)
        confirmed = ev.inscriptions.filter(etat=Ins.Etat.INSCRIT).count()
        clean = clean_values(values, confirmed=confirmed)
        if not perms.can_create_event(
            user, echelle=clean["echelle"], region_id=clean["region_id"],
            departement_id=clean["departement_id"],
        ):  # fmt: skip
            raise EventPermissionDenied("Vous ne pouvez pas déplacer l'événement hors de votre périmètre.")
        diff = assign_changes(ev, clean)
        if diff:
            ev.sequence += 1
            ev.save()
            _record(user, origine, ev, action=Changement.Action.MODIFICATION,
                    libelle=f"événement {ev}", changes=diff)  # fmt: skip
            _promote(ev, user, origine)
    evenement.refresh_from_db()
    return diff


def _set_status(user, evenement, statut: str, origine: str, motif: str = "") -> Evenement:
    with transaction.atomic():
        ev = Evenement.objects.select_for_update().get(pk=evenement.pk)
        _require_manage(user, ev)
        if ev.supprime_le is not None:
            raise EventError("cet événement est supprimé : restaurez-le d'abord")
        diff = assign_changes(ev, {"statut": statut, "motif_annulation": motif})
        if not diff:
            return ev
        ev.sequence += 1
        ev.save()
        _record(user, origine, ev, action=Changement.Action.MODIFICATION,
                libelle=f"événement {ev}", changes=diff)  # fmt: skip
        if statut == E.Statut.ANNULE:
            people = ev.inscriptions.filter(etat__in=[Ins.Etat.INSCRIT, Ins.Etat.ATTENTE])
            local = timezone.localtime(ev.debut)
            _mail_after_commit(
                f"Événement annulé : {ev.titre} ({local:%d/%m/%Y})",
                ["Bonjour,", "", f"L'événement « {ev.titre} » prévu le {local:%d/%m/%Y à %H:%M} "
                 "est annulé." + (f" Motif : {motif}" if motif else ""), "",
                 "Votre inscription est annulée de ce fait.", event_url(ev)],
                [p.user.email for p in people.select_related("user") if p.user.is_active],
            )  # fmt: skip
        else:
            _promote(ev, user, origine)
    evenement.refresh_from_db()
    return evenement


def event_publish(*, user, evenement: Evenement, origine: str = "web") -> Evenement:
    """Publish a draft (or re-open a cancelled event)."""
    return _set_status(user, evenement, E.Statut.PUBLIE, origine)


def event_cancel(*, user, evenement: Evenement, motif: str = "", origine: str = "web") -> Evenement:
    """Cancel: registrations close and everyone registered or waiting is told by e-mail."""
    motif = clean_text(motif, "motif", "Motif", errors := {}, limit=300)
    if errors:
        raise EventError(errors)
    return _set_status(user, evenement, E.Statut.ANNULE, origine, motif)


def event_delete(*, user, evenement: Evenement, origine: str = "web") -> Evenement:
    """Hide the event (kept with its registrations; :func:`event_restore` brings it back)."""
    return _soft(user, evenement, origine, timezone.now())


def event_restore(*, user, evenement: Evenement, origine: str = "web") -> Evenement:
    return _soft(user, evenement, origine, None)


def _soft(user, evenement, origine: str, when) -> Evenement:
    with transaction.atomic():
        ev = Evenement.objects.select_for_update().get(pk=evenement.pk)
        _require_manage(user, ev)
        if (ev.supprime_le is None) == (when is None):
            return ev
        before = ev.supprime_le
        ev.supprime_le = when
        ev.sequence += 1
        ev.save()
        _record(
            user, origine, ev,
            action=Changement.Action.SUPPRESSION if when else Changement.Action.MODIFICATION,
            libelle=f"{'suppression' if when else 'restauration'} de l'événement {ev}",
            changes={"supprime_le": (before, when)},
        )  # fmt: skip
    evenement.refresh_from_db()
    return evenement


# --- Registrations -----------------------------------------------------------------------------


def _free_seat(ev: Evenement) -> int | None:
    """The lowest free seat number, None when the event is full."""
    taken = set(
        ev.inscriptions.filter(etat=Ins.Etat.INSCRIT).values_list("place", flat=True)
    )
    limit = ev.capacite if ev.capacite is not None else len(taken) + 1
    return next((n for n in range(1, limit + 1) if n not in taken), None)


def _record_registration(user, origine, ins: Inscription, libelle: str, changes: dict) -> None:
    change(
        Actor(origine, user),
        programme=None,
        objet="inscription",
        objet_id=ins.pk,
        libelle=f"{libelle} : {ins.user.get_username()} — {ins.evenement}",
        commune_code="",
        action=Changement.Action.MODIFICATION,
        changes=changes,
        at=timezone.now(),
    ).save()


def _take_seat(ins: Inscription, ev: Evenement) -> bool:
    """Give ``ins`` the lowest free seat; False when none is left. A seat taken meanwhile by
    another transaction (the unique seat constraint) is retried, then the waiting list."""
    for _ in range(3):
        seat = _free_seat(ev)
        if seat is None:
            return False
        try:
            with transaction.atomic():  # a savepoint: the constraint's refusal leaves the rest
                ins.etat, ins.place = Ins.Etat.INSCRIT, seat
                ins.save()
            return True
        except IntegrityError:
            ins.etat, ins.place = Ins.Etat.ATTENTE, None
    return False


def registration_register(*, user, evenement: Evenement, origine: str = "web", now=None) -> RegistrationResult:
    """Register ``user``: a seat when one is free, else the end of the waiting list."""
    now = now or timezone.now()
    with transaction.atomic():
        ev = Evenement.objects.select_for_update().get(pk=evenement.pk)
        refusal = perms.registration_refusal(user, ev, now=now)
        if refusal:
            raise EventError(refusal[0].upper() + refusal[1:] + ".")
        ins = Inscription.objects.select_for_update().filter(evenement=ev, user=user).first()
        if ins is not None and ins.etat != Ins.Etat.DESINSCRIT:
            return RegistrationResult(ins, already=True)
        before = ins.etat if ins else None
        if ins is None:
            ins = Inscription(evenement=ev, user=user)
        ins.etat, ins.place, ins.demande_le = Ins.Etat.ATTENTE, None, now
        if ins.pk is None:
            ins.save()
        if not _take_seat(ins, ev):
            ins.save()
        _record_registration(user, origine, ins, "inscription", {"etat": (before, ins.etat)})
    return RegistrationResult(ins)


def registration_cancel(*, user, evenement: Evenement, origine: str = "web", now=None) -> RegistrationResult:
    """Withdraw ``user``'s registration (or waiting-list place); a freed seat goes to the first
    of the waiting list, told by e-mail."""
    now = now or timezone.now()
    with transaction.atomic():
        ev = Evenement.objects.select_for_update().get(pk=evenement.pk)
        ins = Inscription.objects.select_for_update().filter(evenement=ev, user=user).first()
        if ins is None or ins.etat == Ins.Etat.DESINSCRIT:
            raise EventError("Vous n'êtes pas inscrit à cet événement.")
        if not perms.can_unregister(user, ev, now=now):
            raise EventError("Cet événement a commencé ou est annulé : plus de désinscription.")
        before = ins.etat
        ins.etat, ins.place = Ins.Etat.DESINSCRIT, None
        ins.save()
        _record_registration(user, origine, ins, "désinscription", {"etat": (before, ins.etat)})
        promoted = _promote(ev, user, origine, now=now)
    return RegistrationResult(ins, promoted=promoted)


def _promote(ev: Evenement, user, origine: str, now=None) -> list[Inscription]:
    """Move the waiting list up into the free seats (first asked, first served), each promoted
    member told by e-mail. Only for a published event not started yet."""
    now = now or timezone.now()
    if ev.statut != E.Statut.PUBLIE or ev.supprime_le is not None or ev.debut <= now:
        return []
    promoted = []
    waiting = ev.inscriptions.filter(etat=Ins.Etat.ATTENTE).select_related("user")
    for ins in waiting.select_for_update(of=("self",)).order_by("demande_le", "id"):
        if not _take_seat(ins, ev):
            break
        promoted.append(ins)
        _record_registration(user, origine, ins, "place libérée", {"etat": (Ins.Etat.ATTENTE, Ins.Etat.INSCRIT)})
        local = timezone.localtime(ev.debut)
        _mail_after_commit(
            f"Une place s'est libérée : {ev.titre} ({local:%d/%m/%Y})",
            ["Bonjour,", "", f"Une place s'est libérée pour « {ev.titre} » le "
             f"{local:%d/%m/%Y à %H:%M} : vous étiez en liste d'attente, vous êtes maintenant "
             "inscrit.", "", "Si vous ne pouvez plus venir, désinscrivez-vous pour laisser la "
             "place :", event_url(ev)],
            [ins.user.email] if ins.user.is_active else [],
        )  # fmt: skip
    return promoted
