"""Content Security Policy in a real browser (issue 18): Debian's Chromium, headless, against the
live server, records every CSP violation (console messages and ``securitypolicyviolation``
events) on the home page, a portrait with its Leaflet map, the selection pages and the login
pages; there must be none. A control injects an inline script to show violations are caught."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

DATA = Path(__file__).resolve().parent.parent / "data"

pytestmark = pytest.mark.e2e

RECORD = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile);
});
"""


@pytest.fixture
def site(live_server):
    from pvd.sources.geo import read_geo
    from pvd.territories.geography import geo_import
    from pvd.territories.models import Commune

    if not Commune.objects.filter(code="48140").exists():
        from pvd.sources.snapshot import read_snapshot
        from pvd.territories.services import referential_load_snapshot

        referential_load_snapshot(snapshot=read_snapshot(settings.SNAPSHOT_DIR))
    for name in ("communes-centroides.csv", "polygone-4326_dep.geojson"):
        geo_import(geo=read_geo(DATA / "geo" / name))
    return live_server.url


def _visit(page, url: str, console: list[str]) -> list[str]:
    console.clear()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    events = page.evaluate("window.__csp")
    return events + [m for m in console if "Content Security Policy" in m]


def test_pages_raise_no_csp_violation(browser, site):
    from playwright.sync_api import expect

    page = browser.new_page(locale="fr-FR")
    page.add_init_script(RECORD)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    try:
        pages = {
            "home": "/",
            "search": "/recherche?q=saint-chely",
            "portrait": "/communes/48140/portrait/",
            "selection editor": "/selection/",
            "selection results": "/selection/resultats/?base=pvd&region=76",
            "learned model": "/selection/appris/",
            "site login": "/programme/connexion/",
            "admin login": "/admin/login/",
            "API reference": "/api/v1/docs",
            "API console (Swagger UI)": "/api/v1/console",
        }
        seen = {name: _visit(page, site + path, console) for name, path in pages.items()}
        assert seen == {name: [] for name in pages}
        # The portrait's map really ran (Leaflet, a script file) under the policy.
        page.goto(f"{site}/communes/48140/portrait/")
        figure = page.locator("figure.pvd-location")
        expect(figure).to_have_class(re.compile("pvd-location--interactive"))
        expect(figure.locator(".leaflet-container")).to_be_visible()
        # DSFR's scripts ran too: its engine marks the document when it starts.
        expect(page.locator("html")).to_have_attribute("data-fr-js", "true")
        # Control: an injected inline script is blocked and reported.
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.__ran = true'; document.body.appendChild(s); }"
        )
        page.wait_for_timeout(200)
        assert page.evaluate("window.__ran") is None
        assert any(v.startswith("script-src") for v in page.evaluate("window.__csp"))
    finally:
        page.close()
