"""Formatting of programme figures: shares, delays, dates (French)."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def pourcent(value) -> str:
    """0.1234 -> "12,3 %"; None -> "n.d."."""
    if value is None:
        return "n.d."
    return f"{number_format(100 * value, decimal_pos=1)}\u00a0%"


@register.filter
def jours(value) -> str:
    """A median delay in days -> "245 jours (8,0 mois)"; None -> "n.d."."""
    if value is None:
        return "n.d."
    months = value / 30.4375
    return (
        f"{number_format(round(value), force_grouping=True)}\u00a0jours "
        f"({number_format(months, decimal_pos=1)}\u00a0mois)"
    )


@register.filter
def date_fr(value) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


@register.simple_tag(takes_context=True)
def url_with(context, **kwargs) -> str:
    """The current query string with some parameters replaced (empty values removed)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    params.pop("page", None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
