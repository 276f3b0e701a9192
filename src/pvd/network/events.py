"""The club's events: writes (one transaction each, every write in the programme's history through
``programme.audit.record``; rights checked by name in the one table, :mod:`pvd.access`, which
raises its one ``PermissionDenied``).

- ``event_create`` / ``event_update`` (values checked by :func:`clean_values`; a published
  event's registered and waiting members are told what changed unless ``notify=False``),
  ``event_publish``, ``event_cancel`` (registered and waiting members told by e-mail),
  ``event_delete`` (hidden, never removed: ``event_restore`` brings it back);
- ``registration_register``: a seat when one is free, else the waiting list; the event row is
  locked (``select_for_update``) and each seat number is unique in its event, so two members can
  never take the same last seat, whatever the database;
- ``registration_cancel``: frees the seat and promotes the first of the waiting list, who is told
  by e-mail; ``registration_remove``: the same, done by an organiser (the removed member is told,
  with the reason, and may register again).

E-mails (:mod:`pvd.network.events_mail`) leave after the commit (a rolled-back write sends
nothing). Events are on no cached page, so these writes leave the shared cache's data version
alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from pvd import access
from pvd.access import PermissionDenied
from pvd.network import events_mail as mails
from pvd.network import permissions_events as perms
from pvd.network.events_mail import event_url
from pvd.network.events_validation import EventError, clean_text, clean_values
from pvd.network.models import Evenement, Inscription
from pvd.programme.audit import Actor, assign_changes, record
from pvd.programme.models import Changement

__all__ = ["EventError", "PermissionDenied", "RegistrationResult", "event_url"]
E, Ins = Evenement, Inscription
MANAGE_REFUSAL = (
    "Vous n'avez pas les droits pour organiser cet événement : réservé aux services du "
    "programme de son territoire."
)


@dataclass
class RegistrationResult:
    inscription: Inscription
    already: bool = False  # the member was already registered or waiting
    promoted: list[Inscription] = field(default_factory=list)  # moved up from the waiting list
    notified: int = 0  # people told by e-mail (an edit)


def _record(user, origine: str, ev: Evenement, *, action: str, libelle: str, changes: dict):
    record(Actor(origine, user), objet="evenement", objet_id=ev.pk, libelle=libelle,
           action=action, changes=changes)  # fmt: skip


def _require_manage(user, ev: Evenement, name: str = "network.manage_event") -> None:
    access.require(user, name, ev, message=MANAGE_REFUSAL)


def _require_create(user, clean: dict, message: str) -> None:
    where = {k: clean[k] for k in ("echelle", "region_id", "departement_id")}
    access.require(user, "network.create_event", where, message=message)


def event_create(*, user, values: dict, origine: str = "web") -> Evenement:
    """A new event (a draft unless ``values['statut']`` is "publie")."""
    clean = clean_values(values)
    _require_create(user, clean, "Vous n'avez pas les droits pour organiser un événement à cette "
                    "échelle ou sur ce territoire.")  # fmt: skip
    statut = values.get("statut") or E.Statut.BROUILLON
    if statut not in (E.Statut.BROUILLON, E.Statut.PUBLIE):
        raise EventError({"statut": "Statut : brouillon ou publié"})
    with transaction.atomic():
        ev = Evenement.objects.create(**clean, statut=statut, cree_par=user)
        _record(user, origine, ev, action=Changement.Action.CREATION, libelle=f"événement {ev}",
                changes={k: (None, v) for k, v in clean.items() if v not in (None, "")})  # fmt: skip
    return ev


def event_update(
    *, user, evenement: Evenement, values: dict, origine: str = "web", notify: bool = True
) -> dict:
    """Change an event's values; returns what changed. A larger capacity promotes waiting
    members. On a published event, a change of date, time, format, place, online link or
    programme is e-mailed to every registered and waiting member (old → new, with the new
    ``.ics`` link) unless ``notify`` is False (a typo fixed); the history says which."""
    with transaction.atomic():
        ev = Evenement.objects.select_for_update().get(pk=evenement.pk)
        _require_manage(user, ev, "network.edit_event")
        confirmed = ev.inscriptions.filter(etat=Ins.Etat.INSCRIT).count()
        clean = clean_values(values, confirmed=confirmed)
        _require_create(user, clean, "Vous ne pouvez pas déplacer l'événement hors de votre "
                        "périmètre.")  # fmt: skip
        diff = assign_changes(ev, clean)
        if diff:
            ev.sequence += 1
            ev.save()
            told = _tell_edit(ev, diff, notify)
            _record(user, origine, ev, action=Changement.Action.MODIFICATION,
                    libelle=f"événement {ev}{told}", changes=diff)  # fmt: skip
            _promote(ev, user, origine)
    evenement.refresh_from_db()
    return diff


def _tell_edit(ev: Evenement, diff: dict, notify: bool) -> str:
    """E-mail the change when it is due; the history's note ("" when nothing to tell)."""
    live = ev.statut == E.Statut.PUBLIE and ev.supprime_le is None
    if not live or not any(name in diff for name in mails.NOTIFIED):
        return ""
    if not notify:
        return " (inscrits non prévenus)"
    told = mails.edited(ev, diff)
    return f" ({told} personne{'s' if told > 1 else ''} prévenue{'s' if told > 1 else ''})"


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
            mails.cancelled(ev, motif)
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
    record(Actor(origine, user), objet="inscription", objet_id=ins.pk,
           libelle=f"{libelle} : {ins.user.get_username()} — {ins.evenement}",
           action=Changement.Action.MODIFICATION, changes=changes)  # fmt: skip


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
        refusal = perms.registration_refusal(user, ev, now=now)  # the rule's reason, at ``now``
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


def registration_remove(
    *, user, evenement: Evenement, inscription_id: int, motif: str = "", origine: str = "web",
    now=None,
) -> RegistrationResult:
    """An organiser removes a registered (or waiting) member, with an optional reason e-mailed
    to them; a freed seat goes to the first of the waiting list, told by e-mail. The removed
    member may register again (a seat if one is free, else the waiting list)."""
    now = now or timezone.now()
    motif = clean_text(motif, "motif", "Motif", errors := {}, limit=300)
    if errors:
        raise EventError(errors)
    with transaction.atomic():
        ev = Evenement.objects.select_for_update().get(pk=evenement.pk)
        access.require(user, "network.remove_registrant", ev, message=(
            "Seuls les organisateurs de cet événement retirent un inscrit, jusqu'à son début."
        ))  # fmt: skip
        ins = (
            Inscription.objects.select_for_update()
            .select_related("user")
            .filter(evenement=ev, pk=inscription_id)
            .first()
        )
        if ins is None or ins.etat == Ins.Etat.DESINSCRIT:
            raise EventError("Cette personne n'est pas inscrite à cet événement.")
        before = ins.etat
        ins.etat, ins.place = Ins.Etat.DESINSCRIT, None
        ins.save()
        changes = {"etat": (before, ins.etat)} | ({"motif": (None, motif)} if motif else {})
        _record_registration(user, origine, ins, "retrait par l'organisateur", changes)
        mails.removed(ev, ins, motif)
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
        mails.seat_freed(ev, ins)
    return promoted
