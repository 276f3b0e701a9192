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

from pvd.sources.contracts import TYPOLOGIE
from pvd.sources.insee_codgeo import read_frame, read_text
from pvd.sources.tabular import ErrorCollector

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
    found = TYPOLOGIE.resolve(frame.columns, path=display, separator=sep)
    code_col, level_col = found["insee_com"], found[TYPOLOGIE.columns[1].name]
    kind = level_col.lower().removeprefix("niveau_")
    errors = ErrorCollector(display)
    TYPOLOGIE.check(frame, found, errors)
    f = frame.select(
        pl.col(code_col).fill_null("").str.strip_chars().alias("code"),
        pl.col(level_col).str.strip_chars().alias("valeur"),
    )
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
