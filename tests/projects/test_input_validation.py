"""One validation for forms and API (issue 18): the API refused nothing the forms refused
(empty or 100 KB titles, control characters then breaking actions.xlsx, years 0001-9999,
amounts beyond the database); ordinary bad input answered 500."""

from __future__ import annotations

import json

import pytest

from pvd.projects import services, validation
from pvd.projects.forms import ActionForm, BudgetForm, FinancementForm

API = "/api/v1/projets/pvd/pvd-75-23-1/actions"
BASE = "/projets/pvd/pvd-75-23-1/"

BAD_ACTIONS = [
    ({"titre": ""}, "titre"),
    ({"titre": "   "}, "titre"),
    ({"titre": "x" * 100_000}, "titre"),
    ({"titre": "Halle\x07\x1b[31m"}, "titre"),
    ({"titre": "Halle", "description": "a\x00b"}, "description"),
    ({"titre": "Halle", "date_debut": "0001-01-01"}, "date_debut"),
    ({"titre": "Halle", "date_fin_prevue": "9999-12-31"}, "date_fin_prevue"),
    ({"titre": "Halle", "porteur": "p" * 201}, "porteur"),
]


@pytest.mark.parametrize(("values", "field"), BAD_ACTIONS)
def test_rules_refuse_the_same_values_everywhere(values, field, projet23, users, client):
    values = {"axe": "commerces", **values}
    # The rules themselves.
    assert field in validation.errors("action", values)
    # The form.
    form = ActionForm(data={"phase": "idee", "statut": "a_lancer", "priorite": 2, **values})
    assert not form.is_valid() and field in form.errors
    # The service.
    with pytest.raises(validation.InvalidInput):
        services.action_create(projet=projet23, user=users["chef23"], values=dict(values))
    # The API: a 422 in JSON naming the field, nothing created.
    client.force_login(users["chef23"])
    r = client.post(API, json.dumps(values), content_type="application/json")
    assert r.status_code == 422 and r["Content-Type"].startswith("application/json")
    body = r.json()
    assert body["detail"].startswith("Données invalides")
    assert field in {e["champ"] for e in body.get("erreurs", [])} or field in body["detail"]
    assert not projet23.actions.exists()


def test_valid_action_still_accepted(projet23, users, client):
    client.force_login(users["chef23"])
    payload = {"titre": "Halle = marché", "axe": "commerces", "date_debut": "2024-05-01"}
    r = client.post(API, json.dumps(payload), content_type="application/json")
    assert r.status_code == 201 and r.json()["titre"] == "Halle = marché"


@pytest.mark.parametrize(
    ("form", "data", "field"),
    [
        (BudgetForm, {"annee": 1, "nature": "investissement", "prevu": 10}, "annee"),
        (BudgetForm, {"annee": 9999, "nature": "investissement", "prevu": 10}, "annee"),
        (BudgetForm, {"annee": 2024, "nature": "investissement", "prevu": 10**15}, "prevu"),
        (FinancementForm, {"financeur": "bdt", "montant_demande": 10**13}, "montant_demande"),
        (
            FinancementForm,
            {"financeur": "bdt", "montant_demande": 5, "dispositif": "a\x01"},
            "dispositif",
        ),
    ],
)
def test_line_forms_and_services_share_the_bounds(form, data, field, projet23, users):
    f = form(data=data)
    assert not f.is_valid() and field in f.errors
    a = services.action_create(
        projet=projet23, user=users["chef23"], values={"titre": "Halle", "axe": "commerces"}
    )
    kind = "budget" if form is BudgetForm else "financement"
    with pytest.raises(validation.InvalidInput) as exc:
        services.line_save(action=a, kind=kind, user=users["chef23"], values=data)
    assert field in exc.value.errors


@pytest.fixture
def action(projet23, users):
    return services.action_create(
        projet=projet23, user=users["chef23"], values={"titre": "Halle", "axe": "commerces"}
    )


def test_second_budget_line_same_year_and_nature_is_a_form_error(client, users, action):
    client.force_login(users["chef23"])
    url = BASE + f"actions/{action.pk}/budget/"
    data = {"budget-annee": 2024, "budget-nature": "investissement", "budget-prevu": 1000}
    assert client.post(url, data).status_code == 302
    r = client.post(url, {**data, "budget-prevu": 2000})
    assert r.status_code == 400
    assert "existe déjà" in r.content.decode()
    assert action.budget.get().prevu == 1000


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("budget/", {"supprimer": "abc"}),
        ("budget/", {"supprimer": "99999999999999999999999"}),
        ("budget/", {"supprimer": "424242"}),
        ("jalon/", {"atteint": "abc"}),
    ],
)
def test_bad_line_ids_are_400_not_500(client, users, action, url, data):
    client.force_login(users["chef23"])
    r = client.post(BASE + f"actions/{action.pk}/" + url, data)
    assert r.status_code == 400
    assert "Requête invalide" in r.content.decode()


def test_bad_comment_target_is_400(client, users, action):
    client.force_login(users["chef23"])
    r = client.post(BASE + "commentaires/", {"texte": "ok", "action": "abc"})
    assert r.status_code == 400


@pytest.mark.parametrize("query", ["priorite=abc", "axe=nope", "statut=x", "financeur=zz"])
def test_bad_filters_are_400_with_a_french_message(client, users, action, query):
    client.force_login(users["chef23"])
    for page in ("", "calendrier/", "budget/", "actions.csv", "actions.xlsx"):
        r = client.get(BASE + page + "?" + query)
        assert r.status_code == 400, (page, query)
        assert "valeur inconnue" in r.content.decode()


def test_api_errors_are_json(client, users):
    for url, method in (
        ("/api/v1/nexiste-pas", "get"),
        ("/api/v1/projets", "delete"),
        ("/api/v1/programmes/pvd/laureats?offset=99999999999999999999999", "get"),
        ("/api/v1/programmes/pvd/laureats?limit=abc", "get"),
        ("/api/v1/projets", "get"),
    ):
        r = getattr(client, method)(url)
        assert 400 <= r.status_code < 500, (url, r.status_code)
        assert r["Content-Type"].startswith("application/json"), url
        assert r.json()["detail"], url
    client.force_login(users["chef23"])
    r = client.post(API, "{pas du json", content_type="application/json")
    assert r.status_code in (400, 422) and r.json()["detail"]
