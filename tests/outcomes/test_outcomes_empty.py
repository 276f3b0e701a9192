"""Without a laureate list the outcome pages, API and commands say what to load."""

from __future__ import annotations

from click.testing import CliRunner

from pvd.cli import main


def test_no_list_loaded_says_so(db, client):
    page = client.get("/resultats/").content.decode()
    assert "Aucune liste de lauréats" in page and "pvd data load" in page
    api = client.get("/api/v1/resultats").json()
    assert api["resultat"] is None and "Aucune liste de lauréats" in api["raison"]
    assert client.get("/api/v1/resultats/region").json()["resultats"] == []
    r = CliRunner().invoke(main, ["outcomes", "show"])
    assert r.exit_code == 1 and "Aucune liste de lauréats" in r.output
