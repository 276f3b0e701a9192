"""The outcome pages (/resultats/): France, a group of a breakdown (region, department,
population band, ORT, signature), a laureate against its matched towns. Thin: one service call,
the report's shaping, a template."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from pvd import caching
from pvd.domain.outcomes import DIMENSIONS
from pvd.outcomes import charts, report, services
from pvd.territories.selectors import commune_get

FRANCE_BREAKDOWNS = ("region", "bande", "ort", "signature")
TITLES = {
    "region": "par région",
    "departement": "par département",
    "bande": "par tranche de population (2019)",
    "ort": "selon la signature d'une ORT",
    "signature": "selon l'ancienneté de la signature de l'ORT",
}


def _base(c) -> dict:
    return {
        "computed": c,
        "caveats": c.caveats,
        "design": report.design(c) if c.outcomes else None,
        "source": c.source,
    }


def _table(c, dimension: str, rows: list[dict] | None = None, *, chart: bool = True) -> dict:
    rows = report.breakdown(c, dimension) if rows is None else rows
    for r in rows:
        r["url"] = reverse("outcomes:group", args=[dimension, r["perimetre"].split(":", 1)[1]])
    title = f"Écart des lauréats {TITLES[dimension]}"
    return {
        "dimension": dimension,
        "titre": title,
        "rows": rows,
        "chart": charts.effects_chart(rows, title=title) if chart else None,
    }


def _france_context(c) -> dict:
    ctx = _base(c)
    if c.outcomes is not None:
        ctx |= {
            "summary": report.summary(c),
            "placebo": report.placebo(c),
            "balance": report.balance(c),
            "tables": [_table(c, d) for d in FRANCE_BREAKDOWNS]
            + [_table(c, "departement", chart=False)],
        }
    return ctx


def france(request: HttpRequest) -> HttpResponse:
    ctx = _france_context(services.outcomes_compute())
    ctx["breadcrumb_data"] = {"current": "Résultats des villes lauréates"}
    return render(request, "outcomes/france.html", ctx)


def france_pdf(request: HttpRequest) -> HttpResponse:
    """The PDF's bytes are made once per data version for every process (WeasyPrint takes
    about 2 s), as the pages' bodies are."""
    from pvd.outcomes.pdf import outcomes_pdf

    c = services.outcomes_compute()
    if c.outcomes is None:
        raise Http404(c.reason)
    body = caching.shared(
        ("outcomes-pdf", services.DESIGN), lambda: outcomes_pdf(_france_context(c))
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="resultats-laureats.pdf"'
    return response


def group(request: HttpRequest, dimension: str, value: str) -> HttpResponse:
    if dimension not in DIMENSIONS:
        raise Http404("Découpage inconnu.")
    c = services.outcomes_compute()
    summary = report.summary(c, dimension, value)
    if summary is None:
        raise Http404("Aucun lauréat apparié dans ce périmètre.")
    towns = c.outcomes.towns.filter(c.outcomes.towns[dimension] == value).sort("nom")
    ctx = _base(c) | {"summary": summary, "dimension": dimension, "towns": towns.to_dicts()}
    if dimension == "region":
        deps = set(towns.get_column("departement").to_list())
        rows = [
            r for r in report.breakdown(c, "departement") if r["perimetre"].split(":")[1] in deps
        ]
        ctx["tables"] = [_table(c, "departement", rows)]
    ctx["breadcrumb_data"] = {
        "links": [{"url": reverse("outcomes:france"), "title": "Résultats des villes lauréates"}],
        "current": summary["libelle"],
    }
    return render(request, "outcomes/group.html", ctx)


def commune(request: HttpRequest, code: str) -> HttpResponse:
    place = commune_get(code=code)
    if place is None:
        raise Http404("Commune inconnue.")
    c = services.outcomes_compute()
    t = report.town(c, code)
    ctx = _base(c) | {
        "town": t,
        "commune": place,
        "chart": charts.trajectory_chart(t) if t and t["apparie"] else None,
    }
    ctx["breadcrumb_data"] = {
        "links": [{"url": reverse("outcomes:france"), "title": "Résultats des villes lauréates"}],
        "current": place.nom,
    }
    return render(request, "outcomes/commune.html", ctx)
