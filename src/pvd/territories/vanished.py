"""Rows of the referential that a COG file no longer lists ("vanished"): found within the
departments the file covers, kept when data refer to them, deleted only on ``--prune``."""

from __future__ import annotations

from pvd.territories.models import Commune
from pvd.territories.services import sample

_IN_BATCH = 500  # ids per `__in` query (SQLite caps the number of bound variables)


def _chunks(items: list, size: int = _IN_BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def vanished_rows(
    existing: dict, rows: list[dict], file_rows: list, report, *, prune: bool
) -> None:
    """Fill ``report`` (a CogImportReport) with the rows of ``existing`` (by (code, type)) absent
    from ``file_rows`` within the departments of ``rows``; delete the unreferenced ones when
    ``prune``. Runs inside the import's transaction."""
    covered = {row["departement_id"] for row in rows}
    in_file = {(r.code, r.type) for r in file_rows}
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
            f"{sample(report.vanished_kept)}"
        )
    if report.vanished_unreferenced:
        report.warnings.append(
            f"{len(report.vanished_unreferenced)} lignes du référentiel absentes du fichier, sans "
            f"données rattachées, conservées (--prune pour les supprimer) : "
            f"{sample(report.vanished_unreferenced)}"
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
