"""Column rules shared by every importer: typed parsers returning a value or a ColumnError.

One place decides what a number, a count, a year, a date, a coordinate or a name read from an
official file may be, so that no importer accepts silently what another refuses. Pure Python
(plus polars expressions for the frame-based readers), no Django.

- Numbers: ASCII digits, an optional sign, a dot or a comma as decimal mark, spaces (also the
  narrow no-break spaces of French exports) as thousands separators. Refused: ``inf``, ``nan``,
  ``1e309`` (any exponent: official files do not write them), ``1_000`` (Python's digit
  grouping), full-width (``１２``) or Arabic-Indic (``١٢``) digits, anything else.
- Counts (populations, dwellings, facilities...): numbers that are not negative.
- Years: 1900 to next year; dates: the same years.
- Coordinates: WGS84 longitude/latitude inside the bounding box of the commune's territory,
  mainland France (Corsica included) or its overseas department (boxes of
  :mod:`pvd.domain.wgs84`).
- Names: no control characters (C0, DEL, C1: terminal escape sequences), at most 200 characters.

Missing-value markers (empty, ``s`` for statistical secrecy, ``nd``, ``NA``...) are not errors:
each reader says which markers its official format carries and keeps them missing, never zero.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

import polars as pl

from pvd.domain import wgs84

# A decimal number as official French files write it; the integer part may be grouped by
# spaces (ordinary, no-break or narrow no-break).
NUMBER = r"^[+-]?([0-9]+|[0-9]{1,3}([ \u00a0\u202f][0-9]{3})+)([.,][0-9]+)?$"
_NUMBER = re.compile(NUMBER)
_SPACES = re.compile(r"[ \u00a0\u202f]")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
NAME_MAX = 200


@dataclass(frozen=True)
class ColumnError:
    """Why a value was refused: ``expected`` says what the column takes (French)."""

    value: str
    expected: str

    @property
    def message(self) -> str:
        return f"valeur refusée « {self.value} » ({self.expected})"


def _number(text: str) -> float | None:
    text = text.strip()
    if not _NUMBER.match(text):
        return None
    value = float(_SPACES.sub("", text).replace(",", "."))
    return value if math.isfinite(value) else None


def parse_number(text: str, *, minimum: float | None = None) -> float | ColumnError:
    """A finite decimal number (see the module docstring), at least ``minimum`` when given."""
    value = _number(text)
    if value is None:
        return ColumnError(text, "nombre décimal attendu, chiffres 0-9, point ou virgule")
    if minimum is not None and value < minimum:
        return ColumnError(text, f"nombre supérieur ou égal à {minimum:g} attendu")
    return value


def parse_count(text: str) -> float | ColumnError:
    """A number that is not negative (populations, dwellings, areas, amounts of stock)."""
    return parse_number(text, minimum=0)


def parse_integer(text: str, *, minimum: int | None = None) -> int | ColumnError:
    text = text.strip()
    if not re.fullmatch(r"[+-]?\d+", text, flags=re.ASCII):
        return ColumnError(text, "nombre entier attendu, chiffres 0-9")
    value = int(text)
    if minimum is not None and value < minimum:
        return ColumnError(text, f"nombre entier supérieur ou égal à {minimum} attendu")
    return value


def year_range(today: date | None = None) -> tuple[int, int]:
    return 1900, (today or date.today()).year + 1


def check_year(value: int, *, today: date | None = None) -> ColumnError | None:
    low, high = year_range(today)
    if not low <= value <= high:
        return ColumnError(str(value), f"année entre {low} et {high} attendue")
    return None


def parse_year(text: str, *, today: date | None = None) -> int | ColumnError:
    value = parse_integer(text)
    if isinstance(value, ColumnError):
        low, high = year_range(today)
        return ColumnError(text, f"année entre {low} et {high} attendue")
    return check_year(value, today=today) or value


def check_date(value: date, *, today: date | None = None) -> ColumnError | None:
    low, high = year_range(today)
    if not low <= value.year <= high:
        return ColumnError(value.isoformat(), f"date entre {low} et {high} attendue")
    return None


# Overseas collectivities (COG codes 975, 977, 978, 984, 986-989), which the official centre
# files list too; the departments' boxes are those of pvd.domain.wgs84.
COLLECTIVITIES: dict[str, wgs84.Box] = {
    "975": (-56.5, -56.0, 46.7, 47.2),  # Saint-Pierre-et-Miquelon
    "977": (-63.0, -62.7, 17.8, 18.0),  # Saint-Barthélemy
    "978": (-63.2, -62.9, 18.0, 18.2),  # Saint-Martin
    "984": (39.0, 141.0, -77.0, -11.0),  # Terres australes et antarctiques françaises
    "986": (-178.3, -176.0, -14.5, -13.1),  # Wallis-et-Futuna
    "987": (-154.9, -134.3, -28.0, -7.8),  # Polynésie française
    "988": (163.5, 168.2, -22.8, -19.5),  # Nouvelle-Calédonie
    "989": (-109.3, -109.1, 10.2, 10.4),  # Clipperton
}


def box_of(code: str) -> wgs84.Box | None:
    """The bounding box of a commune's or a department's territory: mainland France with
    Corsica, its overseas department (:mod:`pvd.domain.wgs84`) or collectivity; None for a code
    of no French territory."""
    code = code.strip().upper()
    if code[:3] in COLLECTIVITIES:
        return COLLECTIVITIES[code[:3]]
    department = code[:3] if code.startswith(("97", "98")) else code[:2]
    return wgs84.box_of("departement", department)


def check_coordinates(code: str, lon: float, lat: float) -> ColumnError | None:
    box = box_of(code)
    if box is None:
        return ColumnError(code, "code d'une commune de France attendu")
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return ColumnError(f"{lon}, {lat}", "longitude et latitude finies attendues")
    if box[0] <= lon <= box[1] and box[2] <= lat <= box[3]:
        return None
    where = "de la France métropolitaine" if box == wgs84.MAINLAND else "du département d'outre-mer"
    return ColumnError(
        f"{lon}, {lat}",
        f"longitude et latitude WGS84, dans cet ordre, dans les limites {where} "
        f"({box[0]} à {box[1]}, {box[2]} à {box[3]})",
    )


def parse_name(text: str) -> str | ColumnError:
    """A name as written (stripped): no control characters, at most NAME_MAX characters."""
    text = text.strip()
    if CONTROL.search(text):
        return ColumnError(text, "nom sans caractère de contrôle ni séquence d'échappement")
    if len(text) > NAME_MAX:
        return ColumnError(text, f"nom d'au plus {NAME_MAX} caractères")
    return text


# Polars counterparts for the frame-based readers (same rules, whole columns at once).


def number_expr(column: str) -> pl.Expr:
    """The column parsed as Float64 where it follows :data:`NUMBER`, null elsewhere."""
    raw = pl.col(column).str.strip_chars()
    parsed = raw.str.replace_all(r"[ \u00a0\u202f]", "").str.replace(",", ".")
    value = parsed.cast(pl.Float64, strict=False)
    return pl.when(raw.str.contains(NUMBER) & value.is_finite()).then(value).otherwise(None)


NUMBER_EXPECTED = "nombre décimal attendu, chiffres 0-9, point ou virgule"
COUNT_EXPECTED = "nombre positif ou nul attendu"
