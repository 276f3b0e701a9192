"""Saved scenarios belong to who saved them (issue 18: any logged-in account could overwrite
another user's scenario by saving under its name). Everyone reads them (their URL is shared);
only the author and superusers change or delete them; the CLI is the operator."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from django.contrib.auth.models import User
from django.test import Client

from pvd.cli import main
from pvd.selection import services
from pvd.selection.models import Scenario

SAVE = "/selection/scenarios/enregistrer/"


def _form(fragilite: str) -> dict:
    return {"base": "pvd", "nom": "Fragilité forte", "fragilite_min": fragilite}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owned(db):
    """Alice's scenario "Fragilité forte" (fragility at least 70), saved from the page."""
    alice = User.objects.create_user("alice", password="x")
    r = _client(alice).post(SAVE, _form("70"))
    assert r.status_code == 302 and r["Location"] == "/selection/scenarios/fragilite-forte/"
    scenario = Scenario.objects.get(slug="fragilite-forte")
    assert scenario.auteur == alice
    return scenario


def test_another_account_cannot_overwrite_it(owned):
    bob = User.objects.create_user("bob", password="x")
    r = _client(bob).post(SAVE, _form("10"))
    assert r.status_code == 403
    assert "enregistré par un autre compte" in r.content.decode()
    owned.refresh_from_db()
    assert owned.regles["fragilite_min"] == 70 and owned.auteur.username == "alice"
    with pytest.raises(services.PermissionDenied):
        services.scenario_delete(slug=owned.slug, user=bob)
    assert Scenario.objects.filter(slug=owned.slug).exists()
    # Bob saves his own rules under another name.
    r = _client(bob).post(SAVE, {**_form("10"), "nom": "Fragilité forte (Bob)"})
    assert r.status_code == 302
    assert Scenario.objects.get(slug="fragilite-forte-bob").auteur == bob


def test_the_author_and_superusers_change_it_everyone_reads_it(owned):
    alice = owned.auteur
    assert _client(alice).post(SAVE, _form("60")).status_code == 302
    owned.refresh_from_db()
    assert owned.regles["fragilite_min"] == 60 and owned.auteur == alice
    admin = User.objects.create_superuser("admin", password="x")
    assert _client(admin).post(SAVE, _form("65")).status_code == 302
    owned.refresh_from_db()
    assert owned.regles["fragilite_min"] == 65 and owned.auteur == alice  # still hers
    # Shared reading: anonymous visitors, the page and the API.
    anonymous = Client()
    r = anonymous.get("/selection/scenarios/fragilite-forte/")
    assert r.status_code == 302 and "fragilite_min=65" in r["Location"]
    api = anonymous.get("/api/v1/selection/scenarios/fragilite-forte")
    assert api.status_code == 200 and api.json()["regles"]["fragilite_min"] == 65
    assert "fragilite-forte" in {
        s["slug"] for s in anonymous.get("/api/v1/selection/scenarios").json()
    }
    # The API has no way to write a scenario.
    assert anonymous.post("/api/v1/selection/scenarios", {}).status_code == 405
    assert services.scenario_delete(slug=owned.slug, user=alice) is True


def test_an_inactive_or_anonymous_user_changes_nothing(owned):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(services.PermissionDenied):
        services.scenario_save(nom="Fragilité forte", regles={}, user=AnonymousUser())
    owned.auteur.is_active = False
    assert services.can_change_scenario(owned.auteur, owned) is False


def test_scenarios_saved_before_authors_or_from_the_cli_are_the_operators(owned):
    runner = CliRunner()
    r = runner.invoke(main, ["selection", "save", "fragilite-forte", "--set", "fragilite_min=55"])
    assert r.exit_code == 0, r.output
    owned.refresh_from_db()
    assert owned.regles["fragilite_min"] == 55 and owned.auteur.username == "alice"
    r = runner.invoke(main, ["selection", "save", "cli-seul", "--set", "fragilite_min=55"])
    assert r.exit_code == 0 and Scenario.objects.get(slug="cli-seul").auteur is None
    # No author: only superusers (and the CLI) change it.
    carol = User.objects.create_user("carol", password="x")
    assert _client(carol).post(SAVE, {**_form("1"), "nom": "cli seul"}).status_code == 403
