"""Official classification of communes by level of centrality (Observatoire des territoires).

Contract
- File: the Observatoire des territoires export of the INRAE-CESAER/ANCT "centres d'équipements
  et de services" typology, one row per commune, ``insee_com,lib_com,niveau_centralite``
  (UTF-8 with BOM, comma; any separator and encoding the tabular reader detects are accepted).
  Needed: a commune code column (``insee_com`` or ``CODGEO``) and a level column
  (``niveau_centralite`` or any column whose name contains "centralit").
- Values: "Communes non centre", "Centre local d'équipements et de services", "Centre
  intermédiaire ...", "Centre structurant ...", "Centre majeur ..."; " - undefined" (communes
  outside the study: overseas...) is kept as missing; any other label is an error naming its line.
- Licence Ouverte 2.0 (ANCT). Commune codes are those of the export's vintage: the selection
  service re-bases them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pvd.domain.centrality import official_level
from pvd.sources.insee_codgeo import COMMUNE_CODE, read_frame, read_text
from pvd.sources.tabular import (
    INVALID_CODE,
    INVALID_VALUE,
    MISSING_COLUMN,
    ErrorCollector,
    RowError,
    SourceRowErrors,
)

LAYOUT = "insee_com,lib_com,niveau_centralite"


@dataclass
class OfficialCentrality:
    path: str
    sha256: str
    frame: pl.DataFrame  # code, niveau (null = undefined)
    undefined: int


def read_official_centrality(path: Path) -> OfficialCentrality:
    text, _, display, sha = read_text(path)
    frame, sep = read_frame(text, display)
    cols = {c.strip().lstrip("\ufeff").lower(): c for c in frame.columns}
    code_col = cols.get("insee_com") or cols.get("codgeo") or cols.get("com")
    level_col = next((orig for low, orig in cols.items() if "centralit" in low), None)
    missing = [n for n, c in (("insee_com", code_col), ("niveau_centralite", level_col)) if not c]
    if missing:
        raise SourceRowErrors(
            display,
            [
                RowError(
                    MISSING_COLUMN,
                    f"colonne(s) manquante(s) : {', '.join(missing)} (format attendu : {LAYOUT} ; "
                    f"en-tête lu : {sep.join(frame.columns)})",
                    line=1,
                    column=missing[0],
                )
            ],
        )
    errors = ErrorCollector(display)
    f = frame.select(
        pl.col(code_col).fill_null("").str.strip_chars().alias("code"),
        pl.col(level_col).fill_null("").str.strip_chars().alias("label"),
    ).with_row_index("_i")
    for i, code in (
        f.filter(~pl.col("code").str.contains(COMMUNE_CODE))
        .head(60)
        .select("_i", "code")
        .iter_rows()
    ):
        errors.add(INVALID_CODE, f"code commune invalide « {code} »", line=i + 2, column=code_col)
    labels = {lab: official_level(lab) for lab in f.get_column("label").unique().to_list()}
    undefined_labels = [
        lab
        for lab, lev in labels.items()
        if lev is None and ("undefined" in lab.lower() or lab in ("", "-"))
    ]
    unknown = [lab for lab, lev in labels.items() if lev is None and lab not in undefined_labels]
    for i, lab in (
        f.filter(pl.col("label").is_in(unknown)).head(60).select("_i", "label").iter_rows()
    ):
        errors.add(INVALID_VALUE, f"niveau inconnu « {lab} »", line=i + 2, column=level_col)
    mapping = pl.DataFrame(
        {"label": list(labels), "niveau": list(labels.values())},
        schema={"label": pl.String, "niveau": pl.String},
    )
    undefined = f.filter(pl.col("label").is_in(undefined_labels)).height
    errors.raise_if_any()
    out = f.join(mapping, on="label", how="left").select("code", "niveau")
    return OfficialCentrality(path=display, sha256=sha, frame=out, undefined=undefined)
