"""Browser journey of the club's events (issue 15), in Chromium at desktop (1366 px) and phone
(390 px) widths with axe-core on every page (no serious or critical WCAG A/AA violation): a chef
de projet finds a regional meeting, registers and downloads its .ics (parsed back); the regional
staff member sees her on the attendance list.

The live-server test is transactional: the referential, the group, the accounts and the event
are created inside the test (see conftest.py)."""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

PASSWORD = "motdepasse-42"
WIDTHS = (1366, 390)

pytestmark = pytest.mark.e2e


@pytest.fixture
def site(live_server):
    from django.contrib.auth import get_user_model

    from pvd.network.events import event_create
    from pvd.programme.models import Groupe, Laureat
    from pvd.programme.services import programme_get, scope_group_ensure
    from pvd.projects.services import member_add
    from pvd.territories.models import Commune

    if not Commune.objects.filter(code="23176").exists():
        from pvd.sources.snapshot import read_snapshot
        from pvd.territories.services import referential_load_snapshot

        referential_load_snapshot(snapshot=read_snapshot(settings.SNAPSHOT_DIR))
    commune = Commune.objects.get(code="23176", type="COM")
    groupe = Groupe.objects.create(
        programme=programme_get(slug="pvd"), code="pvd-75-23-1", nom="La Souterraine",
        epci_id=commune.epci_id, departement_id="23", region_id="75",
    )  # fmt: skip
    Laureat.objects.create(programme=groupe.programme, commune=commune, groupe=groupe)
    User = get_user_model()
    chef = User.objects.create_user(
        "cheffe", email="cheffe@souterraine.fr", password=PASSWORD,
        first_name="Claire", last_name="Martin",
    )  # fmt: skip
    member_add(groupe=groupe, user=chef)
    staff = User.objects.create_user("region75", email="club@region.fr", password=PASSWORD)
    staff.groups.add(scope_group_ensure(niveau="region", code="75").group)
    day = datetime.now(ZoneInfo("Europe/Paris")).replace(hour=9, minute=30, second=0, microsecond=0)
    ev = event_create(
        user=staff,
        values={
            "titre": "Club régional des chefs de projet", "echelle": "regional", "region": "75",
            "debut": day + timedelta(days=21), "fin": day + timedelta(days=21, hours=7),
            "format": "hybride", "lieu": "Hôtel de région, Limoges",
            "lien": "https://visio.example.fr/club-na", "public": "region", "capacite": 30,
            "programme_texte": "9 h 30 accueil\n10 h ateliers : commerce de centre-ville",
            "statut": "publie",
        },
    )  # fmt: skip
    return {"url": live_server.url, "event": ev}


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/programme/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def _check(page, axe, what: str) -> None:
    """At both widths: nothing wider than the window, no serious or critical violation."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{what} at {width} px: {overflow} px wider than the window"
        assert axe(page) == [], f"{what} at {width} px"
        # A table stacked into cards on a phone hides its header row: it must take no room
        # (DSFR's `position: relative` once left a blank block as tall as the headers).
        heads = page.evaluate(
            "[...document.querySelectorAll('.pvd-stack thead')]"
            ".map(h => Math.round(h.getBoundingClientRect().height))"
        )
        if width < 768:
            assert all(h <= 1 for h in heads), f"{what} at {width} px: blank table headers {heads}"
        if os.environ.get("PVD_E2E_SHOTS"):
            name = re.sub(r"\W+", "-", what)
            page.screenshot(path=f"{os.environ['PVD_E2E_SHOTS']}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def test_register_to_a_regional_meeting_and_see_the_attendance(browser, site, axe, tmp_path):
    from icalendar import Calendar
    from playwright.sync_api import expect

    base, ev = site["url"], site["event"]
    page = browser.new_page(locale="fr-FR", accept_downloads=True)
    try:
        _login(page, base, "cheffe")
        page.goto(f"{base}/reseau/evenements/?region=75")
        _check(page, axe, "events listing")
        page.get_by_role("link", name="Club régional des chefs de projet").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Club régional des chefs de projet")
        expect(page.locator("#places")).to_contain_text("0 inscrit sur 30")
        page.get_by_role("button", name="M'inscrire").click()
        expect(page.locator(".fr-alert--success")).to_contain_text("Inscription confirmée")
        expect(page.locator("#inscription")).to_contain_text("Inscription confirmée")
        expect(page.locator("#places")).to_contain_text("1 inscrit sur 30")
        _check(page, axe, "event page, registered")
        with page.expect_download() as info:
            page.get_by_role("link", name="Ajouter à mon agenda (.ics)").click()
        download = info.value
        assert download.suggested_filename == f"evenement-{ev.pk}.ics"
        path = tmp_path / "evenement.ics"
        download.save_as(path)
        (vevent,) = Calendar.from_ical(Path(path).read_bytes()).walk("VEVENT")
        assert str(vevent["summary"]) == "Club régional des chefs de projet"
        assert vevent.decoded("dtstart") == ev.debut
        assert "Limoges" in str(vevent["location"])
    finally:
        page.close()

    page = browser.new_page(locale="fr-FR")
    try:
        _login(page, base, "region75")
        page.goto(f"{base}/reseau/evenements/{ev.pk}/")
        table = page.get_by_role("table", name=re.compile("^Liste des participants"))
        expect(table).to_contain_text("Claire Martin")
        expect(table).to_contain_text("cheffe@souterraine.fr")
        expect(table).to_contain_text("La Souterraine")
        _check(page, axe, "event page, organiser")
    finally:
        page.close()
