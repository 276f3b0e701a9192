"""Writes to the territorial referential: one transaction per service, nothing half-written."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from pvd.caching import bump_data_version
from pvd.domain.rebase import Mapping, rebase
from pvd.sources import catalogue
from pvd.sources.cog import CogFile
from pvd.sources.population import PopulationFile
from pvd.sources.report import ImportReport, SourceError, TableCounts
from pvd.sources.snapshot import Snapshot
from pvd.sources.tabular import ENCODING_LABELS, INCONSISTENT, UNKNOWN_VALUE, ErrorCollector
from pvd.territories.current_geography import current_geography
from pvd.territories.models import (
    EPCI,
    Arrondissement,
    Commune,
    Dataset,
    Departement,
    Population,
    Region,
)
from pvd.territories.sync import sync_rows

SNAPSHOT_DATASET = "referentiel-territorial"


def dataset_record(
    *,
    key: str,
    title: str,
    publisher: str,
    licence: str,
    url: str,
    vintage: str,
    version: str,
    checksum: str,
    details: dict,
) -> Dataset:
    """Create or refresh the record of a dataset; ``loaded_at`` moves only when it changed."""
    values = dict(
        title=title,
        publisher=publisher,
        licence=licence,
        url=url,
        vintage=vintage,
        version=version,
        checksum=checksum,
        details=details,
    )
    dataset = Dataset.objects.filter(key=key).first()
    if dataset is None:
        bump_data_version()
        return Dataset.objects.create(key=key, loaded_at=timezone.now(), **values)
    if any(getattr(dataset, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(dataset, k, v)
        dataset.loaded_at = timezone.now()
        dataset.save()
        bump_data_version()
    return dataset


def referential_load_snapshot(*, snapshot: Snapshot, dry_run: bool = False) -> ImportReport:
    """Load the embedded referential. Idempotent: a second run reports no change."""
    m = snapshot.manifest
    report = ImportReport(source=f"{m['title']} (COG {m['cog']})", dry_run=dry_run)
    t = snapshot.tables
    with transaction.atomic():
        dataset = dataset_record(
            key=SNAPSHOT_DATASET,
            title=m["title"],
            publisher=m["publisher"],
            licence=m["licence"],
            url=m["url"],
            vintage=f"COG {m['cog']}, populations légales {', '.join(map(str, m['population_vintages']))}",
            version=", ".join(f"{s['package']}@{s['version']}" for s in m["sources"]),
            checksum=snapshot.checksum,
            details={
                "sources": m["sources"],
                "duplicates": m["duplicates"],
                "population_measure": m["population_measure"],
                "cog": m["cog"],
            },
        )
        report.tables["régions"] = sync_rows(
            Region,
            ("code",),
            (
                {"code": r["code"], "nom": r["nom"], "chef_lieu": r["chef_lieu"], "zone": r["zone"]}
                for r in t["regions"]
            ),
            delete_missing=False,
        )
        report.tables["départements"] = sync_rows(
            Departement,
            ("code",),
            (
                {
                    "code": r["code"],
                    "nom": r["nom"],
                    "region_id": r["region"],
                    "chef_lieu": r["chef_lieu"],
                    "zone": r["zone"],
                }
                for r in t["departements"]
            ),
            delete_missing=False,
        )
        report.tables["arrondissements"] = sync_rows(
            Arrondissement,
            ("code",),
            (
                {
                    "code": r["code"],
                    "nom": r["nom"],
                    "departement_id": r["departement"],
                    "chef_lieu": r["chef_lieu"],
                }
                for r in t["arrondissements"]
            ),
            delete_missing=False,
        )
        report.tables["EPCI"] = sync_rows(
            EPCI,
            ("siren",),
            (
                {
                    "siren": r["siren"],
                    "nom": r["nom"],
                    "type": r["type"],
                    "mode_financement": r["mode_financement"],
                }
                for r in t["epci"]
            ),
        )
        latest = _latest_population(t["populations"])
        report.tables["communes"] = sync_rows(
            Commune,
            ("code", "type"),
            (
                {
                    "code": r["code"],
                    "type": r["type"],
                    "nom": r["nom"],
                    "departement_id": r["departement"],
                    "region_id": r["region"],
                    "arrondissement_id": r["arrondissement"] or None,
                    "epci_id": r["epci"] or None,
                    "siren": r["siren"],
                    "codes_postaux": r["codes_postaux"].split(),
                    "zone": r["zone"],
                    "population": latest.get(r["code"]) if r["type"] in ("COM", "ARM") else None,
                }
                for r in t["communes"]
            ),
        )
        ids = dict(((c, ty), pk) for pk, c, ty in Commune.objects.values_list("pk", "code", "type"))
        parent_type = {"ARM": "COM", "COMD": "COM", "COMA": "COM"}
        parents = [
            {
                "code": r["code"],
                "type": r["type"],
                "parent_id": ids[(r["parent"], parent_type[r["type"]])] if r["parent"] else None,
            }
            for r in t["communes"]
        ]
        report.tables["rattachements"] = sync_rows(
            Commune, ("code", "type"), parents, delete_missing=False
        )
        population_rows = []
        for r in t["populations"]:
            kind = "ARM" if (r["code"], "ARM") in ids else "COM"
            population_rows.append(
                {
                    "commune_id": ids[(r["code"], kind)],
                    "millesime": int(r["millesime"]),
                    "population": int(r["population"]),
                    "parts": int(r["parties"]),
                    "dataset_id": dataset.pk,
                }
            )
        report.tables["populations"] = sync_rows(
            Population, ("commune_id", "millesime"), population_rows
        )
        if dry_run:
            transaction.set_rollback(True)
    return report


def _latest_population(rows: list[dict[str, str]]) -> dict[str, int]:
    latest: dict[str, tuple[int, int]] = {}
    for r in rows:
        year = int(r["millesime"])
        if r["code"] not in latest or year > latest[r["code"]][0]:
            latest[r["code"]] = (year, int(r["population"]))
    return {code: value for code, (_, value) in latest.items()}


# --- INSEE COG files ---------------------------------------------------------------------------

COG_DATASET_PREFIX = "insee-cog-"
POPULATION_DATASET_PREFIX = "insee-populations-"
LICENCE_OUVERTE = "Licence Ouverte 2.0 (Etalab)"
INSEE = "Institut national de la statistique et des études économiques (INSEE)"
_DROM_REGIONS = {"01", "02", "03", "04", "06"}
_IN_BATCH = 500  # ids per `__in` query (SQLite caps the number of bound variables)


@dataclass
class CogImportReport(ImportReport):
    """What a COG import did; ``vanished_*``: referential rows absent from the file."""

    files: list[str] = field(default_factory=list)  # "name (kind, encoding)"
    vanished_kept: list[str] = field(default_factory=list)  # "code (type)", data refer to them
    vanished_unreferenced: list[str] = field(default_factory=list)  # kept: no prune asked
    vanished_deleted: list[str] = field(default_factory=list)  # pruned

    def lines(self) -> list[str]:
        out = super().lines()
        out.insert(1, "  fichiers : " + " ; ".join(self.files))
        if self.vanished_deleted:
            out.append(
                f"  absentes du fichier et supprimées (sans données rattachées, --prune) : "
                f"{_sample(self.vanished_deleted)}"
            )
        return out


@dataclass
class PopulationImportReport(ImportReport):
    """What a population import did, with every code moved onto the current geography."""

    encoding: str = ""
    mappings: list[Mapping] = field(default_factory=list)
    reconstructed: list[str] = field(default_factory=list)  # communes summed from their ARM

    def lines(self) -> list[str]:
        out = super().lines()
        out.insert(1, f"  encodage lu : {self.encoding}")
        if self.mappings:
            moves = [f"{m.old_code}→{m.new_code}" for m in self.mappings]
            out.append(f"  re-basés sur la commune actuelle ({len(moves)}) : {_sample(moves)}")
        if self.reconstructed:
            out.append(
                "  reconstituées à partir de leurs arrondissements municipaux : "
                + ", ".join(self.reconstructed)
            )
        return out


def _sample(items: list[str], limit: int = 20) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" (+{len(items) - limit})" if len(items) > limit else "")


def _chunks(items: list, size: int = _IN_BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _zone(*, region: str, departement: str = "") -> str:
    return "drom" if region in _DROM_REGIONS or departement.startswith("97") else "metro"


def _cog_vintage(files: list[CogFile], millesime: int | None) -> int:
    if millesime is not None:
        return millesime
    vintages = {f.vintage for f in files if f.vintage is not None}
    if len(vintages) > 1:
        raise SourceError(
            files[0].path,
            f"millésimes différents dans les noms de fichiers ({', '.join(map(str, sorted(vintages)))}) :"
            " importez un millésime à la fois ou précisez --millesime",
        )
    if not vintages:
        raise SourceError(
            files[0].path, "millésime introuvable dans le nom du fichier : précisez --millesime"
        )
    return vintages.pop()


def communes_import_cog(
    *,
    files: list[CogFile],
    millesime: int | None = None,
    prune: bool = False,
    dry_run: bool = False,
) -> CogImportReport:
    """Update regions, departments, arrondissements and communes from INSEE COG files.

    Contract:
    - Files are applied in order regions → departments → arrondissements → communes, in one
      transaction: on any error (unknown department or region, inconsistent row) nothing is
      written, and the error names file, line and column.
    - Communes: names, types (COM/COMA/COMD/ARM), parents, department, region and arrondissement
      come from the file; EPCI, SIREN, postal codes, zone and populations of existing rows are
      kept; new rows get none (zone from their department).
    - Rows of the referential absent from the file ("vanished") are looked for within the
      departments the file covers (so a partial extract never concerns other departments, and the
      overseas collectivities, absent from the COG communes file, are never concerned). They are
      reported, never deleted by default: a reference row may carry figures (populations of a
      former commune) or be used by other data. With ``prune``, those nothing refers to
      (typically a suppressed commune déléguée) are deleted; the others are kept and reported
      whatever the option, so no figure is ever lost silently.
    - Idempotent: the same files imported again report no change. A Dataset row per kind of file
      records source, vintage (file name or ``millesime``), licence and checksum.
    """
    by_kind: dict[str, CogFile] = {}
    for f in files:
        if f.kind in by_kind:
            raise SourceError(f.path, f"deux fichiers de {f.label} : {by_kind[f.kind].path}")
        by_kind[f.kind] = f
    vintage = _cog_vintage(files, millesime)
    report = CogImportReport(
        source=f"Code officiel géographique {vintage} (INSEE)",
        dry_run=dry_run,
        files=[
            f"{Path(f.path).name} ({f.label}, {ENCODING_LABELS.get(f.encoding, f.encoding)})"
            for f in files
        ],
    )
    with transaction.atomic():
        if "regions" in by_kind:
            report.tables["régions"] = _cog_regions(by_kind["regions"])
        if "departements" in by_kind:
            report.tables["départements"] = _cog_departements(by_kind["departements"], vintage)
        if "arrondissements" in by_kind:
            report.tables["arrondissements"] = _cog_arrondissements(
                by_kind["arrondissements"], vintage
            )
        if "communes" in by_kind:
            _cog_communes(by_kind["communes"], vintage, report, prune=prune)
        for f in files:
            dataset_record(
                key=COG_DATASET_PREFIX + f.kind,
                title=f"Code officiel géographique : {f.label}",
                publisher=INSEE,
                licence=LICENCE_OUVERTE,
                url=catalogue.COG_PAGE_2026 if vintage == 2026 else "",
                vintage=str(vintage),
                version=Path(f.path).name,
                checksum=f.sha256,
                details={
                    "file": Path(f.path).name,
                    "encoding": f.encoding,
                    "rows": len(f.rows),
                    "vanished_kept": report.vanished_kept if f.kind == "communes" else [],
                },
            )
        if dry_run:
            transaction.set_rollback(True)
    return report


def _cog_regions(f: CogFile) -> TableCounts:
    zones = dict(Region.objects.values_list("code", "zone"))
    rows = [
        {
            "code": r.code,
            "nom": r.nom,
            "chef_lieu": r.chef_lieu,
            "zone": zones.get(r.code) or _zone(region=r.code),
        }
        for r in f.rows
    ]
    return sync_rows(Region, ("code",), rows, delete_missing=False)


def _cog_departements(f: CogFile, vintage: int) -> TableCounts:
    regions = set(Region.objects.values_list("code", flat=True))
    zones = dict(Departement.objects.values_list("code", "zone"))
    errors = ErrorCollector(f.path)
    for r in f.rows:
        if r.region not in regions:
            errors.add(
                UNKNOWN_VALUE,
                f"région {r.region} inconnue du référentiel (importez aussi v_region_{vintage}.csv)",
                line=r.line,
                column="REG",
            )
    errors.raise_if_any()
    rows = [
        {
            "code": r.code,
            "nom": r.nom,
            "region_id": r.region,
            "chef_lieu": r.chef_lieu,
            "zone": zones.get(r.code) or _zone(region=r.region, departement=r.code),
        }
        for r in f.rows
    ]
    return sync_rows(Departement, ("code",), rows, delete_missing=False)


def _cog_arrondissements(f: CogFile, vintage: int) -> TableCounts:
    departements = dict(Departement.objects.values_list("code", "region_id"))
    errors = ErrorCollector(f.path)
    for r in f.rows:
        _check_dep_reg(
            errors,
            departements,
            set(departements.values()),
            r.departement,
            r.region,
            line=r.line,
            vintage=vintage,
        )
    errors.raise_if_any()
    rows = [
        {"code": r.code, "nom": r.nom, "departement_id": r.departement, "chef_lieu": r.chef_lieu}
        for r in f.rows
    ]
    return sync_rows(Arrondissement, ("code",), rows, delete_missing=False)


def _check_dep_reg(
    errors: ErrorCollector,
    departements: dict[str, str],
    regions: set[str],
    dep: str,
    reg: str,
    *,
    line: int,
    vintage: int,
) -> bool:
    """Check a department and region against the referential; False when an error was added."""
    if dep not in departements:
        errors.add(
            UNKNOWN_VALUE,
            f"département {dep} inconnu du référentiel (importez aussi v_departement_{vintage}.csv)",
            line=line,
            column="DEP",
        )
    elif reg not in regions:
        errors.add(
            UNKNOWN_VALUE,
            f"région {reg} inconnue du référentiel (importez aussi v_region_{vintage}.csv)",
            line=line,
            column="REG",
        )
    elif departements[dep] != reg:
        errors.add(
            INCONSISTENT,
            f"le département {dep} est rattaché à la région {departements[dep]}, pas à {reg}",
            line=line,
            column="REG",
        )
    else:
        return True
    return False


def _cog_communes(f: CogFile, vintage: int, report: CogImportReport, *, prune: bool) -> None:
    departements = dict(Departement.objects.values_list("code", "region_id"))
    dep_zones = dict(Departement.objects.values_list("code", "zone"))
    regions = set(Region.objects.values_list("code", flat=True))
    arrondissements = set(Arrondissement.objects.values_list("code", flat=True))
    kept_fields = ("epci_id", "siren", "codes_postaux", "zone", "population")
    existing = {
        (c["code"], c["type"]): c
        for c in Commune.objects.values(
            "pk", "code", "type", "departement_id", "arrondissement_id", *kept_fields
        )
    }
    parents = {r.code: r for r in f.rows if r.type == "COM"}
    errors = ErrorCollector(f.path)
    rows = []
    for r in f.rows:
        parent = parents.get(r.parent)
        dep = r.departement or (parent.departement if parent else "")
        reg = r.region or (parent.region if parent else "")
        current = existing.get((r.code, r.type))
        # Children rows may leave ARR empty: keep what the referential had, else the parent's.
        arr = r.arrondissement
        if not arr and r.type != "COM":
            arr = (current or {}).get("arrondissement_id") or (
                parent.arrondissement if parent else ""
            )
        known = _check_dep_reg(
            errors, departements, regions, dep, reg, line=r.line, vintage=vintage
        )
        if known and arr and arr not in arrondissements:
            errors.add(
                UNKNOWN_VALUE,
                f"arrondissement {arr} inconnu du référentiel "
                f"(importez aussi v_arrondissement_{vintage}.csv)",
                line=r.line,
                column="ARR",
            )
        row = {
            "code": r.code,
            "type": r.type,
            "nom": r.nom,
            "departement_id": dep,
            "region_id": reg,
            "arrondissement_id": arr or None,
        }
        if current:
            row.update({k: current[k] for k in kept_fields})
        else:
            row.update(
                epci_id=None,
                siren="",
                codes_postaux=[],
                population=None,
                zone=dep_zones.get(dep) or _zone(region=reg, departement=dep),
            )
        rows.append(row)
    errors.raise_if_any()
    report.tables["communes"] = sync_rows(Commune, ("code", "type"), rows, delete_missing=False)
    ids = {(c, t): pk for pk, c, t in Commune.objects.values_list("pk", "code", "type")}
    report.tables["rattachements"] = sync_rows(
        Commune,
        ("code", "type"),
        [
            {
                "code": r.code,
                "type": r.type,
                "parent_id": ids[(r.parent, "COM")] if r.parent else None,
            }
            for r in f.rows
        ],
        delete_missing=False,
    )
    # Vanished rows, within the departments this file covers.
    covered = {row["departement_id"] for row in rows}
    in_file = {(r.code, r.type) for r in f.rows}
    vanished = {
        ex["pk"]: key
        for key, ex in existing.items()
        if key not in in_file and ex["departement_id"] in covered
    }
    referenced = _referenced_communes(list(vanished))
    unreferenced = sorted(pk for pk in vanished if pk not in referenced)
    label = {pk: f"{code} ({kind})" for pk, (code, kind) in vanished.items()}
    report.vanished_kept = sorted(label[pk] for pk in vanished if pk in referenced)
    if prune:
        for chunk in _chunks(unreferenced):
            Commune.objects.filter(pk__in=chunk).delete()
        report.tables["communes"].deleted = len(unreferenced)
        report.vanished_deleted = sorted(label[pk] for pk in unreferenced)
    else:
        report.vanished_unreferenced = sorted(label[pk] for pk in unreferenced)
    if report.vanished_kept:
        report.warnings.append(
            f"{len(report.vanished_kept)} lignes du référentiel absentes du fichier conservées car "
            f"des données s'y rattachent (populations, subdivisions...) : "
            f"{_sample(report.vanished_kept)}"
        )
    if report.vanished_unreferenced:
        report.warnings.append(
            f"{len(report.vanished_unreferenced)} lignes du référentiel absentes du fichier, sans "
            f"données rattachées, conservées (--prune pour les supprimer) : "
            f"{_sample(report.vanished_unreferenced)}"
        )


def _referenced_communes(pks: list[int]) -> set[int]:
    """Those of ``pks`` that some row refers to (populations, subdivisions, other apps' rows).

    A subdivision that vanishes too does not count: it goes with its parent.
    """
    referenced: set[int] = set()
    vanishing = set(pks)
    for rel in Commune._meta.related_objects:
        field_name = rel.field.name
        for chunk in _chunks(pks):
            qs = rel.related_model.objects.filter(**{f"{field_name}__in": chunk})
            if rel.related_model is Commune:
                qs = qs.exclude(pk__in=vanishing)
            referenced.update(qs.values_list(field_name, flat=True))
    return referenced


# --- INSEE legal populations ---------------------------------------------------------------


def populations_import(
    *, populations: PopulationFile, dry_run: bool = False
) -> PopulationImportReport:
    """Upsert the legal populations of one millésime, re-based onto the current communes.

    Contract:
    - A code of a current commune (COM) or municipal arrondissement (ARM) is taken as is; the
      code of a commune déléguée or associée, or the former code of a merged commune, is moved
      onto its current commune (the one current geography, pvd.domain.geography), several codes
      landing on one commune are summed (``parts``) and every move is reported. An unknown code
      is skipped with its reason, never guessed.
    - Secret or missing values stay missing: no Population row, and a commune whose sum would
      need one is skipped too (an incomplete sum is not the commune's population).
    - Paris, Lyon and Marseille, when the file has their arrondissements but not themselves, get
      the sum of their arrondissements.
    - Population rows are upserted on (commune, millésime); Commune.population follows when the
      millésime is the commune's latest. Idempotent; a Dataset row records the file.
    """
    m = populations.millesime
    report = PopulationImportReport(
        source=f"Populations légales {m} (INSEE) — {Path(populations.path).name}",
        dry_run=dry_run,
        encoding=ENCODING_LABELS.get(populations.encoding, populations.encoding),
    )
    report.warnings.extend(populations.warnings)
    ids = {(code, kind): pk for pk, code, kind in Commune.objects.values_list("pk", "code", "type")}
    # The one current geography (rules in pvd.domain.geography): COMD/COMA and former codes of
    # merged communes land on their current commune; a former commune kept as a COM row by a COG
    # import because figures refer to it is no longer current. Arrondissements keep their own
    # figure and make their city's only when the file lacks the city (below).
    geo = current_geography()
    actual = geo.actual
    arm_parent = geo.arrondissements
    values: dict[str, int] = {}
    arm_values: dict[str, int] = {}
    missing_targets: set[str] = set()  # communes whose sum lacks a secret or missing part
    incomplete_cities: set[str] = set()  # communes with a secret or missing arrondissement
    for row in populations.rows:
        if row.population is None:
            report.skipped[f"valeur secrète ou manquante (« {row.raw} »)"] += 1
            if row.code in arm_parent:
                incomplete_cities.add(arm_parent[row.code])
            elif target := geo.target_of(row.code):
                missing_targets.add(target)
            continue
        if row.code in arm_parent:
            arm_values[row.code] = row.population
        else:
            values[row.code] = row.population
    result = rebase(values, geo)
    parts = Counter(t for t in map(geo.target_of, values) if t)
    final: dict[str, tuple[int, int]] = {}
    for code, value in result.values.items():
        if code in missing_targets:
            report.skipped["somme incomplète (une commune regroupée est secrète ou manquante)"] += (
                parts[code]
            )
            continue
        final[code] = (value, parts[code])
    if result.unmapped:
        reason = "code inconnu du référentiel (ni commune, ni commune déléguée ou associée)"
        report.skipped[reason] += len(result.unmapped)
        report.warnings.append(f"codes inconnus : {_sample(result.unmapped)}")
    report.mappings = [mp for mp in result.mappings if mp.new_code in final]

    # Paris, Lyon, Marseille from their arrondissements when the file lacks the commune itself.
    by_parent: dict[str, list[str]] = {}
    for code, parent in arm_parent.items():
        by_parent.setdefault(parent, []).append(code)
    for parent, arms in sorted(by_parent.items()):
        if parent in final or parent in values or not any(a in arm_values for a in arms):
            continue
        if all(a in arm_values for a in arms) and parent not in incomplete_cities:
            final[parent] = (sum(arm_values[a] for a in arms), 1)
            report.reconstructed.append(f"{parent} ({len(arms)} arrondissements)")
        else:
            report.skipped["commune à arrondissements incomplète (un arrondissement manque)"] += 1

    not_covered = sorted(actual - final.keys())
    if not_covered:
        report.warnings.append(
            f"{len(not_covered)} communes du référentiel sans valeur dans le fichier : "
            f"{_sample(not_covered, 10)}"
        )
    with transaction.atomic():
        dataset = dataset_record(
            key=f"{POPULATION_DATASET_PREFIX}{m}",
            title=f"Populations légales {m} (population municipale)",
            publisher=INSEE,
            licence=LICENCE_OUVERTE,
            url=_population_url(m),
            vintage=str(m),
            version=Path(populations.path).name,
            checksum=populations.sha256,
            details={
                "file": Path(populations.path).name,
                "encoding": populations.encoding,
                "layout": populations.layout,
                "column": populations.column,
                "mappings": [[mp.old_code, mp.new_code, mp.how] for mp in report.mappings],
                "reconstructed": report.reconstructed,
                "skipped": dict(report.skipped),
            },
        )
        rows = [
            {
                "commune_id": ids[(code, "COM")],
                "millesime": m,
                "population": value,
                "parts": count,
                "dataset_id": dataset.pk,
            }
            for code, (value, count) in final.items()
        ] + [
            {
                "commune_id": ids[(code, "ARM")],
                "millesime": m,
                "population": value,
                "parts": 1,
                "dataset_id": dataset.pk,
            }
            for code, value in arm_values.items()
        ]
        report.tables["populations"] = sync_rows(
            Population, ("commune_id", "millesime"), rows, delete_missing=False
        )
        latest = dict(
            Population.objects.values("commune_id")
            .annotate(latest=Max("millesime"))
            .values_list("commune_id", "latest")
        )
        by_id = {pk: (code, kind) for (code, kind), pk in ids.items()}
        report.tables["communes (population la plus récente)"] = sync_rows(
            Commune,
            ("code", "type"),
            [
                {
                    "code": by_id[r["commune_id"]][0],
                    "type": by_id[r["commune_id"]][1],
                    "population": r["population"],
                }
                for r in rows
                if latest.get(r["commune_id"]) == m
            ],
            delete_missing=False,
        )
        if dry_run:
            transaction.set_rollback(True)
    return report


def _population_url(millesime: int) -> str:
    source = catalogue.get(f"insee-populations-{millesime}")
    return source.url or source.page if source else ""
