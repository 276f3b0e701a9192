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

import gzip
import hashlib
import json
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from pvd.sources.report import ConfirmationRequired, SourceError
from pvd.territories.models import Commune, Dataset
from pvd.territories.services import dataset_record

OPENDATA_DIR = Path(__file__).resolve().parent.parent / "data" / "opendata"
RECORD_PREFIX = "opendata:"


@dataclass(frozen=True)
class Product:
    file: str  # path in the snapshot folder (gzip)
    kind: str  # how it is loaded (see _LOADERS)
    label: str  # French, for the progress lines
    millesime: str = ""
    options: dict = field(default_factory=dict)


PRODUCTS: tuple[Product, ...] = (
    Product("geo/communes-centres.csv.gz", "geo", "Centres des communes"),
    Product("geo/departements.geojson.gz", "geo", "Contours des départements (WGS84)"),
    Product("territoires/centralite.csv.gz", "centralite", "Centralités (officielles)"),
    Product("territoires/densite.csv.gz", "typologie", "Grille de densité", options={"kind": "densite"}),
    Product("territoires/ruralite.csv.gz", "typologie", "Typologie des ruralités", options={"kind": "ruralite"}),
    Product("territoires/montagne.csv.gz", "typologie", "Massifs de montagne", options={"kind": "montagne"}),
    Product("insee/logement-2021-communes.csv.gz", "indicateur", "Recensement 2021 : logements", "2021", {"kind": "logement"}),
    Product("insee/filosofi-2021-communes-med.csv.gz", "indicateur", "Filosofi 2021 : revenus", "2021", {"kind": "filosofi"}),
    Product("bpe/bpe13_ensemble.csv.gz", "indicateur", "BPE 2013 : équipements", "2013", {"kind": "bpe"}),
    Product("pvd/pvd-2021-01-hors-aura.csv.gz", "laureats", "Lauréats PVD, liste de janvier 2021", "2021-01", {"programme": "pvd"}),
    Product("pvd/pvd-2024-hors-aura.csv.gz", "laureats", "Lauréats PVD, état 2024", "2024", {"programme": "pvd"}),
    Product("programmes/acv.csv.gz", "laureats", "Action cœur de ville", "2025", {"programme": "acv"}),
    Product("programmes/ort-2024-hors-aura.csv.gz", "ort", "ORT, tableau de suivi 2024", "2024"),
)  # fmt: skip


@dataclass
class Step:
    label: str
    status: str  # "chargé", "déjà chargé", "ignoré"
    seconds: float = 0.0
    detail: str = ""
    report: list[str] = field(default_factory=list)  # the importer's whole report

    def line(self, index: int, total: int) -> str:
        width = len(str(total))
        detail = f" — {self.detail}" if self.detail else ""
        return f"[{index:>{width}}/{total}] {self.label} : {self.status} ({self.seconds:.1f} s){detail}"


@dataclass
class LoadReport:
    steps: list[Step] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def loaded(self) -> list[Step]:
        return [s for s in self.steps if s.status == "chargé"]

    def lines(self, *, details: bool = False) -> list[str]:
        """One line per step (``details``: followed by the importer's whole report)."""
        n = len(self.steps)
        out = []
        for i, s in enumerate(self.steps, 1):
            out.append(s.line(i, n))
            if details:
                out.extend(f"      {line}" for line in s.report)
        out.append(
            f"Données ouvertes embarquées : {len(self.loaded)} étapes exécutées, "
            f"{n - len(self.loaded)} sans objet, en {self.seconds:.1f} s."
        )
        return out


def read_manifest(directory: Path = OPENDATA_DIR) -> dict:
    path = directory / "manifest.json"
    if not path.exists():
        raise SourceError(str(path), "manifeste absent : les données ouvertes embarquées manquent")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    return {e["file"]: e for e in manifest["files"]}


def checked_bytes(directory: Path, entry: dict) -> bytes:
    """The decompressed content of one product, after checking its SHA-256 against the
    manifest (SourceError otherwise: nothing of it is read)."""
    path = directory / entry["file"]
    raw = path.read_bytes() if path.exists() else b""
    if hashlib.sha256(raw).hexdigest() != entry["sha256"]:
        raise SourceError(
            str(path), f"somme de contrôle différente du manifeste ({entry['sha256']})"
        )
    return gzip.decompress(raw)


def _counts(report) -> str:
    parts = []
    for name, t in getattr(report, "tables", {}).items():
        parts.append(f"{name} : {t.created} créés, {t.updated} modifiés, {t.unchanged} inchangés")
    skipped = report.skipped if isinstance(getattr(report, "skipped", None), dict) else {}
    if sum(skipped.values()):
        reasons = ", ".join(f"{n} : {reason}" for reason, n in sorted(skipped.items()))
        parts.append(f"{sum(skipped.values())} lignes ignorées ({reasons})")
    if not parts and hasattr(report, "lines"):
        parts = report.lines()[:1]
    return " ; ".join(parts)


# --- newer data already imported ---------------------------------------------------------------


def _newer_list(product: Product, sha: str) -> str | None:
    from pvd.programme.models import ListeImportee

    nature = ListeImportee.Nature.ORT if product.kind == "ort" else ListeImportee.Nature.LAUREATS
    lists = ListeImportee.objects.filter(nature=nature).exclude(sha256=sha)
    if product.kind == "laureats":
        lists = lists.filter(programme__slug=product.options["programme"])
    later = [x for x in lists if x.millesime and x.millesime[:7] >= product.millesime[:7]]
    if later:
        x = max(later, key=lambda x: x.millesime)
        return f"une liste de millésime {x.millesime} est déjà importée ({x.fichier})"
    return None


def _newer_indicator(product: Product, sha: str) -> str | None:
    from pvd.diagnostics.models import SourceTable

    table = SourceTable.objects.filter(kind=product.options["kind"]).select_related("dataset")
    table = table.first()
    if table is None or table.dataset.checksum == sha:
        return None
    if table.millesimes and max(table.millesimes) >= int(product.millesime):
        return (
            f"millésime {max(table.millesimes)} déjà importé d'un fichier officiel "
            f"({table.dataset.version})"
        )
    return None


def _other_file(product: Product, sha: str) -> str | None:
    """Products without a comparable vintage: imported from another file = kept."""
    from pvd.selection.models import Centralite, Typologie

    if product.kind == "centralite":
        row = Centralite.objects.filter(kind=Centralite.Kind.OFFICIELLE).first()
        other = row is not None and (row.details or {}).get("sha256") != sha
    elif product.kind == "typologie":
        row = Typologie.objects.filter(kind=product.options["kind"]).first()
        other = row is not None and (row.details or {}).get("sha256") != sha
    else:  # geo
        level = "commune" if "communes" in product.file else "departement"
        row = Dataset.objects.filter(key=f"geo-{level}").first()
        other = row is not None and row.checksum != sha
    return "déjà importé d'un autre fichier, gardé" if other else None


# --- loaders (the same services as the `pvd` import commands) ----------------------------------


def _load_geo(product: Product, path: Path):
    from pvd.sources.geo import read_geo
    from pvd.territories.geography import geo_import

    return geo_import(geo=read_geo(path))


def _load_centralite(product: Product, path: Path):
    from pvd.selection.services import centrality_import_official

    return centrality_import_official(path=path)


def _load_typologie(product: Product, path: Path):
    from pvd.selection.services import typology_import

    lines = typology_import(path=path)
    return lines[0] if lines else ""


def _load_indicateur(product: Product, path: Path):
    from pvd.diagnostics.services import indicator_source_import

    return indicator_source_import(kind=product.options["kind"], path=path)


def _no_project() -> bool:
    """A later embedded list may end laureates of an earlier one (the 2024 state after January
    2021): confirmed on the loader's behalf only while no projet de territoire exists, so that
    no project can become read-only without a person confirming it."""
    from pvd.projects.models import Projet

    return not Projet.objects.exists()


def _load_laureats(product: Product, path: Path):
    from pvd.programme.services import laureates_import

    return laureates_import(
        path=path,
        programme_slug=product.options["programme"],
        millesime=product.millesime,
        confirm=_no_project(),
    )


def _load_ort(product: Product, path: Path):
    from pvd.programme.services import ort_import

    return ort_import(path=path, millesime=product.millesime, confirm=_no_project())


_LOADERS: dict[str, Callable] = {
    "geo": _load_geo,
    "centralite": _load_centralite,
    "typologie": _load_typologie,
    "indicateur": _load_indicateur,
    "laureats": _load_laureats,
    "ort": _load_ort,
}
_NEWER: dict[str, Callable] = {
    "geo": _other_file,
    "centralite": _other_file,
    "typologie": _other_file,
    "indicateur": _newer_indicator,
    "laureats": _newer_list,
    "ort": _newer_list,
}


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
    reason = _NEWER[product.kind](product, sha)
    if reason:
        return Step(product.label, "ignoré", time.perf_counter() - start, reason)
    # The importers read files and take the vintage of lists from their name: same name
    # without .gz, in a private folder.
    path = workdir / Path(product.file).name.removesuffix(".gz")
    path.write_bytes(content)
    try:
        with transaction.atomic():
            report = _LOADERS[product.kind](product, path)
            _record(product, entry)
    except ConfirmationRequired as exc:
        # Never confirmed for a person: the step is skipped, its message says what it would
        # change and the command to run (with --confirmer) once someone has decided.
        return Step(
            product.label, "ignoré", time.perf_counter() - start, str(exc).splitlines()[0]
        )
    if isinstance(report, str):
        return Step(product.label, "chargé", time.perf_counter() - start, report, [report])
    lines = report.lines() if hasattr(report, "lines") else []
    return Step(product.label, "chargé", time.perf_counter() - start, _counts(report), lines)


def opendata_load(
    *,
    directory: Path = OPENDATA_DIR,
    progress: Callable[[str], None] | None = None,
    fit: bool = True,
) -> LoadReport:
    """Load the referential, then every open-data product (see the module docstring).
    ``progress`` receives one line per step as it ends."""
    from pvd.sources.snapshot import read_snapshot
    from pvd.territories.services import referential_load_snapshot

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
    out.seconds = time.perf_counter() - start
    return out


def _warm_selection_inputs() -> None:
    """Build the selection model's national inputs of the new data version now, into the
    shared cache: the first run or page afterwards (one department from the CLI, a scenario
    page) reads them instead of reading all of France."""
    from pvd.selection.selectors import inputs

    inputs()


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
