"""Pages of the territorial referential. Thin: read query, call selectors, render."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from pvd import caching
from pvd.caching.http import data_page
from pvd.programme import coverage
from pvd.programme import selectors as programme_selectors
from pvd.programme.dashboard_maps import map_context as programme_map
from pvd.rendering import jinja
from pvd.territories import selectors
from pvd.territories.models import Commune
from pvd.web.charts import bar_chart, series_rows
from pvd.web.sorting import SORT_CAPTIONS, sort_headers, sort_param

HOME_PROGRAMME = "pvd"  # the programme the home page presents
ORT_DATASET = "programme-ort"  # key of the imported ORT sheet's dataset
PAGE_SIZE = 500  # every department fits on two pages; regions span several
SEARCH_LIMIT = 50
COLUMNS = {"nom": "Commune", "code": "Code INSEE", "population": "Population"}


def _crumbs(current: str, *links: tuple[str, str]) -> dict:
    return {"current": current, "links": [{"url": url, "title": title} for url, title in links]}


@data_page
def home(request: HttpRequest) -> HttpResponse:
    """The programme's home: national map and key figures of the registry, with the coverage of
    the loaded lists and their sources; the search of a town; the modules' entry points."""
    key = ("home-body", request.GET.urlencode(), bool(request.user.is_staff))
    body = caching.shared(key, lambda: _home_body(request))
    return render(
        request, "web/home.html", {"body": mark_safe(body), "hide_header_search": True}
    )


def _home_body(request: HttpRequest) -> str:
    """The home page's content: the same for every reader of a query string (but staff)."""
    dataset = selectors.referential_dataset()
    programme = programme_selectors.programme_get(slug=HOME_PROGRAMME)
    board = map_ = None
    if dataset is not None and programme is not None:
        scope = programme_selectors.scope_for()
        board = programme_selectors.dashboard(programme=programme, scope=scope)
        if board.couvert:
            # The national dashboard's map, as it is (by region unless ?carte=departements).
            map_ = programme_map(programme, scope, request, board.breakdown)
    return render_to_string(
        "web/includes/home_body.html",
        {
            "dataset": dataset,
            "programme": programme,
            "board": board,
            "cycle": board.cycle if board else None,
            "adhesion_share": board.cycle.share(board.cycle.adhesion)
            if board and board.cycle
            else None,
            "map": map_,
            "map_desc": "Carte choroplèthe du nombre de communes lauréates par région ; "
            "les valeurs figurent dans le tableau de bord du programme.",
            "list_dataset": programme.dataset if programme and programme.dataset_id else None,
            "ort_dataset": selectors.dataset_get(key=ORT_DATASET),
        },
        request=request,
    )


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    body = ""
    if query:  # the results: Jinja2 (fifty rows of links and badges; byte for byte the former)
        body = jinja.render("web/search_results.html", search_results_context(query))
    return render(
        request,
        "web/search.html",
        {
            "query": query,
            "results_body": mark_safe(body),
            "hide_header_search": True,
            "breadcrumb_data": _crumbs("Recherche"),
        },
    )


# The programme, its laureates' statuts by commune code and its registry's coverage, per
# process and data version (imports and edits of the registry replace the version): a search
# page reads them for its fifty hits instead of three queries.
_search_programme: caching.ProcessMemo = caching.ProcessMemo("search-programme", size=4)


def _programme_statuses(slug: str) -> tuple:
    def compute() -> tuple:
        programme = programme_selectors.programme_get(slug=slug)
        if programme is None:
            return None, {}, None
        return (
            programme,
            coverage.laureate_statuses(programme=programme),
            coverage.registry_coverage(programme),
        )

    return _search_programme.get(slug, compute)


def search_results_context(query: str) -> dict:
    """The search page's results: hits, their departments' names and programme statuses."""
    hits = selectors.communes_search(query=query, limit=SEARCH_LIMIT) if query else []
    names = selectors.departement_names() if hits else {}
    programme, statuts_by_code, registry = (
        _programme_statuses(HOME_PROGRAMME) if hits else (None, {}, None)
    )
    statuts = {}
    if programme is not None:  # each current commune's status in the programme
        region_of = programme_selectors.territory_totals().region_of
        statuts = coverage.statuses_from(
            statuts_by_code,
            registry,
            [
                (h.entry.code, h.entry.departement, region_of.get(h.entry.departement, ""))
                for h in hits
                if h.entry.type == Commune.Type.COM
            ],
        )
    results = [
        {
            "hit": h,
            "departement_nom": names.get(h.entry.departement, ""),
            "subordinate": h.entry.type in (Commune.Type.COMD, Commune.Type.COMA),
            "type_libelle": Commune.Type(h.entry.type).label,
            "statut": statuts.get(h.entry.code) if h.entry.type == Commune.Type.COM else None,
        }
        for h in hits
    ]
    return {
        "query": query,
        "results": results,
        "programme": programme,
        "limit": SEARCH_LIMIT,
        "dataset": selectors.referential_dataset(),
    }


@data_page
def commune(request: HttpRequest, code: str) -> HttpResponse:
    c = selectors.commune_get(code=code)
    if c is None:
        sub = selectors.subdivision_get(code=code)
        if sub is not None:  # a commune déléguée/associée is described on its parent's page
            return redirect(reverse("web:commune", args=[sub.parent.code]) + "#subdivisions")
        raise Http404(f"Aucune commune n'a le code INSEE « {code} ».")
    return render(
        request,
        "web/commune.html",
        {
            "commune": c,
            "body": mark_safe(commune_body(c)),
            "breadcrumb_data": _crumbs(
                c.nom,
                (reverse("web:region", args=[c.region.code]), c.region.nom),
                (reverse("web:departement", args=[c.departement.code]), c.departement.nom),
            ),
        },
    )


def commune_body_context(c: Commune) -> dict:
    populations = selectors.commune_populations(commune=c)
    points = [(p.millesime, p.population) for p in populations]
    subdivisions = selectors.commune_subdivisions(commune=c)
    members, members_millesimes = (
        selectors.epci_members_millesimes(epci=c.epci) if c.epci else ([], [])
    )
    return {
        "commune": c,
        "latest": populations[-1] if populations else None,
        "population_dataset": populations[-1].dataset if populations else None,
        "chart": bar_chart(points),
        "series": series_rows(points),
        "series_millesimes": [year for year, _ in points],
        "subdivisions": [s for s in subdivisions if s.type != Commune.Type.ARM],
        "arrondissements": [s for s in subdivisions if s.type == Commune.Type.ARM],
        "members": members,
        "members_total": sum(m.population or 0 for m in members),
        "members_millesimes": members_millesimes if members else [],
        "dataset": selectors.referential_dataset(),
    }


def commune_body(c: Commune) -> str:
    """The commune page below its header (identity, populations, subdivisions, EPCI members):
    the same for every reader, rendered once per commune and data version for every worker.
    Jinja2 (pvd.rendering.jinja): almost every visit of a commune page is its first one."""

    def render_body() -> str:
        return jinja.render("web/commune_body.html", commune_body_context(c))

    return caching.shared(("commune-body", c.code), render_body)


def _with_millesimes(territories: list, field: str) -> list:
    """Attach to each department or region the vintages of its latest populations."""
    by_code = selectors.population_millesimes_by(field=field)
    for t in territories:
        t.millesimes = by_code.get(t.code, [])
    return territories


def _territory_page(request: HttpRequest, template: str, scope: dict, context: dict):
    """Shared by department and region pages: sorted, paginated table of communes and totals."""
    sort = sort_param(request.GET.get("tri"))
    communes = selectors.communes_of(**scope, sort=sort)
    page = Paginator(communes, PAGE_SIZE).get_page(request.GET.get("page"))
    page.pages_list = list(page.paginator.get_elided_page_range(page.number))
    context.update(
        {
            "page_obj": page,
            "sort": sort,
            "headers": sort_headers(sort, COLUMNS),
            "sort_caption": SORT_CAPTIONS[sort],
            "totals": selectors.summary(communes),
            "millesimes": selectors.population_millesimes(communes),
            "dataset": selectors.referential_dataset(),
        }
    )
    return render(request, template, context)


def departement(request: HttpRequest, code: str) -> HttpResponse:
    d = selectors.departement_get(code=code)
    if d is None:
        raise Http404(f"Aucun département n'a le code « {code} ».")
    return _territory_page(
        request,
        "web/departement.html",
        {"departement": d},
        {
            "departement": d,
            "breadcrumb_data": _crumbs(
                d.nom,
                (reverse("web:regions"), "Régions"),
                (reverse("web:region", args=[d.region.code]), d.region.nom),
            ),
        },
    )


def region(request: HttpRequest, code: str) -> HttpResponse:
    r = selectors.region_get(code=code)
    if r is None:
        raise Http404(f"Aucune région n'a le code « {code} ».")
    return _territory_page(
        request,
        "web/region.html",
        {"region": r},
        {
            "region": r,
            "departements": _with_millesimes(selectors.departements_list(region=r), "departement"),
            "breadcrumb_data": _crumbs(r.nom, (reverse("web:regions"), "Régions")),
        },
    )


def departements(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/departements.html",
        {
            "departements": _with_millesimes(selectors.departements_list(), "departement"),
            "dataset": selectors.referential_dataset(),
            "breadcrumb_data": _crumbs("Départements"),
        },
    )


def regions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/regions.html",
        {
            "regions": _with_millesimes(selectors.regions_list(), "region"),
            "dataset": selectors.referential_dataset(),
            "breadcrumb_data": _crumbs("Régions"),
        },
    )
