"""Formula injection in exported spreadsheets (CSV, XLSX, the schema ZIP), guarded in one place.

A text cell starting with ``= + - @`` (or a tab / carriage return, which some spreadsheets skip
before reading a formula) is run as a formula when the file is opened: an action titled
``=HYPERLINK("http://…")`` would become a live link (OWASP "CSV injection"). Such text is
written with a leading apostrophe, which spreadsheets show as plain text. Only text is touched:
numbers stay numbers (a negative amount is a number, not text), dates and missing values
(``None``) pass through unchanged.
"""

from __future__ import annotations

import re
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Characters an XLSX file cannot hold (openpyxl raises on them): C0 controls but tab, LF, CR.
XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def neutralise_row(row, *, xlsx: bool = False) -> list:
    """Each cell of ``row`` neutralised; for XLSX, control characters that the format cannot
    hold (forms and API refuse them, older rows may still have them) are shown as U+FFFD
    instead of failing the whole export."""
    if not xlsx:
        return [neutralise(v) for v in row]
    return [
        XLSX_ILLEGAL.sub("\ufffd", v) if isinstance(v, str) else v
        for v in (neutralise(v) for v in row)
    ]
