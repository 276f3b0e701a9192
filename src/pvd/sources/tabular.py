"""Reading official CSV files: encoding, separator, header check, and row errors as data.

Shared by the source modules (COG, populations...). Pure Python, no Django.

- Encoding: UTF-8 (with or without BOM) first; otherwise Windows-1252, the Latin-1 superset that
  older INSEE and spreadsheet exports use (it decodes "œ" and "’", which ISO-8859-1 cannot);
  plain ISO-8859-1 as a last resort (it decodes any byte). The one used is named in the result.
- Separator: detected on the header line among the separators the caller accepts.
- Header names are matched without regard to case or surrounding spaces (the COG files of 2019
  and 2020 had lower-case headers; later ones are upper case).
- Errors are :class:`RowError` values with a stable ``code``; a parser collects them (up to a
  limit) and raises one :class:`SourceRowErrors` naming the first and counting the others.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pvd.domain.numbers import NARROW_NBSP, grouped
from pvd.sources.report import SourceError, write_failure

# Stable error codes (frictionless-style): tests and callers match on these, not on messages.
MISSING_COLUMN = "missing-column"
UNKNOWN_LAYOUT = "unknown-layout"
FIELD_COUNT = "field-count"
INVALID_CODE = "invalid-code"
INVALID_VALUE = "invalid-value"
UNKNOWN_VALUE = "unknown-value"
DUPLICATE_KEY = "duplicate-key"
INCONSISTENT = "inconsistent"
EMPTY_FILE = "empty-file"

MAX_ERRORS = 50

ENCODING_LABELS = {
    "utf-8-sig": "UTF-8 (avec BOM)",
    "utf-8": "UTF-8",
    "cp1252": "Latin-1 (Windows-1252)",
    "latin-1": "Latin-1 (ISO-8859-1)",
}


@dataclass(frozen=True)
class RowError:
    code: str
    message: str
    line: int | None = None
    column: str | None = None


class SourceRowErrors(SourceError):
    """One or more row errors in a file; ``errors`` holds them all (first one in the message)."""

    def __init__(self, path: str, errors: Sequence[RowError], *, truncated: bool = False):
        self.errors = list(errors)
        self.code = self.errors[0].code
        first = self.errors[0]
        message = first.message
        others = len(self.errors) - 1
        if others:
            more = f"{others}{'+' if truncated else ''}"
            message += (
                f" (et {more} autre{'s' if others > 1 else ''} erreur{'s' if others > 1 else ''})"
            )
        super().__init__(path, message, line=first.line, column=first.column)


class ErrorCollector:
    """Collects row errors, stops collecting after ``limit``, raises them all at the end."""

    def __init__(self, path: str, limit: int = MAX_ERRORS):
        self.path = path
        self.limit = limit
        self.errors: list[RowError] = []
        self.truncated = False

    def add(
        self, code: str, message: str, *, line: int | None = None, column: str | None = None
    ) -> None:
        if len(self.errors) >= self.limit:
            self.truncated = True
            return
        self.errors.append(RowError(code, message, line, column))

    def raise_if_any(self) -> None:
        if self.errors:
            raise SourceRowErrors(self.path, self.errors, truncated=self.truncated)


@dataclass
class Table:
    """A decoded CSV file: header, rows as dicts keyed by the upper-cased header names."""

    path: str
    encoding: str  # a key of ENCODING_LABELS
    separator: str
    header: list[str]  # as written in the file (BOM and spaces stripped)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (line, row)
    sha256: str = ""

    @property
    def encoding_label(self) -> str:
        return ENCODING_LABELS.get(self.encoding, self.encoding)

    @property
    def columns(self) -> set[str]:
        return {h.upper() for h in self.header}

    def require(self, required: Sequence[str], *, layout: str) -> None:
        """Fail, naming every missing column, when the header lacks one of ``required``."""
        missing = [c for c in required if c.upper() not in self.columns]
        if missing:
            raise missing_columns(
                self.path, missing, layout=layout, header=self.header, separator=self.separator
            )


class BadEncoding(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def decode(raw: bytes) -> tuple[str, str]:
    """Return (text, encoding key) following the order described in the module docstring."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            # A UTF-8 BOM before Latin-1 text: a file saved twice in different encodings.
            at = exc.start + 3  # positions count from after the BOM
            line = raw[:at].count(b"\n") + 1
            raise BadEncoding(
                line,
                f"marque UTF-8 (BOM) en tête mais octet 0x{raw[at]:02x} non UTF-8 : "
                "enregistrez le fichier en UTF-8, ou en Latin-1 sans BOM",
            ) from exc
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def read_bytes(
    path: Path, *, member: str | None = None, prefer_members: Sequence[str] = ()
) -> tuple[bytes, str]:
    """The bytes of a file, or of one CSV inside a zip archive; returns (bytes, display path)."""
    path = Path(path)
    try:
        return _read_bytes(path, member=member, prefer_members=prefer_members)
    except SourceError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError) as exc:
        raise SourceError(str(path), f"archive zip corrompue ou tronquée ({exc})") from exc
    except NotImplementedError as exc:  # compression method zipfile does not know
        raise SourceError(str(path), f"archive zip illisible ({exc})") from exc
    except OSError as exc:
        raise SourceError(str(path), f"fichier illisible : {write_failure(exc)}") from exc


def check_file(path: Path) -> None:
    """Fail with a clear message when ``path`` is missing or is not a regular file."""
    if not path.exists():
        raise SourceError(str(path), "fichier introuvable")
    if path.is_dir():
        raise SourceError(str(path), "c'est un dossier : donnez le chemin d'un fichier")
    if not path.is_file():
        raise SourceError(str(path), "ce n'est pas un fichier ordinaire")


def _read_bytes(
    path: Path, *, member: str | None, prefer_members: Sequence[str]
) -> tuple[bytes, str]:
    check_file(path)
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
            chosen = member
            if chosen is None:
                chosen = next(
                    (
                        n
                        for p in prefer_members
                        for n in names
                        if n.rsplit("/", 1)[-1].lower() == p.lower()
                    ),
                    None,
                )
            if chosen is None:
                # INSEE archives pair the data file with a dictionary of its columns:
                # "meta_....csv" (bases communales) or "..._metadata.csv" (Melodi files).
                data = [
                    n
                    for n in names
                    if not n.rsplit("/", 1)[-1].lower().startswith("meta")
                    and not n.lower().endswith("_metadata.csv")
                ]
                if len(data) == 1:
                    chosen = data[0]
            if chosen is None or chosen not in archive.namelist():
                raise SourceError(
                    str(path),
                    "archive zip : fichier CSV à lire introuvable "
                    f"(attendu : {', '.join(prefer_members) or member or 'un seul CSV'} ; "
                    f"contenu : {', '.join(names) or 'aucun CSV'})",
                )
            return _not_binary(archive.read(chosen), f"{path}!{chosen}"), f"{path}!{chosen}"
    raw = path.read_bytes()
    if raw.startswith(b"PK\x03\x04"):
        raise SourceError(str(path), "archive zip corrompue ou tronquée")
    return _not_binary(raw, str(path)), str(path)


def _not_binary(raw: bytes, display: str) -> bytes:
    """A CSV file holds no NUL byte: one means a binary or corrupt file (named with its line)."""
    at = raw.find(b"\x00")
    if at >= 0:
        raise SourceRowErrors(
            display,
            [
                RowError(
                    INVALID_VALUE,
                    "caractère nul (octet 0) : fichier binaire ou corrompu, CSV texte attendu",
                    line=raw[:at].count(b"\n") + 1,
                )
            ],
        )
    return raw


def read_table(
    path: Path,
    *,
    separators: Sequence[str] = (",", ";", "\t"),
    member: str | None = None,
    prefer_members: Sequence[str] = (),
) -> Table:
    """Decode and split a CSV file; checks nothing but its shape (header, field counts)."""
    raw, display = read_bytes(path, member=member, prefer_members=prefer_members)
    text, encoding = decode_or_fail(raw, display)
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise SourceRowErrors(
            display, [RowError(EMPTY_FILE, "fichier vide ou sans en-tête", line=1)]
        )
    separator = max(separators, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    header = [h.strip().lstrip("\ufeff") for h in next(csv_rows(reader, display))]
    table = Table(
        path=display,
        encoding=encoding,
        separator=separator,
        header=header,
        sha256=hashlib.sha256(raw).hexdigest(),
    )
    keys = [h.upper() for h in header]
    check_header(display, header)
    errors = ErrorCollector(display)
    for values in csv_rows(reader, display):
        line = reader.line_num
        if not values or (len(values) == 1 and not values[0].strip()):
            continue  # blank line (often the last one)
        if len(values) != len(keys):
            errors.add(
                FIELD_COUNT,
                f"{len(values)} champs au lieu de {len(keys)} (séparateur « {separator} »)",
                line=line,
            )
            continue
        table.rows.append((line, {k: v.strip() for k, v in zip(keys, values, strict=True)}))
    errors.raise_if_any()
    if not table.rows:
        raise SourceRowErrors(display, [RowError(EMPTY_FILE, NO_ROWS, line=2)])
    return table


NO_ROWS = "aucune ligne de données après l'en-tête"


def decode_or_fail(raw: bytes, display: str) -> tuple[str, str]:
    try:
        return decode(raw)
    except BadEncoding as exc:
        raise SourceRowErrors(display, [RowError(INVALID_VALUE, exc.message, exc.line)]) from exc


def check_header(display: str, header: Sequence[str]) -> None:
    """Column names are unique (regardless of case): a file with two columns of the same name
    would have one of them silently ignored."""
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        key = name.strip().lstrip("\ufeff").upper()
        if key and key in seen:
            raise SourceRowErrors(
                display,
                [
                    RowError(
                        DUPLICATE_KEY,
                        f"colonne « {name} » en double dans l'en-tête (colonnes {seen[key] + 1} "
                        f"et {i + 1}) : chaque colonne doit apparaître une fois",
                        line=1,
                        column=name,
                    )
                ],
            )
        seen[key] = i


def csv_rows(reader, display: str):
    """The rows of a csv reader; a field longer than the csv module's limit (128 KiB) or a
    stray NUL byte is an error naming its line, not a traceback."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            text = str(exc)
            if "field larger than field limit" in text:
                size = grouped(csv.field_size_limit(), NARROW_NBSP)
                reason = f"champ de plus de {size} caractères"
            elif "NUL" in text:
                reason = "caractère nul (octet 0) : fichier binaire ou corrompu"
            else:
                reason = f"ligne CSV illisible ({text})"
            raise SourceRowErrors(
                display, [RowError(INVALID_VALUE, reason, line=reader.line_num)]
            ) from exc


def missing_columns(
    path: str, missing: Sequence[str], *, layout: str, header: Sequence[str], separator: str
) -> SourceRowErrors:
    """The error for a header lacking ``missing`` columns: names them all, the layout expected
    and the header read (line 1, first missing column)."""
    plural = "s" if len(missing) > 1 else ""
    return header_error(
        path,
        f"colonne{plural} manquante{plural} : {', '.join(missing)}",
        column=missing[0],
        header=header,
        separator=separator,
        layout=layout,
    )


def header_error(
    path: str,
    message: str,
    *,
    column: str,
    header: Sequence[str],
    separator: str,
    layout: str | None = None,
) -> SourceRowErrors:
    """A header that lacks what the reader needs (line 1): ``message``, then the layout expected
    (when given) and the header read. :func:`missing_columns` is the common case."""
    expected = f"format attendu : {layout} ; " if layout else ""
    return SourceRowErrors(
        path,
        [
            RowError(
                MISSING_COLUMN,
                f"{message} ({expected}en-tête lu : {separator.join(header)})",
                line=1,
                column=column,
            )
        ],
    )
