"""Content Security Policy (django-csp, issue 18): every page says where scripts, styles, images
and forms may come from; the browser check of real pages is tests/e2e/test_csp_journey.py."""

from __future__ import annotations

import re

import pytest

import factories
from pvd.config.settings import _tiles_source


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


@pytest.mark.parametrize(
    "url", ["/", "/programme/connexion/", "/selection/", "/admin/login/", "/api/v1/docs"]
)
def test_strict_policy_on_every_kind_of_page(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    csp = directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"][0] == "'self'" and "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp["style-src-elem"]
    assert csp["style-src-attr"] == ["'unsafe-inline'"]
    assert csp["img-src"] == ["'self'", "data:"]  # no tile host without PVD_MAP_TILES
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert csp["form-action"] == ["'self'"] and csp["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


def test_no_inline_script_nor_event_handler_in_the_pages(client, db):
    page = client.get("/").content.decode()
    for tag in re.findall(r"<script\b[^>]*>", page):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\son[a-z]+=", page)
    assert "'nonce-" not in client.get("/")["Content-Security-Policy"]  # nothing inline to allow


def test_project_pages_style_element_carries_the_nonce(client, db):
    groupe = factories.group("g48", departement_id="48", region_id="76")
    client.force_login(factories.user("chef", groupe=groupe))
    response = client.get("/projets/")
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        response = client.get(response["Location"])
    csp = directives(response)
    nonce = re.search(r"'nonce-([^']+)'", " ".join(csp["style-src-elem"])).group(1)
    assert not any("nonce" in s for s in csp["script-src"])  # a style nonce never runs a script
    tags = re.findall(r"<style\b[^>]*>", response.content.decode())
    assert tags and all(f'nonce="{nonce}"' in tag for tag in tags)
    again = client.get(response.request["PATH_INFO"])
    assert nonce not in again["Content-Security-Policy"]  # a new nonce on each response


def test_map_tiles_host_is_the_only_third_party_source():
    ign = (
        "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=PLAN"
        "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
    )
    assert _tiles_source(ign) == "https://data.geopf.fr"
    assert _tiles_source("https://{s}.tile.example.org/{z}/{x}/{y}.png") == (
        "https://*.tile.example.org"
    )


def test_no_subresource_integrity_on_the_rewritten_static_files(client, db):
    """Collected CSS has its url() references rewritten to hashed names (pvd.config.staticfiles),
    so an integrity hash of the distributed file no longer matches what `pvd serve` sends and
    Chromium refuses the style sheet: the pages must not carry one (DSFR_USE_INTEGRITY_CHECKSUMS)."""
    for url in ("/", "/reseau/", "/resultats/"):
        page = client.get(url).content.decode()
        assert 'rel="stylesheet"' in page
        assert "integrity=" not in page, url
