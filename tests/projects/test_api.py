"""API v1 of the projects: login, rights, actions, creation, syntheses."""

from __future__ import annotations

import json

import pytest

from pvd.projects import services

URL = "/api/v1/projets/pvd/pvd-75-23-1"


@pytest.fixture
def action(projet23, users):
    a = services.action_create(
        projet=projet23,
        user=users["chef23"],
        values={
            "titre": "Halle",
            "axe": "commerces",
            "statut": "en_cours",
            "date_fin_prevue": "2020-01-01",
        },
    )
    services.line_save(
        action=a,
        kind="financement",
        user=users["chef23"],
        values={"financeur": "bdt", "montant_demande": 30_000, "montant_accorde": 30_000},
    )
    return a


def test_login_required(client, action):
    assert client.get("/api/v1/projets").status_code == 401
    assert client.get(URL + "/actions").status_code == 401


def test_read_by_scope(client, users, action):
    client.force_login(users["pref23"])
    assert [p["code"] for p in client.get("/api/v1/projets").json()] == ["pvd-75-23-1"]
    body = client.get(URL + "/actions").json()
    assert body[0]["titre"] == "Halle" and body[0]["statut"] == "en_retard"
    assert body[0]["statut_enregistre"] == "en_cours"
    assert body[0]["budget"]["cofinancement"]["granted"] == 30_000
    assert client.get(URL).json()["en_retard"] == 1
    assert client.get(URL + "/actions?statut=livree").json() == []
    client.force_login(users["chef16"])
    assert client.get(URL + "/actions").status_code == 403
    assert client.get("/api/v1/projets/pvd/inconnu/actions").status_code == 404


def test_create(client, users, groups):
    payload = {"titre": "Voie verte", "axe": "mobilite", "partenaires": ["Département"]}
    client.force_login(users["region75"])
    r = client.post(URL + "/actions", json.dumps(payload), content_type="application/json")
    assert r.status_code == 403
    client.force_login(users["chef23"])
    r = client.post(URL + "/actions", json.dumps(payload), content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["partenaires"] == ["Département"] and r.json()["statut"] == "a_lancer"
    bad = {**payload, "date_debut": "2027-01-01", "date_fin_prevue": "2026-01-01"}
    r = client.post(URL + "/actions", json.dumps(bad), content_type="application/json")
    assert r.status_code == 422
    r = client.post(
        URL + "/actions", json.dumps({**payload, "axe": "lune"}), content_type="application/json"
    )
    assert r.status_code == 422


def test_synthese(client, users, action):
    client.force_login(users["national"])
    body = client.get("/api/v1/projets/synthese").json()
    assert body["actions"] == 1 and body["en_retard"] == 1 and body["territoires"] == {"75": 1}
    assert body["cofinancement_par_financeur"]["bdt"]["paid"] == 0
    client.force_login(users["region75"])
    assert client.get("/api/v1/projets/synthese").status_code == 403
    assert client.get("/api/v1/projets/synthese?region=75").json()["territoires"] == {"23": 1}
    assert client.get("/api/v1/projets/synthese?departement=23").status_code == 200
    client.force_login(users["pref23"])
    assert client.get("/api/v1/projets/synthese?departement=16").status_code == 403
