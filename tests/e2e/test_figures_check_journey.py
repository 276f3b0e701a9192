"""Browser journey of the figures check (issue 14): paste a paragraph, submit without
JavaScript, read the highlighted claims, open the communes behind a count, follow the
permalink; then axe-core (npm ``axe-core`` 4.14.1, injected from ``PVD_AXE_JS`` or a local
``node_modules``) finds no WCAG A/AA violation on the result page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

DATA = Path(__file__).resolve().parent.parent / "data" / "programme"
TEXT = (
    "Près de 6 communes sont lauréates en Nouvelle-Aquitaine, dont 3 dans la Creuse et "
    "4 en Corrèze. 226 communes en Auvergne-Rhône-Alpes."
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def site(live_server):
    from pvd.programme.services import laureates_import
    from pvd.territories.models import Commune

    if not Commune.objects.filter(code="23001").exists():
        from pvd.sources.snapshot import read_snapshot
        from pvd.territories.services import referential_load_snapshot

        referential_load_snapshot(snapshot=read_snapshot(settings.SNAPSHOT_DIR))
    laureates_import(path=DATA / "pvd-datagouv.csv", programme_slug="pvd")
    return live_server.url


def test_figures_check_without_javascript_and_accessible(browser, site, axe):
    from playwright.sync_api import expect

    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{site}/programme/pvd/verifier/")
        page.get_by_label("Texte à vérifier").fill(TEXT)
        page.get_by_role("button", name="Vérifier").click()
        page.wait_for_url("**/verifier/?enonces=*")
        marks = page.locator("mark.pvd-claim")
        expect(marks.first).to_be_visible()
        expect(page.locator("mark.pvd-claim--contredit")).to_contain_text(["4"])
        expect(page.locator("mark.pvd-claim--non-verifiable").first).to_contain_text("226")
        summary = page.get_by_text("Les 3 communes lauréates derrière ce chiffre")
        summary.click()
        expect(page.get_by_role("link", name="La Souterraine")).to_be_visible()
        permalink = page.get_by_role("link", name="Lien permanent vers cette vérification")
        url = permalink.get_attribute("href")
        page.goto(url)
        expect(page.locator("mark.pvd-claim")).to_have_count(marks.count())
    finally:
        context.close()
    page = browser.new_page(locale="fr-FR")
    try:
        page.goto(url)
        # Every impact, not only serious and critical: this page had none at all.
        violations = axe(page, impacts=("minor", "moderate", "serious", "critical"))
        assert violations == [], violations
    finally:
        page.close()
