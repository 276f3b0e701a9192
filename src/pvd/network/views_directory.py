"""Pages of the directory: the towns of the programme (public without personal data, names and
functions for programme members), « Mon profil réseau », and « Qui fait pareil ? »."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy

from pvd import access
from pvd.network import directory, peers
from pvd.network.forms import ProfileForm
from pvd.network.views_common import actor, crumbs, forbidden, param
from pvd.projects.models import Axe
from pvd.territories.models import Commune

login = login_required(login_url=reverse_lazy("programme:login"))


def annuaire(request: HttpRequest) -> HttpResponse:
    filters = directory.Filters(
        **{k: param(request, k) for k in ("q", "region", "departement", "axe", "tranche")}
    )
    found = directory.search(filters)
    page = Paginator(found, directory.PAGE_SIZE).get_page(request.GET.get("page"))
    full = access.has(request.user, "network.is_programme_member")
    people = directory.managers(
        groupe_ids=[t.groupe_id for t in page.object_list if t.groupe_id], full=full
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "network/annuaire.html",
        {
            "page": page,
            "rows": [(t, people.get(t.groupe_id, [])) for t in page.object_list],
            "total": len(found),
            "filters": filters,
            "facets": directory.facets(),
            "full": full,
            "query": query.urlencode(),
            "breadcrumb_data": {"current": "Réseau des villes"},
            "nav": "annuaire",
        },
    )


@login
def profil(request: HttpRequest) -> HttpResponse:
    current = directory.profile_get(user=request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            directory.profile_update(actor=actor(request), **form.cleaned_data)
            messages.success(request, "Votre profil réseau est enregistré.")
            return redirect("network:profil")
    else:
        form = ProfileForm(
            initial={
                "consentement": current.consentement,
                "email_public": current.email_public,
                "telephone_public": current.telephone_public,
                "presentation": current.presentation,
                "lettre_hebdo": current.lettre_hebdo,
            }
        )
    return render(
        request,
        "network/profil.html",
        {
            "form": form,
            "profil": current,
            "nav": "profil",
            "breadcrumb_data": crumbs("Mon profil réseau"),
        },
    )


@login
def pareil(request: HttpRequest, code: str) -> HttpResponse:
    if not access.has(request.user, "network.see_peers"):
        return forbidden(
            request,
            "« Qui fait pareil ? » montre les actions des projets de territoire : il est réservé "
            "aux équipes projet et aux équipes du programme.",
        )
    commune = (
        Commune.objects.filter(code=code, type=Commune.Type.COM)
        .select_related("departement")
        .first()
    )
    if commune is None:
        raise Http404(f"Aucune commune de code « {code} ».")
    axe = param(request, "axe")
    result = None
    if axe:
        try:
            result = peers.peers_of(commune=commune, axe=axe)
        except ValueError as exc:
            raise Http404(str(exc)) from exc
    return render(
        request,
        "network/pareil.html",
        {
            "commune": commune,
            "axe": axe,
            "axes": Axe.choices,
            "result": result,
            "breadcrumb_data": crumbs(f"Qui fait pareil ? — {commune.nom}"),
            "pratiques_url": reverse("network:pratiques"),
        },
    )
