#!/usr/bin/env python3
"""Build the embedded territorial snapshot from the npm packages @etalab/decoupage-administratif.

Reproducible: the package versions are pinned below (one per COG vintage, 2021 to 2026), each
tarball is fetched with ``npm pack`` (or read from ``--tarballs DIR``), checked against the
registry's integrity hash when npm gives one, and its checksum written to the manifest.

Outputs, in ``src/pvd/data/snapshot/`` (gzip CSV, UTF-8, comma-separated, codes as strings):
  regions, departements, arrondissements, epci, communes (current = newest vintage),
  populations (series re-based onto the current geography), rebase-report, anciens-codes (every
  former code of a merged commune -> current commune), manifest.json.

Population vintages: each package carries the INSEE legal populations of one census vintage,
named by the INSEE page its README links to (table POPULATION_PAGES). Two packages can carry the
same vintage (the 2023 and 2025 packages repeat the previous figures): the newest geography is
kept for each vintage and the duplicate is reported. Mayotte's figures are the 2017 census in
every package (the README says so) and are labelled 2017.

Usage: python scripts/build_snapshot.py [--tarballs DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import re
import subprocess
import sys
import tarfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from pvd.domain.rebase import CurrentGeography, rebase_with_history  # noqa: E402

PACKAGE = "@etalab/decoupage-administratif"
LICENCE = "Licence Ouverte 2.0 (données), MIT (code du paquet)"
PUBLISHER = "Etalab / data.gouv.fr, d'après INSEE (COG, populations légales), DGCL (EPCI), La Poste"


@dataclass(frozen=True)
class Release:
    version: str
    cog: int  # vintage of the geography (COG at 1 January)


RELEASES = [
    Release("1.1.1", 2021),
    Release("2.3.1", 2022),
    Release("3.1.1", 2023),
    Release("4.1.0", 2024),
    Release("5.3.0", 2025),
    Release("6.0.0", 2026),
]

# The last release carrying data/historique-communes.json: INSEE's history of commune events
# from 1943 to COG 2019. Used only to check that the former codes place every commune that
# existed since COVERAGE_SINCE (the snapshot does not embed it).
HISTORY_RELEASE = Release("0.8.0", 2019)
COVERAGE_SINCE = "2013-01-01"

# INSEE publication of legal populations linked from each package README -> census vintage.
POPULATION_PAGES = {
    "6011070": 2019,  # Populations légales 2019, published December 2021
    "6683035": 2020,  # Populations légales 2020, published December 2022
    "8290591": 2022,  # Populations légales 2022, published December 2024
    "8680726": 2023,  # Populations légales 2023, published December 2025
}
MAYOTTE_DEPARTMENT = "976"
MAYOTTE_CENSUS = 2017

TYPE_CODES = {
    "commune-actuelle": "COM",
    "commune-associee": "COMA",
    "commune-deleguee": "COMD",
    "arrondissement-municipal": "ARM",
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fetch_tarball(version: str, cache: Path) -> tuple[Path, str]:
    """Return the tarball path and the registry integrity string ('' when read from disk)."""
    name = f"etalab-decoupage-administratif-{version}.tgz"
    target = cache / name
    if target.exists():
        return target, ""
    cache.mkdir(parents=True, exist_ok=True)
    out = subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{version}", "--json", "--pack-destination", str(cache)],
        check=True,
        capture_output=True,
        text=True,
    )
    info = json.loads(out.stdout)[0]
    integrity = info.get("integrity", "")
    if integrity.startswith("sha512-"):
        import base64

        digest = base64.b64encode(hashlib.sha512(target.read_bytes()).digest()).decode()
        if f"sha512-{digest}" != integrity:
            raise SystemExit(f"{name}: checksum differs from the registry's integrity")
    return target, integrity


def read_package(tarball: Path) -> dict:
    with tarfile.open(tarball) as tar:

        def member(path: str):
            return tar.extractfile(f"package/{path}")

        data = {}
        for key in ("communes", "epci", "departements", "regions", "arrondissements"):
            data[key] = json.load(member(f"data/{key}.json"))
        data["readme"] = member("README.md").read().decode()
    return data


def population_vintage(readme: str, version: str) -> int:
    match = re.search(
        r"\[Population légale\]\(https://www\.insee\.fr/fr/statistiques/(\d+)", readme
    )
    if not match or match.group(1) not in POPULATION_PAGES:
        raise SystemExit(f"{version}: unknown population source in README; extend POPULATION_PAGES")
    return POPULATION_PAGES[match.group(1)]


def write_gz_csv(path: Path, header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    raw = buffer.getvalue().encode("utf-8")
    # mtime=0 and no file name: the same input gives byte-identical output.
    compressed = io.BytesIO()
    with gzip.GzipFile(fileobj=compressed, mode="wb", mtime=0, filename="") as gz:
        gz.write(raw)
    path.write_bytes(compressed.getvalue())
    return hashlib.sha256(path.read_bytes()).hexdigest()


def geography_of(communes: list[dict]) -> tuple[CurrentGeography, dict[str, str]]:
    """The geography of one package (rules of pvd.domain.geography) and its COMD/COMA parents."""
    actual = frozenset(c["code"] for c in communes if c["type"] == "commune-actuelle")
    arrondissements = {
        c["code"]: c["commune"] for c in communes if c["type"] == "arrondissement-municipal"
    }
    former = former_codes_of(communes)
    delegated = {
        c["code"]: c["chefLieu"]
        for c in communes
        if c["type"] in ("commune-deleguee", "commune-associee") and c["code"] not in actual
    }
    return CurrentGeography(actual, former, delegated, arrondissements), delegated


def former_codes_of(communes: list[dict]) -> dict[str, str]:
    """Old code -> current commune, from the ``anciensCodes`` of the current communes (codes
    of communes merged since 1943, so every commune nouvelle since COG 2013)."""
    actual = {c["code"] for c in communes if c["type"] == "commune-actuelle"}
    former = {}
    for c in communes:
        if c["type"] == "commune-actuelle":
            for old in c.get("anciensCodes", []):
                if old not in actual:
                    former[old] = c["code"]
    return former


def read_history(tarball: Path) -> list[dict]:
    with tarfile.open(tarball) as tar:
        return json.load(tar.extractfile("package/data/historique-communes.json"))


def coverage(history: list[dict], packages: list[dict], geo: CurrentGeography) -> dict:
    """The communes that existed at some date since COVERAGE_SINCE (INSEE history up to COG
    2019, then the communes of every package) and those the current geography cannot place."""
    codes = {
        e["code"]
        for e in history
        if e["type"] == "COM" and (e.get("dateFin") or "9999") > COVERAGE_SINCE
    }
    for data in packages:
        codes |= {c["code"] for c in data["communes"] if c["type"] == "commune-actuelle"}
    placed = {c for c in codes if geo.target_of(c)}
    return {"since": COVERAGE_SINCE, "communes": len(codes), "unplaced": sorted(codes - placed)}


def populations_of(communes: list[dict]) -> dict[str, int]:
    return {
        c["code"]: c["population"]
        for c in communes
        if c["type"] in ("commune-actuelle", "arrondissement-municipal") and "population" in c
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarballs", type=Path, default=ROOT / ".cache" / "npm")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "pvd" / "data" / "snapshot")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    packages = {}
    sources = []
    for release in RELEASES:
        tarball, integrity = fetch_tarball(release.version, args.tarballs)
        data = read_package(tarball)
        vintage = population_vintage(data["readme"], release.version)
        packages[release.version] = (release, data, vintage)
        sources.append(
            {
                "package": PACKAGE,
                "version": release.version,
                "cog": release.cog,
                "population_vintage": vintage,
                "sha256": hashlib.sha256(tarball.read_bytes()).hexdigest(),
                "integrity": integrity,
            }
        )
        log(f"read {PACKAGE}@{release.version}: COG {release.cog}, populations {vintage}")

    current_release, current, current_vintage = packages[RELEASES[-1].version]
    geo, _ = geography_of(current["communes"])
    outputs = {}

    outputs["regions"] = write_gz_csv(
        args.out / "regions.csv.gz",
        ["code", "nom", "chef_lieu", "zone"],
        [[r["code"], r["nom"], r["chefLieu"], r["zone"]] for r in current["regions"]],
    )
    outputs["departements"] = write_gz_csv(
        args.out / "departements.csv.gz",
        ["code", "nom", "region", "chef_lieu", "zone"],
        [
            [d["code"], d["nom"], d["region"], d["chefLieu"], d["zone"]]
            for d in current["departements"]
        ],
    )
    outputs["arrondissements"] = write_gz_csv(
        args.out / "arrondissements.csv.gz",
        ["code", "nom", "departement", "region", "chef_lieu"],
        [
            [a["code"], a["nom"], a["departement"], a["region"], a["chefLieu"]]
            for a in current["arrondissements"]
        ],
    )
    epci_of = {}
    for e in current["epci"]:
        for m in e["membres"]:
            epci_of[m["code"]] = e["code"]
    outputs["epci"] = write_gz_csv(
        args.out / "epci.csv.gz",
        ["siren", "nom", "type", "mode_financement"],
        [[e["code"], e["nom"], e["type"], e["modeFinancement"]] for e in current["epci"]],
    )

    commune_rows = []
    for c in current["communes"]:
        kind = TYPE_CODES[c["type"]]
        parent = (
            c.get("commune")
            if kind == "ARM"
            else c.get("chefLieu")
            if kind in ("COMD", "COMA")
            else ""
        )
        commune_rows.append(
            [
                c["code"],
                kind,
                c["nom"],
                parent or "",
                c["departement"],
                c["region"],
                c.get("arrondissement", ""),
                epci_of.get(c["code"], "") if kind == "COM" else "",
                c.get("siren", ""),
                " ".join(c.get("codesPostaux", [])),
                c["zone"],
            ]
        )
    commune_rows.sort(key=lambda r: (r[0], r[1]))
    outputs["communes"] = write_gz_csv(
        args.out / "communes.csv.gz",
        [
            "code",
            "type",
            "nom",
            "parent",
            "departement",
            "region",
            "arrondissement",
            "epci",
            "siren",
            "codes_postaux",
            "zone",
        ],
        commune_rows,
    )

    # One package per population vintage: the newest geography carrying it.
    by_vintage: dict[int, str] = {}
    duplicates = []
    for release in RELEASES:
        _, _, vintage = packages[release.version]
        if vintage in by_vintage:
            duplicates.append((release.version, vintage, by_vintage[vintage]))
        by_vintage[vintage] = release.version

    population_rows = []
    report_rows = []
    mayotte_done = False
    for vintage, version in sorted(by_vintage.items()):
        release, data, _ = packages[version]
        old_values = populations_of(data["communes"])
        _, old_delegated = geography_of(data["communes"])
        result = rebase_with_history(old_values, geo, old_delegated)
        parts = Counter(m.new_code for m in result.mappings)
        for code, value in sorted(result.values.items()):
            census = vintage
            if code.startswith(MAYOTTE_DEPARTMENT):
                if mayotte_done:
                    continue
                census = MAYOTTE_CENSUS
            population_rows.append(
                [
                    code,
                    census,
                    value,
                    release.cog,
                    version,
                    parts.get(code, 0) + (code in old_values),
                ]
            )
        if any(code.startswith(MAYOTTE_DEPARTMENT) for code in result.values):
            mayotte_done = True
        for m in result.mappings:
            report_rows.append([vintage, version, "fusion", m.old_code, m.new_code, m.how])
        for code in result.unmapped:
            report_rows.append(
                [vintage, version, "non rattaché", code, "", "code absent de la géographie 2026"]
            )
        for code in result.missing:
            if vintage == current_vintage:
                continue
            report_rows.append(
                [vintage, version, "absent", "", code, "commune sans population à ce millésime"]
            )
        for parent, restored in sorted(result.split_from.items()):
            for code in restored:
                report_rows.append(
                    [
                        vintage,
                        version,
                        "scission",
                        parent,
                        code,
                        "la valeur de l'ancienne commune couvre aussi la commune rétablie",
                    ]
                )
        log(
            f"populations {vintage} ({PACKAGE}@{version}, COG {release.cog}): {len(result.values)} communes, "
            f"{len(result.mappings)} codes re-based, {len(result.unmapped)} unmapped, "
            f"{len(result.missing)} without value"
        )
    for version, vintage, kept in duplicates:
        log(f"{PACKAGE}@{version} repeats the {vintage} populations of @{kept}: not a new point")
        report_rows.append([vintage, version, "doublon", "", "", f"mêmes populations que {kept}"])

    population_rows.sort(key=lambda r: (r[0], r[1]))
    outputs["populations"] = write_gz_csv(
        args.out / "populations.csv.gz",
        ["code", "millesime", "population", "cog_source", "version_source", "parties"],
        population_rows,
    )
    outputs["rebase-report"] = write_gz_csv(
        args.out / "rebase-report.csv.gz",
        ["millesime", "version_source", "nature", "code_ancien", "code_actuel", "detail"],
        report_rows,
    )
    # Every former code the current vintage knows (communes merged since 1943), so that files
    # keyed by any older COG (BPE 2013...) are re-based, not only the codes the population
    # series needed. Read by pvd.territories.current_geography; rules in pvd.domain.geography.
    former_rows = sorted([old, new] for old, new in former_codes_of(current["communes"]).items())
    outputs["anciens-codes"] = write_gz_csv(
        args.out / "anciens-codes.csv.gz", ["code_ancien", "code_actuel"], former_rows
    )
    log(f"former codes: {len(former_rows)} (anciensCodes of {PACKAGE}@{current_release.version})")
    history_tarball, _ = fetch_tarball(HISTORY_RELEASE.version, args.tarballs)
    covered = coverage(
        read_history(history_tarball), [data for _, data, _ in packages.values()], geo
    )
    log(
        f"communes since {COVERAGE_SINCE}: {covered['communes']}, "
        f"not placed by the current geography: {len(covered['unplaced'])} {covered['unplaced']}"
    )
    for kind, count in sorted(Counter(r[2] for r in report_rows).items()):
        log(f"re-basing report: {count} × {kind}")

    manifest = {
        "name": "referentiel-territorial",
        "title": "Référentiel territorial (COG, EPCI, populations légales)",
        "publisher": PUBLISHER,
        "licence": LICENCE,
        "url": "https://www.npmjs.com/package/@etalab/decoupage-administratif",
        "cog": current_release.cog,
        "population_vintages": sorted(set(r[1] for r in population_rows)),
        "population_measure": "population municipale (populations légales INSEE)",
        "sources": sources,
        "duplicates": [
            {"version": v, "population_vintage": y, "same_as": k} for v, y, k in duplicates
        ],
        "files": {f"{name}.csv.gz": digest for name, digest in sorted(outputs.items())},
        "former_codes": {
            "file": "anciens-codes.csv.gz",
            "codes": len(former_rows),
            "source": f"anciensCodes des communes de {PACKAGE}@{current_release.version}",
            "checked_against": {
                "history": f"{PACKAGE}@{HISTORY_RELEASE.version} data/historique-communes.json "
                "(INSEE, événements 1943 au COG 2019) et communes de chaque version ci-dessus",
                "sha256": hashlib.sha256(history_tarball.read_bytes()).hexdigest(),
                **covered,
            },
        },
        "built_by": "scripts/build_snapshot.py",
    }
    (args.out / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    )
    log(f"snapshot written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
