"""The network's permission matrix, one row per (right, user): who may write, submit, review,
delete and restore a practice of the Creuse group (region 75), and who sees the full directory."""

from __future__ import annotations

import pytest

from pvd import access
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
    """The right asked of the one table (pvd.access), as the pages and services ask it."""
    if right == "publish":
        return access.has(user, "network.publish_practice", action)
    if right == "view_published":
        pratique.statut = "publiee"
        return access.has(user, "network.view_practice", pratique)
    if right == "member":
        return access.has(user, "network.is_programme_member")
    rule = {"edit_draft": "edit_practice", "review": "review_practice",
            "delete": "delete_practice", "view_draft": "view_practice"}[right]  # fmt: skip
    return access.has(user, f"network.{rule}", pratique)


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


def test_the_pages_and_services_ask_the_table_not_the_predicates():
    """The predicates are the rules' bodies only: no module of the network (but the table's)
    nor the API calls them."""
    from pathlib import Path

    import pvd

    root = Path(pvd.__file__).parent
    callers = [
        str(f.relative_to(root))
        for f in [*(root / "network").glob("*.py"), *(root / "api").glob("network*.py")]
        if f.name not in ("access_rules.py", "permissions.py", "permissions_events.py")
        and any(
            f"permissions{suffix}.{fn}(" in f.read_text() or f"perms.{fn}(" in f.read_text()
            for suffix in ("", "_events")
            for fn in ("can_manage_event", "can_see_event", "can_organise", "can_create_event",
                       "can_edit_practice", "can_view_practice", "is_programme_member")
        )  # fmt: skip
    ]
    assert callers == []
