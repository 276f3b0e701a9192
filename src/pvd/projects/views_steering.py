"""A project's steering pages: timeline, budget summary, indicators, the steering report (PDF
and XLSX) and the exports (CSV, XLSX, the schema-described zip). Every page needs a login."""

from __future__ import annotations

import io
import zipfile

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from pvd.formats import csv_fr
from pvd.projects import (
    charts,
    exports,
    schema_export,
    selectors,
    steering_pack,
)
from pvd.projects.models import Axe, Indicateur
from pvd.projects.views_common import (
    CONTENT_TYPES,
    _base,
    _filters,
    _group,
    _guard,
)

# --- Steering views -----------------------------------------------------------------------


@_guard
def timeline(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    groupe, projet, acc = _group(request, slug, code)
    filters = _filters(request)
    rows = selectors.action_rows(projet, filters=filters)
    ctx = _base(groupe, projet, acc, "Calendrier")
    ctx.update({"timeline": selectors.timeline(rows), "filters": filters})
    return render(request, "projects/timeline.html", ctx)


def _budget_context(rows) -> dict:
    totals = selectors.totals(rows)
    labels = dict(Axe.choices)
    return {
        "totals": totals,
        "by_funder": sorted(totals.funding_by_funder.items(), key=lambda kv: -kv[1]["requested"]),
        "by_axis": sorted(totals.funding_by_axis.items()),
        "by_year": sorted(totals.funding_by_year.items(), key=lambda kv: (kv[0] is None, kv[0])),
        "spend_by_year": selectors.budget_by_year(rows),
        "investment_by_axis": [
            (labels.get(k, k), v) for k, v in totals.investment_by_axis.most_common()
        ],
        "forecast": sum(r.budget.forecast for r in rows),
        "forecast_reported": any(r.budget.forecast_lines for r in rows),
        "actual": sum(r.budget.actual for r in rows),
        "remaining": sum(r.budget.remaining for r in rows),
        "funding_chart": charts.funding_chart(totals.funding_by_funder),
        "warnings": [(r.action, w) for r in rows for w in r.budget.warnings],
    }


@_guard
def budget(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    groupe, projet, acc = _group(request, slug, code)
    rows = selectors.action_rows(projet, filters=_filters(request))
    ctx = _base(groupe, projet, acc, "Budget et cofinancements")
    ctx.update(_budget_context(rows))
    return render(request, "projects/budget.html", ctx)


@_guard
def indicateurs(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    groupe, projet, acc = _group(request, slug, code)
    inds = (
        Indicateur.objects.filter(action__projet=projet, action__supprime_le__isnull=True)
        .select_related("action")
        .prefetch_related("mesures")
    )
    ctx = _base(groupe, projet, acc, "Indicateurs")
    ctx["indicators"] = [{"ind": i, "chart": charts.indicator_chart(i)} for i in inds]
    return render(request, "projects/indicateurs.html", ctx)


@_guard
def rapport(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """One-page steering report (PDF, A4) for the steering committee."""
    from django.template.loader import render_to_string

    groupe, projet, acc = _group(request, slug, code)
    rows = selectors.action_rows(projet)
    ctx = _base(groupe, projet, acc, "Rapport")
    ctx.update(_budget_context(rows))
    ctx["rows"] = rows
    ctx["alerts"] = steering_pack.alerts(rows)
    ctx["today"] = selectors.today()
    ctx["funding_decisions"] = steering_pack.funding_by_funder_and_decision(projet)
    ctx["indicator_lines"] = steering_pack.indicator_lines(projet)
    html = render_to_string("projects/rapport_print.html", ctx, request=request)
    if request.GET.get("format") == "html":
        return HttpResponse(html)
    from weasyprint import HTML  # lazily: pango is only needed for PDFs

    pdf = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rapport-{groupe.code}.pdf"'
    return response


@_guard
def rapport_xlsx(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The steering committee's pack as a spreadsheet (same figures as the PDF report)."""
    groupe, projet, acc = _group(request, slug, code)
    rows = selectors.action_rows(projet)
    body = steering_pack.pack_xlsx(
        projet=projet, rows=rows, totals=selectors.totals(rows), today=selectors.today()
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="comite-pilotage-{groupe.code}.xlsx"'
    return response


@_guard
def export(request: HttpRequest, slug: str, code: str, kind: str, fmt: str) -> HttpResponse:
    if kind not in ("actions", "financements") or fmt not in CONTENT_TYPES:
        raise Http404(f"{kind}.{fmt}")
    groupe, projet, acc = _group(request, slug, code)
    rows = selectors.action_rows(projet, filters=_filters(request))
    content = exports.export(kind, fmt, rows, variant=csv_fr.variant_of(request.GET))
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{kind}-{groupe.code}.{fmt}"'
    return response


@_guard
def export_schema(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Zip of projets-territoire.csv and collectivites.csv (public Table Schema)."""
    groupe, projet, acc = _group(request, slug, code)
    files = schema_export.export(selectors.action_rows(projet))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in files.items():
            z.writestr(name, content)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="projets-{groupe.code}.zip"'
    return response
