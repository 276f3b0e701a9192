"""French figures of the outcome pages: signed decimals with a comma, "n.d." when missing."""

from __future__ import annotations

from django import template

from pvd.domain.outcomes.reading import interval_text, num

register = template.Library()


@register.filter
def signe(value, digits: int = 1) -> str:
    """-0.43 -> "−0,4"; 1.2 -> "+1,2"; None -> "n.d."."""
    return num(value, int(digits), sign=True)


@register.filter
def decimal(value, digits: int = 1) -> str:
    return num(value, int(digits))


@register.filter
def intervalle(bounds) -> str:
    """[-1.53, -0.85] -> "−1,5 à −0,9"; more decimals when a bound would show as "0,0"."""
    bas, haut = bounds
    return interval_text(bas, haut)
