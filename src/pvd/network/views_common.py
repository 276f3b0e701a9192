"""What the network's pages share: the actor of a request, the refusal page, breadcrumbs."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.urls import reverse

from pvd.programme.audit import Actor


def param(request, name: str) -> str:
    """A query parameter as a filter takes it: at most 100 characters, no NUL (PostgreSQL
    refuses it in a query)."""
    return request.GET.get(name, "").replace("\x00", "")[:100]


def actor(request) -> Actor:
    return Actor("web", request.user)


def forbidden(request, message: str) -> HttpResponse:
    return HttpResponseForbidden(
        render(request, "network/forbidden.html", {"message": message}).content
    )


def crumbs(current: str, *links: tuple[str, str]) -> dict:
    return {
        "current": current,
        "links": [{"url": reverse("network:annuaire"), "title": "Réseau"}]
        + [{"url": url, "title": title} for url, title in links],
    }
