"""Template filters for French formatting of figures and vintages."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

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
def millesimes(values) -> str:
    """[2023] -> "2023"; [2017, 2023] -> "2017 et 2023"; three or more: "a, b et c"."""
    years = [str(int(v)) for v in values or ()]
    if len(years) <= 1:
        return "".join(years)
    return f"{', '.join(years[:-1])} et {years[-1]}"
