"""The projects list: the groups a user may read, searchable, filterable and paginated."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy

from pvd.programme.services import user_scopes
from pvd.projects import listing, selectors
from pvd.territories.models import Departement

login = login_required(login_url=reverse_lazy("programme:login"))


@login
def index(request: HttpRequest) -> HttpResponse:
    groups = selectors.readable_groups(request.user)
    filters = {k: request.GET.get(k, "").strip()[:100] for k in listing.FILTERS}
    if filters["tri"] not in listing.SORTS:
        filters["tri"] = "nom"
    rows = listing.project_rows(groups, filters, day=selectors.today())
    page = Paginator(rows, listing.PAGE_SIZE).get_page(request.GET.get("page"))
    page.pages_list = page.paginator.get_elided_page_range(page.number, on_each_side=2)
    scopes = user_scopes(request.user)
    departements = Departement.objects.filter(code__in=groups.values("departement_id")).order_by(
        "code"
    )
    return render(
        request,
        "projects/index.html",
        {
            "page_obj": page,
            "rows": page.object_list,
            "count": len(rows),
            "total": groups.count(),
            "filters": filters,
            "filtered": any(filters[k] for k in listing.FILTERS if k != "tri"),
            "departements": departements,
            "statuses": listing.STATUSES,
            "sorts": listing.SORTS,
            "scopes": scopes,
            "national": request.user.is_superuser or any(s.niveau == "national" for s in scopes),
            "breadcrumb_data": {"current": "Projets de territoire"},
        },
    )
