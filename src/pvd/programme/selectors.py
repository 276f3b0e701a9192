"""Reads of the programme registry, shaped for dashboards, lists, exports, API and CLI.

The names views, API, exports and CLI read are all served from here, over the modules below it
(none of which imports this one): :mod:`pvd.programme.territory_totals` (names and populations),
:mod:`pvd.programme.coverage`, :mod:`pvd.programme.registry_reads` (laureates' facts, sources),
:mod:`pvd.programme.dashboards` (scopes, breakdown tables, map rows, their cache) and
:mod:`pvd.programme.figures_check`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum

from pvd.domain import claims
from pvd.domain.programme import Stage
from pvd.programme.coverage import (  # noqa: F401  (read here by views, API, exports)
    FACT_LOOKUPS,
    commune_of,
    commune_status,
    commune_statuses,
    coverage_note,
    covers,
    facts_from,
    facts_of,
    filters_covered,
    lists_of,
    ort_coverage,
    ort_signed,
    region_departements,
    registry_coverage,
)
from pvd.programme.dashboards import (  # noqa: F401  (read here by views, API, exports)
    MEASURES,
    BreakdownRow,
    Dashboard,
    Scope,
    breakdown,
    dashboard,
    dashboard_programme,
    departements_breakdown,
    map_rows,
    measure_value,
    scope_for,
)
from pvd.programme.figures_check import registry_of
from pvd.programme.models import Changement, Groupe, Laureat, Ort, Programme
from pvd.programme.registry_reads import (  # noqa: F401  (read here by views, API, exports)
    ACTIVE,
    CADRE,
    CHEF_MISSING,
    CHEF_SOURCE,
    ORT_SIGNED,
    chef_known,
    datasets_of,
    facts_by_pk,
    laureate_facts,
    laureates_qs,
    programme_get,
    programmes_list,
    registry_version,
)
from pvd.programme.territory_totals import (  # noqa: F401  (read here by views, API, exports)
    TerritoryTotals,
    territories_for_figures,
    territory_totals,
)
from pvd.territories.models import Commune


def sources_line(*, programme: Programme) -> str:
    return (
        " ; ".join(
            f"{d.title} ({d.publisher}), millésime {d.vintage}, licence {d.licence}"
            for d in datasets_of(programme)
        )
        or "aucune liste importée"
    )


# --- Lists, detail, history -----------------------------------------------------------------

SORTS = {
    "nom": ("commune__nom", "commune__code"),
    "-nom": ("-commune__nom", "-commune__code"),
    "code": ("commune__code",),
    "-code": ("-commune__code",),
    "population": (F("commune__population").asc(nulls_first=True), "commune__nom"),
    "-population": (F("commune__population").desc(nulls_last=True), "commune__nom"),
    "departement": ("commune__departement_id", "commune__nom"),
    "-departement": ("-commune__departement_id", "commune__nom"),
    "adhesion": (F("date_convention_adhesion").asc(nulls_last=True), "commune__nom"),
    "-adhesion": (F("date_convention_adhesion").desc(nulls_last=True), "commune__nom"),
    "cadre": (F("date_convention_cadre").asc(nulls_last=True), "commune__nom"),
    "-cadre": (F("date_convention_cadre").desc(nulls_last=True), "commune__nom"),
}

STAGE_FILTERS = {
    Stage.SELECTION.value: Q(
        date_convention_adhesion=None, date_chef_projet=None, date_convention_cadre=None
    )
    & ~ORT_SIGNED,
    Stage.ADHESION.value: Q(
        date_convention_adhesion__isnull=False, date_chef_projet=None, date_convention_cadre=None
    )
    & ~ORT_SIGNED,
    Stage.CHEF_PROJET.value: Q(date_chef_projet__isnull=False, date_convention_cadre=None)
    & ~ORT_SIGNED,
    Stage.CONVENTION_CADRE.value: CADRE,
}


@dataclass(frozen=True)
class ListFilters:
    region: str | None = None
    departement: str | None = None
    etape: str | None = None
    statut: str = Laureat.Statut.ACTIF
    q: str = ""
    groupe: str | None = None


def laureates_list(
    *, programme: Programme, filters: ListFilters, sort: str = "nom"
) -> QuerySet[Laureat]:
    qs = Laureat.objects.filter(programme=programme).select_related(
        "commune",
        "commune__ort",
        "commune__departement",
        "commune__region",
        "commune__epci",
        "groupe",
        "groupe__epci",
    )
    if filters.statut in Laureat.Statut.values:
        qs = qs.filter(statut=filters.statut)
    if filters.region:
        qs = qs.filter(commune__region_id=filters.region)
    if filters.departement:
        qs = qs.filter(commune__departement_id=filters.departement)
    if filters.etape in STAGE_FILTERS:
        qs = qs.filter(STAGE_FILTERS[filters.etape])
    if filters.groupe:
        qs = qs.filter(groupe__code=filters.groupe)
    if filters.q:
        q = filters.q.strip()
        qs = qs.filter(
            Q(commune__nom__icontains=q)
            | Q(commune__code__startswith=q)
            | Q(groupe__code__icontains=q)
        )
    return qs.order_by(*SORTS.get(sort, SORTS["nom"]))


def laureate_get(*, programme: Programme, code: str) -> Laureat | None:
    return (
        Laureat.objects.select_related(
            "programme",
            "commune",
            "commune__ort",
            "commune__departement",
            "commune__region",
            "commune__epci",
            "groupe",
            "groupe__epci",
        )
        .filter(programme=programme, commune__code=code, commune__type=Commune.Type.COM)
        .first()
    )


def group_members(*, groupe: Groupe) -> list[Laureat]:
    return list(groupe.laureats.select_related("commune").order_by("commune__nom"))


def groups_list(
    *, programme: Programme, region: str | None = None, departement: str | None = None
) -> QuerySet[Groupe]:
    qs = Groupe.objects.filter(programme=programme).select_related("epci", "departement")
    if region:
        qs = qs.filter(region_id=region)
    if departement:
        qs = qs.filter(departement_id=departement)
    return qs.annotate(
        nb_communes=Count("laureats", filter=Q(laureats__statut=Laureat.Statut.ACTIF)),
        population=Sum(
            "laureats__commune__population", filter=Q(laureats__statut=Laureat.Statut.ACTIF)
        ),
    ).order_by("code")


def group_get(*, programme: Programme, code: str) -> Groupe | None:
    return (
        Groupe.objects.select_related("epci", "departement", "region")
        .filter(programme=programme, code=code)
        .first()
    )


def history(*, objet: str, objet_id: int, limit: int = 100) -> list[Changement]:
    return list(
        Changement.objects.filter(objet=objet, objet_id=objet_id).select_related("user")[:limit]
    )


def laureate_points(*, laureats: list[Laureat]) -> dict[str, tuple[float, float]]:
    """Commune code -> (longitude, latitude) from the ORT sheet, where it gives one."""
    rows = Ort.objects.filter(
        commune_id__in=[lau.commune_id for lau in laureats],
        longitude__isnull=False,
        latitude__isnull=False,
    ).values_list("commune__code", "longitude", "latitude")
    return {code: (lon, lat) for code, lon, lat in rows}


def departement_communes(*, code: str) -> dict[str, str]:
    """Current communes (code -> name) of the department ``code``: the points of its map."""
    return dict(
        Commune.objects.filter(departement_id=code, type=Commune.Type.COM).values_list(
            "code", "nom"
        )
    )


def ort_of(*, commune: Commune) -> Ort | None:
    return Ort.objects.filter(commune=commune).first()


# --- Published-figures check ----------------------------------------------------------------


def figures_check(*, programme: Programme, statements: list[str]) -> list[claims.Verdict]:
    """The verdicts of every claim of each statement (a statement may hold several claims:
    see :mod:`pvd.programme.figures_check` for a whole text with its consistency)."""
    registry = registry_of(programme)
    return [v for s in statements if s.strip() for v in claims.check_text(s, registry).verdicts]


def verdict_dict(v: claims.Verdict) -> dict:
    return claims.verdict_dict(v)
