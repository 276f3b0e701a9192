"""The scope of a dashboard (France, a region, a department) and the programme of its URL,
read once per process and data version (:mod:`pvd.caching`): their two ORM queries were a third
of the time of a dashboard served from the shared cache. The objects are shared by the requests
of a process: read them, never change them."""

from __future__ import annotations

from dataclasses import dataclass

from pvd import caching
from pvd.programme.models import Programme
from pvd.programme.registry_reads import programme_get
from pvd.territories.models import Departement, Region


@dataclass(frozen=True)
class Scope:
    level: str  # "france", "region", "departement"
    code: str | None = None
    nom: str = "France"
    region: Region | None = None
    departement: Departement | None = None

    @property
    def child_level(self) -> str:
        return {"france": "region", "region": "departement", "departement": "commune"}[self.level]


_lookups: caching.ProcessMemo = caching.ProcessMemo("dashboard-lookups", size=512)


def dashboard_programme(slug: str) -> Programme | None:
    """The programme ``slug`` (None when there is none)."""
    return _lookups.get(("programme", slug), lambda: programme_get(slug=slug))


def scope_for(*, region: str | None = None, departement: str | None = None) -> Scope | None:
    """The dashboard scope, or None when the code is unknown."""
    key = ("scope", region or None, departement or None)
    return _lookups.get(key, lambda: _scope_for(region=region, departement=departement))


def _scope_for(*, region: str | None, departement: str | None) -> Scope | None:
    if departement:
        d = Departement.objects.select_related("region").filter(code=departement).first()
        return Scope("departement", d.code, d.nom, d.region, d) if d else None
    if region:
        r = Region.objects.filter(code=region).first()
        return Scope("region", r.code, r.nom, r) if r else None
    return Scope("france")
