"""Programme pages: dashboards (France → region → department → commune), lists, exports,
published-figures check, laureate editing. Thin: read the query, call selectors/services,
render. Anonymous users read everything public; editing needs a login and a scope."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from pvd import caching
from pvd.domain.programme import STAGE_LABELS, Stage, stage_of
from pvd.programme import dashboard_maps, selectors, services
from pvd.programme.forms import ChecksForm, LaureatForm
from pvd.programme.models import Laureat, Programme
from pvd.web.validators import data_page

LIST_PAGE_SIZE = 100
ALERTS_SHOWN = 20
LOGIN_URL = reverse_lazy("programme:login")


def _programme(slug: str) -> Programme:
    programme = selectors.programme_get(slug=slug)
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
    if sort.lstrip("-") in ("laureats", "population", "part_population", "convention_cadre"):
        key = sort.lstrip("-")
        rows.sort(
            key=lambda d: (
                selectors.measure_value(d["row"], key) is None,
                selectors.measure_value(d["row"], key) or 0,
            ),
            reverse=sort.startswith("-"),
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
            "sort": sort,
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


# --- Lists and exports ------------------------------------------------------------------------


def _list_filters(request: HttpRequest) -> selectors.ListFilters:
    g = request.GET
    statut = g.get("statut", Laureat.Statut.ACTIF)
    return selectors.ListFilters(
        region=g.get("region") or None,
        departement=g.get("departement") or None,
        etape=g.get("etape") or None,
        statut=statut if statut in (*Laureat.Statut.values, "tous") else Laureat.Statut.ACTIF,
        q=g.get("q", "").strip()[:100],
        groupe=g.get("groupe") or None,
    )


SORT_LABELS = {
    "nom": "Commune",
    "code": "Code INSEE",
    "departement": "Département",
    "population": "Population",
    "adhesion": "Convention d'adhésion",
    "cadre": "Convention-cadre",
}


def _sort_headers(request: HttpRequest, current: str) -> dict:
    headers = {}
    params = {k: v for k, v in request.GET.items() if k not in ("tri", "page")}
    for key, label in SORT_LABELS.items():
        if current == key:
            aria, arrow, target = "ascending", "▲", f"-{key}"
        elif current == f"-{key}":
            aria, arrow, target = "descending", "▼", key
        else:
            aria, arrow = "", ""
            target = f"-{key}" if key == "population" else key
        order = "décroissant" if target.startswith("-") else "croissant"
        headers[key] = {
            "label": label,
            "href": "?" + urlencode({**params, "tri": target}),
            "aria_sort": aria,
            "arrow": arrow,
            "action": f"trier par ordre {order}",
        }
    return headers


def laureats(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(slug)
    filters = _list_filters(request)
    sort = request.GET.get("tri", "nom")
    sort = sort if sort in selectors.SORTS else "nom"
    qs = selectors.laureates_list(programme=programme, filters=filters, sort=sort)
    page = Paginator(qs, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    for lau in page:
        lau.etape = STAGE_LABELS[stage_of(selectors.facts_of(lau))]
    totals = selectors.territory_totals()
    query = {k: v for k, v in request.GET.items() if k not in ("page",) and v}
    return render(
        request,
        "programme/laureats.html",
        {
            "programme": programme,
            "page_obj": page,
            "filters": filters,
            "couvert": selectors.filters_covered(
                programme, region=filters.region, departement=filters.departement
            ),
            "sort": sort,
            "headers": _sort_headers(request, sort),
            "regions": sorted(totals.names_regions.items()),
            "departements": sorted(totals.names_departements.items()),
            "stages": [(s.value, STAGE_LABELS[s]) for s in Stage],
            "statuts": [*Laureat.Statut.choices, ("tous", "Tous")],
            "export_query": urlencode({k: v for k, v in query.items() if k != "tri"}),
            "page_query": urlencode(query),
            "datasets": selectors.datasets_of(programme),
            "breadcrumb_data": _crumbs(
                "Liste des lauréats",
                (reverse("programme:index"), "Programmes"),
                (reverse("programme:dashboard", args=[slug]), programme.nom),
            ),
        },
    )


# --- Laureate, group ----------------------------------------------------------------------------


def _not_laureate(request: HttpRequest, programme: Programme, code: str) -> HttpResponse:
    """A commune that is not an active laureate: "non couvert" when no loaded list covers it
    (the registry cannot say it is not a laureate), else 404 "n'est pas lauréate"."""
    commune = selectors.commune_of(code=code)
    status = selectors.commune_status(programme=programme, commune=commune) if commune else None
    if status != "non_couvert":
        raise Http404(f"La commune « {code} » n'est pas lauréate du programme {programme.nom}.")
    return render(
        request,
        "programme/non_couvert.html",
        {
            "programme": programme,
            "commune": commune,
            "datasets": selectors.datasets_of(programme),
            "breadcrumb_data": _crumbs(
                commune.nom,
                (reverse("programme:index"), "Programmes"),
                (reverse("programme:dashboard", args=[programme.slug]), programme.nom),
            ),
        },
    )


def laureat(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    programme = _programme(slug)
    lau = selectors.laureate_get(programme=programme, code=code)
    if lau is None:
        return _not_laureate(request, programme, code)
    c = lau.commune
    ort = selectors.ort_of(commune=c)
    facts = selectors.facts_of(lau)
    user = request.user
    editable = services.can_edit(user, departement_id=c.departement_id, region_id=c.region_id)
    notes_visible = services.can_read_notes(
        user, groupe=lau.groupe, departement_id=c.departement_id, region_id=c.region_id
    )
    return render(
        request,
        "programme/laureat.html",
        {
            "programme": programme,
            "laureat": lau,
            "commune": c,
            "etape": STAGE_LABELS[stage_of(facts)],
            "membres": [m for m in selectors.group_members(groupe=lau.groupe) if m.pk != lau.pk]
            if lau.groupe
            else [],
            "ort": ort,
            "ort_couvert": selectors.ort_coverage().covers_commune(
                departement=c.departement_id, region=c.region_id
            ),
            "can_edit": editable,
            "notes_visible": notes_visible,
            "history": selectors.history(objet="laureat", objet_id=lau.pk) if notes_visible else [],
            "datasets": selectors.datasets_of(programme),
            "breadcrumb_data": _crumbs(
                c.nom,
                (reverse("programme:index"), "Programmes"),
                (reverse("programme:dashboard", args=[slug]), programme.nom),
                (reverse("programme:region", args=[slug, c.region_id]), c.region.nom),
                (
                    reverse("programme:departement", args=[slug, c.departement_id]),
                    c.departement.nom,
                ),
            ),
        },
    )


@login_required(login_url=LOGIN_URL)
@require_http_methods(["GET", "POST"])
def laureat_edit(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    programme = _programme(slug)
    lau = selectors.laureate_get(programme=programme, code=code)
    if lau is None:
        raise Http404(f"La commune « {code} » n'est pas lauréate du programme {programme.nom}.")
    c = lau.commune
    if not services.can_edit(request.user, departement_id=c.departement_id, region_id=c.region_id):
        return HttpResponseForbidden(
            render(
                request,
                "programme/forbidden.html",
                {
                    "commune": c,
                    "programme": programme,
                },
            ).content
        )
    form = LaureatForm(request.POST or None, instance=Laureat.objects.get(pk=lau.pk))
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in form.Meta.fields}
        try:
            diff = services.laureate_update(laureat=lau, user=request.user, values=values)
        except services.PermissionDenied as exc:
            return HttpResponseForbidden(str(exc))
        messages.success(
            request,
            f"{c.nom} : {len(diff)} champ{'s' if len(diff) > 1 else ''} "
            f"modifié{'s' if len(diff) > 1 else ''}."
            if diff
            else f"{c.nom} : aucune modification.",
        )
        return redirect("programme:laureat", slug, code)
    return render(
        request,
        "programme/laureat_edit.html",
        {
            "programme": programme,
            "laureat": lau,
            "commune": c,
            "form": form,
            "breadcrumb_data": _crumbs(
                "Modifier",
                (reverse("programme:dashboard", args=[slug]), programme.nom),
                (reverse("programme:laureat", args=[slug, code]), c.nom),
            ),
        },
    )


def groupe(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    programme = _programme(slug)
    g = selectors.group_get(programme=programme, code=code)
    if g is None:
        raise Http404(f"Aucun groupe « {code} » dans le programme {programme.nom}.")
    membres = selectors.group_members(groupe=g)
    return render(
        request,
        "programme/groupe.html",
        {
            "programme": programme,
            "groupe": g,
            "notes_visible": services.can_read_notes(
                request.user, groupe=g, departement_id=g.departement_id, region_id=g.region_id
            ),
            "membres": membres,
            "population": sum(
                m.commune.population or 0 for m in membres if m.statut == Laureat.Statut.ACTIF
            ),
            "datasets": selectors.datasets_of(programme),
            "breadcrumb_data": _crumbs(
                f"Groupe {g}",
                (reverse("programme:index"), "Programmes"),
                (reverse("programme:dashboard", args=[slug]), programme.nom),
            ),
        },
    )


# --- Published-figures check --------------------------------------------------------------------


def verifier(request: HttpRequest, slug: str) -> HttpResponse:
    """A pasted text, each claim highlighted with its verdict; the URL (GET, the text in the
    query) is the permalink; ``?format=json`` gives the JSON of the API and the CLI."""
    from pvd.domain import claims
    from pvd.programme import figures_check

    programme = _programme(slug)
    form = ChecksForm(request.GET or None)
    report = None
    if form.is_valid():
        report = figures_check.text_check(programme=programme, text=form.cleaned_data["enonces"])
        if request.GET.get("format") == "json":
            data = claims.report_dict(report, figures_check.sources_of(programme))
            return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    return render(
        request,
        "programme/verifier.html",
        {
            "programme": programme,
            "form": form,
            "report": report,
            "verdicts": report.verdicts if report else [],
            "segments": claims.segments(report) if report else [],
            "permalink": request.build_absolute_uri() if report else "",
            "json_url": f"{request.get_full_path()}&format=json" if report else "",
            "datasets": selectors.datasets_of(programme),
            "breadcrumb_data": _crumbs(
                "Vérifier des chiffres",
                (reverse("programme:index"), "Programmes"),
                (reverse("programme:dashboard", args=[slug]), programme.nom),
            ),
        },
    )


# --- Login ----------------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "programme/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        # A chef de projet lands on her project, an agent on the projects she follows.
        from pvd.projects.selectors import landing_url

        return landing_url(self.request.user)


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("programme:index")
