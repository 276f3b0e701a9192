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
        # One table per theme, territories as columns (issue 13): the vacancy row has the
        # commune's value and France's.
        habitat = page.get_by_role("table", name=re.compile("^Habitat"))
        vacancy = habitat.get_by_role("row", name=re.compile("Taux de logements vacants"))
        expect(vacancy).to_be_visible()
        assert re.search(r"\d+,\d", vacancy.locator("td.pvd-own").inner_text())
        # Charts on demand.
        charts = page.locator("details.pvd-charts").filter(has_text="Habitat")
        expect(charts.locator("svg[role=img]").first).to_be_hidden()
        charts.locator("summary").click()
        expect(charts.locator("svg[role=img]").first).to_be_visible()
        # The location map, drawn from the geometry files (nothing imported): Leaflet over the
        # static SVG, offline.
        location = page.locator("figure.pvd-location")
        expect(location).to_have_class(re.compile("pvd-location--interactive"))
        expect(location.locator(".pvd-location__map")).to_be_visible()

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


OFF_SCREEN_CELLS = """() => Array.from(document.querySelectorAll('main td, main th'))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .map(e => e.textContent.trim().slice(0, 40))"""


@pytest.mark.parametrize("width", [1366, 390])
def test_portrait_values_stay_on_screen(browser, site, width, axe):
    """Every value of the portrait's tables is within the screen at desktop and phone widths:
    on a phone each row of a theme table becomes a card of labelled values (issue 13)."""
    page = browser.new_page(locale="fr-FR", viewport={"width": width, "height": 900})
    try:
        page.goto(f"{site}/communes/48140/portrait/")
        off = page.evaluate(OFF_SCREEN_CELLS)
        assert off == [], off
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        if width == 390:
            cell = page.locator("#table-habitat td.pvd-own").first
            label = cell.evaluate("e => getComputedStyle(e, '::before').content")
            assert "Saint-Chély" in label  # the column's name beside the value
        assert axe(page) == []  # no serious or critical WCAG A/AA violation
    finally:
        page.close()


@pytest.fixture
def site_with_geometries(site):
    from pvd.sources.geo import read_geo
    from pvd.territories.geography import geo_import

    for name in ("communes-centroides.csv", "polygone-4326_dep.geojson"):
        geo_import(geo=read_geo(DATA / "geo" / name))
    return site


def test_location_map_is_drawn_by_leaflet_offline(browser, site_with_geometries, tmp_path):
    from playwright.sync_api import expect

    site = site_with_geometries
    page = browser.new_page(locale="fr-FR")
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(f"{site}/communes/48140/portrait/")
        figure = page.locator("figure.pvd-location")
        expect(figure).to_have_class(re.compile("pvd-location--interactive"))
        expect(figure.locator(".leaflet-container")).to_be_visible()
        # The department contour and three communes (itself and two of its EPCI) as vectors.
        expect(figure.locator("path.leaflet-interactive")).to_have_count(4)
        expect(figure.locator("path.pvd-location__commune")).to_have_count(1)
        expect(figure.locator(".leaflet-tooltip")).to_have_text("Saint-Chély-d'Apcher")
        # The static drawing gives way to the map, the caption names the sources.
        expect(figure.locator("svg.pvd-location__static")).to_be_hidden()
        expect(figure.locator("figcaption")).to_contain_text("ANCT")
        # Keyboard: the map takes the focus and pans with the arrows.
        holder = figure.locator(".pvd-location__map")
        assert holder.get_attribute("tabindex") == "0"
        page.screenshot(path=str(tmp_path / "location.png"), full_page=False)
        # Offline by default: no tile server, nothing requested outside the platform.
        assert requested and all(url.startswith(site) for url in requested), requested
    finally:
        page.close()
