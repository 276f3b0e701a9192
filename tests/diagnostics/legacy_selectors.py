"""The ORM selectors of the commune page and the portrait as they were before the prebuilt SQL
and the referential's per-process tables (issue 17), kept for tests/diagnostics/test_fast_selectors.py
only: the pages must print the same bytes with either."""

from __future__ import annotations

from django.db.models import Max

from pvd.territories.models import EPCI, Commune, Population


def commune_get(*, code: str) -> Commune | None:
    return (
        Commune.objects.select_related("departement", "region", "epci", "arrondissement", "parent")
        .filter(code=code, type__in=(Commune.Type.COM, Commune.Type.ARM))
        .order_by("type")
        .first()
    )


def commune_com_get(*, code: str) -> Commune | None:
    return (
        Commune.objects.filter(code=code, type__in=[Commune.Type.COM])
        .select_related("epci", "departement", "region")
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


def commune_subdivisions(*, commune: Commune) -> list[Commune]:
    return list(commune.subdivisions.order_by("type", "code", "nom"))


def population_millesimes(communes) -> list[int]:
    ids = [c.pk for c in communes]
    latest = (
        Population.objects.filter(commune__in=ids)
        .order_by()
        .values("commune")
        .annotate(m=Max("millesime"))
        .values_list("m", flat=True)
    )
    return sorted(set(latest))


def epci_millesimes(*, epci: EPCI) -> list[int]:
    return population_millesimes(epci_members(epci=epci))


def epci_members_millesimes(*, epci: EPCI) -> tuple[list[Commune], list[int]]:
    return epci_members(epci=epci), epci_millesimes(epci=epci)


TERRITORIES = {
    name: globals()[name]
    for name in (
        "commune_get", "commune_com_get", "commune_populations", "epci_members",
        "commune_subdivisions", "epci_millesimes", "epci_members_millesimes",
    )
}


def similar_communes(*, commune: Commune, peers: dict | None = None):
    from pvd.diagnostics.models import TerritoryValues
    from pvd.diagnostics.selectors import PeerRow
    from pvd.domain.indicators.catalogue import get

    if peers is None:
        row = TerritoryValues.objects.filter(level="COM", code=commune.code).only("peers").first()
        peers = row.peers if row else None
    if not peers:
        return []
    communes = {
        c.code: c
        for c in Commune.objects.filter(code__in=peers["c"], type=Commune.Type.COM)
        .select_related("departement")
        .only("code", "type", "nom", "population", "departement__nom")
    }
    return [
        PeerRow(
            commune=communes[code],
            rank=rank,
            distance=distance,
            reasons=[i for i in (get(x) for x in reasons.split(",") if x) if i],
        )
        for rank, (code, distance, reasons) in enumerate(
            zip(peers["c"], peers["d"], peers["r"], strict=True), start=1
        )
        if code in communes
    ]


def similar_with_values(peers: dict | None):
    """The similar towns as ``similar_communes`` and their stored values, in two queries."""
    from pvd.diagnostics.models import TerritoryValues

    rows = similar_communes(commune=None, peers=peers) if peers else []
    codes = [row.commune.code for row in rows]
    values = TerritoryValues.objects.filter(level="COM", code__in=codes).values_list(
        "values", flat=True
    )
    return rows, list(values) if rows else []


def orm_run(prepared, *args) -> list[tuple]:
    """``Prepared.run`` through the ORM: the queryset built with the values, evaluated."""
    if prepared.sizes and not list(args[-1]):
        return []
    return [tuple(row) for row in prepared.build(*args)]
