"""The network's permission matrix, one row per (right, user): who may write, submit, review,
delete and restore a practice of the Creuse group (region 75), and who sees the full directory."""

from __future__ import annotations

import pytest

from pvd.network import permissions as P

USERS = (
    "chef23",
    "lecteur23",
    "chef16",
    "pref23",
    "region75",
    "region84",
    "national",
    "admin",
    "nobody",
    "anonymous",
)

# right -> users allowed (every other user of USERS is refused).
MATRIX = {
    "publish": {"chef23", "admin"},  # write a practice from an action of g23
    "edit_draft": {"chef23", "admin"},
    "review": {"region75", "national", "admin"},  # not the department, not another region
    "delete": {"chef23", "region75", "national", "admin"},
    "view_draft": {"chef23", "lecteur23", "pref23", "region75", "national", "admin"},
    "view_published": set(USERS),
    "member": {
        "chef23",
        "lecteur23",
        "chef16",
        "pref23",
        "region75",
        "region84",
        "national",
        "admin",
    },
}


def _check(right: str, user, pratique, action) -> bool:
    if right == "publish":
        return P.can_publish_practice(user, action)
    if right == "edit_draft":
        return P.can_edit_practice(user, pratique)
    if right == "review":
        return P.can_review_practice(user, pratique)
    if right == "delete":
        return P.can_delete_practice(user, pratique)
    if right == "view_draft":
        return P.can_view_practice(user, pratique)
    if right == "view_published":
        pratique.statut = "publiee"
        return P.can_view_practice(user, pratique)
    if right == "member":
        return P.is_programme_member(user)
    raise AssertionError(right)


@pytest.fixture
def draft(actions, users, actor_of):
    from pvd.network.practices import practice_create

    return practice_create(actor=actor_of(users["chef23"]), action=actions["a23"], values={})


@pytest.mark.parametrize("right", sorted(MATRIX))
def test_matrix(right, users, actions, draft):
    from django.contrib.auth.models import AnonymousUser

    got = {
        who
        for who in USERS
        if _check(
            right, AnonymousUser() if who == "anonymous" else users[who], draft, actions["a23"]
        )
    }
    assert got == MATRIX[right]


def test_review_needs_a_practice_under_review_and_edit_a_draft(users, draft, actor_of):
    from pvd.network.practices import practice_submit

    practice_submit(actor=actor_of(users["chef23"]), pratique=draft)
    assert not P.can_edit_practice(users["chef23"], draft)  # under review: frozen
    assert P.can_review_practice(users["region75"], draft)


def test_deleted_practice_is_restored_not_edited(users, draft, actor_of):
    from pvd.network.practices import practice_delete

    practice_delete(actor=actor_of(users["chef23"]), pratique=draft)
    assert not P.can_edit_practice(users["chef23"], draft)
    assert not P.can_view_practice(users["pref23"], draft)
    assert P.can_restore_practice(users["chef23"], draft)
    assert P.can_restore_practice(users["region75"], draft)
    assert not P.can_restore_practice(users["region84"], draft)


def test_profile_is_edited_by_its_owner_only(users):
    assert P.can_edit_profile(users["chef23"], users["chef23"])
    assert not P.can_edit_profile(users["admin"], users["chef23"])


def test_every_predicate_is_named():
    assert all(callable(f) for f in P.PREDICATES.values())
    assert len(P.PREDICATES) == len(set(P.PREDICATES.values()))
