"""The network's weekly digest (``pvd network digest``, run by cron on Monday mornings): one
e-mail per member with the practices published during the ISO week on her themes and the club's
events of the next 30 days in her region or department, and the national ones.

- A *member* of the network is an active user with a project team (``projects.Membre``, any
  role) or an editing scope (``programme.Perimetre`` through her auth groups), as
  :func:`pvd.network.permissions.is_programme_member` says, superusers without either excepted
  (administration accounts).
- Her *themes* are the axes of the live actions of her teams' projects; with none (programme
  staff, a project without actions) she gets every theme.
- Her *events*: the published events starting in the 30 days after the week (and after now):
  the national ones; the regional ones of her teams' regions, her region scopes and her
  department scopes' regions; the departmental ones of her teams' and scopes' departments and of
  her region scopes' departments; every event with a national scope. Events reserved to project
  managers go to project team members only.
- Nothing is sent to a member with neither a new practice nor an upcoming event, to one who
  opted out (``ProfilReseau.lettre_hebdo``, set on « Mon profil réseau » or by the signed link of
  every digest: :mod:`pvd.network.digest_optout`), nor to one without an e-mail (counted).
- Idempotent per (member, week): the key ``lettre:<user>:<week>`` is recorded in
  ``LettreEnvoyee`` in the transaction that sends it (:func:`pvd.mail.send_once`); a failed send
  records nothing. ``PVD_REMINDERS=0`` disables it, as the reminders.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from pvd.domain.weeks import last_complete_week, monday_of, week_label
from pvd.mail import Ledger, send_once
from pvd.network.digest_optout import unsubscribe_url
from pvd.network.models import Evenement, LettreEnvoyee, Pratique, ProfilReseau, StatutPratique
from pvd.programme.models import Perimetre
from pvd.projects.models import Action, Axe, Membre

EVENTS_DAYS = 30
E = Evenement


@dataclass
class Member:
    user_id: int
    username: str
    name: str
    email: str
    team: bool = False  # member of a project team
    national: bool = False  # national scope: every event
    groupes: set[int] = field(default_factory=set)
    regions: set[str] = field(default_factory=set)  # regional events
    departements: set[str] = field(default_factory=set)  # departmental events
    covered_regions: set[str] = field(default_factory=set)  # all departmental events there
    axes: frozenset[str] | None = None  # None: every theme


@dataclass(frozen=True)
class Digest:
    key: str
    user_id: int
    to: str
    subject: str
    body: str
    headers: dict
    semaine: str
    nb_pratiques: int
    nb_evenements: int


@dataclass
class Report:
    week: str
    dry_run: bool
    disabled: bool = False
    members: int = 0
    sent: list[Digest] = field(default_factory=list)  # or, in a dry run, to send
    already_sent: int = 0
    opted_out: int = 0
    nothing_new: int = 0
    without_address: list[str] = field(default_factory=list)


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def members() -> list[Member]:
    """The network's members (see the module's docstring), whatever their address or opt-out."""
    found: dict[int, Member] = {}
    users = get_user_model().objects.filter(is_active=True)
    team_rows = Membre.objects.filter(user__is_active=True).values_list(
        "user_id", "groupe_id", "groupe__region_id", "groupe__departement_id"
    )
    scope_rows = Perimetre.objects.filter(group__user__is_active=True).values_list(
        "group__user", "niveau", "region_id", "departement_id", "departement__region_id"
    )
    team_rows, scope_rows = list(team_rows), list(scope_rows)
    ids = {r[0] for r in team_rows} | {r[0] for r in scope_rows}
    for uid, username, first, last, email in users.filter(pk__in=ids).values_list(
        "id", "username", "first_name", "last_name", "email"
    ):
        found[uid] = Member(uid, username, f"{first} {last}".strip(), email.strip())
    for uid, groupe_id, region, dep in team_rows:
        if m := found.get(uid):
            m.team = True
            m.groupes.add(groupe_id)
            m.regions.add(region)
            m.departements.add(dep)
    for uid, niveau, region, dep, dep_region in scope_rows:
        if not (m := found.get(uid)):
            continue
        if niveau == Perimetre.Niveau.NATIONAL:
            m.national = True
        elif niveau == Perimetre.Niveau.REGION:
            m.regions.add(region)
            m.covered_regions.add(region)
        else:
            m.departements.add(dep)
            m.regions.add(dep_region)
    axes: dict[int, set[str]] = defaultdict(set)
    for groupe_id, axe in (
        Action.objects.vivantes().values_list("projet__groupe_id", "axe").distinct()
    ):
        axes[groupe_id].add(axe)
    for m in found.values():
        themes = set().union(*(axes.get(g, set()) for g in m.groupes))
        m.axes = frozenset(themes) if themes else None
    return sorted(found.values(), key=lambda m: m.user_id)


def practices_of_week(monday: date) -> list[Pratique]:
    return list(
        Pratique.objects.filter(
            statut=StatutPratique.PUBLIEE,
            supprime_le__isnull=True,
            publiee_le__gte=_start(monday),
            publiee_le__lt=_start(monday + timedelta(days=7)),
        )
        .select_related("commune")
        .order_by("publiee_le", "id")
    )


def upcoming_events(monday: date, now: datetime) -> list[Evenement]:
    start = max(_start(monday + timedelta(days=7)), now)
    return list(
        Evenement.objects.filter(
            statut=E.Statut.PUBLIE,
            supprime_le__isnull=True,
            debut__gt=start,
            debut__lte=start + timedelta(days=EVENTS_DAYS),
        )
        .select_related("region", "departement")
        .order_by("debut", "id")
    )


def concerns(m: Member, ev: Evenement) -> bool:
    if ev.public == E.Public.CHEFS and not m.team:
        return False
    if m.national or ev.echelle == E.Echelle.NATIONAL:
        return True
    if ev.echelle == E.Echelle.REGIONAL:
        return ev.region_id in m.regions
    dep_region = ev.departement.region_id if ev.departement else ev.region_id
    return ev.departement_id in m.departements or dep_region in m.covered_regions


def _url(name: str, *args) -> str:
    return f"{settings.SITE_URL}{reverse(name, args=args)}"


def _where(ev: Evenement) -> str:
    if ev.echelle == E.Echelle.NATIONAL:
        return "national"
    if ev.echelle == E.Echelle.REGIONAL:
        return f"région {ev.region.nom if ev.region else ''}".strip()
    return f"département {ev.departement.nom if ev.departement else ''}".strip()


class Texts:
    """The lines of each practice and event, written once for every letter that lists them."""

    def __init__(self) -> None:
        self._practices: dict[int, list[str]] = {}
        self._events: dict[int, list[str]] = {}
        self.axes = dict(Axe.choices)
        self.footer = [
            f"Toutes les fiches expériences : {_url('network:pratiques')}",
            f"Toutes les rencontres : {_url('network:events')}",
        ]
        self.profile = _url("network:profil")

    def practice(self, p: Pratique) -> list[str]:
        if p.pk not in self._practices:
            self._practices[p.pk] = [
                f"- {p.titre} — {p.commune.nom} ({p.commune.departement_id}), "
                f"{self.axes.get(p.axe, p.axe)}",
                f"  {_url('network:pratique', p.pk)}",
            ]
        return self._practices[p.pk]

    def event(self, ev: Evenement) -> list[str]:
        if ev.pk not in self._events:
            when = timezone.localtime(ev.debut)
            self._events[ev.pk] = [
                f"- {when:%d/%m/%Y à %H:%M} — {ev.titre} ({_where(ev)}, "
                f"{ev.get_format_display().lower()})",
                f"  {_url('network:event', ev.pk)}",
            ]
        return self._events[ev.pk]


def compose(
    m: Member,
    monday: date,
    practices: list[Pratique],
    events: list[Evenement],
    texts: Texts | None = None,
) -> Digest:
    texts = texts or Texts()
    label = week_label(monday)
    axes = texts.axes
    sunday = monday + timedelta(days=6)
    lines = [
        f"Bonjour {m.name or m.username},",
        "",
        f"Voici la lettre du réseau des Petites villes de demain pour la semaine du "
        f"{monday:%d/%m/%Y} au {sunday:%d/%m/%Y}.",
        "",
    ]
    themes = (
        "tous les thèmes"
        if m.axes is None
        else "vos thèmes : " + ", ".join(axes.get(a, a) for a in sorted(m.axes))
    )
    if practices:
        lines.append(f"Nouvelles fiches expériences ({themes}) :")
        for p in practices:
            lines += texts.practice(p)
    else:
        lines.append(f"Aucune nouvelle fiche expérience cette semaine ({themes}).")
    lines.append("")
    if events:
        lines.append(f"Rencontres du club des {EVENTS_DAYS} prochains jours :")
        for ev in events:
            lines += texts.event(ev)
    else:
        lines.append(f"Aucune rencontre du club dans les {EVENTS_DAYS} prochains jours.")
    off = unsubscribe_url(m.user_id)
    lines += [
        "",
        *texts.footer,
        "",
        "-- ",
        "Vous recevez cette lettre comme membre du réseau des Petites villes de demain.",
        f"Pour ne plus la recevoir : {off}",
        f"Ou depuis votre profil réseau : {texts.profile}",
    ]
    n, k = len(practices), len(events)
    subject = (
        # The week by its dates: members do not read ISO week numbers ("2026-W49").
        f"Réseau Petites villes de demain — semaine du {monday:%d/%m} au {sunday:%d/%m/%Y} : "
        f"{n} fiche{'s' if n > 1 else ''}, {k} rencontre{'s' if k > 1 else ''}"
    )
    return Digest(
        key=f"lettre:{m.user_id}:{label}",
        user_id=m.user_id,
        to=m.email,
        subject=subject[:200],
        body="\n".join(lines),
        # RFC 2369 and RFC 8058: one-click unsubscribe by the mail client (a POST to the link).
        headers={"List-Unsubscribe": f"<{off}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        semaine=label,
        nb_pratiques=n,
        nb_evenements=k,
    )


def digests(monday: date, now: datetime, report: Report) -> list[Digest]:
    """The digests of the week of ``monday``; counts the members left out in ``report``."""
    everyone = members()
    report.members = len(everyone)
    opted_out = set(
        ProfilReseau.objects.filter(lettre_hebdo=False).values_list("user_id", flat=True)
    )
    practices = practices_of_week(monday)
    events = upcoming_events(monday, now)
    texts = Texts()
    out = []
    for m in everyone:
        if m.user_id in opted_out:
            report.opted_out += 1
            continue
        mine = [p for p in practices if m.axes is None or p.axe in m.axes]
        coming = [ev for ev in events if concerns(m, ev)]
        if not mine and not coming:
            report.nothing_new += 1
            continue
        if not m.email:
            report.without_address.append(m.username)
            continue
        out.append(compose(m, monday, mine, coming, texts))
    return out


def digest_send(
    *, week: date | None = None, now: datetime | None = None, dry_run: bool = False
) -> Report:
    """Send the digests of the ISO week starting on ``week`` (a Monday; default: the last
    complete week) that were never sent; a dry run lists them and records nothing."""
    now = now or timezone.now()
    monday = monday_of(week) if week else last_complete_week(timezone.localtime(now).date())
    report = Report(week=week_label(monday), dry_run=dry_run)
    if not settings.REMINDERS_ENABLED:
        report.disabled = True
        return report
    ledger = Ledger(
        LettreEnvoyee,
        lambda d: {
            "user_id": d.user_id,
            "semaine": d.semaine,
            "destinataire": d.to,
            "nb_pratiques": d.nb_pratiques,
            "nb_evenements": d.nb_evenements,
            "envoye_le": timezone.now(),
        },
    )
    outcome = send_once(digests(monday, now, report), ledger, dry_run=dry_run)
    report.sent, report.already_sent = outcome.sent, outcome.already_sent
    return report
