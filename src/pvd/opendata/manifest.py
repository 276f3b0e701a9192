"""The products of the embedded open data, the manifest that lists them with their SHA-256, and
the checked reading of one product."""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from pvd.sources.report import SourceError

OPENDATA_DIR = Path(__file__).resolve().parent.parent / "data" / "opendata"
RECORD_PREFIX = "opendata:"


@dataclass(frozen=True)
class Product:
    file: str  # path in the snapshot folder (gzip)
    kind: str  # how it is loaded (see pvd.opendata.kinds.LOADERS)
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
