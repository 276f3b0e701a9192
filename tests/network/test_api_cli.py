"""The network's API (public reads, a member's draft) and `pvd network export`."""

from __future__ import annotations

import json

from click.testing import CliRunner


def test_api_directory_has_no_personal_data(client, users, groups, actions):
    r = client.get("/api/v1/reseau/annuaire?axe=commerces")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 3
    assert {t["code_commune"] for t in body["items"]} == {"23176", "16005", "16015"}
    assert "chef23" not in r.content.decode() and "Testeuse" not in r.content.decode()


def test_api_draft_by_the_team_only(client, users, actions):
    payload = {"action_id": actions["a23"].pk, "realisation": "Six mois de loyer réduit."}
    assert client.post(
        "/api/v1/reseau/pratiques", payload, content_type="application/json"
    ).status_code in (401, 403)
    client.force_login(users["chef16"])
    r = client.post("/api/v1/reseau/pratiques", payload, content_type="application/json")
    assert r.status_code == 403
    client.force_login(users["chef23"])
    r = client.post("/api/v1/reseau/pratiques", payload, content_type="application/json")
    assert r.status_code == 201 and r.json()["statut"] == "brouillon"
    # a draft is not public
    assert client.get(f"/api/v1/reseau/pratiques/{r.json()['id']}").status_code == 404
    assert client.get("/api/v1/reseau/pratiques").json()["total"] == 0


def test_cli_exports(groups, actions, tmp_path):
    from pvd.cli import main as cli

    out = tmp_path / "annuaire.json"
    r = CliRunner().invoke(
        cli, ["network", "export", "annuaire", "--format", "json", "-o", str(out)]
    )
    assert r.exit_code == 0, r.output
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert {row["code_commune"] for row in rows} == {"23176", "16005", "16015", "01004"}
    r = CliRunner().invoke(cli, ["network", "export", "pratiques"])
    assert r.exit_code == 0 and r.output.startswith("id;titre;thematique")


def test_no_server_error_on_hostile_parameters(client, users, actions):
    """The network's pages and API with hostile filters (NUL, huge, letters): never a 500."""
    client.raise_request_exception = False
    client.force_login(users["admin"])
    urls = [
        "/reseau/",
        "/reseau/pratiques/",
        "/reseau/pareil/23176/",
        "/reseau/export/annuaire.csv",
        "/api/v1/reseau/annuaire",
        "/api/v1/reseau/pratiques",
        f"/reseau/pratiques/nouvelle/{actions['a23'].pk}/",
    ]
    keys = ("q", "region", "departement", "axe", "tranche", "financeur", "page", "limit", "offset")
    for url in urls:
        for value in ("\x00", "abc", "-1", "99999999999999999999999", "é" * 300):
            r = client.get(url, {k: value for k in keys})
            assert r.status_code < 500, (url, value, r.status_code)
