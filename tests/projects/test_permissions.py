"""Permission matrix: who reads, comments and edits the project of the Creuse group (g23)."""

from __future__ import annotations

import pytest

from pvd.projects import selectors, services

# role -> (read, comment, edit) on the project of g23 (department 23, region 75)
MATRIX = {
    "chef23": (True, True, True),  # its own group's project manager
    "chef16": (False, False, False),  # another group's project manager
    "pref23": (True, True, False),  # prefecture of the department
    "region75": (True, True, False),  # region of the group
    "region84": (False, False, False),  # another region
    "national": (True, True, False),
    "admin": (True, True, True),
    "nobody": (False, False, False),
}


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_matrix(role, users, projet23, groups):
    read, comment, edit = MATRIX[role]
    user = users[role]
    a = services.access(user, groups["g23"])
    assert (a.read, a.comment, a.edit) == (read, comment, edit)
    assert (groups["g23"] in selectors.readable_groups(user)) is read
    values = {"titre": f"Action de {role}", "axe": "habitat"}
    if edit:
        action = services.action_create(projet=projet23, user=user, values=values)
        services.action_delete(action=action, user=user)
    else:
        with pytest.raises(services.PermissionDenied):
            services.action_create(projet=projet23, user=user, values=values)
        with pytest.raises(services.PermissionDenied):
            services.project_update(projet=projet23, user=user, values={"nom": "x"})
    if comment:
        services.comment_add(projet=projet23, user=user, texte="Point à revoir en comité.")
    else:
        with pytest.raises(services.PermissionDenied):
            services.comment_add(projet=projet23, user=user, texte="Non.")


def test_anonymous_has_no_access(groups):
    from django.contrib.auth.models import AnonymousUser

    assert services.access(AnonymousUser(), groups["g23"]) == services.Access()
    assert not selectors.readable_groups(AnonymousUser()).exists()


def test_project_manager_cannot_touch_another_groups_action(users, groups, projet23):
    action = services.action_create(
        projet=projet23, user=users["chef23"], values={"titre": "Halle", "axe": "commerces"}
    )
    for role in ("chef16", "pref23", "national"):
        with pytest.raises(services.PermissionDenied):
            services.action_update(action=action, user=users[role], values={"statut": "livree"})
        with pytest.raises(services.PermissionDenied):
            services.action_delete(action=action, user=users[role])
        with pytest.raises(services.PermissionDenied):
            services.line_save(
                action=action,
                kind="jalon",
                user=users[role],
                values={"libelle": "x", "date_prevue": "2026-01-01"},
            )
    readable = set(selectors.readable_groups(users["region75"]).values_list("code", flat=True))
    assert readable == {"pvd-75-23-1", "pvd-75-16-1"}
