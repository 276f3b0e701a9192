"""Browser journey of the outcomes (issue 16): the France page, a region, a laureate against
its matched towns, on desktop and phone widths; axe-core (npm ``axe-core`` 4.14.1, from
``PVD_AXE_JS`` or a local ``node_modules``) finds no serious or critical WCAG A/AA violation.
The registry is the small data.gouv.fr-layout fixture (9 laureates in Nouvelle-Aquitaine)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

DATA = Path(__file__).resolve().parent.parent / "data" / "programme"
AHUN = "23001"

pytestmark = pytest.mark.e2e


@pytest.fixture
def site(live_server):
    from pvd.programme.services import laureates_import
    from pvd.territories.models import Commune

    if not Commune.objects.filter(code=AHUN).exists():
        from pvd.sources.snapshot import read_snapshot
        from pvd.territories.services import referential_load_snapshot

        referential_load_snapshot(snapshot=read_snapshot(settings.SNAPSHOT_DIR))
    laureates_import(path=DATA / "pvd-datagouv.csv", programme_slug="pvd")
    return live_server.url


@pytest.mark.parametrize("width", [1280, 375], ids=["bureau", "telephone"])
def test_outcomes_pages_read_and_accessible(browser, site, axe, width):
    from playwright.sync_api import expect

    page = browser.new_page(locale="fr-FR", viewport={"width": width, "height": 900})
    try:
        page.goto(f"{site}/resultats/", timeout=120_000)
        expect(page.get_by_role("heading", level=1)).to_contain_text("villes comparables")
        expect(page.locator(".fr-callout__text")).to_contain_text("Entre 2019 et 2023")
        expect(page.get_by_role("heading", name="Équilibre de l'appariement")).to_be_visible()
        assert axe(page) == []
        page.get_by_role("link", name="Nouvelle-Aquitaine").first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Nouvelle-Aquitaine")
        assert axe(page) == []
        page.goto(f"{site}/resultats/communes/{AHUN}/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Ahun")
        expect(page.locator("#trajectoire")).to_be_visible()
        assert axe(page) == []
    finally:
        page.close()
