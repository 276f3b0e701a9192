"""The embedded territorial snapshot (built by scripts/build_snapshot.py).

Contract: gzip CSV files and a manifest.json in ``pvd/data/snapshot``; each file's SHA-256 is in
the manifest and is checked before anything is read. Source: npm @etalab/decoupage-administratif
1.1.1 to 6.0.0 (COG 2021 to 2026), Licence Ouverte 2.0.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

from pvd.sources.report import SourceError

FORMER_CODES_FILE = "anciens-codes.csv.gz"  # every former code the current COG knows
REBASE_REPORT_FILE = "rebase-report.csv.gz"  # moves applied to the embedded population series
TABLES = ("regions", "departements", "arrondissements", "epci", "communes", "populations")


@dataclass(frozen=True)
class Snapshot:
    manifest: dict
    tables: dict[str, list[dict[str, str]]]

    @property
    def checksum(self) -> str:
        """One digest for the whole snapshot: the digest of its files' digests."""
        joined = "".join(f"{k}={v}" for k, v in sorted(self.manifest["files"].items()))
        return hashlib.sha256(joined.encode()).hexdigest()


def read_snapshot(directory: Path) -> Snapshot:
    manifest_path = directory / "manifest.json"
    if not manifest_path.exists():
        raise SourceError(
            str(manifest_path), "manifeste absent : le référentiel embarqué est incomplet"
        )
    manifest = json.loads(manifest_path.read_text())
    tables = {}
    for name in TABLES:
        path = directory / f"{name}.csv.gz"
        raw = path.read_bytes()
        expected = manifest["files"].get(path.name)
        if hashlib.sha256(raw).hexdigest() != expected:
            raise SourceError(str(path), f"somme de contrôle différente du manifeste ({expected})")
        text = gzip.decompress(raw).decode("utf-8")
        reader = csv.reader(io.StringIO(text))
        header = next(reader, [])
        tables[name] = [dict(zip(header, row, strict=True)) for row in reader]
    return Snapshot(manifest=manifest, tables=tables)


def read_former_codes(directory: Path) -> dict[str, str]:
    """Old code -> commune code, from the embedded snapshot (each file checked against its
    manifest): the ``anciensCodes`` of the current vintage and the merges of the population
    re-basing. Pure: used by the referential's reader and by the open-data build."""
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
    return former
