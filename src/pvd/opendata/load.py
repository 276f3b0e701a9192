"""Load the embedded open data (src/pvd/data/opendata, built by scripts/build_opendata.py) into
the database through the existing importers: `pvd data load` and `pvd serve` on an empty
database call :func:`opendata_load`.

Order: referential, geography (commune centres, department contours), official centrality and
typologies, indicator inputs then the indicator build, laureate lists (January 2021 then 2024),
ACV, the ORT sheet, then the learned selection model. Each product:

- is checked against the manifest's SHA-256 before it is read (a mismatch stops the load);
- goes through the same service as `pvd ... import` (same validation, same reports), in one
  transaction with the record of what was loaded (a ``Dataset`` row ``opendata:<file>`` holding
  the file's SHA-256 and the date), so a product already loaded is skipped (idempotent);
- never overwrites newer imported data: when the database already holds a later or equal
  vintage of that product imported from an official file (a later laureate list or ORT sheet in
  ``ListeImportee``, a later census or Filosofi millésime, a typology or contours imported from
  another file), it is skipped and the reason is said.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction

from pvd.opendata.kinds import LOADERS, NEWER
from pvd.opendata.manifest import (
    OPENDATA_DIR,
    PRODUCTS,
    RECORD_PREFIX,
    Product,
    checked_bytes,
    read_manifest,
)
from pvd.opendata.report import LoadReport, Step, counts
from pvd.sources.report import ConfirmationRequired, SourceError
from pvd.territories.models import Commune, Dataset
from pvd.territories.services import dataset_record, referential_load_snapshot


def _record(product: Product, entry: dict) -> None:
    dataset_record(
        key=RECORD_PREFIX + product.file,
        title=entry["title"],
        publisher=entry["publisher"],
        licence=entry["licence"],
        url=entry["url"],
        vintage=entry["vintage"][:64],
        version=f"données ouvertes embarquées : {product.file}",
        checksum=entry["sha256"],
        details={"rows": entry["rows"], "inputs": entry["inputs"]},
    )


def load_product(product: Product, entry: dict, directory: Path, workdir: Path) -> Step:
    start = time.perf_counter()
    done = Dataset.objects.filter(key=RECORD_PREFIX + product.file).first()
    if done is not None and done.checksum == entry["sha256"]:
        return Step(product.label, "déjà chargé", time.perf_counter() - start)
    content = checked_bytes(directory, entry)
    sha = hashlib.sha256(content).hexdigest()  # what the importer records for the file
    reason = NEWER[product.kind](product, sha)
    if reason:
        return Step(product.label, "ignoré", time.perf_counter() - start, reason)
    # The importers read files and take the vintage of lists from their name: same name
    # without .gz, in a private folder.
    path = workdir / Path(product.file).name.removesuffix(".gz")
    path.write_bytes(content)
    try:
        with transaction.atomic():
            report = LOADERS[product.kind](product, path)
            _record(product, entry)
    except ConfirmationRequired as exc:
        # Never confirmed for a person: the step is skipped, its message says what it would
        # change and the command to run (with --confirmer) once someone has decided.
        return Step(product.label, "ignoré", time.perf_counter() - start, str(exc).splitlines()[0])
    if isinstance(report, str):
        return Step(product.label, "chargé", time.perf_counter() - start, report, [report])
    lines = report.lines() if hasattr(report, "lines") else []
    return Step(product.label, "chargé", time.perf_counter() - start, counts(report), lines)


def opendata_load(
    *,
    directory: Path = OPENDATA_DIR,
    progress: Callable[[str], None] | None = None,
    fit: bool = True,
) -> LoadReport:
    """Load the referential, then every open-data product (see the module docstring).
    ``progress`` receives one line per step as it ends."""
    from pvd.sources.snapshot import read_snapshot

    out = LoadReport()
    start = time.perf_counter()
    manifest = read_manifest(directory)
    total = len(PRODUCTS) + 2 + int(fit)

    def emit(step: Step) -> None:
        out.steps.append(step)
        if progress:
            progress(step.line(len(out.steps), total))

    t = time.perf_counter()
    ref = referential_load_snapshot(snapshot=read_snapshot(settings.SNAPSHOT_DIR))
    emit(
        Step(
            "Référentiel territorial",
            "chargé" if ref.changed else "déjà chargé",
            time.perf_counter() - t,
            f"{Commune.objects.count()} communes" if ref.changed else "",
        )
    )
    with tempfile.TemporaryDirectory(prefix="pvd-opendata-") as tmp:
        for product in PRODUCTS:
            if product.file not in manifest:
                raise SourceError(str(directory / product.file), "absent du manifeste")
            if product.kind == "laureats" and product.millesime == "2021-01":
                _build_indicators(out, emit)
            emit(load_product(product, manifest[product.file], directory, Path(tmp)))
    if fit:
        _fit(out, emit)
    if out.loaded:
        _warm_selection_inputs()
        _warm_outcomes()
        _warm_figures_check()
    out.seconds = time.perf_counter() - start
    return out


def _warm_selection_inputs() -> None:
    """Build the selection model's national inputs of the new data version now, into the
    shared cache: the first run or page afterwards (one department from the CLI, a scenario
    page) reads them instead of reading all of France; and the built-in scenario's run of
    every department, which `pvd selection run --departement D` prints without starting Django."""
    from pvd.selection.stored_runs import prebuild

    prebuild()  # builds the inputs first


def _warm_figures_check() -> None:
    """Store what `pvd programme check` reads (the registry as the check reads it, the sources)
    for the new data version: the first check reads it without starting Django."""
    from pvd.programme.stored_check import prebuild

    prebuild()


def _warm_outcomes() -> None:
    """Compute the laureates' outcomes of the new data version now, into the shared cache: the
    first visitor of /resultats/ reads them instead of waiting for the matching (seconds); and
    store what `pvd outcomes show` prints (pvd.outcomes.stored: read without starting Django)."""
    from pvd.outcomes.report import stored_summary

    stored_summary()  # computes the outcomes first


def _build_indicators(out: LoadReport, emit) -> None:
    """``pvd indicators build`` when an input changed in this run or nothing was built yet."""
    from pvd.diagnostics.models import Build
    from pvd.diagnostics.services import indicators_build

    t = time.perf_counter()
    inputs = {p.label for p in PRODUCTS if p.kind == "indicateur"}
    if not any(s.label in inputs for s in out.loaded) and Build.objects.exists():
        emit(Step("Calcul des indicateurs", "déjà chargé", time.perf_counter() - t))
        return
    report = indicators_build()
    emit(
        Step(
            "Calcul des indicateurs",
            "chargé",
            time.perf_counter() - t,
            f"{report.values} valeurs, {report.communes} communes, {report.peers} similaires",
        )
    )


def _fit(out: LoadReport, emit) -> None:
    """``pvd selection fit`` when a laureate list changed in this run or no model exists."""
    from pvd.domain.learned import LearnedModelError
    from pvd.selection.models import ModeleAppris
    from pvd.selection.services import learned_fit

    t = time.perf_counter()
    lists = {p.label for p in PRODUCTS if p.kind == "laureats"}
    if not any(s.label in lists for s in out.loaded) and ModeleAppris.objects.exists():
        emit(Step("Modèle de sélection appris", "déjà chargé", time.perf_counter() - t))
        return
    try:
        row, _ = learned_fit(source="registre")
    except LearnedModelError as exc:
        emit(Step("Modèle de sélection appris", "ignoré", time.perf_counter() - t, str(exc)))
        return
    emit(
        Step(
            "Modèle de sélection appris",
            "chargé",
            time.perf_counter() - t,
            f"{row.entrainement['laureats']} lauréats, {row.entrainement['communes']} communes",
        )
    )
