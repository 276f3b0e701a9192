"""The network's permissions are in the one table (pvd.access) and answer as its predicates."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from pvd import access
from pvd.network import access_rules
from pvd.network import permissions as practices
from pvd.network import permissions_events as events


def test_every_network_rule_is_in_the_table():
    names = {n for n in access.table() if n.startswith("network.")}
    assert names == set(access_rules.RULES)


@pytest.mark.parametrize(
    "name, fn",
    [
        ("network.is_programme_member", practices.is_programme_member),
        ("network.see_peers", practices.can_see_peers),
        ("network.organise_events", events.can_organise),
        ("network.is_network_member", events.is_network_member),
    ],
)
def test_user_rules_answer_as_their_predicate(db, make_user, name, fn):
    national = make_user("nat", niveau="national")
    for user in (AnonymousUser(), national):
        assert access.has(user, name) == fn(user)
    assert access.has(AnonymousUser(), name) is False


def test_object_rules_refuse_a_visitor_with_the_network_message(db, actions):
    action = actions["a23"]
    assert access.has(AnonymousUser(), "network.publish_practice", action) is False
    assert access.refusal(AnonymousUser(), "network.publish_practice", action) == (
        access_rules.REFUSAL
    )
