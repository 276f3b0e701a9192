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
        tables[name] = list(csv.DictReader(io.StringIO(text)))
    return Snapshot(manifest=manifest, tables=tables)
