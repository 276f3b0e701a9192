"""Browser journey: a town's project manager logs in, creates the project, then an action,
adds a co-financing line and a milestone, and finds them in the timeline and the budget summary.

Debian's Chromium, headless, against the live server (see conftest.py for the
set-up notes). The live-server test is transactional: the database is flushed afterwards, so
the referential, the group and the user are created inside the test.
"""

from __future__ import annotations

import os
import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.e2e


@pytest.fixture
def site(live_server):
    from django.contrib.auth import get_user_model

    from pvd.programme.models import Groupe, Laureat
    from pvd.programme.services import programme_get
    from pvd.projects.services import member_add
    from pvd.territories.models import Commune

    if not Commune.objects.filter(code="23176").exists():
        from pvd.sources.snapshot import read_snapshot
        from pvd.territories.services import referential_load_snapshot

        referential_load_snapshot(snapshot=read_snapshot(settings.SNAPSHOT_DIR))
    commune = Commune.objects.get(code="23176", type="COM")
    groupe = Groupe.objects.create(
        programme=programme_get(slug="pvd"),
        code="pvd-75-23-1",
        nom="La Souterraine",
        epci_id=commune.epci_id,
        departement_id="23",
        region_id="75",
    )
    Laureat.objects.create(programme=groupe.programme, commune=commune, groupe=groupe)
    user = get_user_model().objects.create_user("cheffe", password="motdepasse-42")
    member_add(groupe=groupe, user=user)
    return live_server.url


def _fits(page, what: str, shot: str = "") -> None:
    """The page does not scroll sideways (wide tables scroll inside their own frame)."""
    if shot and os.environ.get("PVD_E2E_SHOTS"):
        page.screenshot(path=f"{os.environ['PVD_E2E_SHOTS']}/{shot}.png", full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{what}: the page is {overflow} px wider than the window"


def test_project_manager_journey(browser, site):
    from playwright.sync_api import expect

    page = browser.new_page(locale="fr-FR")
    try:
        page.goto(f"{site}/programme/connexion/?next=/projets/")
        page.get_by_label("Identifiant").fill("cheffe")
        page.get_by_label("Mot de passe").fill("motdepasse-42")
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(re.compile(r"/projets/$"))
        page.get_by_role("link", name="La Souterraine").click()
        # No project yet: the page says so and offers its team to create it (a POST).
        expect(page.locator("#projet-vide")).to_contain_text("pas encore de projet")
        page.get_by_role("button", name="Créer le projet de territoire").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Projet de territoire")

        page.get_by_role("link", name="Nouvelle action").click()
        page.get_by_label("Intitulé").fill("Réhabilitation de la halle")
        page.get_by_label("Axe").select_option(label="Commerces et services")
        page.get_by_label("Statut").select_option(label="En cours")
        page.get_by_label("Date de début").fill("2026-01-15")
        page.get_by_label("Date de fin prévue").fill("2028-06-30")
        page.get_by_text("La Souterraine (23)").click()  # DSFR: the label covers the box
        page.get_by_label("Porteur").fill("Commune de La Souterraine")
        page.get_by_role("button", name="Enregistrer l'action").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Réhabilitation de la halle")

        page.get_by_text("Ajouter un cofinancement").first.click()
        page.get_by_label("Financeur").select_option(label="DETR")
        page.get_by_label("Montant demandé (€)").fill("120000")
        page.get_by_role("button", name="Ajouter un cofinancement").click()
        funding = page.get_by_role("table", name="Lignes de cofinancement")
        expect(funding).to_contain_text("DETR")
        expect(funding).to_contain_text("En attente de décision")

        # The decision arrives: one edit of the line, in its row (no JavaScript needed).
        funding.get_by_role("link", name="Modifier le financement DETR").click()
        edit = page.locator("form.pvd-line-edit")
        expect(edit.get_by_label("Montant demandé (€)")).to_have_value("120000")  # pre-filled
        edit.get_by_role("combobox", name=re.compile("^Décision")).select_option(label="Accordé")
        edit.get_by_label("Date de décision").fill("2026-04-15")
        edit.get_by_label("Montant accordé (€)").fill("90000")
        edit.get_by_role("button", name="Enregistrer").click()
        expect(page.locator(".fr-alert--success, .fr-alert--info").first).to_contain_text(
            "Ligne modifiée"
        )
        row = funding.get_by_role("row", name=re.compile("DETR"))
        expect(row).to_contain_text("Accordé")
        expect(row).to_contain_text(re.compile(r"90\s?000"))
        expect(row).to_contain_text("décision 15/04/2026")
        _fits(page, "action page")
        funding.get_by_role("link", name="Modifier le financement DETR").click()
        expect(page.locator("form.pvd-line-edit")).to_be_visible()
        _fits(page, "action page, a line's form open")
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            _fits(page, f"the line's form at {width} px", shot=f"ligne-{width}")
        page.set_viewport_size({"width": 1280, "height": 720})

        page.get_by_text("Ajouter un jalon").first.click()
        page.get_by_label("Libellé du jalon").fill("Dépôt du permis de construire")
        page.get_by_label("Date prévue").fill("2027-03-01")
        page.get_by_role("button", name="Ajouter un jalon").click()
        expect(page.get_by_role("table", name="Jalons de l'action")).to_contain_text(
            "Dépôt du permis de construire"
        )

        page.get_by_role("link", name=re.compile(r"^Projet de territoire —")).click()
        page.get_by_role("link", name="Calendrier").click()
        table = page.get_by_role("table", name="Dates et jalons des actions")
        expect(table).to_contain_text("Réhabilitation de la halle")
        expect(table).to_contain_text("Dépôt du permis de construire (01/03/2027)")
        expect(page.locator(".pvd-gantt__milestone")).to_have_count(1)

        page.get_by_role("link", name="Budget").click()
        funders = page.get_by_role("table", name="Cofinancements par financeur (€)")
        row = funders.get_by_role("row", name=re.compile("DETR"))
        expect(row).to_contain_text(re.compile(r"120\s?000"))
        expect(row).to_contain_text(re.compile(r"90\s?000"))

        # The team, managed in the pages: invite a colleague by e-mail as a contributor.
        page.get_by_role("link", name="Équipe").click()
        page.get_by_label("Adresse e-mail").fill("adjoint@souterraine.fr")
        page.locator("#id_role").select_option(value="contributeur")
        page.get_by_role("button", name="Inviter").click()
        page.wait_for_load_state()
        team = page.get_by_role("table", name="Membres de l'équipe")
        expect(team).to_contain_text("adjoint@souterraine.fr")
        expect(team).to_contain_text("invitation en attente")
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            _fits(page, f"the team page at {width} px", shot=f"equipe-{width}")
    finally:
        page.close()
