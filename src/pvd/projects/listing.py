"""The list of projects a user follows (a prefecture agent's twenty towns, a region's two
hundred): searchable, filterable, sorted naturally, one row per group with its towns, project
manager, actions by status, funding and last activity.

Every figure comes from a handful of grouped queries over the filtered groups (no query per
row), so a national list of 1,600 groups stays one page load.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Max, Q, Sum

from pvd.domain import steering
from pvd.programme.models import Groupe, Laureat, Ort
from pvd.projects.models import Action, Commentaire, Financement, Jalon, Membre, Projet

PAGE_SIZE = 25
STATUSES = {
    "avec_projet": "Projet créé",
    "sans_projet": "Pas encore de projet",
    "lecture_seule": "En lecture seule (plus lauréate)",
}
SORTS = {
    "nom": "Nom",
    "departement": "Département, puis nom",
    "retard": "Actions en retard ou bloquées d'abord",
    "activite": "Dernière activité d'abord",
}
FILTERS = ("q", "departement", "statut", "retard", "ort", "tri")


@dataclass
class ProjectRow:
    groupe: Groupe
    projet: Projet | None
    managers: list[str] = field(default_factory=list)
    by_status: Counter = field(default_factory=Counter)
    granted: int = 0
    requested: int = 0
    last_activity: datetime | None = None
    ort_signed: bool = False
    read_only: bool = False

    @property
    def actions(self) -> int:
        return sum(self.by_status.values())

    @property
    def alerts(self) -> int:
        return self.by_status[steering.LATE] + self.by_status[steering.BLOCKED]

    @property
    def statuses(self) -> list[tuple[str, str, int]]:
        """(status, French label, count) for the statuses present, in steering order."""
        return [
            (s, steering.STATUS_LABELS[s], self.by_status[s])
            for s in steering.EFFECTIVE_STATUSES
            if self.by_status[s]
        ]


def natural_key(text: str) -> tuple:
    """French reading order: case and accents ignored ("Évaux" with the E), numbers by value
    ("Groupe 2" before "Groupe 10")."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", plain))


def _filtered_groups(groups, filters: dict):
    q = filters.get("q", "")
    if q:
        groups = groups.filter(
            Q(libelle_communes__icontains=q)
            | Q(nom__icontains=q)
            | Q(laureats__commune__nom__icontains=q)
            | Q(laureats__commune__code=q)
        ).distinct()
    if filters.get("departement"):
        groups = groups.filter(departement_id=filters["departement"])
    return groups


def project_rows(groups, filters: dict, *, day: date) -> list[ProjectRow]:
    """The rows of ``groups`` (a queryset of readable groups) matching ``filters``, sorted."""
    groups = list(_filtered_groups(groups, filters))
    ids = [g.pk for g in groups]
    projects = {p.groupe_id: p for p in Projet.objects.filter(groupe_id__in=ids)}
    rows = {g.pk: ProjectRow(g, projects.get(g.pk)) for g in groups}

    # The team's managers (the chef de projet and whoever runs the project with them).
    managers = Membre.objects.filter(groupe_id__in=ids, role=Membre.Role.GESTIONNAIRE)
    for m in managers.select_related("user").order_by("pk"):
        name = m.user.get_full_name() or m.user.username
        rows[m.groupe_id].managers.append(f"{name} ({m.fonction})" if m.fonction else name)
    _actions(rows, day)
    _funding(rows)
    _activity(rows)
    _laureates(rows)

    out = list(rows.values())
    status = filters.get("statut", "")
    if status == "avec_projet":
        out = [r for r in out if r.projet is not None]
    elif status == "sans_projet":
        out = [r for r in out if r.projet is None]
    elif status == "lecture_seule":
        out = [r for r in out if r.read_only]
    if filters.get("retard") == "1":
        out = [r for r in out if r.alerts]
    if filters.get("ort") == "1":
        out = [r for r in out if r.ort_signed]
    elif filters.get("ort") == "0":
        out = [r for r in out if not r.ort_signed]
    return sort_rows(out, filters.get("tri", "nom"))


def sort_rows(rows: list[ProjectRow], how: str) -> list[ProjectRow]:
    rows = sorted(rows, key=lambda r: natural_key(str(r.groupe)))
    if how == "departement":
        rows.sort(key=lambda r: natural_key(r.groupe.departement_id))
    elif how == "retard":
        rows.sort(key=lambda r: -r.alerts)
    elif how == "activite":
        rows.sort(key=lambda r: r.last_activity.timestamp() if r.last_activity else 0, reverse=True)
    return rows


def _project_ids(rows: dict[int, ProjectRow]) -> dict[int, int]:
    return {r.projet.pk: gid for gid, r in rows.items() if r.projet is not None}


def _actions(rows: dict[int, ProjectRow], day: date) -> None:
    by_project = _project_ids(rows)
    live = Action.objects.filter(projet_id__in=list(by_project), supprime_le__isnull=True)
    overdue = dict(
        Jalon.objects.filter(action__in=live, date_reelle__isnull=True, date_prevue__lt=day)
        .values_list("action_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for pk, projet_id, statut, start, end in live.order_by().values_list(
        "pk", "projet_id", "statut", "date_debut", "date_fin_prevue"
    ):
        status = steering.effective_status(
            statut, start=start, planned_end=end, today=day, overdue_milestones=overdue.get(pk, 0)
        )
        rows[by_project[projet_id]].by_status[status] += 1


def _funding(rows: dict[int, ProjectRow]) -> None:
    by_project = _project_ids(rows)
    sums = (
        Financement.objects.filter(
            action__projet_id__in=list(by_project), action__supprime_le__isnull=True
        )
        .values_list("action__projet_id")
        .annotate(requested=Sum("montant_demande"), granted=Sum("montant_accorde"))
        .order_by()
    )
    for projet_id, requested, granted in sums:
        row = rows[by_project[projet_id]]
        row.requested, row.granted = requested or 0, granted or 0


def _activity(rows: dict[int, ProjectRow]) -> None:
    """The latest write to the project, its actions or its comments."""
    by_project = _project_ids(rows)
    latest: dict[int, list[datetime]] = defaultdict(list)
    for gid, row in rows.items():
        if row.projet is not None:
            latest[gid].append(row.projet.updated_at)
    ids = list(by_project)
    for model, stamp in ((Action, "updated_at"), (Commentaire, "at")):
        for projet_id, when in (
            model.objects.filter(projet_id__in=ids)
            .values_list("projet_id")
            .annotate(last=Max(stamp))
            .order_by()
        ):
            latest[by_project[projet_id]].append(when)
    for gid, stamps in latest.items():
        rows[gid].last_activity = max(s for s in stamps if s is not None)


def _laureates(rows: dict[int, ProjectRow]) -> None:
    """ORT signed (the convention-cadre valant ORT, or the national ORT sheet) and read-only
    (no laureate of the group is still in the programme)."""
    active: dict[int, bool] = defaultdict(bool)
    communes: dict[str, int] = {}
    for gid, statut, signed, commune in Laureat.objects.filter(
        groupe_id__in=list(rows)
    ).values_list("groupe_id", "statut", "date_convention_cadre", "commune_id"):
        active[gid] |= statut == Laureat.Statut.ACTIF
        communes[commune] = gid
        if signed is not None:
            rows[gid].ort_signed = True
    for commune in Ort.objects.filter(
        commune_id__in=list(communes), signature=Ort.Signature.SIGNEE
    ).values_list("commune_id", flat=True):
        rows[communes[commune]].ort_signed = True
    for gid, row in rows.items():
        row.read_only = row.projet is not None and gid in active and not active[gid]
