"""The national ORT tracking sheet declared on the import pipeline
(:mod:`pvd.programme.pipeline`).

- The ORT table mirrors the sheet inside its coverage (rows absent from it there are removed,
  logged); outside, nothing changes unless the import is ``national``.
- An ORT is signed only when its "Signée ?" column says "Signée" (a date alone is not a
  signature); rows whose status and date disagree are reported (:mod:`pvd.sources.ort_list`).
- Signed ORT fill the laureates' convention-cadre date (the PVD convention-cadre is the one
  *valant ORT*): inside the ORT coverage the date is re-derived from the rows now stored, so
  a row that is no longer signed, or no longer in the sheet, withdraws it
  (:mod:`pvd.programme.cadre`). Laureates are never deleted by it.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from pvd.programme.audit import Actor, assign_changes, change, deleted, fmt
from pvd.programme.cadre import derive_cadre_dates
from pvd.programme.import_report import (
    DEPARTEMENT_MISMATCH,
    PROGRAMME_MISMATCH,
    STATUS_DATE,
    RegistryImportReport,
)
from pvd.programme.models import Laureat, ListeImportee, Ort
from pvd.programme.pipeline import (
    ImportContext,
    ListSpec,
    run,
)
from pvd.sources import ort_list
from pvd.sources.pvd_list import Issue
from pvd.sources.report import TableCounts
from pvd.territories.services import dataset_record

ORT_FIELDS = (
    "signature",
    "date_signature",
    "date_envisagee",
    "duree_annees",
    "date_fin",
    "avancement",
    "statut_commune",
    "acv",
    "pvd",
    "code_source",
    "longitude",
    "latitude",
)


def _ort_check(row, info, programme, parsed, report: RegistryImportReport) -> None:
    if row.departement_prefix and row.departement_prefix != info.departement:
        report.issues.append(
            Issue(
                DEPARTEMENT_MISMATCH,
                f"{row.code} {info.nom} : département {row.departement_prefix} dans le fichier, "
                f"{info.departement} dans le référentiel (gardé)",
                row.line,
                row.code,
            )
        )
    if row.status_date_mismatch:
        report.issues.append(
            Issue(
                STATUS_DATE,
                f"{row.code} {info.nom} : {row.status_date_mismatch}",
                row.line,
                row.code,
            )
        )


def _ort_values(row, info) -> dict:
    return {
        "signature": row.signature,
        "date_signature": row.date_signature,
        "date_envisagee": row.date_envisagee,
        "duree_annees": row.duree_annees,
        "date_fin": row.date_fin,
        "avancement": row.avancement,
        "statut_commune": row.statut_commune,
        "acv": row.acv,
        "pvd": row.pvd,
        "code_source": row.code if row.code != info.code else "",
        "longitude": row.longitude,
        "latitude": row.latitude,
    }


def _ort_write(ctx: ImportContext) -> None:
    report, now = ctx.report, ctx.now
    report.ended_title = "ORT retirées du tableau"
    dataset_record(
        key="programme-ort",
        title=ort_list.TITLE,
        publisher=ort_list.PUBLISHER,
        licence=ort_list.LICENCE,
        url=ort_list.URL,
        vintage=ctx.millesime,
        version=Path(ctx.parsed.path).name,
        checksum=ctx.parsed.sha256,
        details={
            "rows": report.rows_read,
            "issues": dict(report.issue_counts()),
            "couverture": report.coverage_label,
        },
    )
    existing = {o.commune_id: o for o in Ort.objects.select_related("commune")}
    counts = TableCounts()
    to_create, to_update = [], []

    def ort_change(o: Ort, nom: str, dep: str, code: str, action: str, diff: dict):
        return change(
            ctx.actor,
            programme=None,
            objet="ort",
            objet_id=o.pk,
            libelle=f"ORT {nom} ({dep})",
            commune_code=code,
            action=action,
            changes=diff,
            at=now,
        )

    for row, info in ctx.wanted:
        values = _ort_values(row, info)
        ort = existing.get(info.pk)
        if ort is None:
            to_create.append((Ort(commune_id=info.pk, **values), info))
            continue
        diff = assign_changes(ort, values)
        if not diff:
            counts.unchanged += 1
            continue
        to_update.append(ort)
        report.changes.append(
            f"~ ORT {info.code} {info.nom} : "
            + ", ".join(f"{k} {fmt(a)} → {fmt(b)}" for k, (a, b) in diff.items())
        )
        ctx.log.append(ort_change(ort, info.nom, info.departement, info.code, "modification", diff))
    if to_create:
        created = Ort.objects.bulk_create([o for o, _ in to_create], batch_size=1000)
        for o, (_, info) in zip(created, to_create, strict=True):
            report.changes.append(f"+ ORT {info.code} {info.nom} ({o.get_signature_display()})")
            diff = {"signature": (None, o.signature), "date_signature": (None, o.date_signature)}
            ctx.log.append(ort_change(o, info.nom, info.departement, info.code, "creation", diff))
        counts.created = len(created)
    if to_update:
        Ort.objects.bulk_update(to_update, list(ORT_FIELDS), batch_size=1000)
        counts.updated = len(to_update)
    # The table mirrors the sheet inside its coverage only.
    in_file = {info.pk for _, info in ctx.wanted}
    stale = []
    for cid, o in existing.items():
        if cid in in_file:
            continue
        c = o.commune
        if not ctx.covers(departement=c.departement_id, region=c.region_id):
            report.outside_kept += 1
            continue
        stale.append(o)
        report.ended_by_region[c.region_id] += 1
        report.changes.append(f"- ORT {c.code} {c.nom} (absente du fichier)")
        report.ended.append(f"{c.nom} ({c.code}), ORT {o.get_signature_display().lower()}")
        ctx.log.append(
            deleted(
                ctx.actor,
                [o],
                programme=None,
                objet="ort",
                libelle=f"ORT {c.nom} ({c.departement_id})",
                commune_code=c.code,
                at=now,
                cascade=False,
            )
        )
    Ort.objects.filter(pk__in=[o.pk for o in stale]).delete()
    counts.deleted = len(stale)
    report.tables["ORT"] = counts
    _ort_laureates(ctx)


def _ort_laureates(ctx: ImportContext) -> None:
    """Laureates' convention-cadre date re-derived from the ORT rows now stored (see
    :mod:`pvd.programme.cadre`); membership cross-check."""
    report = ctx.report
    derive_cadre_dates(ctx, extra=ctx.coverage)
    flagged_pvd = {info.pk: row for row, info in ctx.wanted if row.pvd}
    pvd_members = set(
        Laureat.objects.filter(statut=Laureat.Statut.ACTIF, programme__slug="pvd").values_list(
            "commune_id", flat=True
        )
    )
    if pvd_members:
        for pk, row in flagged_pvd.items():
            if pk not in pvd_members:
                report.issues.append(
                    Issue(
                        PROGRAMME_MISMATCH,
                        f"{row.code} : marquée PVD dans le fichier, absente des lauréats PVD "
                        "du registre",
                        row.line,
                        row.code,
                    )
                )


def ort_import(
    *,
    path: Path,
    dry_run: bool = False,
    millesime: str | None = None,
    perimetre: str | None = None,
    national: bool = False,
    actor: Actor | None = None,
    confirm: bool = False,
) -> RegistryImportReport:
    """Import the national ORT tracking sheet (see :mod:`pvd.sources.ort_list`); its signed
    ORT fill the laureates' convention-cadre date (the PVD convention-cadre is the one
    *valant ORT*). Laureates are never deleted by it."""
    spec = ListSpec(
        nature=ListeImportee.Nature.ORT,
        source=lambda p, parsed: f"ORT — {Path(parsed.path).name}",
        parse=ort_list.read_ort_list,
        layout=lambda parsed: "tableau national de suivi des ORT",
        check=_ort_check,
        write=_ort_write,
    )
    with transaction.atomic():
        report = run(
            spec,
            path=path,
            programme=None,
            dry_run=dry_run,
            millesime=millesime,
            perimetre=perimetre,
            national=national,
            actor=actor,
            confirm=confirm,
        )
        report.ended_label = "ORT qui sortent du tableau"
        if dry_run:
            transaction.set_rollback(True)
    return report
