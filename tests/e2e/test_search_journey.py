"""Browser journey: search a commune from the home page with the autocomplete, open its page.

Runs Debian's Chromium (never a downloaded browser) headless against pytest-django's live
server. ``live_server`` makes the test transactional: pytest-django runs it after the plain
``db`` tests, and the database is flushed when it ends, so later DB tests would need the
referential again (hence the reload fallback below).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings

pytestmark = pytest.mark.e2e


@pytest.fixture
def site(live_server):
    """The live server's URL, with the referential visible to it.

    With an in-memory SQLite test database the server thread shares the test's connection, so
    the data loaded once per session is visible; it is gone only if an earlier transactional
    test flushed the database, and is then loaded again (with the built-in programmes).
    """
    from pvd.territories.models import Commune

    if not Commune.objects.filter(code="63236").exists():
        from pvd.sources.snapshot import read_snapshot
        from pvd.territories.services import referential_load_snapshot

        referential_load_snapshot(snapshot=read_snapshot(settings.SNAPSHOT_DIR))
    # The built-in programmes come with the migrations; a flush by an earlier transactional
    # test removes them.
    from pvd.programme.services import programme_get

    programme_get(slug="pvd")
    return live_server.url


def search_url(url: str, query: str) -> bool:
    """Whether ``url`` is the API search for exactly ``query``."""
    parts = urlsplit(url)
    return parts.path == "/api/v1/communes/search" and parse_qs(parts.query).get("q") == [query]


def test_search_journey(browser, site):
    from playwright.sync_api import expect

    page = browser.new_page(locale="fr-FR")
    try:
        page.goto(f"{site}/")
        # The home page is the programme's; with no list loaded it says so (no figure, no 0).
        expect(page.get_by_role("heading", level=1)).to_have_text("Petites villes de demain")
        expect(page.locator("main")).to_contain_text("Aucune liste de lauréats chargée")
        field = page.get_by_role("combobox", name="Rechercher une commune")
        expect(field).to_have_attribute("aria-expanded", "false")
        # Wait for the answer to the whole query: answers to partial ones may render first.
        with page.expect_response(lambda r: search_url(r.url, "mont dore")):
            field.press_sequentially("mont dore", delay=40)

        puy_de_dome = page.get_by_role("option", name=re.compile("Mont-Dore.*Puy-de-Dôme \\(63\\)"))
        expect(puy_de_dome).to_be_visible()
        expect(field).to_have_attribute("aria-expanded", "true")
        expect(page.get_by_role("option", name=re.compile("Nouvelle-Calédonie"))).to_be_visible()

        # The arrow keys move the active option, announced through aria-activedescendant.
        field.press("ArrowDown")
        active = field.get_attribute("aria-activedescendant")
        expect(page.locator(f"#{active}")).to_have_attribute("aria-selected", "true")

        puy_de_dome.click()
        page.wait_for_url(re.compile(r"/communes/63236/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Mont-Dore")
        expect(page.locator("main")).to_contain_text("Licence Ouverte")
        # Its status in the programme: no loaded list covers its region.
        expect(page.locator("#programme-statut")).to_contain_text(
            "Non couvert par les listes chargées"
        )

        # Keyboard only, from the header search of the commune page: Down then Enter.
        header_field = page.get_by_role("combobox", name="Rechercher une commune")
        with page.expect_response(lambda r: search_url(r.url, "st chely d apcher")):
            header_field.press_sequentially("st chely d apcher", delay=20)
        expect(page.get_by_role("option").first).to_contain_text("Saint-Chély-d'Apcher")
        header_field.press("ArrowDown")
        header_field.press("Enter")
        page.wait_for_url(re.compile(r"/communes/48140/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Saint-Chély-d'Apcher")
    finally:
        page.close()
