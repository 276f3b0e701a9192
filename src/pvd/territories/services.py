"""Writes to the territorial referential: the record of each dataset loaded and the embedded
referential snapshot; one transaction per service, nothing half-written.

The INSEE files have their own modules: :mod:`pvd.territories.cog_import` (COG) and
:mod:`pvd.territories.population_import` (legal populations); rows are written by
:func:`pvd.territories.sync.sync_rows`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from pvd.caching import bump_data_version
from pvd.sources.report import ImportReport
from pvd.sources.snapshot import Snapshot
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


def sample(items: list[str], limit: int = 20) -> str:
    """The first ``limit`` items of a report line, and how many more."""
    shown = ", ".join(items[:limit])
    return shown + (f" (+{len(items) - limit})" if len(items) > limit else "")
