"""Reading INSEE commune files keyed by CODGEO whose column names carry the year
(``P21_LOG``, ``NAIS1621``, ``MED21``...) into observations ``(code, variable, millesime, value)``.

Shared by :mod:`pvd.sources.insee_census` and :mod:`pvd.sources.insee_filosofi`. Pure Python and
polars, no Django. The whole file is checked before anything is returned, so a caller never
writes half a file:

- header: the columns a file kind needs must be there (any other column is ignored); missing
  ones are all named in one error, with the header read;
- codes: CODGEO must be a commune code (``01001``, ``2A004``, ``97105``) and appear once;
- values: numbers with a dot or a comma as decimal mark; markers of statistical secrecy or of a
  missing value (empty, ``s``, ``nd``, ``nc``, ``NA``, ``-``...) are kept as missing, never zero;
  anything else is an error naming the line and the column.

Two-digit years are read as 19YY from 60 upwards, 20YY below (the census series start in 1968).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pvd.domain.indicators.frames import OBS_SCHEMA
from pvd.sources.columns import COUNT_EXPECTED, NUMBER_EXPECTED, number_expr
from pvd.sources.contracts import check_codes
from pvd.sources.tabular import (
    EMPTY_FILE,
    FIELD_COUNT,
    INVALID_VALUE,
    NO_ROWS,
    ErrorCollector,
    RowError,
    SourceRowErrors,
    check_header,
    csv_rows,
    decode_or_fail,
    missing_columns,
    read_bytes,
)

# Markers of secrecy or of a missing value the official files carry ("NaN", a program's
# not-a-number, is not one of them: it is refused with the other non-numbers).
MISSING_MARKERS = ("", "s", "nd", "n.d.", "nc", "n.c.", "na", "-", ".", "...")


def full_year(two_digits: str) -> int:
    yy = int(two_digits)
    return 1900 + yy if yy >= 60 else 2000 + yy


@dataclass(frozen=True)
class Family:
    """Columns that feed one variable: ``pattern`` matches a column name; the year is its
    ``year_group``-th group (2 digits), or no year (millésime 0) when ``year_group`` is None."""

    variable: str
    pattern: str
    year_group: int | None = 1
    example: str = ""  # how the column is written, for error messages ("P21_LOG")

    def year_of(self, column: str) -> int | None:
        m = re.fullmatch(self.pattern, column, flags=re.IGNORECASE)
        if m is None:
            return None
        return 0 if self.year_group is None else full_year(m.group(self.year_group))


@dataclass
class ObservationFile:
    path: str
    kind: str
    sha256: str
    encoding: str
    separator: str
    rows: int
    observations: pl.DataFrame
    columns: dict[str, list[str]] = field(default_factory=dict)  # variable -> columns read
    missing_values: int = 0  # secret or missing markers kept as missing
    ignored_rows: int = 0  # rows of a layout this importer does not read (other territories...)
    # Figures the file gives for territories other than communes, used as they are (level,
    # code, variable, millesime, value, status; e.g. INSEE's median income of an EPCI).
    published: pl.DataFrame | None = None
    skipped: dict[str, int] = field(default_factory=dict)  # other rows left out, per reason

    @property
    def millesimes(self) -> list[int]:
        years = self.observations.get_column("millesime").unique().to_list()
        return sorted(y for y in years if y)


def read_text(path: Path, *, prefer_members: Sequence[str] = ()) -> tuple[str, str, str, str]:
    """(text, encoding, display path, sha256) of a CSV file or of a CSV inside a zip archive."""
    import hashlib

    raw, display = read_bytes(Path(path), prefer_members=prefer_members)
    text, encoding = decode_or_fail(raw, display)
    return text, encoding, display, hashlib.sha256(raw).hexdigest()


def normalize_lines(text: str) -> str:
    """``text`` with LF line endings only and without its blank lines (the shared place where the
    polars-based readers accept trailing blank lines and mixed LF/CRLF endings)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if any(not line.strip() for line in lines):
        lines = [line for line in lines if line.strip()]
    return "\n".join(lines) + "\n" if lines else ""


def read_frame(text: str, display: str, *, separators: Sequence[str] = (";", ",", "\t")):
    """All-string frame of a CSV text; header names upper-cased and stripped.

    Line endings may be LF, CRLF or a mix of both; blank lines (often one or two at the end of
    the file) are not rows: polars would read each as a row of nulls."""
    text = normalize_lines(text)
    first = text.split("\n", 1)[0]
    if not first.strip():
        raise SourceRowErrors(display, [RowError(EMPTY_FILE, "fichier vide ou sans en-tête", 1)])
    separator = max(separators, key=first.count)
    check_header(display, next(csv.reader(io.StringIO(first), delimiter=separator)))
    try:
        frame = pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            separator=separator,
            infer_schema=False,
            empty_string_is_null=False,  # an empty code is "", not a null that filters skip
        )
    except pl.exceptions.PolarsError as exc:
        _raise_field_count(text, separator, display, exc)
    # polars pads short rows with nulls: check the field counts (a quick count of separators,
    # confirmed with the csv module, which understands quotes, when one differs).
    width = first.count(separator)
    if any(line.count(separator) != width for line in text.split("\n")[1:] if line.strip()):
        _raise_field_count(text, separator, display, None)
    if frame.height == 0:
        raise SourceRowErrors(display, [RowError(EMPTY_FILE, NO_ROWS, line=2)])
    frame = frame.rename({c: c.strip().lstrip("\ufeff").upper() for c in frame.columns})
    return frame, separator


def header_as_written(frame: pl.DataFrame, text: str, separator: str) -> pl.DataFrame:
    """``frame`` (from :func:`read_frame`) with its column names spelled as in the file, for
    files whose header is not upper case (errors then name the column as the user sees it)."""
    first = next(csv.reader(io.StringIO(text.split("\n", 1)[0]), delimiter=separator))
    written = [h.strip().lstrip("\ufeff") for h in first]
    if len(written) != frame.width or len(set(written)) != len(written):
        return frame
    return frame.rename(dict(zip(frame.columns, written, strict=True)))


def _raise_field_count(text: str, separator: str, display: str, exc: Exception | None):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    rows = csv_rows(reader, display)
    width = len(next(rows))
    errors = ErrorCollector(display)
    for values in rows:
        if values and len(values) != width:
            errors.add(
                FIELD_COUNT,
                f"{len(values)} champs au lieu de {width} (séparateur « {separator} »)",
                line=reader.line_num,
            )
    errors.raise_if_any()
    if exc is not None:
        raise SourceRowErrors(
            display,
            [
                RowError(
                    FIELD_COUNT,
                    f"fichier illisible : {str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}",
                )
            ],
        )


def parse_numbers(
    frame: pl.DataFrame,
    columns: Sequence[str],
    display: str,
    errors: ErrorCollector,
    *,
    minimum: float | None = 0,
) -> tuple[pl.DataFrame, int]:
    """Columns parsed as floats by the column rules (:mod:`pvd.sources.columns`: no ``inf``,
    ``1e309``, ``1_000`` or non-ASCII digits; at least ``minimum``, 0 by default: counts,
    areas, incomes; None for amounts that may be negative); markers become null; other text is
    an error (line, column, what was expected). Lines are counted from the frame's rows, or
    taken from its ``_i`` column (the 0-based index of the data row in the file) when a
    filtered frame keeps it."""
    exprs = []
    n_missing = 0
    indexed = frame if "_i" in frame.columns else frame.with_row_index("_i")
    for c in columns:
        raw = pl.col(c).str.strip_chars()
        marker = raw.is_null() | raw.str.to_lowercase().is_in(MISSING_MARKERS)
        parsed = number_expr(c)
        markers = frame.select(marker).to_series()
        values = frame.select(parsed).to_series()
        bad = indexed.filter(~markers & values.is_null())
        for i, value in bad.select("_i", c).iter_rows():
            errors.add(
                INVALID_VALUE,
                f"valeur non numérique « {value} » ({NUMBER_EXPECTED})",
                line=i + 2,
                column=c,
            )
        if minimum is not None:
            low = indexed.filter(~markers & values.is_not_null() & (values < minimum))
            for i, value in low.select("_i", c).iter_rows():
                errors.add(
                    INVALID_VALUE,
                    f"valeur négative « {value} » ({COUNT_EXPECTED})",
                    line=i + 2,
                    column=c,
                )
        n_missing += int(frame.select(marker.sum()).item())
        exprs.append(pl.when(marker).then(None).otherwise(parsed).alias(c))
    return frame.with_columns(exprs), n_missing


def read_observations(
    path: Path,
    *,
    kind: str,
    families: Sequence[Family],
    required: Sequence[Sequence[str]],
    layout: str,
    key: str = "CODGEO",
    prefer_members: Sequence[str] = (),
) -> ObservationFile:
    """Read a CODGEO-keyed file into observations.

    ``required``: groups of variables that must be present together with at least one common
    year (e.g. ``[("logements", "logements_vacants")]``); the error names the missing columns
    by their example spelling.
    """
    text, encoding, display, sha = read_text(path, prefer_members=prefer_members)
    frame, separator = read_frame(text, display)
    header = frame.columns
    matched: dict[str, list[tuple[str, int]]] = {f.variable: [] for f in families}
    for column in header:
        for fam in families:
            year = fam.year_of(column)
            if year is not None:
                matched[fam.variable].append((column, year))
                break
    missing: list[str] = []
    if key not in header:
        missing.append(key)
    by_var = {f.variable: f for f in families}
    for group in required:
        absent = [by_var[v].example for v in group if not matched[v]]
        if absent:
            missing.extend(absent)
        elif not set.intersection(*({y for _, y in matched[v]} for v in group)):
            missing.extend(f"{by_var[v].example} (même millésime)" for v in group)
    if missing:
        missing = list(dict.fromkeys(missing))
        raise missing_columns(display, missing, layout=layout, header=header, separator=separator)
    frame = frame.with_columns(pl.col(key).str.strip_chars())
    check_codes(frame, key, display)
    errors = ErrorCollector(display)
    value_columns = [c for cols in matched.values() for c, _ in cols]
    frame, n_missing = parse_numbers(frame, value_columns, display, errors)
    errors.raise_if_any()
    parts = []
    for variable, cols in matched.items():
        for column, year in cols:
            parts.append(
                frame.select(
                    pl.col(key).alias("code"),
                    pl.lit(variable).alias("variable"),
                    pl.lit(year, pl.Int32).alias("millesime"),
                    pl.col(column).alias("value"),
                )
            )
    obs = pl.concat(parts).drop_nulls("value") if parts else pl.DataFrame(schema=OBS_SCHEMA)
    return ObservationFile(
        path=display,
        kind=kind,
        sha256=sha,
        encoding=encoding,
        separator=separator,
        rows=frame.height,
        observations=obs.cast(OBS_SCHEMA),
        columns={v: [c for c, _ in cols] for v, cols in matched.items() if cols},
        missing_values=n_missing,
    )
