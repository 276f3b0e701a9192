"""Import of the INSEE legal populations of one millésime, re-based onto the current communes
(``pvd data populations import``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from pvd.domain.rebase import Mapping, rebase
from pvd.sources import catalogue
from pvd.sources.population import PopulationFile
from pvd.sources.report import ImportReport
from pvd.sources.tabular import ENCODING_LABELS
from pvd.territories.current_geography import current_geography
from pvd.territories.models import Commune, Population
from pvd.territories.services import dataset_record, sample
from pvd.territories.sync import sync_rows

POPULATION_DATASET_PREFIX = "insee-populations-"


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
            out.append(f"  re-basés sur la commune actuelle ({len(moves)}) : {sample(moves)}")
        if self.reconstructed:
            out.append(
                "  reconstituées à partir de leurs arrondissements municipaux : "
                + ", ".join(self.reconstructed)
            )
        return out


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
        report.warnings.append(f"codes inconnus : {sample(result.unmapped)}")
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
            f"{sample(not_covered, 10)}"
        )
    with transaction.atomic():
        dataset = dataset_record(
            key=f"{POPULATION_DATASET_PREFIX}{m}",
            title=f"Populations légales {m} (population municipale)",
            publisher=catalogue.INSEE,
            licence=catalogue.LICENCE_OUVERTE,
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
