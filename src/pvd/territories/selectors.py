"""Reads of the territorial referential, shaped for pages, API and CLI."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Max, Q, Sum

from pvd import caching
from pvd.domain.search import STATE_VERSION, Entry, Hit, SearchIndex
from pvd.territories import selectors_pages
from pvd.territories.models import EPCI, Commune, Dataset, Departement, Population, Region

# The search index: one per process and data version (ProcessMemo), loaded from the shared
# cache, where the first process that needed it stored it (``SearchIndex.state()``, a few
# strings: milliseconds to load), built from the database only when no process has.
_index_memo: caching.ProcessMemo[SearchIndex] = caching.ProcessMemo("search-index", size=2)
_names_memo: caching.ProcessMemo[dict[str, str]] = caching.ProcessMemo("departements", size=2)
# The last index loaded, by what it was built from: a moved data version whose rows did not move
# (a cache clear) reuses it.
_last_memo: caching.ProcessMemo[SearchIndex] = caching.ProcessMemo(
    "search-index-last", size=1, versioned=False
)


def _referential_fingerprint() -> tuple:
    """What the index was built from, read when the data version changed only: the datasets'
    latest load and the number of communes (a restored or rolled-back database that kept the
    data version is not served the index of other rows)."""
    loaded = Dataset.objects.aggregate(v=Max("loaded_at"), n=Count("id"))
    return str(loaded["v"]), loaded["n"], Commune.objects.count()


def _database() -> str:
    s = connection.settings_dict
    return f"{s['ENGINE']}|{s.get('HOST') or ''}|{s.get('PORT') or ''}|{s['NAME']}"


def _build_index() -> SearchIndex:
    rows = Commune.objects.values_list(
        "code", "type", "nom", "departement_id", "population", "codes_postaux",
        "parent__code", "parent__nom",
    )
    return SearchIndex([
        Entry(code=c, type=t, nom=n, departement=d, population=p or 0,
              codes_postaux=tuple(cp or ()), parent_code=pc or "", parent_nom=pn or "")
        for c, t, n, d, p, cp, pc, pn in rows.iterator(chunk_size=5000)
    ])


def _load_index() -> SearchIndex:
    fingerprint = (_database(), *_referential_fingerprint())
    return _last_memo.get("index", lambda: _index_of(fingerprint), token=fingerprint)


def _index_of(fingerprint: tuple) -> SearchIndex:
    built: list[SearchIndex] = []

    def build_state() -> dict:
        built.append(_build_index())
        return built[0].state()

    if caching.data_version() == caching.UNCACHED:  # PVD_CACHE=none: nothing shared between processes
        index = _build_index()
    else:
        state = caching.shared(("search-index", STATE_VERSION, *fingerprint), build_state)
        index = built[0] if built else SearchIndex.from_state(state)
    return index


def search_index() -> SearchIndex:
    """The search index of the current data (see ``_index_memo``)."""
    if caching.data_version() == caching.UNCACHED:  # PVD_CACHE=none: no version, read the fingerprint
        return _load_index()
    return _index_memo.get(_database(), _load_index)


def communes_search(*, query: str, limit: int = 20) -> list[Hit]:
    return search_index().search(query, limit=limit)


def commune_get(*, code: str) -> Commune | None:
    """The commune (COM) or municipal arrondissement (ARM) with this code, with its
    department, region, arrondissement, EPCI and parent (selectors_pages: prebuilt SQL and the
    referential's small tables kept per process)."""
    return selectors_pages.commune_get(code=code)


def commune_com_get(*, code: str) -> Commune | None:
    """The commune (COM, not an arrondissement) with this code, as ``commune_get``."""
    return selectors_pages.commune_get(code=code, arrondissements=False)


def commune_populations(*, commune: Commune) -> list[Population]:
    """The commune's legal populations by vintage, each with its dataset."""
    return selectors_pages.commune_populations(commune=commune)


def epci_members(*, epci: EPCI) -> list[Commune]:
    """The communes (COM) of an EPCI, largest first, each with its department."""
    return selectors_pages.epci_members(epci=epci)


def epci_millesimes(*, epci: EPCI) -> list[int]:
    """``population_millesimes`` of the communes of an EPCI (its members), in one query."""
    return selectors_pages.epci_millesimes(epci=epci)


def epci_members_millesimes(*, epci: EPCI) -> tuple[list[Commune], list[int]]:
    """``epci_members`` and ``epci_millesimes`` of an EPCI, in one query."""
    return selectors_pages.epci_members_millesimes(epci=epci)


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
    return selectors_pages.commune_subdivisions(commune=commune)


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


_referential_memo: caching.ProcessMemo = caching.ProcessMemo("referential-dataset", size=2)


def referential_dataset() -> Dataset | None:
    """The dataset the referential (codes, names, populations) was loaded from (kept per
    process and data version: the source line of every commune page and search)."""
    from pvd.territories.services import SNAPSHOT_DATASET

    return _referential_memo.get(SNAPSHOT_DATASET, lambda: dataset_get(key=SNAPSHOT_DATASET))


def departement_names() -> dict[str, str]:
    """Department code -> name (for labelling search hits, which carry only the code); kept
    per process and data version (a search request reads no table)."""
    return _names_memo.get(
        _database(), lambda: dict(Departement.objects.values_list("code", "nom"))
    )


def subdivision_get(*, code: str) -> Commune | None:
    """A commune déléguée or associée with this code (they have no page of their own)."""
    return (
        Commune.objects.select_related("parent")
        .filter(code=code, type__in=(Commune.Type.COMD, Commune.Type.COMA))
        .exclude(parent=None)
        .first()
    )
