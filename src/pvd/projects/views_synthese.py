"""The department, region and national syntheses of the projects (staff within their scope).
Every page needs a login."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from pvd import access as table
from pvd.domain import steering
from pvd.programme.models import Groupe
from pvd.projects import (
    selectors,
)
from pvd.projects.models import Axe, Financeur
from pvd.projects.views_common import (
    _crumbs,
    _forbidden,
    login,
)
from pvd.territories.models import Departement, Region

# --- Syntheses: nation, region, department ------------------------------------------------


def _synthese(request, *, region=None, departement=None):
    place = (
        table.Place(departement.code, departement.region_id)
        if departement
        else table.Place(region_id=region.code if region else None)
    )
    if not table.has(request.user, "projects.synthese", place):
        return _forbidden(request, table.refusal(request.user, "projects.synthese", place))
    data = selectors.scope_aggregate(
        region=region.code if region else None,
        departement=departement.code if departement else None,
    )
    total = data["total"]
    if data["key"] == "region":
        names = dict(Region.objects.values_list("code", "nom"))
        link = lambda k: reverse("projects:synthese_region", args=[k])  # noqa: E731
    elif data["key"] == "departement":
        names = dict(Departement.objects.values_list("code", "nom"))
        link = lambda k: reverse("projects:synthese_departement", args=[k])  # noqa: E731
    else:
        groups = Groupe.objects.filter(departement=departement).select_related("programme")
        names = {g.code: str(g) for g in groups}
        slugs = {g.code: g.programme.slug for g in groups}
        link = lambda k: reverse("projects:projet", args=[slugs.get(k, "pvd"), k])  # noqa: E731
    labels = dict(Axe.choices)
    funders = dict(Financeur.choices)
    title = (
        f"Département {departement}"
        if departement
        else (f"Région {region.nom}" if region else "France")
    )
    return render(
        request,
        "projects/synthese.html",
        {
            "title": title,
            "total": total,
            "statuses": [(s, steering.STATUS_LABELS[s]) for s in steering.EFFECTIVE_STATUSES],
            "axes": [
                (
                    labels.get(k, k),
                    [c.get(s, 0) for s in steering.EFFECTIVE_STATUSES],
                    sum(c.values()),
                )
                for k, c in sorted(total.by_axis_status.items())
            ],
            "funders": [
                (funders.get(k, k), v)
                for k, v in sorted(
                    total.funding_by_funder.items(), key=lambda kv: -kv[1]["requested"]
                )
            ],
            "parts": [(k, names.get(k, k), link(k), agg) for k, agg in data["parts"].items()],
            "alerts": selectors.alert_actions(data["alerts"]),
            "key": data["key"],
            "breadcrumb_data": _crumbs(
                f"Synthèse — {title}", (reverse("projects:index"), "Projets de territoire")
            ),
        },
    )


@login
def synthese(request: HttpRequest) -> HttpResponse:
    return _synthese(request)


@login
def synthese_region(request: HttpRequest, code: str) -> HttpResponse:
    return _synthese(request, region=get_object_or_404(Region, code=code))


@login
def synthese_departement(request: HttpRequest, code: str) -> HttpResponse:
    return _synthese(request, departement=get_object_or_404(Departement, code=code))
