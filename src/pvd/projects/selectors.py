"""Reads of the projets de territoire: action rows with their effective status and budget,
budget summaries, timeline, indicator series and aggregations for a department, a region or
the nation. Computations are delegated to ``pvd.domain.steering``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from pvd import access as table
from pvd import caching
from pvd.domain import steering
from pvd.programme.models import Changement, Groupe
from pvd.projects import validation
from pvd.projects.access import access
from pvd.projects.models import (
    Action,
    Axe,
    Financement,
    Financeur,
    Jalon,
    LigneBudget,
    Membre,
    Phase,
    Projet,
)


def today() -> date:
    return timezone.localdate()


def readable_groups(user, programme=None):
    """Groups whose project the user may read."""
    qs = Groupe.objects.select_related("departement", "region", "programme")
    if programme is not None:
        qs = qs.filter(programme=programme)
    if not table.authenticated(user):
        return qs.none()
    if table.superuser(user):
        return qs
    # ``projects.read`` as a filter: the team's groups and the scope's (pvd.access).
    scope = table.scope_of(user).q()
    if scope is None:
        return qs
    return qs.filter(Q(pk__in=Membre.objects.filter(user=user).values("groupe_id")) | scope)


# --- Action rows ---------------------------------------------------------------------------


@dataclass
class ActionRow:
    action: Action
    status: str
    budget: steering.Budget
    communes: list[str] = field(default_factory=list)
    milestones: list[Jalon] = field(default_factory=list)
    late_reason: str = ""  # why "en retard": which date or milestone, by how many days

    @property
    def status_label(self) -> str:
        return steering.STATUS_LABELS[self.status]


FILTERS = ("axe", "statut", "phase", "priorite", "financeur", "q", "commune")


def action_rows(
    projet: Projet, *, filters: dict | None = None, deleted: bool = False, day: date | None = None
):
    """The project's actions with effective status and budget, filtered (table, exports), as
    of ``day`` (default today)."""
    filters = filters or {}
    filters = validation.check_filters(filters)
    qs = Action.objects.filter(projet=projet)
    qs = qs.filter(supprime_le__isnull=not deleted)
    if filters.get("axe"):
        qs = qs.filter(axe=filters["axe"])
    if filters.get("phase"):
        qs = qs.filter(phase=filters["phase"])
    if filters.get("priorite"):
        qs = qs.filter(priorite=filters["priorite"])
    if filters.get("financeur"):
        qs = qs.filter(financements__financeur=filters["financeur"]).distinct()
    if filters.get("commune"):
        qs = qs.filter(communes__code=filters["commune"]).distinct()
    if filters.get("q"):
        qs = qs.filter(Q(titre__icontains=filters["q"]) | Q(description__icontains=filters["q"]))
    qs = qs.select_related("porteur").prefetch_related(
        "budget", "financements", "jalons", "communes", "partenaires"
    )
    day = day or today()
    rows = []
    for a in qs:
        jalons = list(a.jalons.all())
        overdue = sum(1 for j in jalons if j.date_reelle is None and j.date_prevue < day)
        status = steering.effective_status(
            a.statut,
            start=a.date_debut,
            planned_end=a.date_fin_prevue,
            today=day,
            overdue_milestones=overdue,
        )
        if filters.get("statut") and filters["statut"] != status:
            continue
        budget = steering.budget_of(
            [steering.BudgetLine(b.annee, b.nature, b.prevu, b.realise) for b in a.budget.all()],
            [
                steering.FundingLine(
                    f.get_financeur_display(),
                    f.montant_demande,
                    f.montant_accorde,
                    f.montant_verse,
                    f.annee,
                    f.dispositif,
                )
                for f in a.financements.all()
            ],
        )
        reason = steering.late_reason(
            a.statut,
            start=a.date_debut,
            planned_end=a.date_fin_prevue,
            today=day,
            milestones=[(j.libelle, j.date_prevue, j.date_reelle) for j in jalons],
        )
        rows.append(ActionRow(a, status, budget, [c.nom for c in a.communes.all()], jalons, reason))
    return rows


def totals(rows: list[ActionRow]) -> steering.Aggregate:
    return steering.aggregate(
        [steering.ActionFact(r.action.axe, r.status, r.budget.forecast_investment) for r in rows],
        [
            steering.FundingFact(
                f.get_financeur_display(),
                f.montant_demande,
                f.montant_accorde or 0,
                f.montant_verse or 0,
                r.action.get_axe_display(),
                f.annee,
            )
            for r in rows
            for f in r.action.financements.all()
        ],
    )


def budget_by_year(rows: list[ActionRow]) -> dict[int, dict[str, int]]:
    years: dict[int, dict[str, int]] = defaultdict(lambda: {"forecast": 0, "actual": 0})
    for r in rows:
        for y, v in r.budget.by_year.items():
            years[y]["forecast"] += v["forecast"]
            years[y]["actual"] += v["actual"]
    return dict(sorted(years.items()))


def timeline(rows: list[ActionRow]) -> dict:
    day = today()
    dates = []
    for r in rows:
        dates += [r.action.date_debut, r.action.date_fin_prevue]
        dates += [j.date_prevue for j in r.milestones]
    start, end = steering.timeline_range(dates, today=day)
    items = []
    for r in rows:
        items.append(
            {
                "row": r,
                "bar": steering.bar(r.action.date_debut, r.action.date_fin_prevue, start, end),
                "milestones": [
                    {
                        "jalon": j,
                        "left": steering.position(j.date_prevue, start, end),
                        "done": j.date_reelle is not None,
                        "late": j.date_reelle is None and j.date_prevue < day,
                    }
                    for j in r.milestones
                ],
            }
        )
    years = [
        {"year": y, "left": steering.position(date(y, 1, 1), start, end)}
        for y in range(start.year, end.year + 1)
    ]
    return {
        "start": start,
        "end": end,
        "items": items,
        "years": years,
        "today": steering.position(day, start, end),
    }


def history(projet: Projet, limit: int = 50):
    """The project's history: every write linked to its group (``Changement.groupe``), the
    project itself, its actions, lines, comments and team."""
    q = Q(groupe=projet.groupe) | Q(objet="projet", objet_id=projet.pk)
    return Changement.objects.filter(q).select_related("user", "groupe")[:limit]


# --- Aggregations (department, region, nation) ---------------------------------------------


def facts(*, region: str | None = None, departement: str | None = None, day: date | None = None):
    """Action and funding facts of every live action in a scope, in a few queries."""
    day = day or today()

    live = Action.objects.filter(supprime_le__isnull=True)
    if region:
        live = live.filter(projet__groupe__region_id=region)
    if departement:
        live = live.filter(projet__groupe__departement_id=departement)

    def scoped(prefix: str) -> dict:
        # Nation: a join filter (an ``IN (subquery)`` over every action is slow on SQLite);
        # a region or department: the subquery of its actions (uses the indexes).
        if not prefix:
            return (
                {"pk__in": live.values("pk")}
                if (region or departement)
                else {"supprime_le__isnull": True}
            )
        if region or departement:
            return {"action__in": live.values("pk")}
        return {"action__supprime_le__isnull": True}

    rows = list(
        Action.objects.filter(**scoped(""))
        .order_by()
        .values_list(
            "pk",
            "axe",
            "statut",
            "date_debut",
            "date_fin_prevue",
            "projet__groupe__departement_id",
            "projet__groupe__region_id",
            "projet__groupe__code",
        )
    )
    investment = dict(
        LigneBudget.objects.filter(nature=LigneBudget.Nature.INVESTISSEMENT, **scoped("action__"))
        .values_list("action_id")
        .annotate(total=Sum("prevu"))
        .order_by()
    )
    overdue = dict(
        Jalon.objects.filter(date_reelle__isnull=True, date_prevue__lt=day, **scoped("action__"))
        .values_list("action_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    action_facts = []
    axis_of = {}
    for pk, axe, statut, start, end, dep, reg, grp in rows:
        status = steering.effective_status(
            statut, start=start, planned_end=end, today=day, overdue_milestones=overdue.get(pk, 0)
        )
        axis_of[pk] = (axe, dep, reg, grp)
        action_facts.append(
            steering.ActionFact(axe, status, investment.get(pk, 0) or 0, dep, reg, grp, pk)
        )
    funding_facts = []
    funding_rows = (
        Financement.objects.filter(**scoped("action__"))
        .order_by()
        .annotate(year=Coalesce(ExtractYear("date_demande"), ExtractYear("date_decision")))
        .values_list(
            "action_id", "financeur", "montant_demande", "montant_accorde", "montant_verse", "year"
        )
    )
    for action_id, funder, req, granted, paid, year in funding_rows:
        axe, dep, reg, grp = axis_of.get(action_id, ("", "", "", ""))
        funding_facts.append(
            (
                dep,
                reg,
                grp,
                steering.FundingFact(funder, req, granted or 0, paid or 0, axe, year),
            )
        )
    return action_facts, funding_facts


# Position of each sub-territory key in the funding tuples of ``facts``.
FUNDING_KEY_INDEX = {"departement": 0, "region": 1, "group": 2}


def scope_aggregate(*, region: str | None = None, departement: str | None = None) -> dict:
    """The aggregate of a scope and one aggregate per sub-territory (regions or departments)."""
    action_facts, funding = facts(region=region, departement=departement)
    alerts = {a.id: a.status for a in action_facts if a.status in (steering.LATE, steering.BLOCKED)}
    # A department is split by group, a region by department, France by region; the funding is
    # split along the same key, so the parts add up to the total (merged from the parts).
    key = "group" if departement else ("departement" if region else "region")
    index = FUNDING_KEY_INDEX[key]
    split: dict[str, list] = defaultdict(list)
    for f in funding:
        split[f[index]].append(f[-1])
    parts = steering.aggregate_by(action_facts, dict(split), key)
    total = steering.merge(parts.values())
    return {"total": total, "parts": parts, "key": key, "alerts": alerts}


def alert_actions(alerts: dict[int, str], limit: int = 100) -> list[tuple[Action, str]]:
    """The late and blocked actions of a synthesis (blocked first, then by planned end)."""
    ids = sorted(alerts, key=lambda pk: (alerts[pk] != steering.BLOCKED, pk))[:limit]
    actions = Action.objects.filter(pk__in=ids).select_related(
        "projet__groupe__programme", "projet__groupe__departement"
    )
    by_pk = {a.pk: a for a in actions}
    return [(by_pk[pk], steering.STATUS_LABELS[alerts[pk]]) for pk in ids if pk in by_pk]


AXES = dict(Axe.choices)
PHASES = dict(Phase.choices)
FINANCEURS = dict(Financeur.choices)


def project_for(groupe: Groupe) -> Projet | None:
    return Projet.objects.filter(groupe=groupe).first()


# The ids of the groups that have a projet, per process, data version and projects version
# (a projet saved or deleted bumps the latter: ProjectsConfig.ready): the commune pages and
# the laureates' pages say whether a town's projet is on the platform without a query.
_with_projet: caching.ProcessMemo[frozenset[int]] = caching.ProcessMemo("projet-groupes", size=4)


def groupes_with_projet() -> frozenset[int]:
    def read() -> frozenset[int]:
        return frozenset(Projet.objects.values_list("groupe_id", flat=True))

    return _with_projet.get(caching.database_key(), read, token=caching.projects_version())


def can(user, groupe: Groupe):
    return access(user, groupe)
