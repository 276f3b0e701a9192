"""What a registry list covers: the regions and departments it speaks for.

A laureate or ORT list is not necessarily national (the shared lists leave out
Auvergne-Rhône-Alpes). Its **coverage** is the set of territories where the list is the
authority: inside it, a commune absent from the list is not a laureate; outside it, the list
says nothing and the registry must show "non couvert", never 0.

Rules (pure Python, no Django):
- inferred at region level: a list with at least one row in a region covers the whole region
  (all its departments), since official lists are published region by region;
- stated by the user with ``--perimetre reg:75,dep:23`` (regions and/or departments), or
  ``national`` for every territory;
- the registry's coverage is the union of the coverages of every list imported for it;
- a region is covered when it is listed, or when every one of its departments is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

NATIONAL = "national"
_TOKEN = re.compile(r"^(reg|region|dep|departement)\s*[:=]\s*(2[AB]|\d{1,3})$", re.IGNORECASE)


class PerimetreError(ValueError):
    """A ``--perimetre`` value that cannot be read (message in French)."""


@dataclass(frozen=True)
class Coverage:
    """Regions and departments covered (``departements`` holds only those stated alone,
    outside the covered regions)."""

    regions: frozenset[str] = frozenset()
    departements: frozenset[str] = frozenset()
    national: bool = False

    @property
    def empty(self) -> bool:
        return not (self.national or self.regions or self.departements)

    def covers_departement(self, departement: str, region: str | None) -> bool:
        return (
            self.national
            or departement in self.departements
            or (region is not None and region in self.regions)
        )

    def covers_region(self, region: str, departements_of_region: Iterable[str] = ()) -> bool:
        if self.national or region in self.regions:
            return True
        deps = list(departements_of_region)
        return bool(deps) and all(d in self.departements for d in deps)

    def covers_commune(self, *, departement: str, region: str) -> bool:
        return self.covers_departement(departement, region)

    def union(self, other: Coverage) -> Coverage:
        return Coverage(
            self.regions | other.regions,
            self.departements | other.departements,
            self.national or other.national,
        )

    def label(self, names_regions: Mapping[str, str] | None = None) -> str:
        """French wording: "national", "régions 75 Nouvelle-Aquitaine, ...; départements 23"."""
        if self.national:
            return "national (toutes les régions)"
        if self.empty:
            return "aucun territoire"
        names = names_regions or {}
        parts = []
        if self.regions:
            regs = ", ".join(f"{c} {names[c]}" if c in names else c for c in sorted(self.regions))
            parts.append(f"{len(self.regions)} région(s) : {regs}")
        if self.departements:
            parts.append(
                f"{len(self.departements)} département(s) : {', '.join(sorted(self.departements))}"
            )
        return " ; ".join(parts)


def infer(territories: Iterable[tuple[str, str]]) -> Coverage:
    """Coverage of a list from the (department, region) of its resolved rows: region level."""
    return Coverage(regions=frozenset(reg for _, reg in territories if reg))


def parse_perimetre(text: str, *, regions: Iterable[str], departements: Iterable[str]) -> Coverage:
    """``"reg:75,dep:23"`` or ``"national"`` → a coverage; unknown codes are refused."""
    raw = (text or "").strip()
    if not raw:
        raise PerimetreError("périmètre vide (exemple : reg:75,dep:23 ou national)")
    if raw.lower() == NATIONAL:
        return Coverage(national=True)
    known_regs, known_deps = set(regions), set(departements)
    regs: set[str] = set()
    deps: set[str] = set()
    for token in (t.strip() for t in re.split(r"[,;\s]+", raw) if t.strip()):
        m = _TOKEN.match(token)
        if not m:
            raise PerimetreError(
                f"élément de périmètre illisible « {token} » (attendu reg:CODE ou dep:CODE)"
            )
        kind, code = m.group(1).lower(), m.group(2).upper().zfill(2)
        if kind.startswith("reg"):
            if code not in known_regs:
                raise PerimetreError(f"région « {code} » inconnue du référentiel")
            regs.add(code)
        else:
            if code not in known_deps:
                raise PerimetreError(f"département « {code} » inconnu du référentiel")
            deps.add(code)
    return Coverage(regions=frozenset(regs), departements=frozenset(deps))


def uncovered_regions(
    coverage: Coverage, region_departements: Mapping[str, Iterable[str]]
) -> list[str]:
    """Codes of the regions the coverage does not (fully) cover, sorted. Only the 18 regions
    (2-digit codes) count: the referential also carries the overseas collectivities
    (Saint-Pierre-et-Miquelon 975 ... Clipperton 989) as pseudo-regions, which the national
    programmes (PVD, ACV) do not include, so no national total "leaves them out"."""
    return sorted(
        code
        for code, deps in region_departements.items()
        if len(code) == 2 and not coverage.covers_region(code, deps)
    )


def exclusion_note(
    coverage: Coverage,
    region_departements: Mapping[str, Iterable[str]],
    names_regions: Mapping[str, str],
) -> str:
    """What a national total leaves out, in French ("" when everything is covered)."""
    if coverage.empty:
        return "aucune liste chargée : aucun territoire couvert"
    missing = uncovered_regions(coverage, region_departements)
    if not missing:
        return ""
    names = ", ".join(names_regions.get(c, c) for c in missing)
    verb = "non couverte" if len(missing) == 1 else "non couvertes"
    return f"hors {names} ({verb} par les listes chargées)"
