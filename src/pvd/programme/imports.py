"""The registry's lists declared on the import pipeline (:mod:`pvd.programme.pipeline`):
laureates of a programme here, the national ORT sheet in :mod:`pvd.programme.ort_import`.

Rules of the lists:
- the file is the authority for the values it carries; an empty value (``NA``, blank) never
  erases a value already in the registry (it means "not reported", not "none");
- laureates absent from a list *inside its coverage* are not deleted (their notes and history
  stay) but marked "sorti du programme"; outside the coverage they are left alone;
- the ORT table mirrors the sheet inside its coverage; an ORT is signed only when its
  "Signée ?" column says so (a date alone is not a signature), and rows whose status and date
  disagree are reported.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from pvd.programme import groups
from pvd.programme.audit import Actor, assign_changes, change, fmt, laureate_change
from pvd.programme.cadre import derive_cadre_dates
from pvd.programme.import_report import (
    DEPARTEMENT_MISMATCH,
    EPCI_MISMATCH,
    GROUP_MISMATCH,
    NO_GROUP,
    RegistryImportReport,
)
from pvd.programme.models import Laureat, ListeImportee
from pvd.programme.pipeline import (
    ImportContext,
    ListSpec,
    run,
)
from pvd.programme.programmes import programme_get
from pvd.sources import pvd_list
from pvd.sources.pvd_list import Issue, id_pvd_parts
from pvd.sources.report import TableCounts
from pvd.territories.services import dataset_record

LAUREAT_FIELDS = (
    "groupe_id",
    "statut",
    "date_selection",
    "date_convention_adhesion",
    "date_chef_projet",
    "date_convention_cadre",
    "date_sortie",
    "notes",
    "code_source",
)


# --- Laureates -------------------------------------------------------------------------------


def _laureate_check(row, info, programme, parsed, report: RegistryImportReport) -> None:
    if row.departement and row.departement != info.departement:
        report.issues.append(
            Issue(
                DEPARTEMENT_MISMATCH,
                f"{row.code} {info.nom} : département {row.departement} dans le fichier, "
                f"{info.departement} dans le référentiel (gardé)",
                row.line,
                row.code,
            )
        )
    if row.siren_epci and row.siren_epci != info.epci:
        report.issues.append(
            Issue(
                EPCI_MISMATCH,
                f"{row.code} {info.nom} : EPCI {row.siren_epci} {row.lib_epci} dans le fichier, "
                f"{info.epci or 'aucun'} dans le référentiel (gardé)",
                row.line,
                row.code,
            )
        )
    if row.id_pvd and (parts := id_pvd_parts(row.id_pvd)):
        region, deps = parts
        if region != info.region or info.departement not in deps:
            report.issues.append(
                Issue(
                    GROUP_MISMATCH,
                    f"{row.code} {info.nom} (région {info.region}, département "
                    f"{info.departement}) : identifiant de groupe {row.id_pvd}",
                    row.line,
                    row.code,
                )
            )
    has_group_column = "ID_PVD" in {c.upper() for c in parsed.columns}
    if has_group_column and not row.id_pvd and programme.avec_groupes:
        report.issues.append(
            Issue(
                NO_GROUP,
                f"{row.code} {info.nom} : pas d'identifiant de groupe",
                row.line,
                row.code,
            )
        )


def _laureate_writer(selection_date: date | None):
    def write(ctx: ImportContext) -> None:
        programme, report, now = ctx.programme, ctx.report, ctx.now
        dataset = dataset_record(
            key=f"programme-{programme.slug}-laureats",
            title=pvd_list.TITLE
            if programme.slug == "pvd"
            else f"Liste des communes {programme.nom}",
            publisher=pvd_list.PUBLISHER,
            licence=pvd_list.LICENCE,
            url=pvd_list.URL if programme.slug == "pvd" else programme.url,
            vintage=ctx.millesime,
            version=Path(ctx.parsed.path).name,
            checksum=ctx.parsed.sha256,
            details={
                "layout": ctx.parsed.layout,
                "rows": report.rows_read,
                "issues": dict(report.issue_counts()),
                "couverture": report.coverage_label,
            },
        )
        if programme.dataset_id != dataset.pk:
            programme.dataset = dataset
            programme.save(update_fields=["dataset"])
        groups_by_code = groups.sync(programme, ctx)
        existing = {
            lau.commune_id: lau
            for lau in Laureat.objects.filter(programme=programme).select_related(
                "commune", "groupe"
            )
        }
        # Groups that had an active laureate before this list: if one carrying a project has
        # none after it, its project becomes read-only (listed, needs a confirmation).
        was_active = {
            lau.groupe_id for lau in existing.values() if lau.statut == Laureat.Statut.ACTIF
        }
        counts = TableCounts()
        to_create: list[tuple[Laureat, object]] = []
        to_update: list[Laureat] = []
        for row, info in ctx.wanted:
            values = {"statut": Laureat.Statut.ACTIF, "date_sortie": None}
            if row.id_pvd and row.id_pvd in groups_by_code:
                values["groupe_id"] = groups_by_code[row.id_pvd].pk
            if row.date_signature:
                values["date_convention_adhesion"] = row.date_signature
            if row.date_selection:
                values["date_selection"] = row.date_selection
            values["code_source"] = row.code if row.code != info.code else ""
            lau = existing.get(info.pk)
            if lau is None:
                if selection_date and "date_selection" not in values:
                    values["date_selection"] = selection_date
                to_create.append((Laureat(programme=programme, commune_id=info.pk, **values), info))
                continue
            if selection_date and lau.date_selection is None and "date_selection" not in values:
                values["date_selection"] = selection_date
            diff = assign_changes(lau, values)
            if not diff:
                counts.unchanged += 1
                continue
            lau.updated_at = now
            to_update.append(lau)
            report.changes.append(
                f"~ {info.code} {info.nom} : "
                + ", ".join(f"{k} {fmt(a)} → {fmt(b)}" for k, (a, b) in diff.items())
            )
            ctx.log.append(laureate_change(ctx, lau, "modification", diff))
        # Laureates absent from the file leave the programme (kept, with their history), but
        # only inside the list's coverage: a one-region list says nothing about the others.
        in_file = {info.pk for _, info in ctx.wanted}
        for commune_id, lau in existing.items():
            if commune_id in in_file or lau.statut == Laureat.Statut.SORTI:
                continue
            c = lau.commune
            if not ctx.covers(departement=c.departement_id, region=c.region_id):
                report.outside_kept += 1
                continue
            diff = {
                "statut": (lau.statut, Laureat.Statut.SORTI),
                "date_sortie": (lau.date_sortie, timezone.localdate(now)),
            }
            lau.statut = Laureat.Statut.SORTI
            lau.date_sortie = timezone.localdate(now)
            lau.updated_at = now
            to_update.append(lau)
            report.ended_by_region[c.region_id] += 1
            group = f", groupe {lau.groupe.code}" if lau.groupe_id else ""
            report.ended.append(f"{c.nom} ({c.code}){group}")
            report.changes.append(
                f"- {c.code} {c.nom} : absente du fichier, marquée « sortie du programme »"
            )
            ctx.log.append(laureate_change(ctx, lau, "modification", diff))
        if to_create:
            created = Laureat.objects.bulk_create([lau for lau, _ in to_create], batch_size=1000)
            for lau, (_, info) in zip(created, to_create, strict=True):
                report.changes.append(f"+ {info.code} {info.nom} ({info.departement})")
                ctx.log.append(
                    change(
                        ctx.actor,
                        programme=programme,
                        objet="laureat",
                        objet_id=lau.pk,
                        libelle=f"{info.nom} ({info.departement})",
                        commune_code=info.code,
                        action="creation",
                        changes={
                            k: (None, getattr(lau, k))
                            for k in LAUREAT_FIELDS
                            if getattr(lau, k) not in (None, "")
                        },
                        at=now,
                    )
                )
            counts.created = len(created)
        if to_update:
            Laureat.objects.bulk_update(to_update, [*LAUREAT_FIELDS, "updated_at"], batch_size=1000)
            counts.updated = len(to_update)
        report.tables["lauréats"] = counts
        groups.delete_empty(programme, ctx, was_active=was_active)
        # The convention-cadre date comes from the ORT sheet, whichever was imported first.
        derive_cadre_dates(ctx, programme=programme)

    return write


def laureates_import(
    *,
    path: Path,
    programme_slug: str = "pvd",
    dry_run: bool = False,
    millesime: str | None = None,
    selection_date: date | None = None,
    perimetre: str | None = None,
    national: bool = False,
    actor: Actor | None = None,
    confirm: bool = False,
) -> RegistryImportReport:
    """Import an official list of a programme's laureate communes (see
    :mod:`pvd.sources.pvd_list`). Its coverage is inferred from its rows (regions), stated with
    ``perimetre`` ("reg:75,dep:23") or ``national``; only laureates inside it change.
    ``selection_date`` fills the selection date of laureates that have none."""
    with transaction.atomic():
        programme = programme_get(slug=programme_slug)
        spec = ListSpec(
            nature=ListeImportee.Nature.LAUREATS,
            source=lambda p, parsed: f"Lauréats {p.nom} — {Path(parsed.path).name}",
            parse=pvd_list.read_programme_list,
            layout=lambda parsed: parsed.layout,
            check=_laureate_check,
            write=_laureate_writer(selection_date),
        )
        report = run(
            spec,
            path=path,
            programme=programme,
            dry_run=dry_run,
            millesime=millesime,
            perimetre=perimetre,
            national=national,
            actor=actor,
            confirm=confirm,
        )
        if dry_run:
            transaction.set_rollback(True)
    return report


def ort_import(**kwargs) -> RegistryImportReport:
    """See :func:`pvd.programme.ort_import.ort_import`."""
    from pvd.programme.ort_import import ort_import as run

    return run(**kwargs)
