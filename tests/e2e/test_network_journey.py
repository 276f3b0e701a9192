"""Browser journeys of the network (issue 15): a project manager opens her action, « Qui fait
pareil ? » lists three similar towns with actions on « commerces », she opens a practice; a
programme team member reviews and publishes a practice. Desktop and phone widths, axe-core.

Debian's Chromium, headless, against the live server (see conftest.py). The live-server test is
transactional: everything is created inside the test.
"""

from __future__ import annotations

import os
import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.e2e
PASSWORD = "motdepasse-42"


@pytest.fixture
def site(live_server):
    from django.contrib.auth import get_user_model

    from pvd.diagnostics.models import TerritoryValues
    from pvd.network import practices
    from pvd.programme.audit import Actor
    from pvd.programme.models import Groupe, Laureat
    from pvd.programme.services import programme_get, scope_group_ensure
    from pvd.projects.models import Action, Financement, Projet
    from pvd.projects.services import member_add
    from pvd.territories.models import Commune

    if not Commune.objects.filter(code="23176").exists():
        from pvd.sources.snapshot import read_snapshot
        from pvd.territories.services import referential_load_snapshot

        referential_load_snapshot(snapshot=read_snapshot(settings.SNAPSHOT_DIR))
    pvd = programme_get(slug="pvd")
    users = get_user_model()

    def group(code: str, commune: Commune):
        g = Groupe.objects.create(
            programme=pvd,
            code=code,
            nom=commune.nom,
            epci_id=commune.epci_id,
            departement_id=commune.departement_id,
            region_id=commune.region_id,
        )
        Laureat.objects.create(programme=pvd, commune=commune, groupe=g)
        return g, Projet.objects.create(groupe=g, nom=f"Projet de {commune.nom}")

    town = Commune.objects.get(code="23176", type="COM")
    own, own_projet = group("pvd-75-23-1", town)
    mine = Action.objects.create(projet=own_projet, titre="Boutique à l'essai", axe="commerces")
    cheffe = users.objects.create_user("cheffe", password=PASSWORD)
    member_add(groupe=own, user=cheffe)
    similar = list(
        Commune.objects.filter(type="COM", departement__region_id="75", population__gt=2000)
        .exclude(code="23176")
        .order_by("code")[:3]
    )
    drafts = []
    for n, c in enumerate(similar):
        g, projet = group(f"pvd-75-{c.departement_id}-{n + 2}", c)
        a = Action.objects.create(
            projet=projet, titre=f"Halle commerçante de {c.nom}", axe="commerces", phase="operation"
        )
        Financement.objects.create(
            action=a, financeur="bdt", montant_demande=80000, montant_accorde=60000
        )
        chef = users.objects.create_user(f"chef{n}")
        member_add(groupe=g, user=chef)
        p = practices.practice_create(
            actor=Actor("web", chef),
            action=a,
            values={
                "realisation": f"La halle de {c.nom} a rouvert avec six commerçants.",
                "cout": 250000,
            },
        )
        practices.practice_submit(actor=Actor("web", chef), pratique=p)
        drafts.append(p)
    TerritoryValues.objects.create(
        level="COM",
        code="23176",
        values={},
        peers={"c": [c.code for c in similar], "d": [0.4, 0.5, 0.6], "r": ["", "", ""]},
    )
    reviewer = users.objects.create_user("relectrice", password=PASSWORD)
    reviewer.groups.add(scope_group_ensure(niveau="national", code=None).group)
    # One practice already published, one left under review for the journey.
    practices.practice_review(actor=Actor("web", reviewer), pratique=drafts[0], publish=True)
    return {"url": live_server.url, "action": mine, "published": drafts[0], "queued": drafts[1]}


def _login(page, base: str, username: str, next_url: str) -> None:
    page.goto(f"{base}/programme/connexion/?next={next_url}")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


def _fits(page, what: str) -> None:
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        if os.environ.get("PVD_E2E_SHOTS"):
            name = what.replace(" ", "-").replace("?", "")
            page.screenshot(
                path=f"{os.environ['PVD_E2E_SHOTS']}/reseau-{name}-{width}.png", full_page=True
            )
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{what} at {width} px: {overflow} px wider than the window"
    page.set_viewport_size({"width": 1280, "height": 720})


def test_peers_practice_and_review(browser, site, axe):
    from playwright.sync_api import expect

    base, action = site["url"], site["action"]
    page = browser.new_page(locale="fr-FR")
    try:
        action_url = f"/projets/pvd/pvd-75-23-1/actions/{action.pk}/"
        _login(page, base, "cheffe", action_url)
        page.get_by_role("link", name="Qui fait pareil ?").click()
        expect(page.locator("#pairs")).to_have_text(
            "3 villes avec des actions « Commerces et services »"
        )
        expect(page.get_by_text("Commune similaire")).to_have_count(3)
        expect(page.get_by_text(re.compile("Halle commerçante de")).first).to_contain_text(
            "Banque des Territoires"
        )
        assert axe(page) == []
        _fits(page, "qui fait pareil")
        page.get_by_role("link", name=site["published"].titre).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(site["published"].titre)
        expect(page.locator("#statut")).to_have_text("Publiée")
        assert axe(page) == []
        _fits(page, "practice")
        page.context.clear_cookies()

        _login(page, base, "relectrice", "/reseau/pratiques/")
        queue = page.locator("#relecture")
        queue.get_by_role("link", name=site["queued"].titre).click()
        assert axe(page) == []
        page.get_by_role("button", name="Publier la fiche").click()
        expect(page.locator("#statut")).to_have_text("Publiée")
        expect(page.locator("#historique")).to_contain_text("En relecture → Publiée")
        page.goto(f"{base}/reseau/")
        expect(page.locator("#annuaire-total")).to_contain_text("4 villes lauréates")
        assert axe(page) == []
        _fits(page, "directory")
    finally:
        page.close()
