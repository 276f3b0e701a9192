"""Reads of the registry that the dashboards, the published-figures check and the lists share:
the programme, the active laureates and their plain facts, the project managers' source and the
datasets the figures come from. Below :mod:`pvd.programme.dashboards` and
:mod:`pvd.programme.figures_check`, which import it; :mod:`pvd.programme.selectors` serves these
names too."""

from __future__ import annotations

from django.db.models import Count, Max, Q, QuerySet

from pvd.domain.programme import LaureateFacts
from pvd.programme.coverage import FACT_LOOKUPS, facts_from, ort_coverage
from pvd.programme.models import Changement, Laureat, ListeImportee, Ort, Programme
from pvd.programme.territory_totals import _referential_version
from pvd.territories.models import Dataset
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


def registry_version(programme: Programme) -> tuple:
    """Changes whenever the registry or the referential changes (every write of the registry
    touches ``updated_at`` or leaves a ``Changement``): four cheap queries (aggregates, the
    latest change, the referential's latest load and commune count)."""
    agg = Laureat.objects.filter(programme=programme).aggregate(n=Count("pk"), u=Max("updated_at"))
    last = Changement.objects.order_by("-pk").values_list("pk", flat=True).first()
    lists = ListeImportee.objects.aggregate(n=Count("pk"), m=Max("pk"))
    return (
        programme.pk,
        programme.dataset_id,
        agg["n"],
        agg["u"],
        last,
        lists["n"],
        lists["m"],
        _referential_version(),
    )
