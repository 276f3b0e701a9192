"""CSV as French spreadsheets read it, or as programs read it, never a mix of the two.

French (the default): ";" separator, "," decimal mark, UTF-8 with BOM, CRLF: Excel and
LibreOffice in a French locale open it as numbers. International (``?csv=international``):
"," separator, "." decimal mark, UTF-8 without BOM, LF: for scripts and other locales.
A ";" file with "." decimals is what neither reads well (issue 13), so it is never written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from pvd.formats.formula_guard import neutralise

PARAM = "csv"
INTERNATIONAL = "international"


def _number(value: float | Decimal, decimal_mark: str) -> str:
    text = repr(float(value)) if isinstance(value, float) else format(value, "f")
    if "e" in text or "E" in text:  # 1e-05: write it out in full
        text = f"{float(value):.12f}".rstrip("0").rstrip(".")
    if text.endswith(".0"):
        text = text[:-2]
    return text.replace(".", decimal_mark)


def cell(value, *, international: bool = False) -> str:
    """One value: None -> "" (missing, never 0); numbers with the variant's decimal mark;
    booleans "oui"/"non" (French) or "true"/"false"; dates ISO; text that a spreadsheet would
    run as a formula prefixed with ``'`` (:mod:`pvd.formats.formula_guard`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("true" if value else "false") if international else ("oui" if value else "non")
    if isinstance(value, (float, Decimal)):
        return _number(value, "." if international else ",")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def variant_of(query: dict | None) -> str:
    """ "fr" unless the request asks for ``?csv=international``."""
    return INTERNATIONAL if (query or {}).get(PARAM) == INTERNATIONAL else "fr"


def write(rows: Iterable[Sequence], *, variant: str = "fr") -> bytes:
    """Rows (the first one the header) as CSV bytes in the given variant."""
    international = variant == INTERNATIONAL
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter="," if international else ";",
        lineterminator="\n" if international else "\r\n",
    )
    for row in rows:
        writer.writerow([cell(v, international=international) for v in row])
    text = buffer.getvalue()
    return text.encode("utf-8") if international else ("\ufeff" + text).encode("utf-8")
