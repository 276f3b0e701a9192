"""One import pipeline for the registry's lists (laureates of a programme, the ORT sheet, and
the next ones):

    parse (pure, whole file) → resolve on the current geography → coverage (inferred, stated
    or national) → diff *within the coverage* → write in one transaction → change log → report

A list is a declaration on this pipeline (:class:`ListSpec`): how to read it, which checks to
run on each resolved row, and how to write its rows. The pipeline owns everything else, so the
rules are the same for every list:
- atomic (all or nothing) and idempotent (a second run of the same file changes nothing); a
  dry run computes and reports everything, then rolls back;
- codes of merged communes go to the current commune (reported); unknown codes, duplicates and
  rows outside a stated coverage are reported with their line and skipped;
- a list only speaks for its coverage: what it does not list *inside* its coverage ends (or is
  removed); outside, nothing changes, unless the import is explicitly ``national``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from pvd.caching import bump_data_version
from pvd.domain import coverage as cov
from pvd.domain.rebase import CurrentGeography
from pvd.programme.audit import Actor
from pvd.programme.import_geography import current_communes
from pvd.programme.import_report import (
    DUPLICATE,
    ISSUE_LABELS,
    MERGED_CODE,
    OUTSIDE,
    SKIPPING,
    UNKNOWN_CODE,
    RegistryImportReport,
)
from pvd.programme.models import Changement, ListeImportee, Programme
from pvd.sources.pvd_list import Issue
from pvd.sources.report import ConfirmationRequired, SourceError
from pvd.territories.models import Departement, Region


def resolve(
    code: str,
    line: int,
    current: dict[str, Any],
    geo: CurrentGeography,
    report: RegistryImportReport,
    seen: dict[int, int],
):
    """The current commune (``CommuneInfo``) a file code designates, reporting unknown,
    merged and duplicate codes."""
    target = geo.target_of(code)
    if code in geo.arrondissements:
        # A programme lists communes: an arrondissement is not placed on its city silently.
        report.issues.append(
            Issue(
                UNKNOWN_CODE,
                f"code « {code} » : arrondissement municipal de {geo.arrondissements[code]}, "
                "pas une commune (la liste doit donner le code de la commune)",
                line,
                code,
            )
        )
        return None
    if target is None or target not in current:
        report.issues.append(
            Issue(
                UNKNOWN_CODE,
                f"code commune « {code} » inconnu du référentiel (COG en vigueur)",
                line,
                code,
            )
        )
        return None
    info = current[target]
    if target != code:
        how = (
            "commune déléguée/associée" if code in geo.delegated_parent else "ancien code (fusion)"
        )
        report.issues.append(
            Issue(
                MERGED_CODE,
                f"{code} ({how}) rattaché à la commune actuelle {target} {info.nom}",
                line,
                code,
            )
        )
    if info.pk in seen:
        report.issues.append(
            Issue(
                DUPLICATE,
                f"{code} : commune {target} {info.nom} déjà lue ligne {seen[info.pk]}",
                line,
                code,
            )
        )
        return None
    seen[info.pk] = line
    return info


@dataclass
class ImportContext:
    """What a list's writer gets: resolved rows inside the coverage, and where to log."""

    programme: Programme | None
    report: RegistryImportReport
    wanted: list[tuple[Any, Any]]  # (parsed row, CommuneInfo)
    coverage: cov.Coverage
    actor: Actor
    now: datetime
    millesime: str
    parsed: Any
    log: list[Changement] = field(default_factory=list)

    def covers(self, *, departement: str, region: str) -> bool:
        return self.coverage.covers_commune(departement=departement, region=region)


@dataclass(frozen=True)
class ListSpec:
    """A registry list declared on the pipeline."""

    nature: str  # ListeImportee.Nature
    source: Callable[[Programme | None, Any], str]  # report title
    parse: Callable[[Path], Any]  # -> object with path, encoding, sha256, rows, issues
    layout: Callable[[Any], str]
    check: Callable[[Any, Any, Programme | None, Any, RegistryImportReport], None]
    write: Callable[[ImportContext], None]


def region_departements() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {r: [] for r in Region.objects.values_list("code", flat=True)}
    for code, reg in Departement.objects.values_list("code", "region_id"):
        out.setdefault(reg, []).append(code)
    return out


def _coverage(
    report: RegistryImportReport,
    wanted: list,
    *,
    perimetre: str | None,
    national: bool,
) -> tuple[cov.Coverage, list]:
    """The list's coverage (national, stated or inferred) and the rows inside it."""
    if national:
        report.coverage_mode = ListeImportee.Mode.NATIONAL
        return cov.Coverage(national=True), wanted
    if perimetre:
        try:
            stated = cov.parse_perimetre(
                perimetre,
                regions=Region.objects.values_list("code", flat=True),
                departements=Departement.objects.values_list("code", flat=True),
            )
        except cov.PerimetreError as exc:
            raise SourceError(report.file, f"--perimetre : {exc}") from exc
        report.coverage_mode = (
            ListeImportee.Mode.NATIONAL if stated.national else ListeImportee.Mode.DECLARE
        )
        inside = []
        for row, info in wanted:
            if stated.covers_commune(departement=info.departement, region=info.region):
                inside.append((row, info))
            else:
                report.issues.append(
                    Issue(
                        OUTSIDE,
                        f"{info.code} {info.nom} (département {info.departement}, région "
                        f"{info.region}) hors du périmètre déclaré",
                        row.line,
                        row.code,
                    )
                )
        return stated, inside
    report.coverage_mode = ListeImportee.Mode.DEDUIT
    return cov.infer((info.departement, info.region) for _, info in wanted), wanted


def _record_list(ctx: ImportContext, nature: str) -> None:
    """One ``ListeImportee`` per distinct (file content, coverage): re-importing the same file
    with the same coverage records nothing new (idempotence)."""
    c = ctx.coverage
    values = {
        "programme": ctx.programme,
        "nature": nature,
        "sha256": ctx.parsed.sha256,
        "mode": ctx.report.coverage_mode,
        "national": c.national,
        "regions": sorted(c.regions),
        "departements": sorted(c.departements),
    }
    if ListeImportee.objects.filter(**values).exists():
        return
    ListeImportee.objects.create(
        **values,
        fichier=Path(ctx.parsed.path).name[:300],
        millesime=ctx.millesime[:100],
        lignes=ctx.report.rows_read,
        at=ctx.now,
    )


def run(
    spec: ListSpec,
    *,
    path: Path,
    programme: Programme | None,
    dry_run: bool,
    millesime: str | None,
    perimetre: str | None,
    national: bool,
    actor: Actor | None,
    confirm: bool = False,
) -> RegistryImportReport:
    """Run the pipeline for one file (the caller wraps it in the dry-run transaction).

    What ends (``report.ended``) or becomes read-only (``report.detached``) is written only
    with ``confirm``: otherwise the import raises :class:`ConfirmationRequired` (nothing is
    written, the list is in the message). A dry run lists them and never needs it."""
    parsed = spec.parse(Path(path))
    actor = actor or Actor.import_of(parsed.path)
    report = RegistryImportReport(
        source=spec.source(programme, parsed),
        dry_run=dry_run,
        file=parsed.path,
        encoding=parsed.encoding,
        layout=spec.layout(parsed),
        rows_read=len(parsed.rows) + sum(1 for i in parsed.issues if i.code == "invalid-code"),
    )
    report.issues.extend(parsed.issues)
    current, geo = current_communes()
    seen: dict[int, int] = {}
    wanted = []
    for row in parsed.rows:
        info = resolve(row.code, row.line, current, geo, report, seen)
        if info is None:
            continue
        spec.check(row, info, programme, parsed, report)
        wanted.append((row, info))
    coverage, wanted = _coverage(report, wanted, perimetre=perimetre, national=national)
    report.coverage = coverage
    report.coverage_label = coverage.label(dict(Region.objects.values_list("code", "nom")))
    report.skipped.update(ISSUE_LABELS[i.code] for i in report.issues if i.code in SKIPPING)
    with transaction.atomic():
        ctx = ImportContext(
            programme=programme,
            report=report,
            wanted=wanted,
            coverage=coverage,
            actor=actor,
            now=timezone.now(),
            millesime=millesime or vintage_from_name(parsed.path),
            parsed=parsed,
        )
        spec.write(ctx)
        if not dry_run and not confirm and (report.ended or report.detached):
            raise ConfirmationRequired(
                report.file,
                "import refusé sans confirmation : "
                + " ; ".join(
                    part
                    for part in (
                        f"{len(report.ended)} {report.ended_title}" if report.ended else "",
                        f"{len(report.detached)} projet(s) de territoire qui passent en lecture "
                        "seule"
                        if report.detached
                        else "",
                    )
                    if part
                ),
                items=report.confirmation_items(),
            )
        _record_list(ctx, spec.nature)
        Changement.objects.bulk_create(ctx.log, batch_size=1000)
        if not dry_run:
            bump_data_version()  # dashboards, home, portraits and commune pages show the registry
    return report


def vintage_from_name(path: str) -> str:
    import re

    m = re.search(r"(20\d\d)(?:[-_](\d\d))?", Path(path).name)
    if not m:
        return f"importé le {timezone.localdate():%d/%m/%Y}"
    return f"{m.group(1)}-{m.group(2)}" if m.group(2) else m.group(1)
