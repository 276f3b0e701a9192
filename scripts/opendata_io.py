"""Deterministic writers of the open-data snapshot (shared by build_opendata.py and
opendata_geo.py): gzip with mtime 0 and no file name, level 9, UTF-8, LF line endings, so that
rebuilding from the same shared files gives the same bytes."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

LICENCE = "Licence Ouverte 2.0 (Etalab)"


def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def gzip_bytes(raw: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as f:
        f.write(raw)
    return buffer.getvalue()


def write_gz(out: Path, relative: str, raw: bytes) -> tuple[str, str]:
    """Write ``raw`` gzipped at ``out/relative``; returns (relative, sha256 of the written bytes)."""
    target = out / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    data = gzip_bytes(raw)
    target.write_bytes(data)
    return relative, hashlib.sha256(data).hexdigest()


def csv_bytes(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, delimiter: str = ","
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def geojson_bytes(features: list[dict]) -> bytes:
    """A FeatureCollection, one feature per line, keys in a fixed order."""
    lines = [
        json.dumps(f, ensure_ascii=False, separators=(",", ":"), sort_keys=True) for f in features
    ]
    return ('{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n").encode(
        "utf-8"
    )


def entry(
    *,
    file: str,
    sha256: str,
    rows: int,
    title: str,
    publisher: str,
    vintage: str,
    url: str,
    inputs: list[tuple[str, Path]],
    notes: str = "",
    licence: str = LICENCE,
    **extra: object,
) -> dict:
    """One manifest entry (the shared contract's fields, then product-specific ones)."""
    return {
        "file": file,
        "sha256": sha256,
        "rows": rows,
        "title": title,
        "publisher": publisher,
        "vintage": vintage,
        "licence": licence,
        "url": url,
        "inputs": [{"path": rel, "sha256": sha256_file(path)} for rel, path in inputs],
        "notes": notes,
        **extra,
    }


def snapshot_geography(snapshot_dir: Path | None = None):
    """The repository's current geography, read from the embedded referential (COG communes,
    communes déléguées, arrondissements and former codes), with :mod:`pvd.domain.geography`."""
    from pvd.domain.geography import geography_of
    from pvd.sources.snapshot import read_former_codes

    base = Path(snapshot_dir or Path(__file__).resolve().parent.parent / "src/pvd/data/snapshot")
    with gzip.open(base / "communes.csv.gz", "rt", encoding="utf-8") as f:
        rows = [(r["code"], r["type"], r["parent"] or None) for r in csv.DictReader(f)]
    return geography_of(rows, read_former_codes(base))
