"""Bare baselines of bench/bench_pages.py: the least a Django page can do, served by the same
process, middleware and test client as the platform's pages.

- ``bare_row``: one stored row read by its key (a commune by code) and a small template;
- ``bare_group_by``: one GROUP BY over the laureates' table (count per status, no join) and a
  small template.

``urlpatterns`` puts them beside the platform's own URLs (ROOT_URLCONF of the benchmark).
"""

from __future__ import annotations

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from pvd.config.urls import urlpatterns as platform_urls
from pvd.programme.models import Laureat
from pvd.territories.models import Commune

# Compiled once, as Django's cached template loader does for file templates.
ROW = engines["django"].from_string(
    "<!doctype html><html lang=fr><head><title>{{ c.nom }}</title></head><body>"
    "<h1>{{ c.nom }} ({{ c.code }})</h1><p>Population : {{ c.population }}</p></body></html>"
)
GROUP_BY = engines["django"].from_string(
    "<!doctype html><html lang=fr><head><title>Lauréats</title></head><body><table>"
    "{% for r in rows %}<tr><th>{{ r.statut }}</th><td>{{ r.n }}</td></tr>"
    "{% endfor %}</table></body></html>"
)


def bare_row(request: HttpRequest, code: str) -> HttpResponse:
    row = Commune.objects.filter(code=code).values("code", "nom", "population").first()
    if row is None:
        raise Http404(code)
    return HttpResponse(ROW.render({"c": row}, request))


def bare_group_by(request: HttpRequest) -> HttpResponse:
    rows = list(
        Laureat.objects.values("statut").annotate(n=Count("pk")).order_by()
    )
    return HttpResponse(GROUP_BY.render({"rows": rows}, request))


urlpatterns = [
    path("bare/row/<str:code>/", bare_row),
    path("bare/group-by/", bare_group_by),
    *platform_urls,
]
