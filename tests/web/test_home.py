"""The home page presents the programme: map and key figures with the lists' coverage and
sources, the search leading to a commune's programme status, the modules' entry points."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent / "data" / "programme"
NNBSP = "\xa0"


def text(client, url: str) -> tuple[str, str]:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    plain = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
    return html, plain


def kpi_values(html: str) -> list[str]:
    return [unescape(v) for v in re.findall(r'<span class="pvd-kpi__value">([^<]*)</span>', html)]


@pytest.fixture
def partial_list(db):
    """The data.gouv.fr-layout fixture (Nouvelle-Aquitaine and Guadeloupe) and the ORT sheet."""
    from pvd.programme.services import laureates_import, ort_import

    laureates_import(path=DATA / "pvd-datagouv.csv", programme_slug="pvd", millesime="2024")
    ort_import(path=DATA / "ort.csv", millesime="2024-09")


def test_home_without_any_list_says_so_and_shows_no_figure(client):
    html, plain = text(client, "/")
    assert "<h1>Petites villes de demain</h1>" in html
    assert "Aucune liste de lauréats chargée : donnée non disponible" in plain
    assert "ils ne valent pas zéro" in plain
    assert kpi_values(html) == []  # no figure at all, never a 0
    assert "pvd-map" not in html
    # Search and every module's entry point stay.
    assert '<label class="fr-label" for="home-search-input">' in html
    for url in ("/programme/pvd/", "/recherche", "/selection/", "/projets/", "/regions/"):
        assert f'href="{url}"' in html, url


def test_home_with_a_partial_list_shows_figures_coverage_sources_and_map(client, partial_list):
    from pvd.programme import selectors

    board = selectors.dashboard(
        programme=selectors.programme_get(slug="pvd"), scope=selectors.scope_for()
    )
    assert board.laureats == 7  # 9 rows: one unknown code, one duplicate
    html, plain = text(client, "/")
    values = kpi_values(html)
    assert values[0] == "7"
    assert values[1] == f"{board.population:,}".replace(",", NNBSP)
    assert values[2] == str(board.cycle.adhesion)
    assert values[3] == str(board.cycle.convention_cadre)
    # Coverage: the national totals say what they leave out.
    assert "Totaux France hors" in plain and "non couverte" in plain
    assert board.exclusion in plain
    # Each figure names its source, vintage and licence.
    assert (
        plain.count("Agence nationale de la cohésion des territoires (ANCT) — millésime 2024") == 2
    )
    assert "Population municipale : Source : Référentiel territorial" in plain
    assert "ANCT / DGALN — millésime 2024-09" in plain
    assert plain.count("Licence Ouverte") >= 4
    # The national map by region: covered regions coloured, the others hatched.
    assert 'class="fr-col-12 fr-col-md-8 pvd-map"' in html
    shapes = re.findall(r'<a href="(/programme/pvd/regions/\w+/)" aria-label="([^"]+)"', html)
    labels = dict((u, unescape(label)) for u, label in shapes)
    assert labels["/programme/pvd/regions/75/"] == "Nouvelle-Aquitaine (75) : 6"
    assert labels["/programme/pvd/regions/84/"].endswith("non couvert par les listes chargées")
    assert "url(#pvd-non-couvert)" in html


def test_search_results_and_commune_page_give_the_programme_status(client, partial_list):
    html, plain = text(client, "/recherche?q=ahun")
    row = re.search(
        r"<tr>\s*<th scope=\"row\">\s*<a href=\"/communes/23001/\">.*?</tr>", html, re.S
    )
    assert row and 'href="/programme/pvd/communes/23001/"' in row.group(0)
    assert "Lauréate Petites villes de demain" in row.group(0)
    # Moutier-d'Ahun (Creuse, covered, not in the list): not a laureate.
    row = re.search(r"<a href=\"/communes/23138/\">.*?</tr>", html, re.S)
    assert "Non lauréate" in row.group(0)

    _, plain = text(client, "/communes/23001/")
    assert "Petites villes de demain : Lauréate Petites villes de demain" in plain
    html, plain = text(client, "/communes/63236/")  # Mont-Dore: Auvergne-Rhône-Alpes
    assert "Non couvert par les listes chargées" in plain
    assert "ne couvre Auvergne-Rhône-Alpes" in plain
    assert 'href="/programme/pvd/communes/63236/"' in html
    _, plain = text(client, "/communes/16015/")  # Angoulême: covered, not in the list
    assert "Petites villes de demain : Non lauréate" in plain


def test_commune_page_and_portrait_say_laureate_with_date_ort_and_project(
    client, partial_list, django_user_model
):
    """Issue 13: the commune page and the portrait of a laureate say so (programme, date,
    ORT, projet de territoire)."""
    from datetime import date

    from pvd.programme.models import Laureat

    lau = Laureat.objects.get(commune__code="23001", programme__slug="pvd")
    lau.date_selection = date(2020, 12, 11)
    lau.date_convention_cadre = date(2023, 5, 2)
    lau.save()
    for url in ("/communes/23001/", "/communes/23001/portrait/"):
        _, plain = text(client, url)
        said = plain[plain.find("Petites villes de demain :") :][:200]
        assert re.search(r"Lauréate Petites villes de demain\s?, sélectionnée le 11/12/2020", said)
        # The national ORT sheet of the fixtures says signed on 18/10/2022: it comes first.
        assert "; ORT signée le 18/10/2022" in said, url
        if lau.groupe is None:
            assert "projet de territoire" not in said
        else:
            assert "projet de territoire : pas encore de projet" in said


def test_region_and_department_pages_link_to_their_dashboards(client, partial_list):
    assert 'href="/programme/pvd/regions/75/"' in client.get("/regions/75/").content.decode()
    html = client.get("/departements/23/").content.decode()
    assert 'href="/programme/pvd/departements/23/"' in html
