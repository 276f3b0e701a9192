"""Portrait de ville pages: the portrait, its CSV export, the indicator catalogue.

Thin: find the commune, call the portrait selector, lay out charts, render.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from pvd import caching
from pvd.caching.http import data_page
from pvd.diagnostics import portrait_extras, selectors
from pvd.diagnostics.charts import HBarChart, VBarChart, comparison_chart, series_chart
from pvd.diagnostics.location import geo_location, location_map
from pvd.diagnostics.portrait_csv import csv_rows
from pvd.diagnostics.portrait_tables import ThemeTable, theme_tables
from pvd.diagnostics.selectors import Figure, Theme
from pvd.domain.indicators.catalogue import DIRECTIONS, THEMES, THEMES_TO_COME, by_theme
from pvd.domain.peers import BAND, MAX_CANDIDATES, K, feature_ids
from pvd.formats import csv_fr
from pvd.rendering import jinja
from pvd.sources import catalogue as sources_catalogue
from pvd.sources.indicator_inputs import REFERENTIAL_SOURCE, kind_of_source
from pvd.territories import selectors as territories
from pvd.territories.models import Commune


def _commune(code: str) -> Commune:
    commune = territories.commune_com_get(code=code)
    if commune is None:
        raise Http404(f"Aucune commune de code « {code} ».")
    return commune


def _crumbs(commune: Commune, urls: dict[str, str]) -> dict:
    return {
        "current": "Portrait de ville",
        "links": [
            {"url": urls["departement"], "title": commune.departement.nom},
            {"url": urls["commune"], "title": commune.nom},
        ],
    }


def _header_urls(commune: Commune) -> dict[str, str]:
    """The links of the portrait's header and breadcrumb (Django's ``reverse`` through
    ``pvd.rendering.jinja.url``: a route reversed once per process, the codes put in)."""
    return {
        "departement": jinja.url("web:departement", commune.departement_id),
        "commune": jinja.url("web:commune", commune.code),
        "csv": jinja.url("diagnostics:portrait_csv", commune.code),
        "pdf": jinja.url("diagnostics:portrait_pdf", commune.code),
        "catalogue": jinja.url("diagnostics:catalogue"),
    }


class _Record:
    """A record of the portrait's templates: attributes for Jinja2 (whose lookups try an
    attribute first: each key of a dict cost it a caught AttributeError, ~500 a portrait), keys
    for Django's templates (which try a key first)."""

    __slots__ = ()

    def __getitem__(self, key: str):
        try:
            return getattr(self, key)
        except AttributeError:
            raise KeyError(key) from None


@dataclass(slots=True)
class ChartItem(_Record):
    figure: Figure
    bars: HBarChart | None
    series: VBarChart | None


@dataclass(slots=True)
class Section(_Record):
    theme: Theme
    items: list[ChartItem]
    table: ThemeTable
    charts: list[ChartItem]  # the items with a chart


def portrait_context(commune: Commune) -> dict:
    p = selectors.portrait(commune=commune)
    sections = []
    for theme, table in zip(p.themes, theme_tables(p), strict=True):
        items = [ChartItem(f, comparison_chart(f), series_chart(f)) for f in theme.figures]
        charts = [item for item in items if item.bars or item.series]
        sections.append(Section(theme, items, table, charts))
    geo = geo_location(commune)
    return {
        "portrait": p,
        "commune": commune,
        "sections": sections,
        "geo": geo,
        # The national drawing is shown only without the department's contour (geo).
        "location": location_map(commune.departement_id) if geo is None else None,
        "typologies": portrait_extras.typologies_of(commune.code),
    }


def portrait_body(commune: Commune, *, is_staff: bool) -> str:
    """The portrait below its header (indicators, map, typologies, similar towns): the same
    for every reader but staff, so rendered once per commune and data version for every worker.
    Jinja2 (pvd.rendering.jinja): almost every visit of a portrait is its first one."""

    def render_body() -> str:
        context = {**portrait_context(commune), "is_staff": is_staff}
        return jinja.render("diagnostics/portrait_body.html", context)

    return caching.shared(("portrait-body", commune.code, bool(is_staff)), render_body)


@data_page
def portrait(request: HttpRequest, code: str) -> HttpResponse:
    commune = _commune(code)
    body = portrait_body(commune, is_staff=request.user.is_staff)
    urls = _header_urls(commune)
    context = {
        "commune": commune,
        "body": mark_safe(body),
        "urls": urls,
        "breadcrumb_data": _crumbs(commune, urls),
    }
    return render(request, "diagnostics/portrait.html", context)


def portrait_csv(request: HttpRequest, code: str) -> HttpResponse:
    commune = _commune(code)
    p = selectors.portrait(commune=commune)
    body = csv_fr.write(csv_rows(p), variant=csv_fr.variant_of(request.GET))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="portrait-{commune.code}.csv"'
    return response


def portrait_pdf(request: HttpRequest, code: str) -> HttpResponse:
    from pvd.diagnostics.pdf import portrait_pdf as render_pdf

    commune = _commune(code)
    response = HttpResponse(render_pdf(portrait_context(commune)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="portrait-{commune.code}.pdf"'
    return response


def indicators_catalogue(request: HttpRequest) -> HttpResponse:
    themes = []
    for theme_id, items in by_theme().items():
        rows = []
        for ind in items:
            kind = kind_of_source(ind.source)
            source = sources_catalogue.get(ind.source)
            rows.append(
                {
                    "indicator": ind,
                    "source_title": source.title
                    if source
                    else (
                        "Référentiel territorial embarqué (populations légales INSEE)"
                        if ind.source == REFERENTIAL_SOURCE
                        else ind.source
                    ),
                    "source_page": source.page if source else "",
                    "command": kind.command if kind else "pvd data load",
                }
            )
        themes.append(
            {
                "id": theme_id,
                "label": THEMES[theme_id],
                "rows": rows,
                "to_come": THEMES_TO_COME.get(theme_id, ""),
            }
        )
    return render(
        request,
        "diagnostics/catalogue.html",
        {
            "themes": themes,
            "directions": DIRECTIONS,
            "build": selectors.latest_build(),
            "peer_features": [f for f in (by_id(i) for i in feature_ids()) if f],
            "peer_k": K,
            "peer_band": str(BAND).replace(".", ","),
            "peer_max": MAX_CANDIDATES,
            "breadcrumb_data": {"current": "Indicateurs du portrait de ville", "links": []},
        },
    )


def by_id(indicator_id: str):
    from pvd.domain.indicators.catalogue import get

    return get(indicator_id)
