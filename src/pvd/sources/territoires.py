"""Commune typologies of the Observatoire des territoires: density grid, rurality, mountain.

Contract
- File: the Observatoire des territoires export, one row per commune,
  ``insee_com,lib_com,<level>`` with ``<level>`` = ``niveau_densite`` (grille communale de
  densité), ``niveau_ruralite`` (typologie des ruralités) or ``niveau_montagne`` (zones de
  montagne: only the communes of a massif are listed, the others are not mountain communes).
  UTF-8 with BOM, comma (any separator and encoding the tabular reader detects are accepted).
- Values are kept as published (labels stripped); an empty or " - undefined" value is missing.
- Licence Ouverte 2.0 (ANCT). Codes are those of the export's vintage: the selection service
  re-bases them onto the current geography.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pvd.sources.insee_codgeo import COMMUNE_CODE, read_frame, read_text
from pvd.sources.tabular import (
    INVALID_CODE,
    MISSING_COLUMN,
    ErrorCollector,
    RowError,
    SourceRowErrors,
)

KINDS = ("densite", "ruralite", "montagne")


@dataclass
class Typology:
    path: str
    sha256: str
    kind: str
    frame: pl.DataFrame  # code, valeur (null = undefined)


def read_typology(path: Path) -> Typology:
    text, _, display, sha = read_text(path)
    frame, sep = read_frame(text, display)
    cols = {c.strip().lstrip("\ufeff").lower(): c for c in frame.columns}
    code_col = cols.get("insee_com") or cols.get("codgeo") or cols.get("com")
    kind = next((k for k in KINDS if f"niveau_{k}" in cols), None)
    if not code_col or not kind:
        missing = "insee_com" if not code_col else "niveau_densite|niveau_ruralite|niveau_montagne"
        raise SourceRowErrors(
            display,
            [
                RowError(
                    MISSING_COLUMN,
                    f"colonne manquante : {missing} (format attendu : insee_com,lib_com,"
                    f"niveau_densite, niveau_ruralite ou niveau_montagne ; en-tête lu : "
                    f"{sep.join(frame.columns)})",
                    line=1,
                    column=missing,
                )
            ],
        )
    level_col = cols[f"niveau_{kind}"]
    errors = ErrorCollector(display)
    f = frame.select(
        pl.col(code_col).fill_null("").str.strip_chars().alias("code"),
        pl.col(level_col).str.strip_chars().alias("valeur"),
    ).with_row_index("_i")
    for i, code in (
        f.filter(~pl.col("code").str.contains(COMMUNE_CODE))
        .head(60)
        .select("_i", "code")
        .iter_rows()
    ):
        errors.add(INVALID_CODE, f"code commune invalide « {code} »", line=i + 2, column=code_col)
    errors.raise_if_any()
    undefined = (
        pl.col("valeur").is_null()
        | pl.col("valeur").is_in(["", "-"])
        | pl.col("valeur").str.to_lowercase().str.contains("undefined")
    )
    out = f.select(
        "code", pl.when(undefined).then(None).otherwise(pl.col("valeur")).alias("valeur")
    )
    return Typology(path=display, sha256=sha, kind=kind, frame=out)
