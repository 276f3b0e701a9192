"""INSEE *Base permanente des équipements* (BPE): facility counts per commune.

Contract
- Files: the BPE "ensemble" file of a vintage, semicolon-separated. Two layouts, told apart by
  the header, both accepted:
    * one row per commune and type with a count (up to 2020, e.g. BPE 2013:
      ``REG;DEP;DEPCOM;DCIRIS;AN;TYPEQU;NB_EQUIP``; the shared extract has
      ``DEP;DEPCOM;AN;TYPEQU;NB_EQUIP``);
    * one row per facility (2021 onwards, e.g. ``BPE24.csv`` in ``bpe24_ensemble_xy_csv.zip``,
      https://www.insee.fr/fr/statistiques/8217537): ``...;DEPCOM;...;TYPEQU;...`` (each row
      counts 1).
  Needed: ``DEPCOM`` and ``TYPEQU``; ``NB_EQUIP`` and ``AN`` (vintage) are read when present,
  otherwise the vintage must be given.
- Optional: the INSEE list of facility types per *gamme* (proximité, intermédiaire,
  supérieure), as a CSV with ``TYPEQU`` and ``GAMME`` columns (values starting with P, I or S,
  in any case or spelling: "proximité", "Intermédiaire", "SUP"...).
- Commune codes are those of the vintage's geography: the import service re-bases them.
- Output variables per commune: ``bpe_<TYPEQU>`` (e.g. ``bpe_D201``), ``bpe_dom_<A-G>`` (domain =
  first letter), ``bpe_sdom_<XY>`` (sub-domain = two first characters), ``bpe_total`` and, with
  gammes, ``bpe_gamme_proximite|intermediaire|superieure``. All counts (additive).
- Licence Ouverte 2.0.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import polars as pl

from pvd.sources.columns import number_expr
from pvd.sources.contracts import BPE, BPE_GAMMES
from pvd.sources.insee_codgeo import (
    OBS_SCHEMA,
    ObservationFile,
    read_frame,
    read_text,
)
from pvd.sources.tabular import INVALID_VALUE, MISSING_COLUMN, ErrorCollector

TYPEQU = BPE.column("TYPEQU").pattern
GAMMES = {"p": "proximite", "i": "intermediaire", "s": "superieure"}


def read_gammes(path: Path) -> dict[str, str]:
    """TYPEQU -> gamme ("proximite", "intermediaire", "superieure")."""
    text, _, display, _ = read_text(path)
    frame, sep = read_frame(text, display)
    BPE_GAMMES.resolve(frame.columns, path=display, separator=sep)
    errors = ErrorCollector(display)
    frame = frame.with_row_index("_i")
    BPE_GAMMES.check(frame, {"TYPEQU": "TYPEQU"}, errors)
    valid = frame.filter(pl.col("TYPEQU").fill_null("").str.strip_chars().str.contains(TYPEQU))
    out: dict[str, str] = {}
    for i, typequ, gamme in valid.select("_i", "TYPEQU", "GAMME").iter_rows():
        g = unicodedata.normalize("NFKD", (gamme or "").strip()).lower()[:1]
        if g not in GAMMES:
            errors.add(
                INVALID_VALUE,
                f"gamme inconnue « {gamme} » (attendu : proximité, intermédiaire ou supérieure)",
                line=i + 2,
                column="GAMME",
            )
        else:
            out[typequ.strip()] = GAMMES[g]
    errors.raise_if_any()
    return out


def read_bpe(
    path: Path, *, millesime: int | None = None, gammes: dict[str, str] | None = None
) -> ObservationFile:
    text, encoding, display, sha = read_text(path, prefer_members=("BPE24.csv",))
    frame, sep = read_frame(text, display)
    found = BPE.resolve(frame.columns, path=display, separator=sep)
    errors = ErrorCollector(display)
    frame = frame.with_row_index("_i").with_columns(
        pl.col("DEPCOM").str.strip_chars(), pl.col("TYPEQU").str.strip_chars()
    )
    BPE.check(frame, found, errors)  # codes, types, counts (the column rules: no inf, 1e309...)
    if "NB_EQUIP" in frame.columns:
        frame = frame.with_columns(number_expr("NB_EQUIP").alias("_n"))
    else:
        frame = frame.with_columns(pl.lit(1.0).alias("_n"))
    if millesime is None:
        if "AN" not in frame.columns:
            errors.add(
                MISSING_COLUMN,
                "millésime inconnu : pas de colonne AN, précisez-le (--millesime)",
                line=1,
                column="AN",
            )
        else:
            years = frame.get_column("AN").str.strip_chars().unique().to_list()
            if len(years) != 1 or not str(years[0]).isdigit():
                errors.add(
                    INVALID_VALUE,
                    f"colonne AN : un seul millésime attendu, lu : "
                    f"{', '.join(map(str, years[:5]))}",
                    column="AN",
                )
            else:
                millesime = int(years[0])
    errors.raise_if_any()
    assert millesime is not None
    per_type = frame.group_by("DEPCOM", "TYPEQU").agg(pl.col("_n").sum())
    parts = [
        per_type.select(
            pl.col("DEPCOM").alias("code"),
            ("bpe_" + pl.col("TYPEQU")).alias("variable"),
            pl.col("_n").alias("value"),
        ),
        per_type.group_by("DEPCOM", pl.col("TYPEQU").str.slice(0, 1).alias("d"))
        .agg(pl.col("_n").sum())
        .select(
            pl.col("DEPCOM").alias("code"),
            ("bpe_dom_" + pl.col("d")).alias("variable"),
            pl.col("_n").alias("value"),
        ),
        per_type.group_by("DEPCOM", pl.col("TYPEQU").str.slice(0, 2).alias("d"))
        .agg(pl.col("_n").sum())
        .select(
            pl.col("DEPCOM").alias("code"),
            ("bpe_sdom_" + pl.col("d")).alias("variable"),
            pl.col("_n").alias("value"),
        ),
        per_type.group_by("DEPCOM")
        .agg(pl.col("_n").sum())
        .select(
            pl.col("DEPCOM").alias("code"),
            pl.lit("bpe_total").alias("variable"),
            pl.col("_n").alias("value"),
        ),
    ]
    if gammes:
        g = pl.DataFrame({"TYPEQU": list(gammes), "gamme": list(gammes.values())})
        parts.append(
            per_type.join(g, on="TYPEQU")
            .group_by("DEPCOM", "gamme")
            .agg(pl.col("_n").sum())
            .select(
                pl.col("DEPCOM").alias("code"),
                ("bpe_gamme_" + pl.col("gamme")).alias("variable"),
                pl.col("_n").alias("value"),
            )
        )
    obs = pl.concat(parts).with_columns(pl.lit(millesime, pl.Int32).alias("millesime"))
    return ObservationFile(
        path=display,
        kind="bpe",
        sha256=sha,
        encoding=encoding,
        separator=sep,
        rows=frame.height,
        observations=obs.select(list(OBS_SCHEMA)).cast(OBS_SCHEMA),
        columns={
            "bpe": ["DEPCOM", "TYPEQU"] + (["NB_EQUIP"] if "NB_EQUIP" in frame.columns else [])
        },
    )
