"""The one reader of the current geography, used by every import and build: indicator sources
(diagnostics), BPE centrality (selection), programme registry imports and legal populations.

It reads the referential's communes (types COM, COMD, COMA, ARM and their parents, as the
snapshot or the last COG import left them) and the embedded history of former codes; the rules
that decide where a code lands are in :mod:`pvd.domain.geography` (documented there).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from pvd.domain.geography import CurrentGeography
from pvd.sources.report import SourceError
from pvd.territories.models import Commune

FORMER_CODES_FILE = "anciens-codes.csv.gz"  # every former code the current COG knows
REBASE_REPORT_FILE = "rebase-report.csv.gz"  # moves applied to the embedded population series


def current_geography() -> CurrentGeography:
    """The geography in force: current communes, communes déléguées/associées and municipal
    arrondissements with their parent, and the former codes of merged communes.

    A COM row whose code is also a commune déléguée/associée of *another* commune is a former
    commune kept by a COG import because figures refer to it: it is not a current commune.
    """
    rows = list(Commune.objects.values_list("code", "type", "parent__code"))
    delegated = {
        code: parent
        for code, kind, parent in rows
        if kind in (Commune.Type.COMD, Commune.Type.COMA) and parent and parent != code
    }
    arrondissements = {
        code: parent for code, kind, parent in rows if kind == Commune.Type.ARM and parent
    }
    actual = frozenset(
        code for code, kind, _ in rows if kind == Commune.Type.COM and code not in delegated
    )
    former = {
        old: new
        for old, new in snapshot_former_codes().items()
        if old not in actual and old not in arrondissements
    }
    return CurrentGeography(
        actual=actual,
        former_codes=former,
        delegated_parent=delegated,
        arrondissements=arrondissements,
    )


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
    base = Path(directory)
    manifest_path = base / "manifest.json"
    expected = json.loads(manifest_path.read_text())["files"] if manifest_path.exists() else {}
    former: dict[str, str] = {}
    for name, old_key, new_key in (
        (REBASE_REPORT_FILE, "code_ancien", "code_actuel"),
        (FORMER_CODES_FILE, "code_ancien", "code_actuel"),
    ):
        path = base / name
        if not path.exists():
            continue
        raw = path.read_bytes()
        if expected.get(name) and hashlib.sha256(raw).hexdigest() != expected[name]:
            raise SourceError(str(path), "somme de contrôle différente du manifeste")
        with gzip.open(io.BytesIO(raw), "rt", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                old, new = row.get(old_key, ""), row.get(new_key, "")
                if old and new and old != new and row.get("nature", "fusion") == "fusion":
                    former[old] = new
    return tuple(sorted(former.items()))
