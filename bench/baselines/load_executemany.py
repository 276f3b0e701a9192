#!/usr/bin/env python
"""Bare baseline of `pvd data load --referentiel`: the same rows from the same embedded snapshot
(each file checked against the manifest's SHA-256, gzip CSV read with the csv module) written
with sqlite3 ``executemany`` in one transaction into an empty, migrated SQLite database.

No Django, no change detection, no report: the floor the platform's load is compared with.
Usage: load_executemany.py SNAPSHOT_DIR DATABASE_FILE
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import sqlite3
import sys
from pathlib import Path


def read(directory: Path, name: str, expected: dict) -> list[dict]:
    raw = (directory / f"{name}.csv.gz").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == expected[f"{name}.csv.gz"], name
    reader = csv.reader(io.StringIO(gzip.decompress(raw).decode("utf-8")))
    header = next(reader)
    return [dict(zip(header, row, strict=True)) for row in reader]


def main(directory: Path, database: str) -> None:
    files = json.loads((directory / "manifest.json").read_text())["files"]
    t = {n: read(directory, n, files) for n in (
        "regions", "departements", "arrondissements", "epci", "communes", "populations"
    )}  # fmt: skip
    latest: dict[str, tuple[int, int]] = {}
    for r in t["populations"]:
        year = int(r["millesime"])
        if r["code"] not in latest or year > latest[r["code"]][0]:
            latest[r["code"]] = (year, int(r["population"]))
    db = sqlite3.connect(database)
    with db:
        db.execute(
            "INSERT INTO territories_dataset (key, title, publisher, licence, url, vintage,"
            " version, checksum, loaded_at, details) VALUES ('referentiel-territorial', 'x',"
            " 'x', 'x', '', 'x', '', '', datetime('now'), '{}')"
        )
        dataset = db.execute("SELECT last_insert_rowid()").fetchone()[0]
        db.executemany(
            "INSERT INTO territories_region (code, nom, chef_lieu, zone) VALUES (?, ?, ?, ?)",
            [(r["code"], r["nom"], r["chef_lieu"], r["zone"]) for r in t["regions"]],
        )
        db.executemany(
            "INSERT INTO territories_departement (code, nom, region_id, chef_lieu, zone)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (r["code"], r["nom"], r["region"], r["chef_lieu"], r["zone"])
                for r in t["departements"]
            ],
        )
        db.executemany(
            "INSERT INTO territories_arrondissement (code, nom, departement_id, chef_lieu)"
            " VALUES (?, ?, ?, ?)",
            [(r["code"], r["nom"], r["departement"], r["chef_lieu"]) for r in t["arrondissements"]],
        )
        db.executemany(
            "INSERT INTO territories_epci (siren, nom, type, mode_financement) VALUES (?, ?, ?, ?)",
            [(r["siren"], r["nom"], r["type"], r["mode_financement"]) for r in t["epci"]],
        )
        db.executemany(
            "INSERT INTO territories_commune (code, type, nom, parent_id, departement_id,"
            " region_id, arrondissement_id, epci_id, siren, codes_postaux, zone, population)"
            " VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    r["code"], r["type"], r["nom"], r["departement"], r["region"],
                    r["arrondissement"] or None, r["epci"] or None, r["siren"],
                    json.dumps(r["codes_postaux"].split()), r["zone"],
                    latest[r["code"]][1] if r["type"] in ("COM", "ARM") and r["code"] in latest
                    else None,
                )
                for r in t["communes"]
            ],
        )  # fmt: skip
        ids = {
            (c, ty): pk
            for pk, c, ty in db.execute("SELECT id, code, type FROM territories_commune")
        }
        db.executemany(
            "UPDATE territories_commune SET parent_id = ? WHERE id = ?",
            [
                (ids[(r["parent"], "COM")], ids[(r["code"], r["type"])])
                for r in t["communes"]
                if r["parent"]
            ],
        )
        db.executemany(
            "INSERT INTO territories_population (commune_id, millesime, population, parts,"
            " dataset_id) VALUES (?, ?, ?, ?, ?)",
            [
                (
                    ids[(r["code"], "ARM") if (r["code"], "ARM") in ids else (r["code"], "COM")],
                    int(r["millesime"]), int(r["population"]), int(r["parties"]), dataset,
                )
                for r in t["populations"]
            ],
        )  # fmt: skip
    db.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
