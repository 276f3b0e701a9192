"""Writes of the territories' geometries (location maps): commune centres, department contours.

One transaction per import; the file is checked whole first (:mod:`pvd.sources.geo`), so a bad
file changes nothing. Idempotent: the same file again reports every row unchanged. A code the
referential does not know is skipped and counted, never silently dropped.
"""

from __future__ import annotations

from django.db import transaction

from pvd.sources import catalogue
from pvd.sources.geo import GeoFile
from pvd.sources.report import ImportReport, TableCounts
from pvd.territories.models import Commune, Departement, GeoFeature
from pvd.territories.services import dataset_record
from pvd.territories.sync import sync_rows

# level -> catalogue source describing the file (title, publisher, licence, vintage, page).
SOURCES = {
    "commune": "geo-api-communes-centres",
    "departement": "anct-contours-departements",
}
LABELS = {"commune": "centres des communes", "departement": "contours des départements"}


def geo_import(*, geo: GeoFile, dry_run: bool = False) -> ImportReport:
    source = catalogue.get(SOURCES[geo.level])
    report = ImportReport(source=f"{source.title} ({geo.path})", dry_run=dry_run)
    if geo.level == "commune":
        known = set(Commune.objects.filter(type=Commune.Type.COM).values_list("code", flat=True))
    else:
        known = set(Departement.objects.values_list("code", flat=True))
    unknown = [r.code for r in geo.records if r.code not in known]
    if unknown:
        report.skipped[
            "codes absents du référentiel (arrondissements municipaux, collectivités d'outre-mer, anciennes communes)"
        ] = len(unknown)
        report.warnings.append(
            f"{len(unknown)} codes ignorés, absents du référentiel : {', '.join(unknown[:10])}"
            + ("…" if len(unknown) > 10 else "")
        )
    missing = len(known) - (len(geo.records) - len(unknown))
    if missing:
        report.warnings.append(
            f"{missing} {'communes' if geo.level == 'commune' else 'départements'} du référentiel "
            "sans géométrie dans ce fichier : leur carte reste la carte de repli"
        )
    with transaction.atomic():
        dataset = dataset_record(
            key=f"geo-{geo.level}",
            title=source.title,
            publisher=source.publisher,
            licence=source.licence,
            url=source.page,
            vintage=source.vintage,
            version=geo.path.rsplit("/", 1)[-1],
            checksum=geo.sha256,
            details={"file": geo.path, "features": len(geo.records), "skipped": len(unknown)},
        )
        rows = [
            {
                "level": geo.level,
                "code": r.code,
                "nom": r.nom[:100],
                "geometry": r.geometry,
                "dataset_id": dataset.pk,
            }
            for r in geo.records
            if r.code in known
        ]
        counts: TableCounts = sync_rows(
            GeoFeature, ("level", "code"), rows, scope={"level": geo.level}
        )
        report.tables[LABELS[geo.level]] = counts
        if dry_run:
            transaction.set_rollback(True)
    return report
