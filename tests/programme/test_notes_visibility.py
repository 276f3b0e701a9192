"""Laureate and group notes, and the change history that repeats them, were shown to any logged-in
account (issue 18). They are for the agents whose scope covers the commune, the group's project
team and superusers; the public API never carries them."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

import factories
from pvd.programme.models import Laureat
from pvd.programme.services import can_read_notes, laureate_update
from pvd.projects.services import member_add

NOTE = "Élu inquiet du calendrier : ne pas diffuser."
GROUP_NOTE = "Groupe à suivre de près."
PAGE = "/programme/pvd/communes/19275/"  # Ussel, Corrèze (19), Nouvelle-Aquitaine (75)


@pytest.fixture
def noted(imported, make_user):
    """Ussel with notes written by the Corrèze prefecture, and its group with notes."""
    writer = make_user("prefecture19", niveau="departement", code="19")
    ussel = Laureat.objects.select_related("commune", "groupe").get(
        programme=imported, commune__code="19275"
    )
    ussel.groupe = factories.group(
        "ussel", of=imported, departement_id="19", region_id="75", notes=GROUP_NOTE
    )
    ussel.save()
    laureate_update(laureat=ussel, user=writer, values={"notes": NOTE})
    return ussel


def _page(user, url=PAGE) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_notes_and_history_by_role(noted, make_user):
    team = make_user("chef-ussel")
    member_add(groupe=noted.groupe, user=team)
    superuser = get_user_model().objects.create_superuser("admin", password="motdepasse-42")
    roles = {
        "author (Corrèze prefecture)": (get_user_model().objects.get(username="prefecture19"), True),
        "region agent (75)": (make_user("region75", niveau="region", code="75"), True),
        "national agent": (make_user("national", niveau="national"), True),
        "project team of the group": (team, True),
        "superuser": (superuser, True),
        "another department (Creuse)": (make_user("prefecture23", niveau="departement", code="23"), False),
        "another region (Corse)": (make_user("region94", niveau="region", code="94"), False),
        "account without any role": (make_user("personne"), False),
        "anonymous": (None, False),
    }  # fmt: skip
    for role, (user, allowed) in roles.items():
        page = _page(user)
        assert (NOTE in page) is allowed, role
        assert ("Historique des modifications" in page) is allowed, role  # it repeats the notes
        assert ("prefecture19" in page) is allowed, role  # who changed what
        group_page = _page(user, f"/programme/pvd/groupes/{noted.groupe.code}/")
        assert (GROUP_NOTE in group_page) is allowed, role
        c = noted.commune
        expected = allowed and user is not None
        assert (
            can_read_notes(
                user, groupe=noted.groupe, departement_id=c.departement_id, region_id=c.region_id
            )
            is expected
        ), role


def test_another_groups_team_does_not_read_the_notes(noted, make_user):
    ahun = factories.group("ahun", of=noted.programme, departement_id="23", region_id="75")
    outsider = factories.user("chef-ailleurs", groupe=ahun)
    assert NOTE not in _page(outsider)


def test_the_public_api_never_carries_notes(noted, make_user):
    client = Client()
    client.force_login(make_user("national-api", niveau="national"))
    for url in ("/api/v1/programmes/pvd/laureats/19275", "/api/v1/programmes/pvd/laureats"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert NOTE not in response.content.decode() and "notes" not in response.json()
    group = client.get(f"/api/v1/programmes/pvd/groupes/{noted.groupe.code}")
    assert group.status_code == 200 and GROUP_NOTE not in group.content.decode()
