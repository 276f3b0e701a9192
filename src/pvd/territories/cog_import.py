"""Import of the INSEE Code officiel géographique (COG) files into the referential: regions,
departments, arrondissements and communes, in one transaction (``pvd data cog import``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from pvd.sources import catalogue
from pvd.sources.cog import CogFile
from pvd.sources.report import ImportReport, SourceError, TableCounts
from pvd.sources.tabular import ENCODING_LABELS, INCONSISTENT, UNKNOWN_VALUE, ErrorCollector
from pvd.territories.models import Arrondissement, Commune, Departement, Region
from pvd.territories.services import dataset_record, sample
from pvd.territories.sync import sync_rows
from pvd.territories.vanished import vanished_rows

COG_DATASET_PREFIX = "insee-cog-"
_DROM_REGIONS = {"01", "02", "03", "04", "06"}


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
                f"{sample(self.vanished_deleted)}"
            )
        return out


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
                publisher=catalogue.INSEE,
                licence=catalogue.LICENCE_OUVERTE,
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
    vanished_rows(existing, rows, f.rows, report, prune=prune)
