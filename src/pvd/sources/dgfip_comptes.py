"""DGFiP: *comptes individuels des communes* (fichier global), one row per commune and year.

Contract
- File: the CSV export of the dataset ``comptes-individuels-des-communes-fichier-global-a-compter-de-2000``
  of data.economie.gouv.fr (Opendatasoft portal; the per-vintage datasets such as
  ``comptes-individuels-des-communes-fichier-global-2023-2024`` have the same fields), exported
  with a semicolon separator (UTF-8, with a byte-order mark). Licence Ouverte 2.0. The national
  file is large (some 250 fields): an export restricted to the fields read here is enough.
- Layout (header seen in public reuses): ``an;dep;icom;inom;reg;pop1;nomsst2;prod;fprod;mprod;
  …;equip;fequip;mequip;requip;rmequip;…;caf;fcaf;mcaf;rcaf;rmcaf;…;dette;fdette;mdette;
  rdette;rmdette;…``. Amounts (``prod``, ``equip``, ``caf``, ``dette``...) are in **thousands of
  euros**; ``f…`` = euros per inhabitant, ``m…`` = mean of the population stratum; ``pop1`` =
  the population the DGFiP divides by.
- Read: ``an`` (financial year = millésime), ``dep`` + ``icom`` (commune code, see below),
  ``pop1``, ``dette`` (outstanding debt at 31 December), ``caf`` (gross self-financing
  capacity), ``equip`` (equipment spending). When the per-inhabitant columns ``fdette``,
  ``fcaf``, ``fequip`` are there, the unit is checked: amount × 1,000 / pop1 must give them back
  (median over the file within 1 %), otherwise the file is refused (not in k€?).
- Commune code: ``dep`` is the department on 3 characters (``001``, ``069``, ``02A``; a 2-digit
  ``01`` is accepted too), ``icom`` the commune number on 3 digits: code = department without its
  leading zero + ``icom`` (``069`` + ``123`` = ``69123``; ``02A`` + ``004`` = ``2A004``).
  Overseas: ``dep`` ``971``…``976`` with ``icom`` starting with the department's last digit
  (``971`` + ``105`` = ``97105``). Any other pairing is refused with its line (not guessed):
  the overseas spelling could not be confirmed on a published extract.
- Checks, on the whole file before anything is returned: columns (all missing ones named),
  codes, years, numbers (empty cells stay missing, never zero), one row per commune and year.
- Amounts and populations add up when communes merge (additive).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pvd.domain.codes import COMMUNE_CODE_PATTERN
from pvd.sources.columns import year_range
from pvd.sources.insee_codgeo import (
    OBS_SCHEMA,
    ObservationFile,
    header_as_written,
    parse_numbers,
    read_frame,
    read_text,
)
from pvd.sources.tabular import (
    DUPLICATE_KEY,
    INCONSISTENT,
    INVALID_CODE,
    INVALID_VALUE,
    ErrorCollector,
    missing_columns,
)

LAYOUT = (
    "comptes individuels des communes (DGFiP), an;dep;icom;inom;reg;pop1;…;equip;fequip;…;"
    "caf;fcaf;…;dette;fdette;…"
)
# file column -> variable; amounts in k€ are stored in euros
AMOUNTS = {"DETTE": "dgfip_dette", "CAF": "dgfip_caf", "EQUIP": "dgfip_equipement"}
POPULATION = ("POP1", "dgfip_population")
PER_INHABITANT = {"DETTE": "FDETTE", "CAF": "FCAF", "EQUIP": "FEQUIP"}
REQUIRED = ("AN", "DEP", "ICOM", "POP1", *AMOUNTS)
THOUSAND = 1000.0
UNIT_TOLERANCE = 0.01
ADDITIVE = frozenset({*AMOUNTS.values(), POPULATION[1]})

# Mainland department, written on 3 characters (or 2): 01-19, 2A, 2B, 21-95.
_DEP = pl.col("DEP").str.extract(r"^0?(0[1-9]|1[0-9]|2[1-9AB]|[3-8][0-9]|9[0-5])$")
_OVERSEAS = pl.col("DEP").str.contains(r"^97[1-6]$") & (
    pl.col("ICOM").str.slice(0, 1) == pl.col("DEP").str.slice(2, 1)
)


def commune_code() -> pl.Expr:
    """INSEE commune code from ``DEP`` and ``ICOM`` (null when the pair is not understood)."""
    icom = pl.col("ICOM").str.contains(r"^[0-9]{3}$")
    code = (
        pl.when(icom & _OVERSEAS)
        .then(pl.lit("97") + pl.col("ICOM"))
        .when(icom & _DEP.is_not_null())
        .then(_DEP + pl.col("ICOM"))
    )
    return pl.when(code.str.contains(COMMUNE_CODE_PATTERN)).then(code)


def read_comptes(path: Path) -> ObservationFile:
    """Parse a DGFiP *comptes individuels des communes* file into observations."""
    text, encoding, display, sha = read_text(path)
    frame, separator = read_frame(text, display, separators=(";", ",", "\t"))
    written = header_as_written(frame, text, separator).columns
    missing = [c.lower() for c in REQUIRED if c not in frame.columns]
    if missing:
        raise missing_columns(display, missing, layout=LAYOUT, header=written, separator=separator)
    frame = frame.with_columns(pl.col(c).str.strip_chars() for c in ("AN", "DEP", "ICOM"))
    frame = frame.with_columns(
        commune_code().alias("_code"),
        pl.col("AN").cast(pl.Int32, strict=False).alias("_year"),
    ).with_row_index("_row")
    errors = ErrorCollector(display)
    for i, dep, icom in (
        frame.filter(pl.col("_code").is_null()).select("_row", "DEP", "ICOM").iter_rows()
    ):
        errors.add(
            INVALID_CODE,
            f"commune « dep {dep} / icom {icom} » non reconnue (attendu : dep sur 3 caractères "
            "001…095, 02A, 02B, 971…976 et icom sur 3 chiffres)",
            line=i + 2,
            column="icom",
        )
    # The column rules bound years by next year; DGFiP accounts start in 1990.
    bad_year = pl.col("_year").is_null() | ~pl.col("_year").is_between(1990, year_range()[1])
    for i, value in frame.filter(bad_year).select("_row", "AN").iter_rows():
        errors.add(INVALID_VALUE, f"exercice invalide « {value} »", line=i + 2, column="an")
    dup = frame.filter(
        pl.col("_code").is_not_null() & pl.struct("_code", "_year").is_duplicated()
    ).select("_row", "_code", "_year")
    seen: set[tuple[str, int]] = set()
    for i, code, year in dup.iter_rows():
        if (code, year) in seen:
            errors.add(
                DUPLICATE_KEY,
                f"commune {code} en double pour l'exercice {year}",
                line=i + 2,
                column="icom",
            )
        seen.add((code, year))
    checks = [f for a, f in PER_INHABITANT.items() if f in frame.columns]
    numeric = [POPULATION[0], *AMOUNTS, *checks]
    # The file's header is lower case: errors name the columns as written.
    frame = frame.rename({c: c.lower() for c in numeric})
    frame, n_missing = parse_numbers(frame, [POPULATION[0].lower()], display, errors)
    frame, n_amounts = parse_numbers(
        frame, [c.lower() for c in numeric[1:]], display, errors, minimum=None
    )  # amounts may be negative
    n_missing += n_amounts
    frame = frame.rename({c.lower(): c for c in numeric})
    errors.raise_if_any()

    for amount, per_inhabitant in PER_INHABITANT.items():
        if per_inhabitant not in frame.columns:
            continue
        ratio = frame.filter(
            (pl.col(POPULATION[0]) > 0) & (pl.col(per_inhabitant).abs() >= 1)
        ).select(
            (pl.col(amount) * THOUSAND / pl.col(POPULATION[0]) / pl.col(per_inhabitant)).alias("r")
        )
        median = ratio.get_column("r").median() if ratio.height else None
        if median is not None and abs(median - 1) > UNIT_TOLERANCE:
            errors.add(
                INCONSISTENT,
                f"{amount.lower()} × 1 000 / pop1 ne redonne pas {per_inhabitant.lower()} "
                f"(rapport médian {median:.3g}) : les montants doivent être en milliers d'euros",
                line=1,
                column=amount.lower(),
            )
    errors.raise_if_any()

    variables = {POPULATION[0]: (POPULATION[1], 1.0)} | {
        column: (variable, THOUSAND) for column, variable in AMOUNTS.items()
    }
    obs = (
        pl.concat(
            frame.select(
                pl.col("_code").alias("code"),
                pl.lit(variable).alias("variable"),
                pl.col("_year").alias("millesime"),
                (pl.col(column) * scale).alias("value"),
            )
            for column, (variable, scale) in variables.items()
        )
        .drop_nulls("value")
        .cast(OBS_SCHEMA)
    )
    return ObservationFile(
        path=display,
        kind="finances",
        sha256=sha,
        encoding=encoding,
        separator=separator,
        rows=frame.height,
        observations=obs,
        columns={variable: [column.lower()] for column, (variable, _) in variables.items()},
        missing_values=n_missing,
    )
