"""Shared set-up of the browser journeys: Debian's Chromium (never a downloaded browser),
headless, driven by Playwright against pytest-django's live server.

``live_server`` makes a test transactional: pytest-django runs these after the plain ``db``
tests and flushes the database when each ends, so every journey (re)loads the data it needs.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the
# ORM calls made in the tests and during the database flush at teardown.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling hosts this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("PVD_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (PVD_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# axe-core from npm (pinned in .ci/run, which exports PVD_AXE_JS), or a local node_modules.
AXE_VERSION = "4.14.1"
AXE_CANDIDATES = [
    os.environ.get("PVD_AXE_JS", ""),
    str(Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"),
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def axe():
    """``axe(page, impacts=...)``: the page's axe-core violations (see axe_violations)."""
    path = next((p for p in AXE_CANDIDATES if p and Path(p).is_file()), None)
    if path is None:
        _unavailable(f"axe-core not found (npm install axe-core@{AXE_VERSION}, or set PVD_AXE_JS)")
    source = Path(path).read_text(encoding="utf-8")
    return lambda page, **kwargs: axe_violations(page, source, **kwargs)


def axe_violations(page, source: str, impacts=("serious", "critical")) -> list:
    """axe-core's WCAG 2.1 A/AA violations of the page at these impacts, as
    (rule, impact, first targets). Evaluated through the DevTools protocol, so a strict
    Content-Security-Policy does not block it."""
    page.evaluate(source)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in impacts
    ]
