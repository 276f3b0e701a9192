"""The Atom feed of published practices and the pages' CSV/JSON downloads."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from pvd.formats import csv_fr
from pvd.network import directory, exports, practices_search
from pvd.network.models import Pratique
from pvd.network.views_common import param

FEED_SIZE = 50


class PracticesFeed(Feed):
    feed_type = Atom1Feed
    title = "Fiches expériences — Petites villes de demain"
    subtitle = "Les dernières fiches expériences publiées par les villes du programme."

    def link(self) -> str:
        return reverse("network:pratiques")

    def items(self):
        return (
            practices_search.published()
            .select_related("commune")
            .order_by("-publiee_le", "-id")[:FEED_SIZE]
        )

    def item_title(self, item: Pratique) -> str:
        return f"{item.titre} ({item.commune.nom})"

    def item_description(self, item: Pratique) -> str:
        return f"{practices_search.axe_label(item.axe)} — {item.realisation[:500]}"

    def item_link(self, item: Pratique) -> str:
        return reverse("network:pratique", args=[item.pk])

    def item_pubdate(self, item: Pratique):
        return item.publiee_le

    def item_updateddate(self, item: Pratique):
        return item.updated_at


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _directory_filters(request: HttpRequest) -> directory.Filters | None:
    """The directory page's filters, passed on by its « Télécharger » link."""
    values = {k: param(request, k) for k in ("q", "region", "departement", "axe", "tranche")}
    return directory.Filters(**values) if any(values.values()) else None


def download(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in exports.KINDS or fmt not in exports.FORMATS:
        raise Http404("Export inconnu.")
    body = exports.export(
        kind,
        fmt,
        base_url=request.build_absolute_uri("/").rstrip("/"),
        variant=csv_fr.variant_of(request.GET),
        filters=_directory_filters(request) if kind == "annuaire" else None,
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="reseau-{kind}.{fmt}"'
    return response
