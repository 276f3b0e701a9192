"""Downloads of the programme registry: laureate lists (CSV, XLSX, GeoJSON points) and
dashboard tables by territory (CSV, XLSX, GeoJSON with true WGS84 geometry). Thin views over
:mod:`pvd.programme.exports`; split from :mod:`pvd.programme.views`.

A laureate list filtered on a territory that no loaded list covers says so (a CSV/XLSX line,
``metadata.couvert`` in GeoJSON): an empty list there means "not known", not "no laureate".
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from pvd.formats import csv_fr
from pvd.programme import exports, maps, selectors
from pvd.programme.views import _programme
from pvd.programme.views_registry import _list_filters

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
}


def _download(content: bytes, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_laureats(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    programme = _programme(slug)
    if fmt not in CONTENT_TYPES:
        raise Http404("Format d'export inconnu.")
    filters = _list_filters(request)
    laureats = list(
        selectors.laureates_list(
            programme=programme, filters=filters, sort=request.GET.get("tri", "code")
        )
    )
    datasets = selectors.datasets_of(programme)
    covered = selectors.filters_covered(
        programme, region=filters.region, departement=filters.departement
    )
    note = "" if covered else exports.UNCOVERED_NOTE
    stamp = timezone.localdate().isoformat()
    name = f"laureats-{programme.slug}-{stamp}"
    if fmt == "geojson":
        points = selectors.laureate_points(laureats=laureats)
        return _download(
            exports.laureates_geojson(laureats, points, datasets, covered), f"{name}.geojson", fmt
        )
    rows = exports.laureate_rows(laureats)
    columns = exports.LAUREATE_COLUMNS
    if fmt == "csv":
        return _download(
            exports.to_csv(columns, rows, datasets, note, variant=csv_fr.variant_of(request.GET)),
            f"{name}.csv",
            fmt,
        )
    return _download(
        exports.to_xlsx("Lauréats", columns, rows, datasets, note), f"{name}.xlsx", fmt
    )


def export_territoires(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The breakdown table of a dashboard (regions of France, or departments)."""
    programme = _programme(slug)
    if fmt not in CONTENT_TYPES:
        raise Http404("Format d'export inconnu.")
    region = request.GET.get("region") or None
    level = "departement" if region or request.GET.get("niveau") == "departement" else "region"
    if region:
        scope = selectors.scope_for(region=region)
        if scope is None:
            raise Http404("Région inconnue.")
        rows = selectors.breakdown(programme, scope)
    else:
        rows = selectors.map_rows(programme=programme, level=level)
    datasets = selectors.datasets_of(programme)
    name = f"{'departements' if level == 'departement' else 'regions'}-{programme.slug}" + (
        f"-{region}" if region else ""
    )
    if fmt == "geojson":
        # True WGS84 geometry, never the drawing-only "style1" contours of the maps.
        return _download(
            exports.territories_geojson(level, maps.export_geometries(level), rows, datasets),
            f"{name}.geojson",
            fmt,
        )
    table = exports.territory_rows(rows)
    if fmt == "csv":
        return _download(
            exports.to_csv(
                exports.TERRITORY_COLUMNS,
                table,
                datasets,
                variant=csv_fr.variant_of(request.GET),
            ),
            f"{name}.csv",
            fmt,
        )
    return _download(
        exports.to_xlsx("Territoires", exports.TERRITORY_COLUMNS, table, datasets),
        f"{name}.xlsx",
        fmt,
    )
