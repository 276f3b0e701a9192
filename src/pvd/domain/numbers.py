"""Numbers written in French: the one place that groups thousands, puts the decimal comma,
the percent sign and the signs (pages' charts, maps' legends, claims' verdicts, rules' changes,
outcomes' readings, import reports, the CLI).

Pure: no Django (the Django templates' locale-aware filters are in pvd.rendering.filters).
Each caller keeps its own spacing and minus sign through the parameters, so its output is the
same as before this module existed.
"""

from __future__ import annotations

NARROW_NBSP = "\u202f"  # French thousands separator of the portrait, the maps, the reports
NBSP = "\u00a0"  # the one Django's French number format uses (the towns' pages)
SPACE = " "  # a plain space (the CLI, the selection's explanations)
MINUS = "−"  # U+2212, the typographic minus sign


def french_number(
    value: float | None,
    decimals: int = 0,
    *,
    sep: str = NARROW_NBSP,
    minus: str = MINUS,
    missing: str = "n.d.",
) -> str:
    """A number in French: -1234.5 -> "−1 234,5" (``sep`` between thousands, a decimal comma,
    the minus sign); None -> ``missing``."""
    if value is None:
        return missing
    text = f"{value:,.{decimals}f}".replace(",", sep).replace(".", ",")
    return text.replace("-", minus)


def grouped(value: int, sep: str = SPACE) -> str:
    """A whole number with its thousands separated: 12345 -> "12 345"."""
    return f"{value:,}".replace(",", sep)


def decimal(value: float, decimals: int = 1) -> str:
    """A decimal comma, no grouping, the ASCII minus: 1234.56 -> "1234,6"."""
    return f"{value:.{decimals}f}".replace(".", ",")


def percent(value: float, decimals: int = 1) -> str:
    """A percentage already multiplied by 100: 12.34 -> "12,3 %" (no grouping)."""
    return f"{decimal(value, decimals)} %"


def signed(value: float, decimals: int = 1) -> str:
    """A contribution with its sign always written: 0.25 -> "+0,2", -1 -> "-1,0"."""
    return f"{value:+.{decimals}f}".replace(".", ",")


def compact(value: float | int, sep: str = NARROW_NBSP) -> str:
    """A stated figure without useless zeros: at most two decimals for a float
    (2.50 -> "2,5", 3.0 -> "3"), an int grouped (1234 -> "1 234")."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    return text.replace(",", sep).replace(".", ",")


def signed_number(
    value: float | None,
    decimals: int = 1,
    *,
    sign: bool = False,
    missing: str = "n.d.",
) -> str:
    """A French decimal with the typographic minus: "−0,4"; "+1,2" with ``sign``; a value that
    rounds to zero has no sign ("0,0"); None -> ``missing``."""
    if value is None:
        return missing
    text = french_number(abs(value), decimals)
    if round(value, decimals) == 0:
        return text
    return (MINUS if value < 0 else ("+" if sign else "")) + text
