"""Who may do what with the club's events: every check of the events lives here, one predicate
per right, built on the users' programme scopes (``programme.Perimetre``) and project teams
(``projects.Membre``). These are the bodies of the ``network.*`` rules of the one permission table
(:mod:`pvd.network.access_rules`): pages, API and services check ``access.has``/``require`` by
name, never these functions.

- manage (create, edit, publish, cancel, delete, restore, see the attendance list): superusers;
  national staff any event; regional staff the events of their region (regional and
  departmental); departmental staff the departmental events of their department.
- edit (and tell the registrants what changed): the managers.
- remove a registrant (or a waiting member): the managers, on a published event not deleted
  and not started yet.
- see: a published or cancelled event is public; a draft or deleted one only to its managers.
- register: an active account in the event's audience, on a published event whose registration
  deadline and start are not past. Audiences: "tous" = every member of the network (a project
  team member or programme staff); "chefs" = project team members; "region" = members of the
  event's region (team of a group of the region, or staff whose scope covers it).
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from pvd import access
from pvd.network.models import Evenement
from pvd.programme.models import Perimetre
from pvd.programme.permissions import user_scopes  # not .services: its imports slow the start
from pvd.projects.models import Membre

E = Evenement


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _scopes(user) -> list[Perimetre]:
    """The user's programme scopes, read once per check (``access.evaluation``: a page asking
    several rules of one user reads them once)."""
    return access.memo(("network.scopes", user.pk), lambda: user_scopes(user))


def _on_a_team(user) -> bool:
    return access.memo(
        ("network.team", user.pk), lambda: Membre.objects.filter(user=user).exists()
    )


def _scope_covers(scope: Perimetre, *, echelle: str, region_id, departement_id) -> bool:
    if scope.niveau == Perimetre.Niveau.NATIONAL:
        return True
    if scope.niveau == Perimetre.Niveau.REGION:
        return echelle != E.Echelle.NATIONAL and scope.region_id == region_id
    return echelle == E.Echelle.DEPARTEMENTAL and scope.departement_id == departement_id


def can_create_event(user, *, echelle: str, region_id=None, departement_id=None) -> bool:
    """May ``user`` organise an event at this scale and place?"""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return any(
        _scope_covers(s, echelle=echelle, region_id=region_id, departement_id=departement_id)
        for s in _scopes(user)
    )


def can_organise(user) -> bool:
    """May ``user`` organise any event (superuser or any programme scope)?"""
    return _active(user) and (user.is_superuser or bool(_scopes(user)))


def can_manage_event(user, event: Evenement) -> bool:
    return can_create_event(
        user, echelle=event.echelle, region_id=event.region_id, departement_id=event.departement_id
    )


def can_edit_event(user, event: Evenement) -> bool:
    return can_manage_event(user, event)


def can_remove_registrant(user, event: Evenement, *, now: datetime | None = None) -> bool:
    """Remove someone registered or waiting: the managers, until the event starts."""
    now = now or timezone.now()
    live = event.supprime_le is None and event.statut == E.Statut.PUBLIE and event.debut > now
    return live and can_manage_event(user, event)


def can_see_event(user, event: Evenement) -> bool:
    public = event.supprime_le is None and event.statut in (E.Statut.PUBLIE, E.Statut.ANNULE)
    return public or can_manage_event(user, event)


def can_see_attendance(user, event: Evenement) -> bool:
    return can_manage_event(user, event)


def is_network_member(user) -> bool:
    """A member of the club: a project team member, programme staff or a superuser."""
    if not _active(user):
        return False
    return (
        user.is_superuser
        or _on_a_team(user)
        or bool(_scopes(user))
    )


def in_audience(user, event: Evenement) -> bool:
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if event.public == E.Public.CHEFS:
        return _on_a_team(user)
    if event.public == E.Public.REGION and event.region_id:
        if Membre.objects.filter(user=user, groupe__region_id=event.region_id).exists():
            return True
        return any(
            s.niveau == Perimetre.Niveau.NATIONAL
            or s.region_id == event.region_id
            or (s.departement_id and s.departement.region_id == event.region_id)
            for s in Perimetre.objects.filter(group__user=user).select_related("departement")
        )
    return is_network_member(user)


def registration_refusal(user, event: Evenement, *, now: datetime | None = None) -> str:
    """Why ``user`` may not register to ``event`` now (French), "" when they may."""
    now = now or timezone.now()
    if not _active(user):
        return "connectez-vous pour vous inscrire"
    if event.supprime_le is not None or event.statut == E.Statut.BROUILLON:
        return "cet événement n'est pas publié"
    if event.statut == E.Statut.ANNULE:
        return "cet événement est annulé"
    if event.debut <= now:
        return "cet événement a déjà commencé"
    if event.date_limite is not None and event.date_limite < now:
        return "les inscriptions sont closes (date limite dépassée)"
    if not in_audience(user, event):
        return f"cet événement est réservé au public suivant : {event.get_public_display().lower()}"
    return ""


def can_register(user, event: Evenement, *, now: datetime | None = None) -> bool:
    return not registration_refusal(user, event, now=now)


def can_unregister(user, event: Evenement, *, now: datetime | None = None) -> bool:
    """A registered member may withdraw until the event starts (not when it is cancelled)."""
    now = now or timezone.now()
    return _active(user) and event.statut == E.Statut.PUBLIE and event.debut > now
