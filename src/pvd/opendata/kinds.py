"""Per kind of product: the newer data already imported that keeps the product from loading
(``NEWER``) and the app service that loads it (``LOADERS``), the same as the `pvd ... import`
commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pvd.opendata.manifest import Product
from pvd.territories.models import Dataset

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


LOADERS: dict[str, Callable] = {
    "geo": _load_geo,
    "centralite": _load_centralite,
    "typologie": _load_typologie,
    "indicateur": _load_indicateur,
    "laureats": _load_laureats,
    "ort": _load_ort,
}
NEWER: dict[str, Callable] = {
    "geo": _other_file,
    "centralite": _other_file,
    "typologie": _other_file,
    "indicateur": _newer_indicator,
    "laureats": _newer_list,
    "ort": _newer_list,
}
