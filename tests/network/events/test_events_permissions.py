"""Permission matrix of the events, table-driven and asked of the one table (pvd.access, the
``network.*`` rules whose bodies are pvd.network.permissions_events): who manages which event,
edits it (telling the registrants) and removes a registrant, who sees drafts, who is in which
audience, who may register."""

from __future__ import annotations

import pytest

from pvd import access
from pvd.network import permissions_events as perms

ROLES = ["chef23", "chef01", "pref23", "region75", "region84", "national", "admin", "nobody"]

# (event scale and place) -> the roles that manage it.
MANAGE = {
    "national": {"national", "admin"},
    "regional-75": {"region75", "national", "admin"},
    "regional-84": {"region84", "national", "admin"},
    "departemental-23": {"pref23", "region75", "national", "admin"},
    "departemental-01": {"region84", "national", "admin"},
}
PLACES = {
    "national": {"echelle": "national", "region": None},
    "regional-75": {"echelle": "regional", "region": "75"},
    "regional-84": {"echelle": "regional", "region": "84"},
    "departemental-23": {"echelle": "departemental", "departement": "23"},
    "departemental-01": {"echelle": "departemental", "departement": "01"},
}


@pytest.mark.parametrize("place", sorted(MANAGE))
def test_who_manages_which_event(users, make_event, place):
    ev = make_event(user=users["admin"], **PLACES[place])
    for rule in ("manage_event", "see_attendance", "edit_event", "remove_registrant"):
        got = {r for r in ROLES if access.has(users[r], f"network.{rule}", ev)}
        assert got == MANAGE[place], rule
    # Creating at that place follows the same rule.
    where = {"echelle": ev.echelle, "region_id": ev.region_id, "departement_id": ev.departement_id}
    created = {r for r in ROLES if access.has(users[r], "network.create_event", where)}
    assert created == MANAGE[place]


def test_anonymous_manages_nothing(make_event):
    from django.contrib.auth.models import AnonymousUser

    ev = make_event()
    for rule in ("manage_event", "edit_event", "remove_registrant", "see_attendance"):
        assert not access.has(AnonymousUser(), f"network.{rule}", ev)
    assert not access.has(AnonymousUser(), "network.organise_events")
    assert not access.has(None, "network.organise_events")


@pytest.mark.parametrize(
    ("statut", "deleted", "public_sees"),
    [("publie", False, True), ("annule", False, True), ("brouillon", False, False),
     ("publie", True, False)],
)  # fmt: skip
def test_who_sees_an_event(users, make_event, statut, deleted, public_sees):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    ev = make_event(statut="brouillon" if statut == "annule" else statut)
    ev.statut = statut
    ev.supprime_le = timezone.now() if deleted else None
    for r in ROLES:
        sees = access.has(users[r], "network.see_event", ev)
        assert sees == (public_sees or r in MANAGE["regional-75"]), r
    assert access.has(AnonymousUser(), "network.see_event", ev) == public_sees


# audience -> the roles in it, for an event of region 75.
AUDIENCE = {
    "tous": {"chef23", "chef01", "pref23", "region75", "region84", "national", "admin"},
    "chefs": {"chef23", "chef01", "admin"},
    "region": {"chef23", "pref23", "region75", "national", "admin"},
}


@pytest.mark.parametrize("public", sorted(AUDIENCE))
def test_audiences(users, make_event, public):
    ev = make_event(public=public)
    assert {r for r in ROLES if access.has(users[r], "network.in_audience", ev)} == AUDIENCE[public]
    assert {r for r in ROLES if access.has(users[r], "network.register_event", ev)} == AUDIENCE[public]
    assert "réservé" in access.refusal(users["nobody"], "network.register_event", ev)


def test_an_inactive_account_may_do_nothing(users, make_event):
    ev = make_event()
    user = users["national"]
    user.is_active = False
    for rule in ("manage_event", "edit_event", "remove_registrant", "register_event"):
        assert not access.has(user, f"network.{rule}", ev), rule
    assert access.refusal(user, "network.register_event", ev) == "connectez-vous pour vous inscrire"
    assert perms.registration_refusal(user, ev) == "connectez-vous pour vous inscrire"


@pytest.mark.parametrize("state", ["started", "cancelled", "deleted", "draft"])
def test_nobody_removes_a_registrant_of_an_event_started_cancelled_deleted_or_draft(
    users, make_event, when, state
):
    from django.utils import timezone

    ev = make_event(statut="brouillon" if state == "draft" else "publie")
    if state == "started":
        ev.debut = timezone.now()
    elif state == "cancelled":
        ev.statut = "annule"
    elif state == "deleted":
        ev.supprime_le = timezone.now()
    assert {r for r in ROLES if access.has(users[r], "network.remove_registrant", ev)} == set()
    # The organisers still manage it (and edit it).
    assert {r for r in ROLES if access.has(users[r], "network.edit_event", ev)} == MANAGE["regional-75"]
