"""Pages of the territorial referential, rendered by Django's test client on the real data."""

from __future__ import annotations

import re
from html import unescape

import pytest

pytestmark = pytest.mark.django_db

NBSP = "\xa0"  # French thousands separator as Django's fr locale writes it


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def first_row_name(html: str) -> str:
    """Name of the first commune in the communes table (row headers hold the names)."""
    table = html.split('id="communes"', 1)[1]
    return re.search(r'<th scope="row"><a href="/communes/\w+/">([^<]+)</a>', table).group(1)


def test_home_has_labelled_search_field_and_dsfr_frame(client):
    html = page(client, "/")
    assert '<html lang="fr"' in html
    assert 'class="fr-skiplinks"' in html and 'href="#content"' in html
    assert 'id="content"' in html
    assert '<label class="fr-label" for="home-search-input">' in html
    assert 'action="/recherche"' in html and 'name="q"' in html
    assert 'data-api-url="/api/v1/communes/search"' in html
    assert "web/search-autocomplete.js" in html
    assert "dsfr.min.css" in html
    assert "Licence Ouverte" in html


def test_search_page_without_javascript(client):
    html = page(client, "/recherche?q=le+mont+dore")
    assert 'href="/communes/63236/"' in html and 'href="/communes/98817/"' in html
    assert "Puy-de-Dôme (63)" in html and "Nouvelle-Calédonie (988)" in html
    assert "<caption>" in html and 'scope="col"' in html


def test_search_page_finds_postal_code_and_abbreviated_saint(client):
    assert 'href="/communes/63236/"' in page(client, "/recherche?q=63240")
    assert 'href="/communes/48140/"' in page(client, "/recherche?q=st+chely+d+apcher")


def test_search_page_empty_and_unknown_queries(client):
    assert "résultat" not in page(client, "/recherche?q=")
    assert "Aucun résultat pour « zzzzqqq »" in page(client, "/recherche?q=zzzzqqq")


def test_search_page_links_commune_deleguee_to_its_parent(client):
    html = page(client, "/recherche?q=Cordieux")
    assert 'href="/communes/01262/#subdivisions"' in html
    assert "Commune associée de Montluel" in html


def test_commune_page_identity_population_and_sources(client):
    html = page(client, "/communes/63236/")
    assert "<h1>Mont-Dore</h1>" in html
    for text in (
        "Puy-de-Dôme",
        "Auvergne-Rhône-Alpes",
        "Issoire",
        "216302364",
        "63240",
        "CC du Massif du Sancy",
        "Communauté de communes",
    ):
        assert text in html, text
    assert f"1{NBSP}163 habitants" in html
    assert "population municipale 2023" in html
    assert "Licence Ouverte" in html
    assert "COG 2026" in html  # dataset vintage
    assert "<dt>Code postal</dt>" in html


def test_commune_page_with_several_postal_codes_says_codes_postaux(client):
    html = page(client, "/communes/75056/")
    assert "<dt>Codes postaux</dt>" in html and "postalaux" not in html


def test_commune_page_chart_has_svg_and_table_alternative(client):
    html = page(client, "/communes/63236/")
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in svg and "<title" in svg
    assert f"1{NBSP}279" in svg and "2019" in svg and "2023" in svg
    assert "," not in re.sub(r">[^<]*<", "><", svg).split("<title", 1)[0]  # no localised floats
    assert "<caption>Population municipale de Mont-Dore par millésime</caption>" in html
    assert f"−37 (−3,1{NBSP}%)" in html  # 1 200 -> 1 163


def test_commune_page_lists_epci_members_with_population(client):
    html = page(client, "/communes/63236/")
    members = html.split('id="intercommunalite"', 1)[1]
    assert 'href="/communes/63047/">La Bourboule</a>' in members
    assert 'Mont-Dore</strong> <span class="fr-text--sm">(commune affichée)</span>' in members
    assert f"1{NBSP}727" in members


def test_commune_page_lists_communes_deleguees(client):
    html = page(client, "/communes/01015/")
    assert "Arboys en Bugey" in html
    assert 'id="subdivisions"' in html and "Arbignieu" in html and "Commune déléguée" in html


def test_commune_page_of_paris_lists_municipal_arrondissements(client):
    html = page(client, "/communes/75056/")
    assert "Arrondissements municipaux" in html and 'href="/communes/75101/"' in html
    arm = page(client, "/communes/75101/")
    assert "Arrondissement municipal de" in arm and 'href="/communes/75056/"' in arm


def test_commune_associee_code_redirects_to_parent_page(client):
    response = client.get("/communes/01120/")
    assert response.status_code == 302
    assert response["Location"] == "/communes/01262/#subdivisions"


@pytest.mark.parametrize(
    "url, message",
    [
        ("/communes/99999/", "Aucune commune n'a le code INSEE « 99999 »"),
        ("/departements/999/", "Aucun département n'a le code « 999 »"),
        ("/regions/999/", "Aucune région n'a le code « 999 »"),
    ],
)
def test_unknown_codes_answer_404_in_french(client, url, message):
    html = page(client, url, status=404)
    assert message in unescape(html)
    assert '<html lang="fr"' in html


def test_departement_page_sorted_by_population(client):
    html = page(client, "/departements/63/?tri=-population")
    assert "<h1>Puy-de-Dôme (63)</h1>" in html
    assert first_row_name(html) == "Clermont-Ferrand"
    assert re.search(
        r'<th scope="col" aria-sort="descending" class="pvd-num">\s*'
        r'<a class="pvd-sort" href="\?tri=population#communes">Population',
        html,
    )
    assert "triées par population décroissante" in html
    assert "463 communes" in html and f"664{NBSP}453 habitants" in html
    assert "population municipale 2023" in html and "Licence Ouverte" in html


def test_departement_page_default_and_invalid_sort(client):
    html = page(client, "/departements/63/")
    assert first_row_name(html) == "Aigueperse"
    assert re.search(
        r'<th scope="col" aria-sort="ascending">\s*<a class="pvd-sort" '
        r'href="\?tri=-nom#communes">Commune',
        html,
    )
    assert first_row_name(page(client, "/departements/63/?tri=bogus")) == "Aigueperse"
    assert first_row_name(page(client, "/departements/63/?tri=-nom")) != "Aigueperse"


def test_region_page_lists_departments_and_paginates_communes(client):
    html = page(client, "/regions/84/?tri=-population")
    assert "<h1>Auvergne-Rhône-Alpes</h1>" in html
    assert 'href="/departements/63/">Puy-de-Dôme</a>' in html
    assert first_row_name(html) == "Lyon"
    assert "fr-pagination" in html and "page=2" in html and "tri=-population" in html
    second = page(client, "/regions/84/?tri=-population&page=2")
    assert "Communes 501 à 1" in second


def test_index_pages_show_totals_with_vintages(client):
    deps = page(client, "/departements/")
    assert 'href="/departements/2A/">Corse-du-Sud</a>' in deps
    assert 'href="/departements/976/">Mayotte</a>' in deps
    mayotte_row = deps.split('href="/departements/976/"', 1)[1].split("</tr>", 1)[0]
    assert "2017" in mayotte_row  # Mayotte's latest legal population is from another census
    assert "Licence Ouverte" in deps
    regions = page(client, "/regions/")
    assert 'href="/regions/84/">Auvergne-Rhône-Alpes</a>' in regions
