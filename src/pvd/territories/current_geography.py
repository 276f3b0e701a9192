"""The one reader of the current geography, used by every import and build: indicator sources
(diagnostics), BPE centrality (selection), programme registry imports and legal populations.

It reads the referential's communes (types COM, COMD, COMA, ARM and their parents, as the
snapshot or the last COG import left them) and the embedded history of former codes; the rules
that decide where a code lands are in :mod:`pvd.domain.geography` (documented there).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings

from pvd.domain.geography import CurrentGeography, geography_of
from pvd.sources.snapshot import FORMER_CODES_FILE, REBASE_REPORT_FILE, read_former_codes
from pvd.territories.models import Commune

__all__ = ["FORMER_CODES_FILE", "REBASE_REPORT_FILE", "current_geography", "snapshot_former_codes"]


def current_geography() -> CurrentGeography:
    """The geography in force: current communes, communes déléguées/associées and municipal
    arrondissements with their parent, and the former codes of merged communes (rules in
    :func:`pvd.domain.geography.geography_of`)."""
    rows = list(Commune.objects.values_list("code", "type", "parent__code"))
    return geography_of(rows, snapshot_former_codes())


def snapshot_former_codes(directory: Path | None = None) -> dict[str, str]:
    """Old code -> commune code, from the embedded snapshot (checked against its manifest):
    the ``anciensCodes`` of the current vintage and the merges of the population re-basing."""
    directory = Path(directory or settings.SNAPSHOT_DIR)
    stamps = tuple(
        (p.name, p.stat().st_mtime_ns if p.exists() else 0)
        for p in (directory / FORMER_CODES_FILE, directory / REBASE_REPORT_FILE)
    )
    return dict(_former_codes(str(directory), stamps))


@lru_cache(maxsize=4)
def _former_codes(directory: str, stamps: tuple) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(read_former_codes(Path(directory)).items()))
