"""Dashboards of the programme registry: France → region → department figures, breakdown
tables and map rows, cached per data version (pvd.caching; split from :mod:`pvd.programme.selectors`,
which still exposes these names: it imports this module, never the other way round).

Cost per dashboard request, whatever the scope: one grouped aggregate for the breakdown table,
one query for the laureates' dates (statistics computed in :mod:`pvd.domain.programme`), and the
territories' populations from a per-process memo rebuilt when the data version changes.
Convention-cadre figures follow the ORT sheets' coverage, the project managers figure exists
only when a source carries it: otherwise None ("donnée non disponible"), never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from pvd import caching
from pvd.domain.programme import (
    Alert,
    Lifecycle,
    alerts,
    lifecycle,
    share,
    stage_of,
)
from pvd.programme.coverage import (
    coverage_note,
    covers,
    facts_of,
    lists_of,
    ort_coverage,
    registry_coverage,
)
from pvd.programme.dashboard_scope import Scope, dashboard_programme, scope_for  # noqa: F401
from pvd.programme.models import Laureat, ListeImportee, Programme
from pvd.programme.registry_reads import (
    CADRE,
    CHEF_MISSING,
    CHEF_SOURCE,
    ORT_SIGNED,
    chef_known,
    datasets_of,
    laureate_facts,
    laureates_qs,
)
from pvd.programme.territory_totals import territory_totals
from pvd.territories.models import Dataset


@dataclass
class BreakdownRow:
    """One territory (or laureate commune) of a dashboard. Outside the loaded lists' coverage
    (``couvert`` False) every figure is None: "donnée non disponible", never 0."""

    code: str
    nom: str
    laureats: int | None = 0
    groupes: int | None = 0
    population: int | None = 0
    population_territoire: int | None = None
    communes_territoire: int | None = None
    adhesion: int | None = 0
    chef_projet: int | None = 0
    convention_cadre: int | None = 0
    couvert: bool = True
    # Commune rows only:
    groupe: str = ""
    etape: str = ""

    @property
    def part_population(self) -> float | None:
        return share(self.population, self.population_territoire)

    @property
    def part_communes(self) -> float | None:
        return share(self.laureats, self.communes_territoire)


def _row(
    code: str,
    nom: str,
    a: dict | None,
    level: str,
    totals,
    covered: bool,
    cadre_covered: bool = True,
    chef: bool = True,
) -> BreakdownRow:
    """``cadre_covered``: an ORT sheet covers the territory; ``chef``: a source carries the
    project managers (else those figures are None)."""
    if not covered:
        return BreakdownRow(
            code=code,
            nom=nom,
            laureats=None,
            groupes=None,
            population=None,
            population_territoire=totals.populations.get((level, code)),
            communes_territoire=totals.communes.get((level, code)),
            adhesion=None,
            chef_projet=None,
            convention_cadre=None,
            couvert=False,
        )
    a = a or {}
    return BreakdownRow(
        code=code,
        nom=nom,
        laureats=a.get("n", 0),
        groupes=a.get("g", 0),
        population=a.get("p") or 0,
        population_territoire=totals.populations.get((level, code)),
        communes_territoire=totals.communes.get((level, code)),
        adhesion=a.get("a", 0),
        chef_projet=a.get("c", 0) if chef else None,
        convention_cadre=a.get("o", 0) if cadre_covered else None,
    )


def _aggregate(qs: QuerySet[Laureat], key: str) -> dict[str, dict]:
    return {
        r[key]: r
        for r in qs.order_by()
        .values(key)
        .annotate(
            n=Count("pk"),
            g=Count("groupe", distinct=True),
            p=Sum("commune__population"),
            a=Count("pk", filter=Q(date_convention_adhesion__isnull=False)),
            c=Count("pk", filter=Q(date_chef_projet__isnull=False)),
            o=Count("pk", filter=CADRE),
        )
    }


@dataclass
class Dashboard:
    """Figures of a scope. ``couvert`` False: no loaded list covers the scope, every figure is
    None. ``exclusion``: what a national total leaves out (territories no list covers)."""

    programme: Programme
    scope: Scope
    laureats: int | None
    groupes: int | None
    epci: int | None
    population: int | None
    population_territoire: int
    communes_territoire: int
    cycle: Lifecycle | None
    alertes: list[Alert]
    breakdown: list[BreakdownRow]
    datasets: list[Dataset] = field(default_factory=list)
    today: date | None = None
    couvert: bool = True
    exclusion: str = ""
    listes: list[ListeImportee] = field(default_factory=list)
    # Convention-cadre figures: what no ORT sheet covers (France), or False when the scope is
    # not covered by one; project managers: where the figure comes from, or why it is missing.
    exclusion_cadre: str = ""
    cadre_couvert: bool = True
    chef_source: str = ""

    @property
    def part_population(self) -> float | None:
        return share(self.population, self.population_territoire)

    @property
    def part_communes(self) -> float | None:
        return share(self.laureats, self.communes_territoire)


def _filter(scope: Scope) -> dict:
    if scope.level == "region":
        return {"region": scope.code}
    if scope.level == "departement":
        return {"departement": scope.code}
    return {}


def breakdown(programme: Programme, scope: Scope) -> list[BreakdownRow]:
    """One row per child territory (regions of France, departments of a region, laureate
    communes of a department), with every territory listed even without laureates."""
    totals = territory_totals()
    qs = laureates_qs(programme, **_filter(scope)).order_by()
    ort_cov, chef = ort_coverage(), chef_known(programme)
    if scope.child_level == "commune":
        rows = []
        signed = set(qs.filter(ORT_SIGNED).values_list("pk", flat=True))
        for lau in qs.select_related("commune", "groupe").order_by("commune__nom"):
            c = lau.commune
            facts = facts_of(
                lau,
                ort_signee=lau.pk in signed,
                cadre_connu=ort_cov.covers_commune(
                    departement=c.departement_id, region=c.region_id
                ),
            )
            rows.append(
                BreakdownRow(
                    code=c.code,
                    nom=c.nom,
                    laureats=1,
                    groupes=1 if lau.groupe_id else 0,
                    population=c.population or 0,
                    adhesion=int(bool(lau.date_convention_adhesion)),
                    chef_projet=int(bool(lau.date_chef_projet)) if chef else None,
                    convention_cadre=int(facts.cadre_signee) if facts.cadre_connu else None,
                    groupe=lau.groupe.code if lau.groupe else "",
                    etape=stage_of(facts).value,
                )
            )
        return rows
    key = "commune__region_id" if scope.child_level == "region" else "commune__departement_id"
    agg = _aggregate(qs, key)
    coverage = registry_coverage(programme)
    if scope.child_level == "region":
        children = sorted(totals.names_regions.items())
    else:
        children = sorted(
            (c, n)
            for c, n in totals.names_departements.items()
            if totals.region_of[c] == scope.code
        )
    return [
        _row(
            code,
            nom,
            agg.get(code),
            scope.child_level,
            totals,
            covers(coverage, scope.child_level, code, totals),
            covers(ort_cov, scope.child_level, code, totals),
            chef,
        )
        for code, nom in children
    ]


def dashboard(*, programme: Programme, scope: Scope, today: date | None = None) -> Dashboard:
    """The dashboard of a scope, computed once per data version and day for every process
    (pvd.caching: the registry's imports and edits replace the data version)."""
    today = today or timezone.localdate()
    key = ("dashboard", programme.pk, programme.dataset_id, scope.level, scope.code, today)
    return caching.shared(key, lambda: _dashboard(programme=programme, scope=scope, today=today))


def _dashboard(*, programme: Programme, scope: Scope, today: date) -> Dashboard:
    totals = territory_totals()
    coverage = registry_coverage(programme)
    key = (scope.level, scope.code)
    board_rows = breakdown(programme, scope)
    common = {
        "programme": programme,
        "scope": scope,
        "breakdown": board_rows,
        "datasets": datasets_of(programme),
        "today": today,
        "listes": lists_of(programme),
    }
    if not covers(coverage, scope.level, scope.code, totals):
        return Dashboard(
            laureats=None,
            groupes=None,
            epci=None,
            population=None,
            population_territoire=totals.populations.get(key, 0),
            communes_territoire=totals.communes.get(key, 0),
            cycle=None,
            alertes=[],
            couvert=False,
            exclusion=coverage_note(coverage) if scope.level == "france" else "",
            **common,
        )
    facts = laureate_facts(programme, **_filter(scope))
    ort_cov, chef = ort_coverage(), chef_known(programme)
    population_territoire = totals.populations.get(key, 0)
    communes_territoire = totals.communes.get(key, 0)
    exclusion = ""
    if scope.level == "france":
        # Shares of a national total are shares of the covered territories only.
        exclusion = coverage_note(coverage)
        if exclusion:
            deps = [d for d, r in totals.region_of.items() if coverage.covers_departement(d, r)]
            population_territoire = sum(totals.populations.get(("departement", d), 0) for d in deps)
            communes_territoire = sum(totals.communes.get(("departement", d), 0) for d in deps)
    return Dashboard(
        laureats=len(facts),
        groupes=len({f.groupe for f in facts if f.groupe}),
        epci=len({f.epci for f in facts if f.epci}),
        population=sum(f.population or 0 for f in facts),
        population_territoire=population_territoire,
        communes_territoire=communes_territoire,
        cycle=lifecycle(facts, chef_known=chef),
        alertes=alerts(facts, today=today),
        exclusion=exclusion,
        exclusion_cadre=coverage_note(ort_cov) if scope.level == "france" else "",
        cadre_couvert=covers(ort_cov, scope.level, scope.code, totals),
        chef_source=CHEF_SOURCE if chef else CHEF_MISSING,
        **common,
    )


def map_rows(*, programme: Programme, level: str) -> list[BreakdownRow]:
    """Rows of the national choropleth: every region, or every department (one query)."""
    if level == "region":
        return breakdown(programme, Scope("france"))
    return departements_breakdown(programme)


def departements_breakdown(programme: Programme) -> list[BreakdownRow]:
    """Every department of France in one grouped query (for the national department map)."""
    totals = territory_totals()
    agg = _aggregate(laureates_qs(programme), "commune__departement_id")
    coverage, ort_cov, chef = registry_coverage(programme), ort_coverage(), chef_known(programme)
    return [
        _row(
            code,
            nom,
            agg.get(code),
            "departement",
            totals,
            coverage.covers_departement(code, totals.region_of.get(code)),
            ort_cov.covers_departement(code, totals.region_of.get(code)),
            chef,
        )
        for code, nom in sorted(totals.names_departements.items())
    ]


MEASURES = {
    "laureats": "Communes lauréates",
    "part_population": "Part de la population couverte",
    "part_communes": "Part des communes lauréates",
    "convention_cadre": "Conventions-cadres (ORT) signées",
}


def _measure(row: BreakdownRow, measure: str) -> float | None:
    if measure == "part_population":
        p = row.part_population
        return None if p is None else 100 * p
    if measure == "part_communes":
        p = row.part_communes
        return None if p is None else 100 * p
    return getattr(row, measure)


def measure_value(row: BreakdownRow, measure: str) -> float | None:
    return _measure(row, measure)
