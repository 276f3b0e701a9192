"""Reads of the territorial referential, shaped for pages, API and CLI."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.db.models import Count, Max, Q, Sum

from pvd.domain.search import Entry, Hit, SearchIndex
from pvd.territories.models import EPCI, Commune, Dataset, Departement, Population, Region

_index_lock = threading.Lock()
_index: tuple[object, SearchIndex] | None = None


def _data_version() -> object:
    """Changes whenever a dataset is (re)loaded: the search index is rebuilt then."""
    return Dataset.objects.aggregate(v=Max("loaded_at"), n=Count("id"))["v"], Commune.objects.count()


def search_index() -> SearchIndex:
    """The process-wide search index, rebuilt when the referential changed."""
    global _index
    version = _data_version()
    if _index is not None and _index[0] == version:
        return _index[1]
    with _index_lock:
        if _index is not None and _index[0] == version:
            return _index[1]
        rows = Commune.objects.values_list(
            "code", "type", "nom", "departement_id", "population", "codes_postaux",
            "parent__code", "parent__nom",
        )
        entries = [
            Entry(code=c, type=t, nom=n, departement=d, population=p or 0,
                  codes_postaux=tuple(cp or ()), parent_code=pc or "", parent_nom=pn or "")
            for c, t, n, d, p, cp, pc, pn in rows.iterator(chunk_size=5000)
        ]
        _index = (version, SearchIndex(entries))
        return _index[1]


def communes_search(*, query: str, limit: int = 20) -> list[Hit]:
    return search_index().search(query, limit=limit)


def commune_get(*, code: str) -> Commune | None:
    """The commune (COM) or municipal arrondissement (ARM) with this code."""
    return (
        Commune.objects.select_related("departement", "region", "epci", "arrondissement", "parent")
        .filter(code=code, type__in=(Commune.Type.COM, Commune.Type.ARM))
        .order_by("type")  # ARM < COM alphabetically, codes never collide between them
        .first()
    )


def commune_populations(*, commune: Commune) -> list[Population]:
    return list(commune.populations.select_related("dataset").order_by("millesime"))


def epci_members(*, epci: EPCI) -> list[Commune]:
    return list(
        epci.communes.filter(type=Commune.Type.COM)
        .select_related("departement")
        .order_by("-population", "nom")
    )


@dataclass(frozen=True)
class TerritorySummary:
    communes: int
    population: int


def communes_of(*, departement: Departement | None = None, region: Region | None = None,
                sort: str = "nom"):
    """Communes (COM only) of a department or a region, sorted by one of SORTS."""
    qs = Commune.objects.filter(type=Commune.Type.COM).select_related("departement", "epci")
    if departement is not None:
        qs = qs.filter(departement=departement)
    if region is not None:
        qs = qs.filter(region=region)
    return qs.order_by(*SORTS.get(sort, SORTS["nom"]))


SORTS = {
    "nom": ("nom", "code"),
    "-nom": ("-nom", "-code"),
    "code": ("code",),
    "-code": ("-code",),
    "population": ("population", "nom"),
    "-population": ("-population", "nom"),
}


def summary(qs) -> TerritorySummary:
    agg = qs.aggregate(n=Count("pk"), p=Sum("population"))
    return TerritorySummary(communes=agg["n"] or 0, population=agg["p"] or 0)


def dataset_get(*, key: str) -> Dataset | None:
    return Dataset.objects.filter(key=key).first()


# --- Additions for the web pages and the API (departments, regions, EPCI, sources) ---

_COM = Q(communes__type=Commune.Type.COM)


def departements_list(*, region: Region | None = None) -> list[Departement]:
    """Departments with ``nb_communes`` and ``population_totale`` (latest legal populations)."""
    qs = Departement.objects.select_related("region").annotate(
        nb_communes=Count("communes", filter=_COM),
        population_totale=Sum("communes__population", filter=_COM),
    )
    if region is not None:
        qs = qs.filter(region=region)
    return list(qs.order_by("code"))


def departement_get(*, code: str) -> Departement | None:
    return Departement.objects.select_related("region").filter(code=code).first()


def regions_list() -> list[Region]:
    """Regions with ``nb_communes`` and ``population_totale`` (latest legal populations)."""
    return list(
        Region.objects.annotate(
            nb_communes=Count("communes", filter=_COM),
            population_totale=Sum("communes__population", filter=_COM),
        ).order_by("code")
    )


def region_get(*, code: str) -> Region | None:
    return Region.objects.filter(code=code).first()


def epci_get(*, siren: str) -> EPCI | None:
    return EPCI.objects.filter(siren=siren).first()


def commune_subdivisions(*, commune: Commune) -> list[Commune]:
    """Communes déléguées, associées and municipal arrondissements attached to a commune."""
    return list(commune.subdivisions.order_by("type", "code", "nom"))


def population_millesimes(communes) -> list[int]:
    """Distinct vintages of the latest legal populations of ``communes`` (a queryset or list).

    Usually one year; several when a territory mixes census calendars (Mayotte: 2017)."""
    if hasattr(communes, "values"):
        ids = communes.order_by().values("pk")
    else:
        ids = [c.pk for c in communes]
    latest = (
        Population.objects.filter(commune__in=ids)
        .order_by()
        .values("commune")
        .annotate(m=Max("millesime"))
        .values_list("m", flat=True)
    )
    return sorted(set(latest))


def population_millesimes_by(*, field: str) -> dict[str, list[int]]:
    """``population_millesimes`` for every department (``field="departement"``) or region."""
    if field not in ("departement", "region"):
        raise ValueError(f"unknown grouping field: {field}")
    rows = (
        Population.objects.filter(commune__type=Commune.Type.COM)
        .order_by()
        .values("commune", f"commune__{field}_id")
        .annotate(m=Max("millesime"))
        .values_list(f"commune__{field}_id", "m")
    )
    found: dict[str, set[int]] = {}
    for key, year in rows:
        found.setdefault(key, set()).add(year)
    return {key: sorted(years) for key, years in found.items()}


def referential_dataset() -> Dataset | None:
    """The dataset the referential (codes, names, populations) was loaded from."""
    from pvd.territories.services import SNAPSHOT_DATASET

    return dataset_get(key=SNAPSHOT_DATASET)


def departement_names() -> dict[str, str]:
    """Department code -> name (for labelling search hits, which carry only the code)."""
    return dict(Departement.objects.values_list("code", "nom"))


def subdivision_get(*, code: str) -> Commune | None:
    """A commune déléguée or associée with this code (they have no page of their own)."""
    return (
        Commune.objects.select_related("parent")
        .filter(code=code, type__in=(Commune.Type.COMD, Commune.Type.COMA))
        .exclude(parent=None)
        .first()
    )
