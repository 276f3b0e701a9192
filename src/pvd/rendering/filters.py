"""French formatting of figures and vintages, shared by the Django templates (registered in
pvd.web.templatetags.pvd_web) and the Jinja2 bodies (pvd.rendering.jinja)."""

from __future__ import annotations

import datetime
from contextvars import ContextVar

from django.utils.formats import number_format
from django.utils.translation import get_language

from pvd.domain import wording

_GROUPED: dict[tuple, str] = {}  # integers as grouped, by language (tables of populations)

# The active language while a Jinja2 body renders (pvd.rendering.jinja.render sets it): read once
# per body instead of once per printed number (Django's ``get_language`` goes through asgiref's
# ``Local``, about 2 microseconds a call, and a portrait prints ~120 localised numbers).
RENDER_LANGUAGE: ContextVar[str | None] = ContextVar("pvd_render_language", default=None)


def language() -> str | None:
    """The active language (Django's), read once per body while one renders."""
    return RENDER_LANGUAGE.get() or get_language()


def nombre(value) -> str:
    """1163 -> "1 163" (non-breaking space, French grouping); None -> "n.d."."""
    if value is None or value == "":
        return "n.d."
    if type(value) is int:
        key = (language(), value)
        text = _GROUPED.get(key)
        if text is None:
            if len(_GROUPED) > 50_000:
                _GROUPED.clear()
            text = _GROUPED[key] = number_format(value, force_grouping=True)
        return text
    return number_format(value, force_grouping=True)


def annee(value) -> str:
    """A year printed as is: without it USE_THOUSAND_SEPARATOR would print 2023 as "2 023"."""
    return "" if value is None else str(int(value))


def millesime(value) -> str:
    """A source's year, flagged when old: 2021 -> "2021"; 2013 -> "données de 2013"."""
    if value is None:
        return ""
    year = int(value)
    return wording.vintage_age_note(year, datetime.date.today().year) or str(year)


def millesimes(values) -> str:
    """[2023] -> "2023"; [2017, 2023] -> "2017 et 2023"; three or more: "a, b et c"."""
    years = [str(int(v)) for v in values or ()]
    if len(years) <= 1:
        return "".join(years)
    return f"{', '.join(years[:-1])} et {years[-1]}"


def pluriel(value, forms: str = "s") -> str:
    """French `pluralize`: 0 and 1 take the singular ("0 commune"), 2 and more the plural.
    ``{{ n|pluriel }}`` -> "" or "s"; ``{{ n|pluriel:"son,leur" }}``."""
    try:
        n = len(value) if hasattr(value, "__len__") and not isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return ""
    return wording.suffix(n, forms)


def apres(name, word: str) -> str:
    """``{{ commune.nom|apres:"de" }}``: "d'Aigre", "du Mans", "de La Souterraine"."""
    return wording.after(word, str(name))
