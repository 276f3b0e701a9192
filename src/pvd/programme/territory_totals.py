"""Names, populations and commune counts of every department, region and France, kept in each
process for one data version (:mod:`pvd.caching`). The lowest of the registry's reads: the
coverage, the laureates' facts, the dashboards and the published-figures check read them (also
served from :mod:`pvd.programme.selectors`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Sum

from pvd import caching
from pvd.domain import claims
from pvd.territories.models import Commune, Departement, Region
from pvd.territories.selectors import referential_dataset


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
