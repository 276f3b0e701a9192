"""Formatting of programme figures: shares, delays, dates (French)."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

from pvd import caching

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


@register.inclusion_tag("programme/includes/commune_programme.html", takes_context=True)
def commune_programme(context, commune, slug: str = "pvd") -> dict:
    """A commune's place in the programme, for its territorial page and its portrait: status
    (never "non lauréate" where no list covers it), selection date, ORT, projet de territoire.
    The registry's facts come from dicts kept per process and data version (a lookup costs
    less than reading them back from the shared cache, and a first visit stored them there);
    the link to the projet de territoire depends on the reader and is decided on each request
    (``project_link``)."""
    if commune.type != "COM":
        return {"show": False}
    facts = _registry_facts(commune, slug)
    if facts is None:
        return {"show": False}
    return {"show": True, **facts, "commune": commune, "user": context.get("user")}


# The programme and its registry's coverage, per process and data version (the registry's
# imports and edits replace it): every cold portrait and commune page reads them.
_programmes: caching.ProcessMemo = caching.ProcessMemo("programme-coverage", size=8)


def _programme_coverage(slug: str):
    from pvd.programme.coverage import registry_coverage
    from pvd.programme.models import Programme

    def compute():
        programme = Programme.objects.filter(slug=slug).first()
        return programme, (registry_coverage(programme) if programme else None)

    return _programmes.get(slug, compute)


# The programme's laureates and the ORT sheet's rows by commune, per process and data version:
# a cold commune page or portrait reads a dict instead of two queries (about 1,600 and 2,000
# rows; their imports and edits replace the data version).
_registry_rows: caching.ProcessMemo = caching.ProcessMemo("programme-registry-rows", size=8)


def _rows_by_commune(programme) -> tuple[dict, dict]:
    from pvd.programme.models import Laureat, Ort

    def compute():
        laureats = {
            laureat.commune_id: laureat
            for laureat in Laureat.objects.filter(programme=programme).select_related(
                "groupe__programme"
            )
        }
        return laureats, {ort.commune_id: ort for ort in Ort.objects.all()}

    return _registry_rows.get(programme.pk, compute)


def _registry_facts(commune, slug: str) -> dict | None:
    from pvd.programme.coverage import status_of

    programme, coverage = _programme_coverage(slug)
    if programme is None:
        return None
    laureats, orts = _rows_by_commune(programme)
    laureat = laureats.get(commune.pk)  # at most one per programme and commune
    return {
        "programme": programme,
        "status": status_of(laureat, coverage, commune),
        "laureat": laureat,
        "ort": orts.get(commune.pk),  # one ORT row per commune at most
    }
