"""Reads of the programme registry, shaped for dashboards, lists, exports, API and CLI.

The dashboards (scopes, breakdown tables, map rows, their cache) live in
:mod:`pvd.programme.dashboards`; their names are still served from here (``selectors.dashboard``,
``selectors.Scope`` ...) through the module ``__getattr__`` below.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum

from pvd import caching
from pvd.domain import claims
from pvd.domain.programme import (
    LaureateFacts,
    Stage,
)
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
from pvd.programme.models import Changement, Groupe, Laureat, Ort, Programme
from pvd.territories.models import Commune, Dataset, Departement, Region
from pvd.territories.selectors import referential_dataset

ACTIVE = Q(statut=Laureat.Statut.ACTIF)
# A convention-cadre counts as signed when the laureate has its date, or when the ORT sheet
# says "Signée" for the commune (6 rows of the 2024 sheet are signed without a date).
ORT_SIGNED = Q(commune__ort__signature=Ort.Signature.SIGNEE)
CADRE = Q(date_convention_cadre__isnull=False) | ORT_SIGNED


def programmes_list() -> list[Programme]:
    return list(
        Programme.objects.select_related("dataset").annotate(
            nb_laureats=Count("laureats", filter=Q(laureats__statut=Laureat.Statut.ACTIF))
        )
    )


def programme_get(*, slug: str) -> Programme | None:
    return Programme.objects.select_related("dataset").filter(slug=slug).first()


# --- Territories: names and populations (cached per process) ------------------------------


@dataclass(frozen=True)
class TerritoryTotals:
    names_regions: dict[str, str]
    names_departements: dict[str, str]
    region_of: dict[str, str]  # department -> region
    populations: dict[tuple[str, str | None], int]  # ("france"|"region"|"departement", code)
    communes: dict[tuple[str, str | None], int]


_totals = caching.ProcessMemo("territory-totals", size=1)


def _referential_version() -> object:
    ds = referential_dataset()
    return (ds.loaded_at if ds else None, Commune.objects.count())


def territory_totals() -> TerritoryTotals:
    """Populations and commune counts of every department, region and France (COM only), kept
    in each process for one data version (the referential's loads replace it)."""
    return _totals.get("totals", _territory_totals)


def _territory_totals() -> TerritoryTotals:
    rows = (
        Commune.objects.filter(type=Commune.Type.COM)
        .order_by()
        .values("departement_id", "region_id")
        .annotate(p=Sum("population"), n=Count("pk"))
    )
    pops: dict[tuple[str, str | None], int] = {("france", None): 0}
    counts: dict[tuple[str, str | None], int] = {("france", None): 0}
    for r in rows:
        p, n = r["p"] or 0, r["n"]
        for key in (
            ("departement", r["departement_id"]),
            ("region", r["region_id"]),
            ("france", None),
        ):
            pops[key] = pops.get(key, 0) + p
            counts[key] = counts.get(key, 0) + n
    deps = list(Departement.objects.values_list("code", "nom", "region_id"))
    value = TerritoryTotals(
        names_regions=dict(Region.objects.values_list("code", "nom")),
        names_departements={c: n for c, n, _ in deps},
        region_of={c: r for c, _, r in deps},
        populations=pops,
        communes=counts,
    )
    return value


def territories_for_figures() -> claims.Territories:
    t = territory_totals()
    return claims.Territories(t.names_regions, t.names_departements, t.populations, t.region_of)


# --- Laureates as plain facts ---------------------------------------------------------------


def laureates_qs(
    programme: Programme, *, region: str | None = None, departement: str | None = None
) -> QuerySet[Laureat]:
    qs = Laureat.objects.filter(programme=programme).filter(ACTIVE)
    if region:
        qs = qs.filter(commune__region_id=region)
    if departement:
        qs = qs.filter(commune__departement_id=departement)
    return qs


def facts_by_pk(qs: QuerySet[Laureat]) -> dict[int, LaureateFacts]:
    """The plain facts of each laureate of ``qs``, by primary key, in a single query."""
    ort_cov = ort_coverage()
    names = list(FACT_LOOKUPS)
    facts = {}
    for pk, *row, signature in qs.values_list(
        "pk", *FACT_LOOKUPS.values(), "commune__ort__signature"
    ):
        values = dict(zip(names, row, strict=True))
        facts[pk] = facts_from(
            values,
            ort_signee=signature == Ort.Signature.SIGNEE,
            cadre_connu=ort_cov.covers_commune(
                departement=values["departement"], region=values["region"]
            ),
        )
    return facts


def laureate_facts(
    programme: Programme, *, region: str | None = None, departement: str | None = None
) -> list[LaureateFacts]:
    qs = laureates_qs(programme, region=region, departement=departement)
    return list(facts_by_pk(qs).values())


# No imported list (laureates, ORT) carries the recruitment of project managers: the figure
# comes only from dates entered in the registry (edit form, API, admin). Without any, it is
# "non disponible", never 0.
CHEF_SOURCE = "dates saisies dans le registre (aucune liste importée ne porte cette information)"
CHEF_MISSING = "non disponible : aucune source chargée ne porte le recrutement des chefs de projet"


def chef_known(programme: Programme) -> bool:
    """Whether any source gave a project manager's recruitment date for the programme."""
    return Laureat.objects.filter(programme=programme, date_chef_projet__isnull=False).exists()


def datasets_of(programme: Programme) -> list[Dataset]:
    """Where the figures come from: the laureate list, the ORT sheet, the referential."""
    out = []
    if programme.dataset_id:
        out.append(programme.dataset)
    ort = Dataset.objects.filter(key="programme-ort").first()
    if ort is not None:
        out.append(ort)
    ref = referential_dataset()
    if ref is not None:
        out.append(ref)
    return out


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
    from pvd.programme.figures_check import registry_of

    registry = registry_of(programme)
    return [v for s in statements if s.strip() for v in claims.check_text(s, registry).verdicts]


def verdict_dict(v: claims.Verdict) -> dict:
    return claims.verdict_dict(v)


# Names of :mod:`pvd.programme.dashboards` served from this module (it imports this one, so
# they are looked up lazily: either module may be imported first).
DASHBOARD_NAMES = frozenset(
    {
        "BreakdownRow",
        "Dashboard",
        "MEASURES",
        "Scope",
        "breakdown",
        "dashboard_programme",
        "dashboard",
        "departements_breakdown",
        "map_rows",
        "measure_value",
        "registry_version",
        "scope_for",
    }
)


def __getattr__(name: str):
    if name in DASHBOARD_NAMES:
        from pvd.programme import dashboards

        return getattr(dashboards, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
