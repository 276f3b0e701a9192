"""Writes of the portrait de ville: import an indicator source, build every indicator.

One transaction each; a file that fails to parse raises :class:`SourceError` before anything is
written.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from pvd.caching import bump_data_version
from pvd.diagnostics.models import Build, SourceTable, TerritoryValues
from pvd.diagnostics.packing import packed_chunks
from pvd.diagnostics.published import known_territories, published_frame, published_of
from pvd.domain import centrality, replacement
from pvd.domain import peers as peers_domain
from pvd.domain.indicators import engine
from pvd.domain.indicators.catalogue import indicators
from pvd.domain.observations import rebase_observations
from pvd.sources import catalogue
from pvd.sources.indicator_inputs import KINDS, REFERENTIAL_SOURCE
from pvd.sources.insee_bpe import read_gammes
from pvd.sources.report import (
    ConfirmationRequired,
    ImportReport,
    SourceError,
    TableCounts,
    frame_counts,
)
from pvd.territories.current_geography import current_geography
from pvd.territories.models import Commune, Population
from pvd.territories.services import SNAPSHOT_DATASET, dataset_record

OBS_KEY = ("code", "variable", "millesime")


def _frame_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_ipc(buffer, compression="zstd")
    return buffer.getvalue()


def frame_of(table: SourceTable) -> pl.DataFrame:
    return pl.read_ipc(io.BytesIO(bytes(table.frame)))


def vintage_label(years: list[int]) -> str:
    """Millésimes in words, runs of three or more consecutive years as a range: "1968, 1975,
    2011 à 2022"; within the 64 characters of ``Dataset.vintage`` (yearly flows since 2009
    would not fit one by one)."""
    if not years:
        return "sans millésime"
    runs: list[list[int]] = []
    for y in sorted(set(years)):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    parts = []
    for run in runs:
        parts.extend([f"{run[0]} à {run[-1]}"] if len(run) >= 3 else map(str, run))
    text = ", ".join(parts)
    if len(text) > 64:
        text = f"{min(years)} à {max(years)} ({len(set(years))} millésimes)"
    return text


def default_gammes() -> dict[str, str]:
    """TYPEQU -> gamme of the embedded reading of the INSEE lists, the one the centrality model
    uses (so that the portrait's counts per gamme and the centrality levels agree)."""
    names = {"P": "proximite", "I": "intermediaire", "S": "superieure"}
    return {typequ: names[g] for typequ, g in centrality.GAMMES.items()}


def indicator_source_import(
    *,
    kind: str,
    path: Path,
    millesime: int | None = None,
    gammes: Path | None = None,
    dry_run: bool = False,
    confirm: bool = False,
) -> ImportReport:
    """Import one official file feeding indicators (replaces the previous file of that kind).

    Contract: the file is parsed and checked whole first (SourceError, nothing written); codes
    are re-based onto the current geography (moves, unknown codes and dropped non-additive values
    are reported); the observations are stored with a Dataset record. Idempotent: importing the
    same file again reports it unchanged. Run ``pvd indicators build`` afterwards.

    A file that would remove more than ``replacement.MAX_LOSS_SHARE`` of the (territory,
    variable) values of the file it replaces (header only, truncated, one department...) is
    refused (:class:`ConfirmationRequired`, nothing written) unless ``confirm``; the dry run
    says so. A first import is never refused.
    """
    spec = KINDS.get(kind)
    if spec is None:
        raise SourceError(
            str(path), f"type de fichier inconnu « {kind} » (attendu : {', '.join(KINDS)})"
        )
    if kind == "bpe":
        parsed = spec.read(
            path, millesime=millesime, gammes=read_gammes(gammes) if gammes else default_gammes()
        )
    else:
        parsed = spec.read(path)
    if not Commune.objects.exists():
        raise SourceError(str(path), "référentiel vide : lancez d'abord `pvd data load`")
    obs, rebase = rebase_observations(
        parsed.observations, current_geography(), additive=spec.additive
    )
    source = catalogue.get(spec.source)
    report = ImportReport(source=f"{spec.title} ({parsed.path})", dry_run=dry_run)
    if kind == "bpe":
        report.warnings.append(
            f"types d'équipements par gamme : {gammes}"
            if gammes
            else "types d'équipements par gamme : liste embarquée (lecture des listes INSEE "
            "2013-2017, pvd.domain.centrality.GAMMES) ; --gammes FICHIER pour une autre liste"
        )
    report.warnings.extend(rebase.lines(arm_skips=False))
    for reason, count in rebase.skipped_rows.items():
        report.skipped[reason] += count
    if parsed.ignored_rows:
        report.skipped["lignes d'autres territoires ou mesures (arrondissements…), non lues"] = (
            parsed.ignored_rows
        )
    if parsed.missing_values:
        report.skipped["valeurs secrètes ou manquantes, gardées manquantes"] = parsed.missing_values
    report.skipped.update(parsed.skipped)
    published = known_territories(parsed.published, report)
    counts = TableCounts()
    with transaction.atomic():
        existing = SourceTable.objects.filter(kind=kind).select_related("dataset").first()
        previous = frame_of(existing) if existing is not None else None
        report.tables["observations"] = frame_counts(previous, obs, OBS_KEY)
        loss = replacement.keys_loss(
            previous, obs, ("code", "variable"), "valeurs (territoire × variable)"
        )
        if loss.needs_confirmation:
            if not dry_run and not confirm:
                raise ConfirmationRequired(str(path), loss.message())
            report.warnings.append(
                loss.message()
                + (" (confirmé)" if confirm else " : l'import réel demandera --confirmer")
            )
        if published is not None or (existing is not None and existing.published):
            report.tables["valeurs publiées des territoires (EPCI, départements…)"] = frame_counts(
                published_of(existing) if existing is not None else None,
                published
                if published is not None
                else pl.DataFrame(schema=engine.PUBLISHED_SCHEMA),
                ("level", "code", "variable", "millesime"),
            )
        if existing is not None and existing.dataset.checksum == parsed.sha256:
            counts.unchanged = 1
        else:
            dataset = dataset_record(
                key=f"indicateurs-{kind}",
                title=spec.title,
                publisher=source.publisher if source else "INSEE",
                licence=source.licence if source else "Licence Ouverte 2.0 (Etalab)",
                url=source.page if source else "",
                vintage=vintage_label(parsed.millesimes),
                version=Path(parsed.path).name,
                checksum=parsed.sha256,
                details={
                    "file": parsed.path,
                    "encoding": parsed.encoding,
                    "separator": parsed.separator,
                    "rows": parsed.rows,
                    "columns": parsed.columns,
                    "rebase": rebase.lines(),
                },
            )
            values = dict(
                dataset=dataset,
                millesimes=parsed.millesimes,
                variables=obs.get_column("variable").n_unique(),
                observations=obs.height,
                frame=_frame_bytes(obs),
                published=_frame_bytes(published) if published is not None else None,
            )
            if existing is None:
                SourceTable.objects.create(kind=kind, **values)
                counts.created = 1
            else:
                for k, v in values.items():
                    setattr(existing, k, v)
                existing.save()
                counts.updated = 1
        report.tables = {"fichier source": counts, **report.tables}
        if dry_run:
            transaction.set_rollback(True)
    return report


# --- build -------------------------------------------------------------------------------------


@dataclass
class BuildReport:
    values: int = 0
    communes: int = 0
    peers: int = 0
    seconds_compute: float = 0.0
    seconds_store: float = 0.0
    missing: dict[str, list[str]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [
            f"{self.values} valeurs d'indicateurs calculées pour {self.communes} communes et "
            f"leurs EPCI, départements, régions et la France ; {self.peers} communes similaires",
            f"  calcul : {self.seconds_compute:.1f} s ; enregistrement : {self.seconds_store:.1f} s",
        ]
        for ind_id, lacking in sorted(self.missing.items()):
            out.append(f"  non calculé : {ind_id} (données manquantes : {', '.join(lacking)})")
        return out


def geography_frame() -> pl.DataFrame:
    rows = Commune.objects.filter(type=Commune.Type.COM).values_list(
        "code", "epci_id", "departement_id", "region_id"
    )
    return pl.DataFrame(list(rows), schema=["code", "epci", "dep", "reg"], orient="row").cast(
        pl.String
    )


def observations_frame(geo: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, str]]:
    """Every observation the indicators read: the referential's populations (``population``
    per millésime, ``pop_ref`` = latest) and the imported source tables. Returns the frame and
    the datasets used (source name -> dataset key)."""
    query = Population.objects.filter(commune__type=Commune.Type.COM).values_list(
        "commune__code", "millesime", "population"
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:  # 140k rows: tuples from the driver, no ORM per row
        cursor.execute(sql, params)
        pops = pl.DataFrame(
            cursor.fetchall(),
            schema={"code": pl.String, "millesime": pl.Int32, "value": pl.Float64},
            orient="row",
        )
    parts = [
        pops.select("code", pl.lit("population").alias("variable"), "millesime", "value"),
        pops.sort("millesime")
        .group_by("code")
        .last()
        .select(
            "code",
            pl.lit("pop_ref").alias("variable"),
            pl.lit(0, pl.Int32).alias("millesime"),
            "value",
        ),
    ]
    used = {REFERENTIAL_SOURCE: SNAPSHOT_DATASET}
    wanted = {v for ind in indicators() for v in ind.inputs}
    for table in SourceTable.objects.select_related("dataset").order_by("kind"):
        frame = frame_of(table)
        derive = KINDS[table.kind].derive
        if derive is not None:
            frame = derive(frame)
        frame = frame.filter(pl.col("variable").is_in(wanted))
        if table.kind == "bpe":
            # A commune absent from the BPE for a type has none of it: 0, not missing; but only
            # in the departments the file covers (an extract of some departments says nothing
            # of the others: missing there, never 0).
            covered = geo.join(frame.select("code").unique(), on="code").select("dep").unique()
            grid = (
                geo.join(covered, on="dep")
                .select("code")
                .join(frame.select("variable", "millesime").unique(), how="cross")
            )
            frame = (
                grid.join(frame, on=["code", "variable", "millesime"], how="left")
                .with_columns(pl.col("value").fill_null(0.0))
                .select(frame.columns)
            )
        parts.append(frame.select(list(engine.OBS_SCHEMA)).cast(engine.OBS_SCHEMA))
        used[KINDS[table.kind].source] = table.dataset.key
    return pl.concat(parts), used


def indicators_build(*, peers_k: int = peers_domain.K) -> BuildReport:
    """Compute every indicator for every commune and aggregate, and the similar towns; replace
    the stored values in one transaction (pages keep showing the previous build meanwhile)."""
    start = time.perf_counter()
    geo = geography_frame()
    obs, used = observations_frame(geo)
    result = engine.build(obs, geo, published=published_frame())
    del obs  # not needed by the similar towns and the packing below
    similar = peers_domain.similar_communes(result.values, k=peers_k)
    report = BuildReport(
        values=result.values.height,
        communes=geo.height,
        peers=similar.height,
        missing=result.missing,
        seconds_compute=time.perf_counter() - start,
    )
    start = time.perf_counter()
    with transaction.atomic():
        TerritoryValues.objects.all().delete()
        # Packed inside the transaction, a chunk at a time (about 0.9 s in all): the whole
        # packing held at once was the build's peak memory.
        for rows in packed_chunks(result.values, similar):
            _insert(TerritoryValues, rows)
        report.seconds_store = time.perf_counter() - start
        Build.objects.create(
            built_at=timezone.now(),
            duration_ms=int((report.seconds_compute + report.seconds_store) * 1000),
            values=report.values,
            communes=report.communes,
            datasets=used,
            missing=result.missing,
        )
        bump_data_version()  # portraits, similar towns, dashboards' figures
    report.seconds_store = time.perf_counter() - start
    return report


def _insert(model, frame: pl.DataFrame) -> None:
    """Bulk insert of a frame whose columns are the model's fields (JSON columns as JSON
    text): COPY on PostgreSQL, ``executemany`` elsewhere."""
    table = model._meta.db_table
    columns = frame.columns
    names = ", ".join(f'"{c}"' for c in columns)
    rows = zip(*(frame.get_column(c).to_list() for c in columns), strict=True)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
