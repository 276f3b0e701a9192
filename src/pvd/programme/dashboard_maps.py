"""The dashboards' maps, shaped for the template: national (regions or departments, overseas as
framed insets), a region's departments, a department's communes. Read-only; the geometry comes
from :mod:`pvd.programme.maps`. Without geometry the context carries the message the page shows
instead of a map ("fond de carte indisponible"), the table staying below."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from pvd.domain.cartography import INSET_NOTE, classes
from pvd.domain.numbers import french_number
from pvd.programme import maps, selectors
from pvd.programme.models import Programme

# Territories no loaded list covers: a hatched grey (pattern defined in the map's SVG),
# distinct from the plain grey of "donnée non disponible".
UNCOVERED_FILL = "url(#pvd-non-couvert)"
UNPLACED_NAMED = 10  # communes without a centre named in the map's text, the rest counted


def _shapes_svg(shapes: list[dict]) -> SafeString:
    """The territories' links and paths, each carrying its code (built here, escaped: a
    template loop over a hundred paths or a thousand points costs more than the page)."""
    return format_html_join(
        "\n",
        '<a href="{}" aria-label="{}"><path id="carte-{}" data-code="{}" d="{}" fill="{}">'
        "<title>{}</title></path></a>",
        (
            (s["url"], s["label"], s["code"], s["code"], s["path"], s["fill"], s["label"])
            for s in shapes
        ),
    )


def _points_svg(points: list[dict]) -> SafeString:
    """Other communes light and small (decorative, named on hover), then the laureates dark,
    each a link to its page, drawn above."""
    others = format_html_join(
        "",
        '<circle data-code="{}" cx="{}" cy="{}" r="2.2" class="pvd-map__commune">'
        "<title>{} ({})</title></circle>",
        ((p["code"], p["x"], p["y"], p["nom"], p["code"]) for p in points if not p["laureate"]),
    )
    laureates = format_html_join(
        "",
        '<a href="{}" aria-label="{} ({}), lauréate"><circle data-code="{}" cx="{}" '
        'cy="{}" r="5" class="pvd-map__laureate"><title>{} ({}), lauréate</title>'
        "</circle></a>",
        (
            (p["url"], p["nom"], p["code"], p["code"], p["x"], p["y"], p["nom"], p["code"])
            for p in points
            if p["laureate"]
        ),
    )
    return format_html('<g aria-hidden="true">{}</g>{}', others, laureates)


def _shown(value: float | None, *, couvert: bool, percent: bool) -> str:
    if not couvert:
        return "non couvert par les listes chargées"
    if value is None:
        return "n.d."
    return f"{french_number(value, 1, minus='-')} %" if percent else french_number(value, minus="-")


def map_context(
    programme: Programme,
    scope: selectors.Scope,
    request: HttpRequest,
    rows: list[selectors.BreakdownRow],
    *,
    couvert: bool = True,
) -> dict:
    """The map of a dashboard: a choropleth (France, region) or the department's communes."""
    if scope.level == "departement":
        return _department(programme, scope, rows, couvert=couvert)
    measure = request.GET.get("mesure")
    if measure not in selectors.MEASURES:
        measure = "laureats"
    if scope.level == "france":
        level = "departement" if request.GET.get("carte") == "departements" else "region"
        if level == "departement":
            rows = selectors.departements_breakdown(programme)
    else:
        level = "departement"
    context = {
        "kind": "choropleth",
        "level": level,
        "measure": measure,
        "measure_label": selectors.MEASURES[measure],
        "measures": selectors.MEASURES,
        "params": {k: v for k, v in request.GET.items() if k in ("carte", "mesure")},
    }
    if scope.level == "region":
        base = maps.region_base_map([r.code for r in rows])
    else:
        base = maps.base_map(level)
    if base is None:
        return {**context, "unavailable": maps.unavailable(level)}
    by_code = {r.code: r for r in rows}
    percent = measure.startswith("part_")
    values = {r.code: selectors.measure_value(r, measure) for r in rows}
    legend = classes(values.values(), percent=percent)
    link = "programme:region" if level == "region" else "programme:departement"
    shapes = []
    for s in base.shapes:
        r = by_code.get(s.code)
        if r is None:
            continue
        v = values.get(s.code)
        shapes.append(
            {
                "code": s.code,
                "nom": r.nom,
                "path": s.path,
                "fill": legend.colour(v) if r.couvert else UNCOVERED_FILL,
                "couvert": r.couvert,
                "label": f"{r.nom} ({s.code}) : {_shown(v, couvert=r.couvert, percent=percent)}",
                "url": reverse(link, args=[programme.slug, s.code]),
            }
        )
    drawn = {s["code"] for s in shapes}
    # No covered territory on the map: no value classes (a lone "0" class would read as data).
    shown_legend = (
        list(zip(legend.colours, legend.labels, strict=True))
        if any(v is not None for v in values.values())
        else []
    )
    return {
        **context,
        "shapes": shapes,
        "shapes_svg": _shapes_svg(shapes),
        "view_box": base.view_box,
        "insets": base.insets,
        "inset_note": INSET_NOTE if base.insets else "",
        "legend": shown_legend,
        "source": base.source,
        "licence": base.licence,
        "vintage": base.vintage,
        "url": base.url,
        # Territories of the table with laureates that the drawing lacks (the collectivités
        # d'outre-mer, outside the contour files): named under the map, figures in the table.
        "missing": [r.nom for r in rows if r.code not in drawn and r.laureats],
        "uncovered": [s["code"] for s in shapes if not s["couvert"]],
    }


def _department(programme: Programme, scope: selectors.Scope, rows: list, *, couvert: bool) -> dict:
    communes = selectors.departement_communes(code=scope.code)
    laureates = {r.code for r in rows} if couvert else set()
    drawn = maps.department_map(scope.code, scope.nom, communes=communes, laureates=laureates)
    if isinstance(drawn, str):
        return {"kind": "communes", "unavailable": drawn}
    points = [
        {
            "code": p.code,
            "nom": p.nom,
            "x": p.x,
            "y": p.y,
            "laureate": p.laureate,
            "url": reverse("programme:laureat", args=[programme.slug, p.code])
            if p.laureate
            else "",
        }
        for p in drawn.points
    ]
    n = len(drawn.points)
    if not couvert:
        said = (
            f"{n} communes du département {scope.nom} ({scope.code}) ; aucune liste chargée ne "
            "couvre ce département : les lauréates ne sont pas connues (non couvert)."
        )
    else:
        said = (
            f"{n} communes du département {scope.nom} ({scope.code}), dont {drawn.laureates} "
            f"lauréate{'s' if drawn.laureates > 1 else ''} du programme {programme.nom} "
            "(points foncés) ; les mêmes communes lauréates sont dans le tableau ci-dessous."
        )
    if drawn.unplaced:
        n = len(drawn.unplaced)
        named = ", ".join(drawn.unplaced[:UNPLACED_NAMED]) + (" …" if n > UNPLACED_NAMED else "")
        said += f" Sans position connue, {n} commune{'s' if n > 1 else ''} non placée" + (
            f"s : {named}." if n > 1 else f" : {named}."
        )
    return {
        "kind": "communes",
        "code": scope.code,
        "view_box": drawn.view_box,
        "contour": drawn.contour,
        "points": points,
        "points_svg": _points_svg(points),
        "laureates": drawn.laureates,
        "couvert": couvert,
        "text": said,
        "sources": drawn.sources,
    }
