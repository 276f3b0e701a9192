"""Project pages: access by role, action creation through the forms, lines, steering views,
exports and syntheses."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from pvd.projects import services
from pvd.projects.models import Action

BASE = "/projets/pvd/pvd-75-23-1/"


@pytest.fixture
def filled(projet23, users):
    chef = users["chef23"]
    a = services.action_create(
        projet=projet23,
        user=chef,
        values={
            "titre": "Réhabilitation de la halle",
            "axe": "commerces",
            "statut": "en_cours",
            "date_debut": date(2025, 1, 1),
            "date_fin_prevue": date(2099, 6, 30),
        },
    )
    services.line_save(
        action=a,
        kind="budget",
        user=chef,
        values={"annee": 2026, "nature": "investissement", "prevu": 400_000},
    )
    services.line_save(
        action=a,
        kind="financement",
        user=chef,
        values={"financeur": "dsil", "montant_demande": 100_000, "montant_accorde": 80_000},
    )
    services.line_save(
        action=a,
        kind="jalon",
        user=chef,
        values={"libelle": "Dépôt du permis", "date_prevue": date(2098, 3, 1)},
    )
    ind = services.line_save(
        action=a,
        kind="indicateur",
        user=chef,
        values={"libelle": "Commerces ouverts", "valeur_initiale": 3, "cible": 8},
    )
    services.measure_record(indicateur=ind, user=chef, when=date(2025, 12, 1), valeur=5)
    return a


def test_login_required(client, groups):
    r = client.get("/projets/")
    assert r.status_code == 302 and "/programme/connexion/" in r["Location"]
    r = client.get(BASE)
    assert r.status_code == 302


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("chef23", 200),
        ("pref23", 200),
        ("region75", 200),
        ("national", 200),
        ("chef16", 403),
        ("region84", 403),
        ("nobody", 403),
    ],
)
def test_project_page_access(client, users, filled, role, status):
    client.force_login(users[role])
    r = client.get(BASE)
    assert r.status_code == status
    if status == 200:
        html = r.content.decode()
        assert "Réhabilitation de la halle" in html
        assert ("Nouvelle action" in html) is (role == "chef23")
        assert ("Commenter" in html) is True


def test_staff_cannot_post_edits(client, users, filled):
    client.force_login(users["pref23"])
    r = client.post(BASE + "actions/nouvelle/", {"titre": "x", "axe": "habitat"})
    assert r.status_code == 403
    r = client.post(BASE + f"actions/{filled.pk}/supprimer/")
    assert r.status_code == 403
    assert Action.objects.get(pk=filled.pk).supprime_le is None
    r = client.post(BASE + "commentaires/", {"texte": "Vu en comité départemental."})
    assert r.status_code == 302


def test_create_action_with_lines_through_forms(client, users, groups, projet23):
    client.force_login(users["chef23"])
    r = client.get(BASE + "actions/nouvelle/")
    assert r.status_code == 200 and "La Souterraine" in r.content.decode()
    commune = groups["g23"].laureats.get().commune_id
    r = client.post(
        BASE + "actions/nouvelle/",
        {
            "titre": "Maison de santé",
            "axe": "services_publics",
            "phase": "etude",
            "statut": "a_lancer",
            "priorite": "1",
            "date_debut": "2099-01-01",
            "date_fin_prevue": "2099-12-31",
            "communes": [commune],
            "porteur": "CC du Pays Sostranien",
            "partenaires": "ARS\nDépartement de la Creuse",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    a = Action.objects.get(titre="Maison de santé")
    assert a.porteur.nom == "CC du Pays Sostranien" and a.partenaires.count() == 2
    url = BASE + f"actions/{a.pk}/"
    r = client.post(
        url + "financement/",
        {
            "financement-financeur": "fonds_vert",
            "financement-montant_demande": "50000",
            "financement-montant_accorde": "60000",
        },
    )
    assert r.status_code == 400 and "dépasse" in r.content.decode()
    r = client.post(
        url + "financement/",
        {
            "financement-financeur": "fonds_vert",
            "financement-montant_demande": "50000",
            "financement-date_demande": "2026-02-01",
        },
    )
    assert r.status_code == 302
    r = client.post(
        url + "jalon/", {"jalon-libelle": "Esquisse", "jalon-date_prevue": "2099-05-01"}
    )
    assert r.status_code == 302
    html = client.get(url).content.decode()
    assert "Fonds vert" in html and "Esquisse" in html
    r = client.post(
        BASE + "actions/nouvelle/",
        {
            "titre": "Dates inversées",
            "axe": "habitat",
            "phase": "idee",
            "statut": "a_lancer",
            "priorite": "2",
            "date_debut": "2099-05-01",
            "date_fin_prevue": "2099-01-01",
        },
    )
    assert r.status_code == 200 and "précède" in r.content.decode()


def test_steering_views(client, users, filled):
    client.force_login(users["region75"])
    html = client.get(BASE + "calendrier/").content.decode()
    assert "Dépôt du permis" in html and "pvd-gantt__bar" in html
    assert "%;width:" in html and ",5%" not in html  # unlocalised percentages
    html = client.get(BASE + "budget/").content.decode()
    assert "DSIL" in html and "400" in html
    html = client.get(BASE + "indicateurs/").content.decode()
    assert "Commerces ouverts" in html and "<svg" in html and "40 %" in html
    html = client.get(BASE + "?statut=en_retard").content.decode()
    assert "Aucune action ne correspond" in html
    html = client.get(BASE + "?axe=commerces&q=halle").content.decode()
    assert "Réhabilitation de la halle" in html
    html = client.get(BASE + "rapport.pdf?format=html").content.decode()
    assert "Rapport de pilotage" in html and "DSIL" in html


def test_saved_view(client, users, filled):
    client.force_login(users["pref23"])
    r = client.post(BASE + "vues/", {"nom": "Commerces", "query": "axe=commerces"})
    assert r.status_code == 302 and r["Location"].endswith("?axe=commerces")
    assert 'href="?axe=commerces">Commerces</a>' in client.get(BASE).content.decode()


def test_delete_and_restore_pages(client, users, filled):
    client.force_login(users["chef23"])
    client.post(BASE + f"actions/{filled.pk}/supprimer/")
    html = client.get(BASE).content.decode()
    assert "Actions supprimées (restaurables)" in html
    client.post(BASE + f"actions/{filled.pk}/supprimer/", {"restaurer": "1"})
    assert Action.objects.get(pk=filled.pk).supprime_le is None


def test_exports(client, users, filled):
    client.force_login(users["national"])
    r = client.get(BASE + "actions.csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["id", "intitule", "axe"]
    assert rows[1][1] == "Réhabilitation de la halle" and rows[1][12] == "400000"
    r = client.get(BASE + "financements.xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws["D2"].value == "DSIL" and ws["G2"].value == 80_000
    r = client.get(BASE + "export-schema.zip")
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert sorted(names) == ["collectivites.csv", "projets-territoire.csv"]
    assert client.get(BASE + "autre.csv").status_code == 404


def test_pdf_report(client, users, filled):
    pytest.importorskip("weasyprint")
    client.force_login(users["chef23"])
    try:
        r = client.get(BASE + "rapport.pdf")
    except OSError as exc:  # pango missing
        pytest.skip(f"WeasyPrint cannot load pango: {exc}")
    assert r["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(r.content))
    assert len(reader.pages) == 1
    assert "Réhabilitation de la halle" in reader.pages[0].extract_text()


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        ("national", "/projets/synthese/", 200),
        ("region75", "/projets/synthese/", 403),
        ("region75", "/projets/synthese/regions/75/", 200),
        ("region75", "/projets/synthese/regions/84/", 403),
        ("region75", "/projets/synthese/departements/23/", 200),
        ("pref23", "/projets/synthese/departements/23/", 200),
        ("pref23", "/projets/synthese/departements/16/", 403),
        ("chef23", "/projets/synthese/", 403),
    ],
)
def test_syntheses(client, users, filled, role, url, status):
    client.force_login(users[role])
    r = client.get(url)
    assert r.status_code == status
    if status == 200:
        html = r.content.decode()
        assert "Actions par axe et statut" in html and "Commerces et services" in html


def test_mark_milestone_reached(client, users, filled):
    client.force_login(users["chef23"])
    jalon = filled.jalons.get()
    r = client.post(BASE + f"actions/{filled.pk}/jalon/", {"atteint": jalon.pk})
    assert r.status_code == 302
    jalon.refresh_from_db()
    assert jalon.date_reelle is not None


def test_synthese_lists_alerts(client, users, filled, projet23):
    late = services.action_create(
        projet=projet23,
        user=users["chef23"],
        values={
            "titre": "Étude en retard",
            "axe": "habitat",
            "statut": "en_cours",
            "date_fin_prevue": date(2020, 1, 1),
        },
    )
    client.force_login(users["pref23"])
    html = client.get("/projets/synthese/departements/23/").content.decode()
    assert f"actions/{late.pk}/" in html and "En retard" in html
    # The alerts are in the page body, not in the tab title.
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and "Alertes" not in title
    body = html.split("<main", 1)[1]
    assert f"actions/{late.pk}/" in body and 'id="alertes"' in body


def test_action_page_prints_amounts_years_and_values_in_french(client, users, filled):
    """Issue 13: no "None" for an amount not reported, no "2 026" for a year, no "16,0"."""
    client.force_login(users["chef23"])
    html = client.get(BASE + f"actions/{filled.pk}/").content.decode()
    assert "None" not in html
    assert ">2026<" in html and "2\xa0026" not in html and "2\u202f026" not in html
    assert "400\xa0000" in html  # the budget line, grouped
    budget = html.split('id="budget"', 1)[1].split("</table>", 1)[0]
    assert "—" in budget  # "réalisé" not reported
    indicators = html.split("Commerces ouverts", 1)[1]
    assert "<td>5</td>" in indicators and "<td>3</td>" in indicators and "5,0" not in indicators


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("chef23", BASE),  # her own project
        ("pref23", "/projets/"),  # the projects she follows
        ("region75", "/projets/"),
        ("national", "/programme/pvd/"),
        ("admin", "/programme/pvd/"),
    ],
)
def test_login_lands_on_the_users_own_work(client, users, role, landing):
    """Issue 13: after login a chef de projet lands on her project, not the national dashboard."""
    r = client.post("/programme/connexion/", {"username": role, "password": "motdepasse-42"})
    assert r.status_code == 302 and r["Location"] == landing
    # An explicit ?next= still wins.
    client.logout()
    r = client.post(
        "/programme/connexion/?next=/selection/",
        {"username": role, "password": "motdepasse-42"},
    )
    assert r["Location"] == "/selection/"


def test_late_actions_say_why(client, users, projet23):
    """Issue 13: "En retard" always says why (which date, by how many days), in the project's
    table and on the action page."""
    late = services.action_create(
        projet=projet23,
        user=users["chef23"],
        values={
            "titre": "Étude pré-opérationnelle",
            "axe": "habitat",
            "statut": "en_cours",
            "date_fin_prevue": date(2020, 1, 31),
        },
    )
    client.force_login(users["chef23"])
    table = client.get(BASE).content.decode()
    row = table.split("Étude pré-opérationnelle", 1)[1].split("</tr>", 1)[0]
    assert "En retard" in row and "Fin prévue le 31/01/2020, dépassée de" in row
    page = client.get(BASE + f"actions/{late.pk}/").content.decode()
    assert "Fin prévue le 31/01/2020, dépassée de" in page


def test_an_action_without_budget_nor_dates_shows_them_unknown_not_zero(client, users, projet23):
    """A review found « Coût prévisionnel : 0 € … reste à financer : 0 € » and « ? → ? » on a
    new action: a cost nobody entered is unknown, not zero."""
    client.force_login(users["chef23"])
    a = Action.objects.create(projet=projet23, titre="Halle", axe="commerces")
    html = client.get(BASE + f"actions/{a.pk}/").content.decode()
    budget = " ".join(html.split('<h2 class="fr-h4">Budget</h2>', 1)[1].split("</p>", 1)[0].split())
    assert "Coût prévisionnel : <strong>non renseigné</strong> (aucune ligne de budget)" in budget
    assert "aucune ligne de cofinancement" in budget and "non calculable" in budget
    assert "0 €" not in budget and "?" not in html.split("<dt>Dates</dt>", 1)[1][:60]
    assert "Non renseignées" in html
    project = client.get(BASE).content.decode()
    row = project.split("Halle", 1)[1].split("</tr>", 1)[0]
    assert 'title="Aucune ligne de budget">—' in row
    budget_page = " ".join(client.get(BASE + "budget/").content.decode().split())
    assert "Coût prévisionnel total : <strong>non renseigné</strong>" in budget_page
