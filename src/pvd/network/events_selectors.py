"""Reads of the club's events: listings (upcoming, past; by region and format), one event with
its counts and the user's registration, the attendance list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from pvd import access
from pvd.network.models import Evenement, Inscription
from pvd.network.permissions_events import user_scopes
from pvd.programme.models import Perimetre
from pvd.projects.models import Membre

E, Ins = Evenement, Inscription
PAGE_SIZE = 30
PERIODS = ("a-venir", "passes")


def _visible(user) -> Q:
    """Published and cancelled events for everyone; drafts and deleted ones to their managers."""
    public = Q(supprime_le__isnull=True, statut__in=[E.Statut.PUBLIE, E.Statut.ANNULE])
    if not user or not user.is_authenticated or not user.is_active:
        return public
    if user.is_superuser:
        return Q()
    managed = Q(pk__in=[])
    for s in user_scopes(user):
        if s.niveau == Perimetre.Niveau.NATIONAL:
            return Q()
        if s.niveau == Perimetre.Niveau.REGION:
            managed |= Q(region_id=s.region_id) & ~Q(echelle=E.Echelle.NATIONAL)
        else:
            managed |= Q(echelle=E.Echelle.DEPARTEMENTAL, departement_id=s.departement_id)
    return public | managed


def with_counts(qs: QuerySet) -> QuerySet:
    return qs.annotate(
        nb_inscrits=Count("inscriptions", filter=Q(inscriptions__etat=Ins.Etat.INSCRIT)),
        nb_attente=Count("inscriptions", filter=Q(inscriptions__etat=Ins.Etat.ATTENTE)),
    )


def events(
    user=None, *, period: str = "a-venir", region: str = "", format: str = "", now=None,
    counts: bool = True,
) -> QuerySet:
    """Visible events of a period ("a-venir": not ended yet, soonest first; "passes": ended,
    latest first), optionally of one region (its regional and departmental events, and the
    national ones) and one format."""
    now = now or timezone.now()
    qs = Evenement.objects.filter(_visible(user)).select_related("region", "departement")
    if period == "passes":
        qs = qs.filter(fin__lte=now).order_by("-debut", "-id")
    else:
        qs = qs.filter(fin__gt=now).order_by("debut", "id")
    if region:
        qs = qs.filter(Q(region_id=region) | Q(echelle=E.Echelle.NATIONAL))
    if format in E.Format.values:
        qs = qs.filter(format=format)
    return with_counts(qs) if counts else qs


class _Paginator(Paginator):
    """Counts the events without the registration counts' GROUP BY."""

    def __init__(self, qs, per_page, plain):
        super().__init__(qs, per_page)
        self._plain = plain

    @property
    def count(self) -> int:
        if not hasattr(self, "_count"):
            self._count = self._plain.count()
        return self._count


def events_page(user, *, period: str, region: str, format: str, page: str | int = 1):
    args = {"period": period, "region": region, "format": format}
    plain = events(user, counts=False, **args)
    return _Paginator(events(user, **args), PAGE_SIZE, plain).get_page(page)


def event_get(pk: int) -> Evenement | None:
    return with_counts(Evenement.objects.select_related("region", "departement")).filter(pk=pk).first()


@dataclass(frozen=True)
class UserState:
    inscription: Inscription | None
    position: int | None  # rank on the waiting list (1 = next), None when not waiting
    refusal: str  # why the user may not register now ("" when they may)
    can_unregister: bool
    can_manage: bool
    can_remove: bool  # remove registrants (an organiser, until the event starts)


def user_state(user, ev: Evenement) -> UserState:
    ins = None
    if user and user.is_authenticated:
        ins = Inscription.objects.filter(evenement=ev, user=user).first()
    position = None
    if ins is not None and ins.etat == Ins.Etat.ATTENTE:
        position = 1 + ev.inscriptions.filter(
            Q(demande_le__lt=ins.demande_le) | Q(demande_le=ins.demande_le, id__lt=ins.id),
            etat=Ins.Etat.ATTENTE,
        ).count()
    active = ins is not None and ins.etat != Ins.Etat.DESINSCRIT
    return UserState(
        inscription=ins if active else None,
        position=position,
        refusal=access.reason_of(user, "network.register_event", ev),
        can_unregister=active and access.has(user, "network.unregister_event", ev),
        can_manage=access.has(user, "network.manage_event", ev),
        can_remove=access.has(user, "network.remove_registrant", ev),
    )


ATTENDANCE_HEADER = [
    "etat", "place", "rang_attente", "nom", "prenom", "identifiant", "email", "groupes",
    "fonction", "demande_le",
]  # fmt: skip


@dataclass(frozen=True)
class Attendee:
    inscription_id: int
    row: list  # the CSV row (ATTENDANCE_HEADER)
    demande_le: datetime | None = None  # the page shows it the French way (dd/mm/yyyy)


def attendance_rows(ev: Evenement) -> list[list]:
    """The registered members (by seat), then the waiting list (in order): one row each, the
    header first. Names and e-mails: for the organisers only (``network.see_attendance``)."""
    return [list(ATTENDANCE_HEADER)] + [a.row for a in attendance(ev)]


def attendance(ev: Evenement) -> list[Attendee]:
    """The attendance list's rows with their registrations (the page's "retirer" buttons)."""
    regs = list(
        ev.inscriptions.filter(etat__in=[Ins.Etat.INSCRIT, Ins.Etat.ATTENTE])
        .select_related("user")
        .order_by("demande_le", "id")
    )
    teams: dict[int, list[Membre]] = {}
    for m in Membre.objects.filter(user_id__in=[r.user_id for r in regs]).select_related("groupe"):
        teams.setdefault(m.user_id, []).append(m)
    seated = sorted((r for r in regs if r.etat == Ins.Etat.INSCRIT), key=lambda r: r.place)
    waiting = [r for r in regs if r.etat == Ins.Etat.ATTENTE]
    rows: list[Attendee] = []
    for rank, r in [(None, r) for r in seated] + list(enumerate(waiting, start=1)):
        u, memberships = r.user, teams.get(r.user_id, [])
        rows.append(
            Attendee(r.pk, [
                r.get_etat_display(),
                r.place,
                rank,
                u.last_name or None,
                u.first_name or None,
                u.get_username(),
                u.email or None,
                " | ".join(str(m.groupe) for m in memberships) or None,
                " | ".join(sorted({m.fonction for m in memberships if m.fonction})) or None,
                timezone.localtime(r.demande_le).strftime("%Y-%m-%d %H:%M"),
            ], r.demande_le)
        )  # fmt: skip
    return rows
