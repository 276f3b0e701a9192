"""The referential's reads on the hot path of a cold commune page or portrait (issue 17).

- The small tables (26 regions, 109 departments, 333 arrondissements, 1,255 EPCI, the
  datasets, the ids of the communes with subdivisions) are read once per process and data
  version (``pvd.caching.ProcessMemo``) into dicts of model instances; a commune gets its
  department, region, arrondissement and EPCI from them (the descriptors' caches, as
  ``select_related`` fills them) instead of five joins.
- The per-commune queries (the commune, its populations, subdivisions, EPCI members and their
  vintages) are :class:`~pvd.territories.selectors_sql.Prepared`: compiled by Django once,
  run with bound parameters.

The instances are those the ORM returns (``Model.from_db``), with the same fields; shared
instances (departments, regions...) are read-only for their users (pages, bodies).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Max, OuterRef, Subquery

from pvd import caching
from pvd.territories.models import (
    EPCI,
    Arrondissement,
    Commune,
    Dataset,
    Departement,
    Population,
    Region,
)
from pvd.territories.selectors_sql import Prepared

COMMUNE_FIELDS = tuple(f.attname for f in Commune._meta.concrete_fields)
POPULATION_FIELDS = tuple(f.attname for f in Population._meta.concrete_fields)


@dataclass(frozen=True)
class Tables:
    regions: dict[str, Region]
    departements: dict[str, Departement]  # each with its region attached
    arrondissements: dict[str, Arrondissement]
    epcis: dict[str, EPCI]
    datasets: dict[int, Dataset]
    parents: frozenset[int]  # ids of the communes with subdivisions (940 in the embedded data)


_tables: caching.ProcessMemo[Tables] = caching.ProcessMemo("referential-tables", size=2)


def _read_tables() -> Tables:
    regions = {r.code: r for r in Region.objects.all()}
    departements = {}
    for d in Departement.objects.all():
        d.region = regions[d.region_id]
        departements[d.code] = d
    return Tables(
        regions=regions,
        departements=departements,
        arrondissements={a.code: a for a in Arrondissement.objects.all()},
        epcis={e.siren: e for e in EPCI.objects.all()},
        datasets={d.pk: d for d in Dataset.objects.all()},
        parents=frozenset(
            Commune.objects.filter(parent__isnull=False)
            .order_by()
            .values_list("parent_id", flat=True)
            .distinct()
        ),
    )


def tables() -> Tables:
    """The referential's small tables of the current data version (per process)."""
    return _tables.get(caching.database_key(), _read_tables)


# The relations' caches, filled as select_related fills them (the ids are the row's).
_CACHES = {name: Commune._meta.get_field(name) for name in (
    "departement", "region", "arrondissement", "epci", "parent"
)}


def _commune_of(row: tuple, t: Tables, *, related: bool = True) -> Commune:
    """A Commune from a row of COMMUNE_FIELDS, its department (and, with ``related``, region,
    arrondissement and EPCI) attached from the tables (a relation missing from them, which an
    import would have announced by a new data version, is left to the ORM's lazy read)."""
    commune = Commune.from_db(connection.alias, COMMUNE_FIELDS, row)
    pairs = [("departement", t.departements, commune.departement_id)]
    if related:
        pairs += [
            ("region", t.regions, commune.region_id),
            ("arrondissement", t.arrondissements, commune.arrondissement_id),
            ("epci", t.epcis, commune.epci_id),
        ]
    for name, table, key in pairs:
        if key is not None and key in table:
            _CACHES[name].set_cached_value(commune, table[key])
    return commune


_COMMUNE = Prepared(
    lambda code, com, arm: Commune.objects.filter(code=code, type__in=(com, arm))
    .order_by("type")  # ARM < COM alphabetically, codes never collide between them
    .values_list(*COMMUNE_FIELDS)[:1]
)
_COM = Prepared(
    lambda code, com: Commune.objects.filter(code=code, type=com).values_list(*COMMUNE_FIELDS)[:1]
)
_BY_PK = Prepared(lambda pk: Commune.objects.filter(pk=pk).values_list(*COMMUNE_FIELDS))


def commune_get(*, code: str, arrondissements: bool = True) -> Commune | None:
    """The commune (COM), or municipal arrondissement (ARM) with ``arrondissements``, with this
    code: its department, region, arrondissement, EPCI and parent attached."""
    if arrondissements:
        rows = _COMMUNE.run(code, Commune.Type.COM.value, Commune.Type.ARM.value)
    else:
        rows = _COM.run(code, Commune.Type.COM.value)
    if not rows:
        return None
    t = tables()
    commune = _commune_of(rows[0], t)
    parent = None
    if commune.parent_id is not None:
        parents = _BY_PK.run(commune.parent_id)
        parent = _commune_of(parents[0], t) if parents else None
    _CACHES["parent"].set_cached_value(commune, parent)
    return commune


_POPULATIONS = Prepared(
    lambda commune: Population.objects.filter(commune_id=commune)
    .order_by("millesime")
    .values_list(*POPULATION_FIELDS)
)


def commune_populations(*, commune: Commune) -> list[Population]:
    """The commune's legal populations by vintage, each with its dataset."""
    datasets = tables().datasets
    out = []
    for row in _POPULATIONS.run(commune.pk):
        population = Population.from_db(connection.alias, POPULATION_FIELDS, row)
        dataset = datasets.get(population.dataset_id)
        if dataset is None:  # a dataset loaded after the tables were read: the ORM's way
            dataset = Dataset.objects.get(pk=population.dataset_id)
        population.dataset = dataset
        out.append(population)
    return out


_SUBDIVISIONS = Prepared(
    lambda parent: Commune.objects.filter(parent_id=parent)
    .order_by("type", "code", "nom")
    .values_list(*COMMUNE_FIELDS)
)


def commune_subdivisions(*, commune: Commune) -> list[Commune]:
    """Communes déléguées, associées and municipal arrondissements attached to a commune (no
    query for a commune without any: most of them)."""
    if commune.pk not in tables().parents:
        return []
    alias = connection.alias
    return [Commune.from_db(alias, COMMUNE_FIELDS, row) for row in _SUBDIVISIONS.run(commune.pk)]


_MEMBERS = Prepared(
    lambda epci, com: Commune.objects.filter(epci_id=epci, type=com)
    .order_by("-population", "nom")
    .values_list(*COMMUNE_FIELDS)
)


def epci_members(*, epci: EPCI) -> list[Commune]:
    """The communes (COM) of an EPCI, largest first, each with its department."""
    t = tables()
    rows = _MEMBERS.run(epci.pk, Commune.Type.COM.value)
    return [_commune_of(row, t, related=False) for row in rows]


_MEMBERS_MILLESIMES = Prepared(
    lambda epci, com: Population.objects.filter(commune__epci_id=epci, commune__type=com)
    .order_by()
    .values("commune")
    .annotate(m=Max("millesime"))
    .values_list("m")
)


def epci_millesimes(*, epci: EPCI) -> list[int]:
    """``population_millesimes`` of the EPCI's communes (COM), in one query."""
    return sorted({m for (m,) in _MEMBERS_MILLESIMES.run(epci.pk, Commune.Type.COM.value)})


# The members with the vintage of each one's latest population, in one query (the commune page
# shows both: the members' table and the vintages of their populations).
_MEMBERS_LATEST = Prepared(
    lambda epci, com: Commune.objects.filter(epci_id=epci, type=com)
    .annotate(
        latest=Subquery(
            Population.objects.filter(commune_id=OuterRef("pk"))
            .order_by("-millesime")
            .values("millesime")[:1]
        )
    )
    .order_by("-population", "nom")
    .values_list(*COMMUNE_FIELDS, "latest")
)


def epci_members_millesimes(*, epci: EPCI) -> tuple[list[Commune], list[int]]:
    """``epci_members`` and ``epci_millesimes`` of an EPCI, in one query."""
    t = tables()
    rows = _MEMBERS_LATEST.run(epci.pk, Commune.Type.COM.value)
    members = [_commune_of(row[:-1], t, related=False) for row in rows]
    return members, sorted({row[-1] for row in rows if row[-1] is not None})
