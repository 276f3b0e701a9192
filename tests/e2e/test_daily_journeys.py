"""The two daily journeys of issue 13, in Chromium at desktop (1366 px) and phone (390 px)
widths, with axe-core on every page visited (no serious or critical WCAG A/AA violation):

- the chef de projet: login → her project → a late action and its reason → record a
  co-financing decision → the reminder e-mail → the steering report (PDF);
- the prefecture agent: login → the filtered list of the projects she follows → the department
  map → a laureate → its project.

The laureates come from the official list layout (data.gouv.fr file) through the importer; the
live-server test is transactional, so everything is created inside the test.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings

DATA = Path(__file__).resolve().parent.parent / "data"
PASSWORD = "motdepasse-42"

pytestmark = pytest.mark.e2e


GEOMETRY = ("geo/communes-centres.csv.gz", "geo/departements.geojson.gz")


@pytest.fixture
def site(live_server, tmp_path):
    from django.contrib.auth import get_user_model

    from pvd.programme.models import Laureat
    from pvd.programme.services import laureates_import, scope_group_ensure
    from pvd.projects import services
    from pvd.projects.selectors import today
    from pvd.territories.models import Commune

    if not Commune.objects.filter(code="23176").exists():
        from pvd.sources.snapshot import read_snapshot
        from pvd.territories.services import referential_load_snapshot

        referential_load_snapshot(snapshot=read_snapshot(settings.SNAPSHOT_DIR))
    # The department map's geometry: the embedded open-data snapshot, as `pvd data load`.
    from pvd.opendata import manifest
    from pvd.opendata.load import load_product

    entries = manifest.read_manifest()  # by file
    for product in manifest.PRODUCTS:
        if product.file in GEOMETRY:
            load_product(product, entries[product.file], manifest.OPENDATA_DIR, tmp_path)
    report = laureates_import(path=DATA / "programme" / "pvd-datagouv.csv", programme_slug="pvd")
    assert Laureat.objects.filter(commune__code="23176").exists(), report
    laureat = Laureat.objects.get(commune__code="23176", programme__slug="pvd")
    groupe = laureat.groupe
    if groupe is None:  # a list without groups: the town is its own group
        from pvd.programme.models import Groupe

        commune = laureat.commune
        groupe = Groupe.objects.create(
            programme=laureat.programme,
            code="pvd-75-23-souterraine",
            libelle_communes=commune.nom,
            epci_id=commune.epci_id,
            departement_id=commune.departement_id,
            region_id=commune.region_id,
        )
        laureat.groupe = groupe
        laureat.save(update_fields=["groupe"])

    User = get_user_model()
    chef = User.objects.create_user(
        "cheffe", email="cheffe@souterraine.fr", password=PASSWORD, first_name="Claire"
    )
    services.member_add(groupe=groupe, user=chef)
    prefecture = User.objects.create_user("pref23", password=PASSWORD)
    prefecture.groups.add(scope_group_ensure(niveau="departement", code="23").group)

    day = today()
    projet = services.project_get_or_create(groupe=groupe)
    halle = services.action_create(
        projet=projet,
        user=chef,
        values={
            "titre": "Réhabilitation de la halle",
            "axe": "commerces",
            "statut": "en_cours",
            "date_debut": day - timedelta(days=400),
            "date_fin_prevue": day + timedelta(days=300),
        },
    )
    services.line_save(
        action=halle,
        kind="jalon",
        user=chef,
        values={"libelle": "Dépôt du permis", "date_prevue": day - timedelta(days=12)},
    )
    services.line_save(
        action=halle,
        kind="financement",
        user=chef,
        values={"financeur": "detr", "montant_demande": 120_000},
    )
    return {"url": live_server.url, "groupe": groupe, "day": day}


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/programme/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def _check(page, axe, what: str) -> None:
    """Nothing wider than the window, and no serious or critical accessibility violation."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{what}: {overflow} px wider than the window"
    assert axe(page) == [], what


@pytest.mark.parametrize("width", [1366, 390])
def test_chef_de_projet_journey(browser, site, axe, width):
    from django.core import mail
    from playwright.sync_api import expect
    from pypdf import PdfReader

    from pvd.projects.reminders import reminders_send

    page = browser.new_page(locale="fr-FR", viewport={"width": width, "height": 900})
    try:
        _login(page, site["url"], "cheffe")
        # She lands on her own project, named after its town.
        expect(page.get_by_role("heading", level=1)).to_contain_text("La Souterraine")
        _check(page, axe, "project page")
        row = page.get_by_role("row", name=re.compile("Réhabilitation de la halle"))
        expect(row).to_contain_text("En retard")
        expect(row).to_contain_text(re.compile(r"Jalon « Dépôt du permis » .*non atteint"))  # why
        row.get_by_role("link", name="Réhabilitation de la halle").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Réhabilitation de la halle")
        expect(page.locator("main")).to_contain_text("Dépôt du permis")
        _check(page, axe, "action page")

        # The co-financing decision arrives: one edit of its line.
        funding = page.get_by_role("table", name="Lignes de cofinancement")
        funding.get_by_role("link", name="Modifier le financement DETR").click()
        edit = page.locator("form.pvd-line-edit")
        edit.get_by_role("combobox", name=re.compile("^Décision")).select_option(label="Accordé")
        edit.get_by_label("Date de décision").fill(f"{site['day']:%Y-%m-%d}")
        edit.get_by_label("Montant accordé (€)").fill("90000")
        edit.get_by_role("button", name="Enregistrer").click()
        expect(funding.get_by_role("row", name=re.compile("DETR"))).to_contain_text("Accordé")
        _check(page, axe, "action page after the decision")

        # The daily reminders: the overdue milestone reaches her by e-mail, once.
        mail.outbox.clear()
        reminders_send(day=site["day"])
        to_her = [m for m in mail.outbox if "cheffe@souterraine.fr" in m.to]
        assert any("Dépôt du permis" in m.body for m in to_her), [m.subject for m in mail.outbox]
        mail.outbox.clear()
        reminders_send(day=site["day"])
        assert not [m for m in mail.outbox if "Dépôt du permis" in m.body]

        # The steering committee's report, with the late action and its reason.
        # Back to the project (on a phone the breadcrumb is folded: its address).
        page.goto(f"{site['url']}/projets/pvd/{site['groupe'].code}/")
        href = page.get_by_role("link", name="Rapport de pilotage (PDF)").get_attribute("href")
        response = page.request.get(f"{site['url']}{href}")
        assert response.ok and response.headers["content-type"] == "application/pdf"
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
        text = " ".join(text.split())  # the PDF wraps lines
        assert "En retard — Réhabilitation de la halle (jalon « Dépôt du permis »" in text

        # Her older plan, from a spreadsheet: checked first (dry run), nothing written yet.
        page.goto(f"{site['url']}/projets/pvd/{site['groupe'].code}/actions/importer/")
        plan = "Intitulé;Axe;Date de fin prévue\nMaison de santé;Habitat et rénovation;31/12/2028\n"
        page.set_input_files(
            "#fichier",
            files=[{"name": "plan.csv", "mimeType": "text/csv", "buffer": plan.encode()}],
        )
        page.get_by_role("button", name="Vérifier ou importer").click()
        expect(page.get_by_role("status").filter(has_text="Simulation")).to_contain_text(
            "1 action à créer"
        )
        _check(page, axe, "action plan import (dry run)")
    finally:
        page.close()


@pytest.mark.parametrize("width", [1366, 390])
def test_prefecture_agent_journey(browser, site, axe, width):
    from playwright.sync_api import expect

    page = browser.new_page(locale="fr-FR", viewport={"width": width, "height": 900})
    try:
        _login(page, site["url"], "pref23")
        # She lands on the list of the projects she follows, and keeps the late ones.
        expect(page.get_by_role("heading", level=1)).to_have_text("Projets de territoire")
        page.locator("label[for=f-retard]").click()  # DSFR: the label covers the box
        page.get_by_role("button", name="Filtrer").click()
        page.wait_for_url(re.compile(r"retard=1"))
        expect(page.locator("p[role=status]")).to_contain_text("1 projet sur")
        _check(page, axe, "filtered projects list")
        projects = page.locator("#table-projets tbody tr")
        expect(projects).to_have_count(1)
        expect(projects.first).to_contain_text("1 en retard")

        # The department's dashboard: its map links each laureate commune to its page.
        page.goto(f"{site['url']}/programme/pvd/departements/23/")
        point = page.locator('svg a[href$="/programme/pvd/communes/23176/"]')
        expect(point).to_have_count(1)
        _check(page, axe, "department dashboard")
        page.goto(f"{site['url']}{point.get_attribute('href')}")
        expect(page.get_by_role("heading", level=1)).to_contain_text("La Souterraine")
        _check(page, axe, "laureate page")
        code = site["groupe"].code
        page.locator(f'main a[href$="/projets/pvd/{code}/"]').click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("La Souterraine")
        expect(
            page.get_by_role("row", name=re.compile("Réhabilitation de la halle"))
        ).to_be_visible()
        _check(page, axe, "project page (prefecture)")
    finally:
        page.close()
