"""The network's exports (CSV as French spreadsheets read it, or JSON): the public directory and
the published practices. Shared by the pages and the `pvd network` commands."""

from __future__ import annotations

import json

from pvd.formats import csv_fr
from pvd.network import directory, practices_search

KINDS = ("annuaire", "pratiques")
FORMATS = ("csv", "json")


def rows_of(kind: str, *, base_url: str = "", filters=None) -> list[dict]:
    if kind == "annuaire":
        return directory.export_rows(filters)
    if kind == "pratiques":
        return practices_search.export_rows(base_url=base_url)
    raise ValueError(f"export inconnu : {kind} (attendu : {', '.join(KINDS)})")


def render(
    rows: list[dict], fmt: str, *, columns: list[str] | None = None, variant: str = "fr"
) -> bytes:
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1).encode("utf-8")
    if fmt == "csv":
        header = columns or (list(rows[0]) if rows else [])
        return csv_fr.write([header, *([r.get(c) for c in header] for r in rows)], variant=variant)
    raise ValueError(f"format inconnu : {fmt} (attendu : {', '.join(FORMATS)})")


COLUMNS = {
    "annuaire": [
        "code_commune",
        "commune",
        "population",
        "tranche",
        "departement",
        "region",
        "groupe",
        "libelle_groupe",
        "thematiques",
    ],
    "pratiques": [
        "id",
        "titre",
        "thematique",
        "commune",
        "code_commune",
        "departement",
        "region",
        "population",
        "contexte",
        "realisation",
        "cout",
        "financement",
        "financeurs",
        "resultats",
        "indicateurs",
        "publiee_le",
        "url",
    ],
}


def export(
    kind: str, fmt: str, *, base_url: str = "", variant: str = "fr", filters=None
) -> bytes:
    """``filters``: the directory's (:class:`pvd.network.directory.Filters`), else everything."""
    rows = rows_of(kind, base_url=base_url, filters=filters)
    return render(rows, fmt, columns=COLUMNS[kind], variant=variant)
