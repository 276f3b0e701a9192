"""Programme pages: dashboards (France → region → department → commune), lists, exports,
published-figures check, laureate editing. Thin: read the query, call selectors/services,
render. Anonymous users read everything public; editing needs a login and a scope.

This module holds the index and the dashboards; the lists, laureate, group and figures-check
pages are in :mod:`pvd.programme.views_registry`, login and logout in
:mod:`pvd.programme.views_auth`, the exports in :mod:`pvd.programme.export_views`."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from pvd import caching
from pvd.caching.http import data_page
from pvd.domain.programme import STAGE_LABELS, Stage
from pvd.domain.sorting import missing_last, sort_headers
from pvd.programme import dashboard_maps, selectors
from pvd.programme.models import Programme

ALERTS_SHOWN = 20
# The breakdown table's sortable columns (largest first when first clicked).
DASHBOARD_SORTS = {
    "laureats": "Communes lauréates",
    "population": "Population couverte",
    "part_population": "Part de la population",
    "convention_cadre": "Conventions-cadres",
}


def _programme(slug: str) -> Programme:
    programme = selectors.dashboard_programme(slug)
    if programme is None:
        raise Http404(f"Aucun programme n'a l'identifiant « {slug} ».")
    return programme


def _crumbs(current: str, *links: tuple[str, str]) -> dict:
    return {"current": current, "links": [{"url": url, "title": title} for url, title in links]}


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "programme/index.html",
        {
            "programmes": selectors.programmes_list(),
            "breadcrumb_data": _crumbs("Programmes"),
        },
    )


# --- Dashboards -------------------------------------------------------------------------------


def _dashboard(
    request: HttpRequest, slug: str, *, region: str | None = None, departement: str | None = None
) -> HttpResponse:
    programme = _programme(slug)
    scope = selectors.scope_for(region=region, departement=departement)
    if scope is None:
        raise Http404("Territoire inconnu.")
    home = reverse("programme:dashboard", args=[slug])
    links = [(reverse("programme:index"), "Programmes")]
    if scope.level == "france":
        crumbs = _crumbs(programme.nom, *links)
    elif scope.level == "region":
        crumbs = _crumbs(scope.nom, *links, (home, programme.nom))
    else:
        crumbs = _crumbs(
            scope.nom,
            *links,
            (home, programme.nom),
            (reverse("programme:region", args=[slug, scope.region.code]), scope.region.nom),
        )
    key = (
        "dashboard-body",
        slug,
        scope.level,
        scope.code,
        request.GET.urlencode(),
        bool(request.user.is_staff),
        timezone.localdate().isoformat(),  # the delays and alerts count days
    )
    body = caching.shared(key, lambda: _dashboard_body(request, slug, programme, scope))
    context = {"programme": programme, "scope": scope, "body": mark_safe(body)}
    return render(request, "programme/dashboard.html", {**context, "breadcrumb_data": crumbs})


def _dashboard_body(request: HttpRequest, slug: str, programme: Programme, scope) -> str:
    """The dashboard below the user bar: the same for every reader of a query string (but
    staff, who also sees the administration hints)."""
    board = selectors.dashboard(programme=programme, scope=scope)
    filters = (
        {"region": scope.code}
        if scope.level == "region"
        else ({"departement": scope.code} if scope.level == "departement" else {})
    )
    child_url = {
        "region": "programme:region",
        "departement": "programme:departement",
        "commune": "programme:laureat",
    }[scope.child_level]
    # The dashboard object may be shared (cached): decorate and sort copies, never it.
    rows = [
        {
            "row": r,
            "url": reverse(child_url, args=[slug, r.code]),
            "etape_label": STAGE_LABELS[Stage(r.etape)] if r.etape else "",
        }
        for r in board.breakdown
    ]
    sort = request.GET.get("tri", "")
    if sort.lstrip("-") in DASHBOARD_SORTS:
        key = sort.lstrip("-")
        rows = missing_last(
            rows, lambda d: selectors.measure_value(d["row"], key), descending=sort[:1] == "-"
        )
    cycle = board.cycle
    stages = (
        []
        if cycle is None
        else [
            {
                "label": STAGE_LABELS[Stage.ADHESION],
                "count": cycle.adhesion,
                "share": cycle.share(cycle.adhesion),
                "median": cycle.median_selection_adhesion,
                "median_label": "depuis la sélection",
            },
            {
                "label": STAGE_LABELS[Stage.CHEF_PROJET],
                "count": cycle.chef_projet,
                "share": cycle.share(cycle.chef_projet),
                "median": cycle.median_adhesion_chef,
                "median_label": "après la convention d'adhésion",
                "note": f"Source : {board.chef_source}." if board.chef_source else "",
            },
            {
                "label": STAGE_LABELS[Stage.CONVENTION_CADRE],
                "count": cycle.convention_cadre,
                "share": cycle.share_cadre,
                "median": cycle.median_adhesion_cadre,
                "median_label": "après la convention d'adhésion",
                "note": _cadre_note(board),
            },
        ]
    )
    query = urlencode(filters)
    return render_to_string(
        "programme/includes/dashboard_body.html",
        {
            "programme": programme,
            "board": board,
            "scope": scope,
            "stages": stages,
            "alerts": board.alertes[:ALERTS_SHOWN],
            "alerts_total": len(board.alertes),
            "map": dashboard_maps.map_context(
                programme, scope, request, board.breakdown, couvert=board.couvert
            ),
            "child_level": scope.child_level,
            "headers": sort_headers(sort, DASHBOARD_SORTS, descending_first=set(DASHBOARD_SORTS)),
            "rows": rows,
            "list_url": reverse("programme:laureats", args=[slug]) + (f"?{query}" if query else ""),
            "export_query": query,
        },
        request=request,
    )


def _cadre_note(board) -> str:
    """Where the convention-cadre figure comes from, and what it leaves out."""
    if not board.cadre_couvert:
        return (
            "Donnée non disponible : aucun tableau ORT chargé ne couvre ce territoire "
            "(non couvert par les listes chargées)."
        )
    cycle = board.cycle
    note = "Source : tableau national de suivi des ORT"
    if board.exclusion_cadre:
        note += f", {board.exclusion_cadre} ; part des {cycle.cadre_total} lauréates qu'il couvre"
    return note + "."


@data_page
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    return _dashboard(request, slug)


@data_page
def dashboard_region(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    return _dashboard(request, slug, region=code)


@data_page
def dashboard_departement(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    return _dashboard(request, slug, departement=code)
