"""The footer's mandatory pages (DSFR, RGAA, GDPR): accessibility statement, legal notice,
personal data. The operator of an instance names itself with PVD_OPERATOR / PVD_CONTACT."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

DEFAULT_OPERATOR = "l'administration qui exploite cette instance de la plateforme"


def _context(title: str) -> dict:
    return {
        "operator": settings.PVD_OPERATOR or DEFAULT_OPERATOR,
        "contact": settings.PVD_CONTACT,
        "breadcrumb_data": {"current": title},
    }


def accessibilite(request: HttpRequest) -> HttpResponse:
    return render(request, "web/legal/accessibilite.html", _context("Accessibilité"))


def mentions_legales(request: HttpRequest) -> HttpResponse:
    return render(request, "web/legal/mentions_legales.html", _context("Mentions légales"))


def donnees_personnelles(request: HttpRequest) -> HttpResponse:
    return render(request, "web/legal/donnees_personnelles.html", _context("Données personnelles"))
