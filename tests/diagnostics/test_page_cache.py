"""Pages served from the shared cache (pvd.caching) are the pages rendered without it: the
same HTML on real data (the built portrait database), cold, warm and with no cache at all; the
parts that depend on the reader (staff hints, login state) are never shared between readers."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
# django-dsfr draws a random id for each breadcrumb it renders: the only part that may differ.
RANDOM_ID = re.compile(r"breadcrumb-[a-z]{16}")

PAGES = [
    "/communes/48140/portrait/",
    "/communes/24311/portrait/",
    "/communes/48140/",
    "/",
    "/?carte=departements",
    "/programme/pvd/",
    "/programme/pvd/departements/48/",
    "/programme/pvd/?tri=-laureats&carte=departements",
]


def html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return RANDOM_ID.sub("breadcrumb-X", response.content.decode())


@pytest.mark.parametrize("url", PAGES)
def test_cached_page_is_the_page_without_cache(portrait_db, client, url):
    cold = html(client, url)
    warm = html(client, url)
    with override_settings(CACHES=NO_CACHE):
        uncached = html(client, url)
    assert cold == uncached
    assert warm == uncached


def test_staff_hints_are_not_shared_with_visitors(portrait_db, client, django_user_model):
    """Staff first, then a visitor: the visitor gets no administration hint from the cache."""
    admin = django_user_model.objects.create_user("admin", password="x", is_staff=True)
    client.force_login(admin)
    assert "Administration :" in html(client, "/communes/48140/portrait/")
    client.logout()
    assert "Administration :" not in html(client, "/communes/48140/portrait/")
