"""Browser journey: open a portrait de ville, read a comparison, download its PDF.

Debian's Chromium, headless, against the live server (set-up notes in conftest.py).
The live-server test is transactional (the database is flushed afterwards), so the referential
and the indicators are loaded and built inside the test when missing.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings

DATA = Path(__file__).resolve().parent.parent / "data"

pytestmark = pytest.mark.e2e


@pytest.fixture
def site(live_server):
    from pvd.diagnostics.models import TerritoryValues
    from pvd.diagnostics.services import indicator_source_import, indicators_build
    from pvd.territories.models import Commune

    if not Commune.objects.filter(code="48140").exists():
        from pvd.sources.snapshot import read_snapshot
        from pvd.territories.services import referential_load_snapshot

        referential_load_snapshot(snapshot=read_snapshot(settings.SNAPSHOT_DIR))
    if not TerritoryValues.objects.filter(level="COM", code="48140").exists():
        indicator_source_import(kind="logement", path=DATA / "insee" / "base-cc-logement-2021.CSV")
        indicators_build()
    return live_server.url


def test_portrait_journey(browser, site):
    from playwright.sync_api import expect
    from pypdf import PdfReader

    page = browser.new_page(locale="fr-FR", accept_downloads=True)
    try:
        page.goto(f"{site}/communes/48140/portrait/")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Portrait de ville : Saint-Chély-d'Apcher"
        )
        expect(page.get_by_role("heading", level=2, name="Habitat")).to_be_visible()
        vacancy = page.get_by_role("table", name=re.compile("Taux de logements vacants"))
        expect(vacancy.get_by_role("row", name=re.compile("^France"))).to_be_visible()
        expect(page.locator("svg[role=img]").first).to_be_visible()

        with page.expect_download() as info:
            page.get_by_role("link", name=re.compile("Télécharger le portrait")).click()
        download = info.value
        assert download.suggested_filename == "portrait-48140.pdf"
        reader = PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
        text = "\n".join(p.extract_text() for p in reader.pages)
        assert "Saint-Chély-d'Apcher" in text
        # Labels drawn inside the comparison chart (SVG): at least one chart made it in.
        assert "Médiane des communes similaires" in text or "Intercommunalité :" in text
    finally:
        page.close()
