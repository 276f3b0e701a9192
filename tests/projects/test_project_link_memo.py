"""Which groups have a projet is kept per process (pvd.projects.selectors.groupes_with_projet,
keyed by the projects' cache version that every save and delete of a Projet replaces): the
commune page and the laureate's page say at once that a projet was created or deleted, and
make no query for it."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

PAGES = ("/communes/23176/", "/programme/pvd/communes/23176/")


def _said(client, url: str) -> str:
    return client.get(url).content.decode()


def test_a_created_then_deleted_projet_is_shown_at_once(groups, users, client):
    from pvd.projects.services import project_get_or_create

    for url in PAGES:
        assert "pas encore de projet" in _said(client, url), url
        assert "pas encore de projet" in _said(client, url), url  # kept: same version
    projet = project_get_or_create(groupe=groups["g23"])
    for url in PAGES:
        html = _said(client, url)
        assert "accès réservé" in html and "pas encore de projet" not in html, url
    client.force_login(users["pref23"])
    for url in PAGES:
        assert f'href="/projets/pvd/pvd-75-23-1/">{projet.nom}</a>' in _said(client, url), url
    projet.delete()
    for url in PAGES:
        html = _said(client, url)
        assert "pas encore de projet" in html and "/projets/pvd/pvd-75-23-1/" not in html, url


def test_the_commune_page_reads_no_projet(groups, client):
    from pvd.projects.services import project_get_or_create

    project_get_or_create(groupe=groups["g23"])
    client.get(PAGES[0])  # the body and the memos filled
    with CaptureQueriesContext(connection) as ctx:
        assert "accès réservé" in _said(client, PAGES[0])
    assert not [q for q in ctx.captured_queries if "projects_projet" in q["sql"]]
