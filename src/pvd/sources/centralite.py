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
from pvd.sources.contracts import CENTRALITE
from pvd.sources.insee_codgeo import read_frame, read_text
from pvd.sources.tabular import INVALID_VALUE, ErrorCollector

LAYOUT = CENTRALITE.layout


@dataclass
class OfficialCentrality:
    path: str
    sha256: str
    frame: pl.DataFrame  # code, niveau (null = undefined)
    undefined: int


def read_official_centrality(path: Path) -> OfficialCentrality:
    text, _, display, sha = read_text(path)
    frame, sep = read_frame(text, display)
    found = CENTRALITE.resolve(frame.columns, path=display, separator=sep)
    code_col, level_col = found["insee_com"], found["niveau_centralite"]
    errors = ErrorCollector(display)
    f = frame.select(
        pl.col(code_col).fill_null("").str.strip_chars().alias("code"),
        pl.col(level_col).fill_null("").str.strip_chars().alias("label"),
    ).with_row_index("_i")
    CENTRALITE.check(frame, found, errors)
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
