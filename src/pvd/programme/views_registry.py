"""The programme registry's pages: the list of laureates (filters, sortable headers, pages), a
laureate (and its editing, with a login and a scope), a group, the published-figures check.
Thin: read the query, call selectors/services, render. The dashboards are in
:mod:`pvd.programme.views`, the exports in :mod:`pvd.programme.export_views`."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods

from pvd import access
from pvd.domain.programme import STAGE_LABELS, Stage, stage_of
from pvd.domain.sorting import sort_headers
from pvd.programme import selectors, services
from pvd.programme.forms import ChecksForm, LaureatForm
from pvd.programme.models import Laureat, Programme
from pvd.programme.views import _crumbs, _programme

LIST_PAGE_SIZE = 100
LOGIN_URL = reverse_lazy("programme:login")

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
    params = {k: v for k, v in request.GET.items() if k not in ("tri", "page")}
    return sort_headers(current, SORT_LABELS, params=params)


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
    notes_visible = access.has(user, "programme.read_notes", lau)
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
    if not access.has(request.user, "programme.edit_laureate", lau):
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
        except access.PermissionDenied as exc:
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
            "notes_visible": access.has(request.user, "programme.read_notes", g),
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
