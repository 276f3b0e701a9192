"""Template filters for French formatting of figures and vintages."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import template
from django.utils.formats import number_format

from pvd.domain import wording

register = template.Library()


@register.filter
def nombre(value) -> str:
    """1163 -> "1 163" (non-breaking space, French grouping); None -> "n.d."."""
    if value is None or value == "":
        return "n.d."
    return number_format(value, force_grouping=True)


@register.filter
def annee(value) -> str:
    """A year printed as is: without it USE_THOUSAND_SEPARATOR would print 2023 as "2 023"."""
    return "" if value is None else str(int(value))


@register.filter
def millesime(value) -> str:
    """A source's year, flagged when old: 2021 -> "2021"; 2013 -> "données de 2013"."""
    if value is None:
        return ""
    year = int(value)
    return wording.vintage_age_note(year, datetime.date.today().year) or str(year)


@register.filter
def millesimes(values) -> str:
    """[2023] -> "2023"; [2017, 2023] -> "2017 et 2023"; three or more: "a, b et c"."""
    years = [str(int(v)) for v in values or ()]
    if len(years) <= 1:
        return "".join(years)
    return f"{', '.join(years[:-1])} et {years[-1]}"


@register.filter
def pluriel(value, forms: str = "s") -> str:
    """French `pluralize`: 0 and 1 take the singular ("0 commune"), 2 and more the plural.
    ``{{ n|pluriel }}`` -> "" or "s"; ``{{ n|pluriel:"son,leur" }}``."""
    try:
        n = len(value) if hasattr(value, "__len__") and not isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return ""
    return wording.suffix(n, forms)


@register.filter
def rang(value) -> str:
    """3 -> "3e", 1 -> "1er" (a rank written as a French ordinal)."""
    if value is None or value == "":
        return "n.d."
    return wording.ordinal(int(value))


def _number(value) -> str:
    """French grouping, no useless decimals: 16.0 -> "16", 1234.5 -> "1 234,5"."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return number_format(int(number), force_grouping=True)
    return number_format(number.normalize(), force_grouping=True)


@register.filter
def montant(value) -> str:
    """An amount in euros: 125000 -> "125 000"; None (not reported) -> "—", never "None"."""
    if value is None or value == "":
        return "—"
    return _number(value)


@register.filter
def valeur(value) -> str:
    """A measured value: 16.0 -> "16", 2.50 -> "2,5"; None -> "—"."""
    if value is None or value == "":
        return "—"
    return _number(value)
