"""The search page's results rendered with Jinja2 (web/search_results.html, issue 17) are the
page the former Django template printed, byte for byte: that template is kept in legacy_search/
for this test only, and put first on the template path with the same results' context to
render the same pages again. Visitors and a staff account; queries by name, INSEE code, postal
code, with communes déléguées and arrondissements among the hits, an apostrophe, no result,
fifty results (the limit), no query; with and without laureates' statuses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings

from pvd.web import views

LEGACY = Path(__file__).resolve().parent / "legacy_search"

QUERIES = [
    "Mont", "le mont dore", "63240", "75056", "Paris", "Marseille", "st chely d apcher",
    "l'isle", "Saint", "zzzzqqq", "Ahun", "13201", "Cordieux", "é", "<b>", "",
]

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


def pages(client) -> dict[str, str]:
    out = {}
    for query in QUERIES:
        response = client.get("/recherche", {"q": query} if query else {})
        assert response.status_code == 200, query
        out[query] = normalised(response.content)
    return out


def former_context(query: str) -> dict:
    """The former view's context: the programme and its statuses read by three queries."""
    from pvd.programme import selectors as programme_selectors
    from pvd.territories import selectors
    from pvd.territories.models import Commune

    hits = selectors.communes_search(query=query, limit=views.SEARCH_LIMIT) if query else []
    names = selectors.departement_names() if hits else {}
    programme = programme_selectors.programme_get(slug=views.HOME_PROGRAMME) if hits else None
    statuts = {}
    if programme is not None:
        region_of = programme_selectors.territory_totals().region_of
        statuts = programme_selectors.commune_statuses(
            programme=programme,
            communes=[
                (h.entry.code, h.entry.departement, region_of.get(h.entry.departement, ""))
                for h in hits
                if h.entry.type == Commune.Type.COM
            ],
        )
    results = [
        {
            "hit": h,
            "departement_nom": names.get(h.entry.departement, ""),
            "subordinate": h.entry.type in (Commune.Type.COMD, Commune.Type.COMA),
            "type_libelle": Commune.Type(h.entry.type).label,
            "statut": statuts.get(h.entry.code) if h.entry.type == Commune.Type.COM else None,
        }
        for h in hits
    ]
    return {
        "search_query": query,
        "results": results,
        "programme": programme,
        "limit": views.SEARCH_LIMIT,
        "dataset": selectors.referential_dataset(),
    }


def legacy_render(monkeypatch):
    """The view as it was: the former template, given the former view's context."""
    render = views.render

    def former(request, template, context):
        if template == "web/search.html":
            context = {**context, **former_context(context["query"])}
        return render(request, template, context)

    monkeypatch.setattr(views, "render", former)
    engine = {**settings.TEMPLATES[0], "DIRS": [str(LEGACY)]}
    return override_settings(TEMPLATES=[engine])


ROWS = [  # the ANCT cartography layout: laureates among the hits of "Ahun", "Mont", "Saint"
    ("23001", "Ahun", "pvd-75-23-1", "2021-04-07"),
    ("63236", "Le Mont-Dore", "pvd-84-63-2", "2021-04-07"),
    ("48140", "Saint-Chély-d'Apcher", "pvd-76-48-3", "2021-05-12"),
]


@pytest.mark.parametrize("staff", [False, True])
@pytest.mark.parametrize("laureates", [False, True])
def test_search_page_is_the_former_one(client, referential, staff, laureates, monkeypatch,
                                       tmp_path):
    if laureates:
        import factories
        from pvd.programme.services import laureates_import

        factories.programme()
        path = factories.laureate_list(tmp_path / "pvd.csv", ROWS)
        laureates_import(path=path, programme_slug="pvd")
    if staff:
        client.force_login(
            get_user_model().objects.create_user(username="agent", password="x", is_staff=True)
        )
    new = pages(client)
    with legacy_render(monkeypatch):
        old = pages(client)
    for query in QUERIES:
        assert new[query] == old[query], query
    assert new["Mont"].count("<tr>") == 51  # the limit: 50 rows and the header
    assert "Aucun résultat pour « zzzzqqq »" in new["zzzzqqq"]
    assert "&lt;b&gt;" in new["<b>"]
    assert ("Lauréate " in new["Ahun"]) == laureates
