"""The page shell kept once per process ({% memo %}, pvd.web.templatetags.pvd_shell, issue 17)
prints the pages the former base template printed, byte for byte: the former web/base.html
(extending django-dsfr's dsfr/base.html) is kept in legacy_shell/ for this test only, and put
first on the template path to render the same pages again. Visitors and a logged-in user, pages
with and without the header's search box, each main menu entry's section, a second visit (the
shell read from the memo) and a page after a data change (a new data version)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings

from pvd import caching

LEGACY = Path(__file__).resolve().parent / "legacy_shell"

PAGES = [
    "/",
    "/recherche?q=Mont",
    "/recherche",
    "/communes/63236/",
    "/communes/75056/",
    "/departements/",
    "/regions/",
    "/regions/84/",
    "/indicateurs/",
    "/programme/",
    "/selection/",
    "/projets/",
    "/api/v1/docs",
    "/mentions-legales/",
    "/accessibilite/",
    "/communes/00000/",  # 404 page
]

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


def legacy_templates():
    engine = {**settings.TEMPLATES[0], "DIRS": [str(LEGACY)]}
    return override_settings(TEMPLATES=[engine])


def render_all(client) -> dict[str, tuple[int, str]]:
    pages = {}
    for url in PAGES:
        response = client.get(url, follow=True)
        pages[url] = (response.status_code, normalised(response.content))
    return pages


@pytest.mark.parametrize("user", [None, "admin"])
def test_shell_prints_the_former_pages(client, referential, user):
    if user:
        client.force_login(
            get_user_model().objects.create_user(username=user, password="x", is_staff=True)
        )
    first, second = render_all(client), render_all(client)  # the second from the memo
    with legacy_templates():
        old = render_all(client)
    assert {url: status for url, (status, _) in old.items()}["/"] == 200
    for url in PAGES:
        assert first[url] == old[url], url
        assert second[url] == old[url], url
    assert 'aria-current="page">Régions' in first["/regions/84/"][1]
    assert 'aria-current="page">Régions' not in first["/departements/"][1]


def test_shell_follows_a_data_change(client, referential):
    """A change of the DSFR configuration (mourning) replaces the data version: the fragments
    are rendered again."""
    from dsfr.models import DsfrConfig

    client.get("/")
    DsfrConfig.objects.create(language="fr", site_title="Autre titre", mourning=True)
    caching.bump_data_version()
    new = normalised(client.get("/").content)
    with legacy_templates():
        old = normalised(client.get("/").content)
    assert "data-fr-mourning" in new
    assert new == old


@pytest.mark.parametrize(
    "path, current",
    [
        ("/", 0),
        ("/regions/84/", 1),
        ("/departements/", 2),
        ("/indicateurs/x", 3),
        ("/programme/pvd/", 4),
        ("/selection/", 5),
        ("/projets/a/", 6),
        ("/reseau/evenements/", 7),
        ("/resultats/region/84/", 8),
        ("/api/v1/docs", 9),
        ("/communes/01001/", None),
        ("", None),
        (None, None),
    ],
)
def test_nav_state(path, current):
    from pvd.web.templatetags.pvd_shell import nav_state

    state = nav_state(path)
    assert len(state) == 10
    assert [i for i, on in enumerate(state) if on] == ([] if current is None else [current])
