"""The current communes an import places its file's codes on: what the registry shows of each
(:class:`CommuneInfo`) and the one current geography (former codes, merged communes). Read by the
import pipeline (:mod:`pvd.programme.pipeline`); also served from :mod:`pvd.programme.services`
as ``_geography``."""

from __future__ import annotations

from dataclasses import dataclass

from pvd.domain.rebase import CurrentGeography
from pvd.territories.current_geography import current_geography
from pvd.territories.models import Commune


@dataclass(frozen=True)
class CommuneInfo:
    pk: int
    code: str
    nom: str
    departement: str
    region: str
    epci: str | None
    population: int | None = None


def current_communes() -> tuple[dict[str, CommuneInfo], CurrentGeography]:
    """Current communes with what the registry shows of them, and the one current geography
    (:mod:`pvd.territories.current_geography`) to place the file's codes."""
    geo = current_geography()
    current: dict[str, CommuneInfo] = {}
    rows = Commune.objects.filter(type=Commune.Type.COM).values_list(
        "pk", "code", "nom", "departement_id", "region_id", "epci_id", "population"
    )
    for pk, code, nom, dep, reg, epci, pop in rows.iterator(chunk_size=5000):
        if code in geo.actual:
            current[code] = CommuneInfo(pk, code, nom, dep, reg, epci, pop)
    return current, geo
