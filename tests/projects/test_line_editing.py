"""Budget, co-financing, milestone and indicator lines edited in place on the action page
(without JavaScript: ``?modifier=<kind>-<id>`` opens the pre-filled form in the line's row);
a funding decision is one edit; every edit is in the history with before/after; read-only
projects and roles without the edit right are refused."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.utils.html import escape

from pvd.programme.models import Changement, Laureat
from pvd.programme.services import laureate_update
from pvd.projects import services
from pvd.projects.models import Financement, Indicateur, Jalon, LigneBudget

BASE = "/projets/pvd/pvd-75-23-1/"


@pytest.fixture
def lines(projet23, users):
    chef = users["chef23"]
    a = services.action_create(
        projet=projet23,
        user=chef,
        values={"titre": "Réhabilitation de la halle", "axe": "commerces"},
    )
    values = {
        "budget": {"annee": 2026, "nature": "investissement", "prevu": 400_000},
        "financement": {"financeur": "dsil", "montant_demande": 100_000},
        "jalon": {"libelle": "Dépôt du permis", "date_prevue": date(2098, 3, 1)},
        "indicateur": {"libelle": "Commerces ouverts", "valeur_initiale": 3, "cible": 8},
    }
    made = {k: services.line_save(action=a, kind=k, user=chef, values=v) for k, v in values.items()}
    return a, made


def _url(a, suffix=""):
    return f"{BASE}actions/{a.pk}/{suffix}"


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        ("budget", "prevu", "400000"),
        ("financement", "montant_demande", "100000"),
        ("jalon", "libelle", "Dépôt du permis"),
        ("indicateur", "libelle", "Commerces ouverts"),
    ],
)
def test_modifier_opens_the_prefilled_form_in_the_row(client, users, lines, kind, field, value):
    a, made = lines
    client.force_login(users["chef23"])
    page = client.get(_url(a)).content.decode()
    link = f"?modifier={kind}-{made[kind].pk}#ligne-{kind}-{made[kind].pk}"
    assert f'href="{link}"' in page  # one "Modifier" per line
    html = client.get(_url(a) + link.split("#")[0]).content.decode()
    action = f'action="{_url(a)}{kind}/{made[kind].pk}/"'
    assert action in html
    form = html[html.index(action) :]
    form = form[: form.index("</form>")]
    assert f'name="modifier-{kind}-{field}"' in form
    assert f'value="{escape(value)}"' in form  # pre-filled with the line's value
    # The form sits in the line's row (or under the indicator's heading): one id, no duplicate.
    assert html.count(f'id="ligne-{kind}-{made[kind].pk}"') == 1


def test_a_budget_edit_is_saved_and_recorded_before_after(client, users, lines):
    a, made = lines
    client.force_login(users["chef23"])
    b = made["budget"]
    r = client.post(
        _url(a, f"budget/{b.pk}/"),
        {
            "modifier-budget-annee": "2026",
            "modifier-budget-nature": "investissement",
            "modifier-budget-prevu": "450000",
            "modifier-budget-realise": "120000",
        },
    )
    assert r.status_code == 302 and r["Location"].endswith(f"actions/{a.pk}/#budget")
    b.refresh_from_db()
    assert (b.prevu, b.realise) == (450_000, 120_000)
    ch = Changement.objects.filter(objet="budget", objet_id=b.pk, action="modification").get()
    assert ch.changes == {"prevu": [400_000, 450_000], "realise": [None, 120_000]}
    assert (
        ch.groupe_id == a.projet.groupe_id and ch.libelle == "Réhabilitation de la halle (budget)"
    )
    assert LigneBudget.objects.filter(action=a).count() == 1  # edited, not added


def test_a_funding_decision_is_one_edit(client, users, lines):
    a, made = lines
    client.force_login(users["chef23"])
    f = made["financement"]
    form = {
        "modifier-financement-financeur": "dsil",
        "modifier-financement-montant_demande": "100000",
        "modifier-financement-decision": "accorde",
        "modifier-financement-date_decision": "2026-04-15",
        "modifier-financement-montant_accorde": "80000",
    }
    r = client.post(_url(a, f"financement/{f.pk}/"), form)
    assert r.status_code == 302
    f.refresh_from_db()
    assert (f.decision, f.date_decision, f.montant_accorde) == (
        "accorde",
        date(2026, 4, 15),
        80_000,
    )
    ch = Changement.objects.get(objet="financement", objet_id=f.pk, action="modification")
    assert ch.changes == {
        "decision": ["en_attente", "accorde"],
        "date_decision": [None, "2026-04-15"],
        "montant_accorde": [None, 80_000],
    }
    page = client.get(_url(a)).content.decode()
    row = page[page.index(f'id="ligne-financement-{f.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Accordé" in row and re.search(r"80\s000", row)
    api = client.get("/api/v1/projets/pvd/pvd-75-23-1/actions").json()
    assert api[0]["financements"][0]["decision"] == "accorde"


def test_a_decision_without_its_date_is_refused_in_the_row(client, users, lines):
    a, made = lines
    client.force_login(users["chef23"])
    f = made["financement"]
    r = client.post(
        _url(a, f"financement/{f.pk}/"),
        {
            "modifier-financement-financeur": "dsil",
            "modifier-financement-montant_demande": "100000",
            "modifier-financement-decision": "refuse",
        },
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "indiquez la date de la décision" in html
    assert f'id="ligne-financement-{f.pk}"' in html and 'value="refuse" selected' in html
    f.refresh_from_db()
    assert f.decision == "en_attente"
    # Refused with its date: nothing granted, the line says so.
    r = client.post(
        _url(a, f"financement/{f.pk}/"),
        {
            "modifier-financement-financeur": "dsil",
            "modifier-financement-montant_demande": "100000",
            "modifier-financement-decision": "refuse",
            "modifier-financement-date_decision": "2026-05-02",
        },
    )
    assert r.status_code == 302
    f.refresh_from_db()
    assert (f.decision, f.montant_accorde) == ("refuse", None)
    assert "Refusé" in client.get(_url(a)).content.decode()


def test_milestone_and_indicator_edits(client, users, lines):
    a, made = lines
    client.force_login(users["chef23"])
    j, ind = made["jalon"], made["indicateur"]
    r = client.post(
        _url(a, f"jalon/{j.pk}/"),
        {"modifier-jalon-libelle": "Permis déposé", "modifier-jalon-date_prevue": "2098-04-01"},
    )
    assert r.status_code == 302
    assert Jalon.objects.get(pk=j.pk).date_prevue == date(2098, 4, 1)
    r = client.post(
        _url(a, f"indicateur/{ind.pk}/"),
        {"modifier-indicateur-libelle": "Commerces ouverts", "modifier-indicateur-cible": "10"},
    )
    assert r.status_code == 302 and r["Location"].endswith("#indicateurs")
    ind = Indicateur.objects.get(pk=ind.pk)
    assert ind.cible == 10 and ind.valeur_initiale is None  # a cleared field is saved as missing


def test_a_line_of_another_action_is_not_found(client, users, lines, projet23):
    a, made = lines
    other = services.action_create(
        projet=projet23, user=users["chef23"], values={"titre": "Autre", "axe": "habitat"}
    )
    client.force_login(users["chef23"])
    r = client.post(_url(other, f"budget/{made['budget'].pk}/"), {})
    assert r.status_code == 404
    # An unknown ?modifier= opens nothing.
    html = client.get(_url(a) + "?modifier=budget-999999").content.decode()
    assert "/budget/999999/" not in html


@pytest.mark.parametrize("who", ["pref23", "region75", "chef16", "lecteur"])
def test_roles_without_the_edit_right_are_refused(client, users, lines, make_user, groups, who):
    a, made = lines
    user = make_user("lecteur23", groupe=None) if who == "lecteur" else users[who]
    if who == "lecteur":
        services.member_add(groupe=groups["g23"], user=user, role="lecteur")
    client.force_login(user)
    f = made["financement"]
    r = client.post(
        _url(a, f"financement/{f.pk}/"),
        {"modifier-financement-financeur": "anct", "modifier-financement-montant_demande": "1"},
    )
    assert r.status_code == 403
    assert Financement.objects.get(pk=f.pk).financeur == "dsil"
    if who != "chef16":
        html = client.get(_url(a) + f"?modifier=financement-{f.pk}").content.decode()
        assert "?modifier=" not in html and f"financement/{f.pk}/" not in html


def test_a_read_only_project_refuses_line_edits(client, users, lines):
    a, made = lines
    laureate_update(
        laureat=Laureat.objects.get(commune__code="23176"),
        user=users["admin"],
        values={"statut": "sorti"},
    )
    client.force_login(users["chef23"])
    b = made["budget"]
    r = client.post(
        _url(a, f"budget/{b.pk}/"),
        {
            "modifier-budget-annee": "2027",
            "modifier-budget-nature": "investissement",
            "modifier-budget-prevu": "1",
        },
    )
    assert r.status_code == 403 and "lecture seule" in r.content.decode()
    assert LigneBudget.objects.get(pk=b.pk).annee == 2026
    assert "?modifier=" not in client.get(_url(a) + f"?modifier=budget-{b.pk}").content.decode()
