"""Permission matrix of the events (pvd.network.permissions_events), table-driven: who manages
which event, who sees drafts, who is in which audience, who may register."""

from __future__ import annotations

import pytest

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
    got = {r for r in ROLES if perms.can_manage_event(users[r], ev)}
    assert got == MANAGE[place]
    assert {r for r in ROLES if perms.can_see_attendance(users[r], ev)} == MANAGE[place]
    # Creating at that place follows the same rule.
    where = {"region_id": ev.region_id, "departement_id": ev.departement_id}
    created = {r for r in ROLES if perms.can_create_event(users[r], echelle=ev.echelle, **where)}
    assert created == MANAGE[place]


def test_anonymous_manages_nothing(make_event):
    from django.contrib.auth.models import AnonymousUser

    ev = make_event()
    assert not perms.can_manage_event(AnonymousUser(), ev)
    assert not perms.can_organise(AnonymousUser()) and not perms.can_organise(None)


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
        assert perms.can_see_event(users[r], ev) == (public_sees or r in MANAGE["regional-75"]), r
    assert perms.can_see_event(AnonymousUser(), ev) == public_sees


# audience -> the roles in it, for an event of region 75.
AUDIENCE = {
    "tous": {"chef23", "chef01", "pref23", "region75", "region84", "national", "admin"},
    "chefs": {"chef23", "chef01", "admin"},
    "region": {"chef23", "pref23", "region75", "national", "admin"},
}


@pytest.mark.parametrize("public", sorted(AUDIENCE))
def test_audiences(users, make_event, public):
    ev = make_event(public=public)
    assert {r for r in ROLES if perms.in_audience(users[r], ev)} == AUDIENCE[public]
    assert {r for r in ROLES if perms.can_register(users[r], ev)} == AUDIENCE[public]
    assert "réservé" in perms.registration_refusal(users["nobody"], ev)


def test_an_inactive_account_may_do_nothing(users, make_event):
    ev = make_event()
    user = users["national"]
    user.is_active = False
    assert not perms.can_manage_event(user, ev) and not perms.can_register(user, ev)
    assert perms.registration_refusal(user, ev) == "connectez-vous pour vous inscrire"
