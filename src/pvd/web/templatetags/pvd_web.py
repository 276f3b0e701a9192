"""Template filters for French formatting of figures and vintages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from pvd.domain import wording
from pvd.rendering.filters import annee, apres, millesime, millesimes, nombre, pluriel

register = template.Library()


# The filters the Jinja2 bodies use too live below the apps (pvd.rendering.filters).
register.filter("nombre", nombre)
register.filter("annee", annee)
register.filter("millesime", millesime)
register.filter("millesimes", millesimes)
register.filter("pluriel", pluriel)
register.filter("apres", apres)


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


