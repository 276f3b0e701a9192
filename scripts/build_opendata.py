"""Build the embedded open-data snapshot (src/pvd/data/opendata/) from the shared open-data
folder (PVD_SHARED_DATA, default ../shared/data), reproducibly.

    python scripts/build_opendata.py [--shared DIR] [--out DIR]   # (re)build
    python scripts/build_opendata.py --check                      # rebuild in a temporary
        folder, compare bytes with the committed files; exit 1 naming the differing files

Products (layouts the importers read, reduced to the columns they need, so that `pvd data load`
goes through the same importers and the same validation): laureate lists (PVD 2024, PVD January
2021, ACV), the ORT sheet, census housing 2021, Filosofi 2021 and BPE 2013 re-based onto the
current communes (the repository's geography, pvd.domain.geography; every move listed in the
manifest), the official typologies, commune centres and contours (opendata_geo.py).
Deterministic: gzip mtime 0, rows sorted by code, LF, fixed decimals.
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import gzip
import json
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from opendata_geo import build_geo  # noqa: E402
from opendata_io import csv_bytes, entry, sha256_file, snapshot_geography, write_gz  # noqa: E402

from pvd.domain.geography import (  # noqa: E402
    ARRONDISSEMENT,
    SKIP_ARM_NON_ADDITIVE,
    SKIP_UNKNOWN,
    CurrentGeography,
    plan,
)

OUT = ROOT / "src" / "pvd" / "data" / "opendata"
SNAPSHOT = ROOT / "src" / "pvd" / "data" / "snapshot"
BUDGET_BYTES = 25 * 1024 * 1024
ANCT = "ANCT (Agence nationale de la cohésion des territoires)"
INSEE = "INSEE"
OBSERVATOIRE = "ANCT, Observatoire des territoires"

# Verbatim official layouts (programme lists): path in the shared folder, columns kept (None =
# all), metadata.
LISTS = [
    (
        "pvd/pvd-2024-hors-aura.csv",
        None,
        dict(
            title="Petites villes de demain : communes lauréates (état 2024, hors Auvergne-Rhône-Alpes)",
            publisher=ANCT,
            vintage="2024",
            url="https://www.data.gouv.fr/fr/datasets/programme-petites-villes-de-demain/",
            notes="Via anct-carto/superposeur-anct. Tel que partagé : la région 84 est absente (non couverte).",
        ),
    ),
    (
        "pvd/pvd-2021-01-hors-aura.csv",
        None,
        dict(
            title="Petites villes de demain : liste de janvier 2021 (hors Auvergne-Rhône-Alpes)",
            publisher=ANCT,
            vintage="2021-01",
            url="https://www.data.gouv.fr/fr/datasets/programme-petites-villes-de-demain/",
            notes="Via la cartographie de l'ANCT (anct-carto/pvd), colonnes personnelles retirées ; tel que publié, avec sa ligne au code invalide 999999 que l'import signale.",
        ),
    ),
    (
        "programmes/acv.csv",
        None,
        dict(
            title="Action cœur de ville : communes et dates de signature",
            publisher=ANCT,
            vintage="2025 (dernière signature : 2025-06-03)",
            url="",
            notes="Adresse d'origine non indiquée par le dossier partagé.",
        ),
    ),
    (
        "programmes/ort-2024-hors-aura.csv",
        [
            "Commune",
            "EPCI",
            "Département",
            "Région",
            "Code commune",
            "Statut de la commune",
            "Signée ?",
            "Si signée, date de signature",
            "Si non signée, date de signature envisagée",
            "Durée (en années)",
            "Date de fin estimée",
            "Avancement",
            "ACV",
            "PVD",
            "longitude",
            "latitude",
        ],
        dict(
            title="Opérations de revitalisation de territoire : tableau national de suivi (septembre 2024, hors Auvergne-Rhône-Alpes)",
            publisher="ANCT / DGALN",
            vintage="2024",
            url="https://github.com/MTES-MCT/zero-logement-vacant",
            notes="Via MTES-MCT/zero-logement-vacant et bpineau/gazetteer (MIT). Colonnes de texte libre et de suivi (Remarques, Dernière actualisation, Actualisé par) retirées.",
        ),
    ),
]

TYPOLOGIES = [
    (
        "centralite",
        "Centralités : niveau de centre d'équipements et de services (INRAE-CESAER/ANCT)",
    ),
    ("densite", "Grille communale de densité à 7 niveaux (INSEE)"),
    ("ruralite", "Typologie des ruralités"),
    ("montagne", "Massifs de montagne"),
]


def _read_csv(path: Path, delimiter: str) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f, delimiter=delimiter)
        return list(reader.fieldnames or []), list(reader)


def build_lists(shared: Path, out: Path) -> list[dict]:
    entries = []
    for rel, keep, meta in LISTS:
        src = shared / rel
        if keep is None:  # as published, line endings normalised to LF
            raw = src.read_bytes().replace(b"\r\n", b"\n")
            rows = len(raw.decode("utf-8-sig").splitlines()) - 1
        else:
            header, records = _read_csv(src, ",")
            raw = csv_bytes(keep, ([r[c] for c in keep] for r in records))
            rows = len(records)
        file, sha = write_gz(out, rel + ".gz", raw)
        entries.append(entry(file=file, sha256=sha, rows=rows, inputs=[(rel, src)], **meta))
    return entries


def build_typologies(shared: Path, out: Path) -> list[dict]:
    entries = []
    for kind, title in TYPOLOGIES:
        rel = f"territoires/{kind}.csv"
        header, records = _read_csv(shared / rel, ",")
        level = f"niveau_{kind}"
        rows = sorted((r["insee_com"], r[level]) for r in records)
        file, sha = write_gz(out, rel + ".gz", csv_bytes(("insee_com", level), rows))
        entries.append(
            entry(
                file=file,
                sha256=sha,
                rows=len(rows),
                title=title,
                publisher=OBSERVATOIRE,
                vintage="export de l'Observatoire des territoires",
                url="https://www.observatoire-des-territoires.gouv.fr/",
                inputs=[(rel, shared / rel)],
                notes="Colonne lib_com retirée (l'import ne lit que insee_com et le niveau).",
            )
        )
    return entries


def _departements() -> dict[str, str]:
    with gzip.open(SNAPSHOT / "communes.csv.gz", "rt", encoding="utf-8") as f:
        return {r["code"]: r["departement"] for r in csv.DictReader(f)}


def _moves_report(where, kept: dict[str, str], dropped_non_additive: int = 0) -> dict:
    """What re-basing did, for the manifest: every move, every skipped code with its reason."""
    skipped: dict[str, list[str]] = defaultdict(list)
    for code in sorted(set(where.rule) - set(kept)):
        if kept is where.non_additive and where.rule[code] == ARRONDISSEMENT:
            reason = SKIP_ARM_NON_ADDITIVE
        else:
            reason = where.skipped.get(code, SKIP_UNKNOWN)
        skipped[reason].append(code)
    return {
        "moved": {old: new for old, new in sorted(kept.items()) if old != new},
        "skipped_codes": {reason: codes for reason, codes in sorted(skipped.items())},
        "skipped_rows": {reason: len(codes) for reason, codes in sorted(skipped.items())},
        "dropped_non_additive": dropped_non_additive,
    }


def rebase_additive(
    rows: list[dict[str, str]],
    code_col: str,
    key_cols: list[str],
    value_cols: list[str],
    geo: CurrentGeography,
) -> tuple[list[tuple], dict, int]:
    """Counts per (current commune, keys): summed over the codes landing on it. Returns rows
    (code, *keys, *values) sorted, the moves report and the number of input rows skipped."""
    where = plan((r[code_col] for r in rows), geo)
    sums: dict[tuple, list[int]] = {}
    skipped_rows = 0
    for r in rows:
        target = where.additive.get(r[code_col])
        if target is None:
            skipped_rows += 1
            continue
        key = (target, *(r[c] for c in key_cols))
        values = [int(r[c]) for c in value_cols]
        if key in sums:
            sums[key] = [a + b for a, b in zip(sums[key], values, strict=True)]
        else:
            sums[key] = values
    out = [(*key, *values) for key, values in sorted(sums.items())]
    return out, _moves_report(where, where.additive), skipped_rows


def build_indicator_inputs(shared: Path, out: Path, geo: CurrentGeography) -> list[dict]:
    entries = []
    deps = _departements()
    # Census housing 2021: dwellings add up.
    rel = "insee/logement-2021-communes.csv"
    header, records = _read_csv(shared / rel, ";")
    values = header[1:]
    rows, report, skipped = rebase_additive(records, "CODGEO", [], values, geo)
    file, sha = write_gz(out, rel + ".gz", csv_bytes(header, rows, delimiter=";"))
    entries.append(
        entry(
            file=file,
            sha256=sha,
            rows=len(rows),
            title="Recensement 2021 : logements (base communale, format réduit)",
            publisher=INSEE,
            vintage="2021",
            url="https://www.insee.fr/fr/recherche?q=base-cc-logement-2021",
            inputs=[(rel, shared / rel)],
            notes=(
                "Via bpineau/gazetteer. "
                f"Rebasé sur les communes en vigueur : {len(report['moved'])} codes déplacés "
                f"(comptes sommés), {skipped} lignes écartées (motifs dans « rebase »)."
            ),
            rebase=report,
        )
    )
    # Filosofi 2021: a median does not add up; kept only when one code lands on the commune.
    rel = "insee/filosofi-2021-communes-med.csv"
    header, records = _read_csv(shared / rel, ";")
    where = plan((r["CODGEO"] for r in records), geo)
    landing: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in records:
        target = where.non_additive.get(r["CODGEO"])
        if target is not None:
            landing[target].append(r)
    rows = []
    dropped = 0
    for target, parts in sorted(landing.items()):
        if len(parts) > 1:
            dropped += len(parts)
            continue
        rows.append((target, *(parts[0][c] for c in header[1:])))
    file, sha = write_gz(out, rel + ".gz", csv_bytes(header, rows, delimiter=";"))
    report = _moves_report(where, where.non_additive, dropped)
    entries.append(
        entry(
            file=file,
            sha256=sha,
            rows=len(rows),
            title="Filosofi 2021 : revenu disponible médian par unité de consommation (format réduit)",
            publisher=INSEE,
            vintage="2021",
            url="https://www.insee.fr/fr/statistiques/7756729",
            inputs=[(rel, shared / rel)],
            notes=(
                f"Rebasé sur les communes en vigueur : {len(report['moved'])} codes déplacés ; "
                f"{dropped} médianes de communes fusionnées depuis écartées (une médiane ne "
                "s'additionne pas) ; petites communes absentes (secret statistique)."
            ),
            rebase=report,
        )
    )
    # BPE 2013: facility counts per commune and type add up.
    rel = "bpe/bpe13_ensemble.csv"
    header, records = _read_csv(shared / rel, ";")
    rows, report, skipped = rebase_additive(records, "DEPCOM", ["AN", "TYPEQU"], ["NB_EQUIP"], geo)
    layout = ("DEP", "DEPCOM", "AN", "TYPEQU", "NB_EQUIP")
    file, sha = write_gz(
        out,
        rel + ".gz",
        csv_bytes(layout, ((deps[c], c, an, t, n) for c, an, t, n in rows), delimiter=";"),
    )
    entries.append(
        entry(
            file=file,
            sha256=sha,
            rows=len(rows),
            title="Base permanente des équipements 2013 : équipements par commune et type",
            publisher=INSEE,
            vintage="2013",
            url="https://www.insee.fr/fr/recherche?q=bpe13_ensemble",
            inputs=[(rel, shared / rel)],
            notes=(
                f"{len(records)} lignes aux codes communaux de 2013, rebasées sur les communes "
                f"en vigueur et sommées par commune et type : {len(report['moved'])} codes "
                f"déplacés, {skipped} lignes écartées (motifs dans « rebase »)."
            ),
            rebase=report,
        )
    )
    return entries


def build(shared: Path, out: Path) -> dict:
    """Write every product and the manifest into ``out``; returns the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    geo = snapshot_geography(SNAPSHOT)
    files = [
        *build_lists(shared, out),
        *build_indicator_inputs(shared, out, geo),
        *build_typologies(shared, out),
        *build_geo(shared, out, geo),
    ]
    manifest = {
        "name": "donnees-ouvertes",
        "title": "Données ouvertes embarquées (programme, indicateurs, typologies, contours)",
        "built_by": "scripts/build_opendata.py",
        "source": "dossier de données partagé (PVD_SHARED_DATA), voir son README",
        "geography": {
            "referentiel": "src/pvd/data/snapshot/manifest.json",
            "sha256": sha256_file(SNAPSHOT / "manifest.json"),
        },
        "files": sorted(files, key=lambda e: e["file"]),
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    (out / "manifest.json").write_text(text, encoding="utf-8")
    return manifest


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def differences(built: Path, committed: Path) -> list[str]:
    """Relative paths that differ (or exist on one side only) between two snapshot folders."""
    names = {p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()}
    names |= {p.relative_to(committed).as_posix() for p in committed.rglob("*") if p.is_file()}
    return sorted(
        n
        for n in names
        if not (built / n).is_file()
        or not (committed / n).is_file()
        or not filecmp.cmp(built / n, committed / n, shallow=False)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--shared",
        type=Path,
        default=Path(os.environ.get("PVD_SHARED_DATA") or ROOT.parent / "shared" / "data"),
    )
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--check", action="store_true", help="compare a rebuild with --out")
    args = parser.parse_args(argv)
    if not (args.shared / "pvd").is_dir():
        print(f"Dossier de données partagé introuvable : {args.shared}", file=sys.stderr)
        return 2
    if args.check:
        with tempfile.TemporaryDirectory(prefix="pvd-opendata-") as tmp:
            build(args.shared, Path(tmp))
            diff = differences(Path(tmp), args.out)
        if diff:
            print(
                "Instantané de données ouvertes non reproductible, fichiers différents :\n  "
                + "\n  ".join(diff)
                + "\nReconstruisez-le avec `make snapshot` et committez le résultat.",
                file=sys.stderr,
            )
            return 1
        print(f"Instantané reproductible : {args.out} identique à une reconstruction.")
        return 0
    manifest = build(args.shared, args.out)
    size = folder_bytes(args.out)
    for e in manifest["files"]:
        print(f"{e['file']}\t{e['rows']} lignes\t{(args.out / e['file']).stat().st_size} octets")
    print(f"Total : {size} octets (budget {BUDGET_BYTES})")
    return 0 if size <= BUDGET_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
