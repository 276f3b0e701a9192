"""A user's territorial scope: what the programme's ``Perimetre`` rows of the user's groups add
up to (national, some regions, some departments), as one value the permissions and the
querysets read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    national: bool = False
    regions: frozenset[str] = frozenset()
    departements: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not (self.national or self.regions or self.departements)

    def covers(self, *, departement_id: str | None, region_id: str | None) -> bool:
        """The scope covers a place of that department and region (a commune, a group)."""
        return (
            self.national
            or (region_id is not None and region_id in self.regions)
            or (departement_id is not None and departement_id in self.departements)
        )

    def q(self, *, departement: str = "departement_id", region: str = "region_id"):
        """The rows the scope covers as a Django ``Q`` over the given fields; ``None`` for a
        national scope (everything). An empty scope gives a ``Q`` matching nothing."""
        from django.db.models import Q

        if self.national:
            return None
        q = Q(pk__in=[])
        if self.regions:
            q |= Q(**{f"{region}__in": sorted(self.regions)})
        if self.departements:
            q |= Q(**{f"{departement}__in": sorted(self.departements)})
        return q


@dataclass(frozen=True)
class Place:
    """A place of the referential by its codes: a commune's or a group's department and region,
    a region (no department) or France (neither)."""

    departement_id: str | None = None
    region_id: str | None = None
