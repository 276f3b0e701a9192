"""The commune page and the portrait read through prebuilt SQL and the referential's tables
kept per process (pvd.territories.selectors_pages, issue 17) print the pages the ORM selectors
printed, byte for byte: the former selectors are kept in legacy_selectors.py for this test only
and patched in to render the same pages again. Visitors and a staff account; communes of every
kind the pages treat differently: municipal arrondissements (and their city), a merged commune
with communes déléguées (and a déléguée's redirect), overseas, without EPCI, without indicators,
with values under statistical secrecy, names with an apostrophe, and a random sample. Every
prebuilt query (``Prepared``) is also run through the ORM's queryset it was compiled from."""

from __future__ import annotations

import importlib.util
import random
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from pvd.diagnostics import selectors as diagnostics
from pvd.territories import selectors as territories
from pvd.territories.models import Commune
from pvd.territories.selectors_sql import Prepared

_spec = importlib.util.spec_from_file_location(
    "legacy_selectors", Path(__file__).with_name("legacy_selectors.py")
)
legacy_selectors = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(legacy_selectors)

# Per request, by design: the CSP nonce, the CSRF token, django-dsfr's random breadcrumb id.
VOLATILE = [
    (re.compile(r"breadcrumb-[a-z]{16}"), "breadcrumb-x"),
    (re.compile(r'nonce="[^"]*"'), 'nonce="-"'),
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'), 'name="csrfmiddlewaretoken"'),
]


def normalised(html: bytes) -> str:
    text = html.decode()
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def sample_codes() -> list[str]:
    from pvd.diagnostics.models import TerritoryValues

    coms = Commune.objects.filter(type=Commune.Type.COM)
    with_values = TerritoryValues.objects.filter(level="COM").values("code")
    picked = set(random.Random(8).sample(sorted(coms.values_list("code", flat=True)), 8))
    picked |= {"75056", "13055", "69123", "75101", "13201", "69381"}  # cities and ARM
    for query in (
        coms.filter(code__in=Commune.objects.filter(type="COMD").values("parent__code")),
        coms.filter(departement__code__startswith="97"),
        coms.filter(epci__isnull=True),
        coms.exclude(code__in=with_values),
        coms.filter(code__in=with_values).order_by("population"),  # tiny: secret values
        coms.filter(nom__contains="'"),
    ):
        picked |= set(query.order_by("code").values_list("code", flat=True)[:2])
    picked |= set(  # communes déléguées and associées: redirected to their parent's page
        Commune.objects.filter(type__in=("COMD", "COMA"))
        .exclude(parent=None)
        .order_by("code")
        .values_list("code", flat=True)[:2]
    )
    return sorted(picked)


def render_all(client, codes: list[str]) -> dict[str, tuple[int, str]]:
    cache.clear()  # a new data version: every body rendered again, every memo read again
    pages = {}
    for code in codes:
        for url in (f"/communes/{code}/", f"/communes/{code}/portrait/"):
            response = client.get(url, follow=True)
            pages[url] = (response.status_code, normalised(response.content))
    return pages


@pytest.mark.parametrize("staff", [False, True])
def test_pages_are_those_of_the_orm_selectors(client, portrait_db, staff, monkeypatch):
    if staff:
        client.force_login(
            get_user_model().objects.create_user(username="agent", password="x", is_staff=True)
        )
    codes = sample_codes()
    assert len(codes) >= 20
    new = render_all(client, codes)
    for name, legacy in legacy_selectors.TERRITORIES.items():
        monkeypatch.setattr(territories, name, legacy)
    monkeypatch.setattr(diagnostics, "similar_communes", legacy_selectors.similar_communes)
    monkeypatch.setattr(diagnostics, "_similar_with_values", legacy_selectors.similar_with_values)
    monkeypatch.setattr(Prepared, "run", legacy_selectors.orm_run)  # every prebuilt query
    old = render_all(client, codes)
    statuses = {url: status for url, (status, _) in old.items()}
    assert statuses["/communes/75101/"] == 200 and statuses["/communes/75056/portrait/"] == 200
    assert sum(status == 200 for status in statuses.values()) >= 35
    for url in old:
        assert new[url] == old[url], url
    assert "Arrondissements municipaux" in new["/communes/75056/"][1]
    assert "Communes déléguées et associées" in "".join(page for _, page in new.values())
