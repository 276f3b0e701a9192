"""Browser journey: national dashboard → region → department, then export the list as CSV.

Debian's Chromium, headless, against the live server (see conftest.py for the
set-up notes). The live-server test is transactional: the database is flushed afterwards, so
the referential and the laureate list are (re)loaded inside the test when missing.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings

DATA = Path(__file__).resolve().parent.parent / "data" / "programme"

pytestmark = pytest.mark.e2e


@pytest.fixture
def site(live_server):
    from pvd.programme.services import laureates_import, ort_import
    from pvd.territories.models import Commune

    if not Commune.objects.filter(code="23001").exists():
        from pvd.sources.snapshot import read_snapshot
        from pvd.territories.services import referential_load_snapshot

        referential_load_snapshot(snapshot=read_snapshot(settings.SNAPSHOT_DIR))
    laureates_import(path=DATA / "pvd-datagouv.csv", programme_slug="pvd")
    ort_import(path=DATA / "ort.csv")
    return live_server.url


def test_programme_journey(browser, site):
    from playwright.sync_api import expect

    page = browser.new_page(locale="fr-FR", accept_downloads=True)
    try:
        page.goto(f"{site}/")
        page.get_by_role("navigation", name="Menu principal").get_by_role(
            "link", name="Programme"
        ).click()
        page.wait_for_url(re.compile(r"/programme/pvd/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Petites villes de demain — France"
        )
        expect(page.locator(".pvd-kpi").first).to_contain_text("7")

        # Down to the region, from the breakdown table (the map links there too).
        table = page.get_by_role("table", name=re.compile("Régions"))
        table.get_by_role("link", name="Nouvelle-Aquitaine").click()
        page.wait_for_url(re.compile(r"/programme/pvd/regions/75/$"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Nouvelle-Aquitaine")
        expect(page.locator(".pvd-map svg a")).to_have_count(12)

        # Down to the department, through its area on the map.
        page.locator('.pvd-map a[href$="/departements/23/"]').click()
        page.wait_for_url(re.compile(r"/programme/pvd/departements/23/$"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Creuse (23)")
        communes = page.get_by_role("table", name=re.compile("Communes lauréates"))
        expect(communes.get_by_role("row")).to_have_count(4)  # header + 3 communes

        # Export the department's laureates as CSV.
        with page.expect_download() as info:
            page.get_by_role("link", name="CSV").first.click()
        download = info.value
        assert download.suggested_filename.startswith("laureats-pvd-")
        text = Path(download.path()).read_text(encoding="utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        assert rows[0][0] == "code_insee"
        assert sorted(r[0] for r in rows[1:] if r and r[0].isdigit()) == ["23001", "23067", "23176"]
    finally:
        page.close()
