"""The one permissions table (pvd.access): the whole matrix of roles x permissions x objects
inside and outside the roles' scopes, the read-only refusals, an app extending the table, and
the template tag."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template

from pvd import access

ROLES = (
    "chef23",  # manager of g23's project team (Creuse, Nouvelle-Aquitaine)
    "lecteur23",  # reader member of g23's team
    "contrib23",  # contributor member of g23's team
    "chef16",  # another group's manager (same region)
    "pref23",  # prefecture of Creuse
    "region75",  # Nouvelle-Aquitaine
    "region84",  # Auvergne-Rhône-Alpes (g01, Ain)
    "national",
    "admin",  # superuser
    "nobody",  # an account without scope nor team
    "anonymous",
)
SCOPE_READERS_23 = {"pref23", "region75", "national", "admin"}
TEAM_23 = {"chef23", "lecteur23", "contrib23"}
ALL_84 = {"region84", "national", "admin"}

# (permission, object) -> the roles allowed; every other role of ROLES is refused.
MATRIX = {
    ("projects.member", "g23"): TEAM_23,
    ("projects.member", "g01"): set(),
    ("projects.read", "g23"): TEAM_23 | SCOPE_READERS_23,
    ("projects.read", "g01"): ALL_84,
    ("projects.comment", "g23"): TEAM_23 | SCOPE_READERS_23,
    ("projects.comment", "g01"): ALL_84,
    ("projects.edit", "g23"): {"chef23", "contrib23", "admin"},
    ("projects.edit", "g01"): {"admin"},
    ("projects.manage", "g23"): {"chef23", "admin"},
    ("projects.manage", "g01"): {"admin"},
    ("projects.delete", "g23"): {"admin"},
    ("projects.synthese", "france"): {"national", "admin"},
    ("projects.synthese", "reg75"): {"region75", "national", "admin"},
    ("projects.synthese", "dep23"): {"pref23", "region75", "national", "admin"},
    ("projects.synthese", "dep16"): {"region75", "national", "admin"},
    ("projects.synthese", "reg84"): ALL_84,
    ("programme.edit_laureate", "lau23"): SCOPE_READERS_23,
    ("programme.edit_laureate", "lau01"): ALL_84,
    ("programme.read_notes", "lau23"): SCOPE_READERS_23 | TEAM_23,
    ("programme.read_notes", "g23"): SCOPE_READERS_23 | TEAM_23,
    ("programme.read_notes", "lau01"): ALL_84,
    ("selection.change_scenario", "scenario23"): {"chef23", "admin"},
}

# The project of g23 after its only laureate left the programme: read, nothing else.
READ_ONLY = {
    "projects.read": TEAM_23 | SCOPE_READERS_23,
    "projects.comment": set(),
    "projects.edit": set(),
    "projects.manage": set(),
}


@pytest.fixture
def world(groups, users, make_user):
    from pvd.programme.models import Laureat
    from pvd.projects.services import member_add
    from pvd.selection.models import Scenario

    people = dict(users)
    people["lecteur23"] = make_user("lecteur23")
    member_add(groupe=groups["g23"], user=people["lecteur23"], role="lecteur")
    people["contrib23"] = make_user("contrib23")
    member_add(groupe=groups["g23"], user=people["contrib23"], role="contributeur")
    people["anonymous"] = AnonymousUser()
    objects = {
        "g23": groups["g23"],
        "g01": groups["g01"],
        "lau23": Laureat.objects.select_related("commune").get(commune__code="23176"),
        "lau01": Laureat.objects.select_related("commune").get(commune__code="01004"),
        "france": access.Place(),
        "reg75": access.Place(region_id="75"),
        "reg84": access.Place(region_id="84"),
        "dep23": access.Place("23", "75"),
        "dep16": access.Place("16", "75"),
        "scenario23": Scenario.objects.create(slug="s23", nom="S23", auteur=people["chef23"]),
    }
    return people, objects


def test_every_permission_of_the_apps_is_in_the_matrix():
    declared = {
        n for n in access.table() if n.split(".")[0] in ("programme", "projects", "selection")
    }
    assert declared == {perm for perm, _ in MATRIX}


@pytest.mark.parametrize(("perm", "obj"), sorted(MATRIX))
def test_matrix(world, perm, obj):
    people, objects = world
    allowed = {role for role in ROLES if access.has(people[role], perm, objects[obj])}
    assert allowed == MATRIX[(perm, obj)]
    for role in set(ROLES) - allowed:
        with pytest.raises(access.PermissionDenied) as refused:
            access.require(people[role], perm, objects[obj])
        assert str(refused.value)  # a French message, never empty


def test_the_command_line_operator_changes_any_scenario(world):
    _, objects = world
    assert access.has(None, "selection.change_scenario", objects["scenario23"])
    assert not access.has(None, "projects.read", objects["g23"])


@pytest.mark.parametrize("perm", sorted(READ_ONLY))
def test_read_only_project(world, perm):
    from pvd.programme.models import Laureat
    from pvd.programme.services import laureate_update

    people, objects = world
    lau = Laureat.objects.get(commune__code="23176")
    laureate_update(laureat=lau, user=people["admin"], values={"statut": "sorti"})
    g23 = objects["g23"]
    allowed = {role for role in ROLES if access.has(people[role], perm, g23)}
    assert allowed == READ_ONLY[perm]
    if perm != "projects.read":
        # Who would be allowed is told why (the read-only reason); the others their role's.
        with pytest.raises(access.PermissionDenied, match="lecture seule"):
            access.require(people["chef23"], perm, g23)
        with pytest.raises(access.PermissionDenied, match="pas les droits"):
            access.require(people["chef16"], perm, g23)


def test_the_project_bundle_reads_each_fact_once(world, django_assert_num_queries):
    from pvd.projects.access import access as bundle

    people, objects = world
    # The team role, the user's scope, the read-only reason: three queries for four rights.
    with django_assert_num_queries(3):
        acc = bundle(people["pref23"], objects["g23"])
    assert (acc.read, acc.comment, acc.edit, acc.manage) == (True, True, False, False)


def test_an_app_extends_the_table(world):
    """How an app (e.g. the network, issue 15) adds its rules: register predicates named with
    its prefix in its ``permissions.py`` (called from ``AppConfig.ready()``), composing the
    common predicates and other apps' permissions by name."""
    people, objects = world
    access.register(
        "essai.publish_practice",
        access.superuser | (access.authenticated & access.rule("projects.edit")),
        message="Seule l'équipe du projet publie ses fiches.",
    )
    try:
        assert access.has(people["contrib23"], "essai.publish_practice", objects["g23"])
        assert not access.has(people["pref23"], "essai.publish_practice", objects["g23"])
        with pytest.raises(access.PermissionDenied, match="Seule l'équipe"):
            access.require(people["pref23"], "essai.publish_practice", objects["g23"])
    finally:
        access._TABLE.pop("essai.publish_practice")
    with pytest.raises(KeyError, match="permission inconnue"):
        access.has(people["admin"], "essai.publish_practice", objects["g23"])
    with pytest.raises(ValueError):
        access.register("sans_prefixe", access.superuser)


def test_template_tag(world):
    people, objects = world
    tpl = Template(
        '{% load access %}{% allowed "projects.edit" g as can %}{% if can %}oui{% else %}non'
        "{% endif %}"
    )
    assert tpl.render(Context({"user": people["chef23"], "g": objects["g23"]})) == "oui"
    assert tpl.render(Context({"user": people["pref23"], "g": objects["g23"]})) == "non"


@pytest.mark.parametrize(
    ("role", "codes"),
    [
        ("pref23", {"pvd-75-23-1"}),
        ("region75", {"pvd-75-23-1", "pvd-75-16-1"}),
        ("region84", {"pvd-84-01-1"}),
        ("chef16", {"pvd-75-16-1"}),
        ("national", {"pvd-75-23-1", "pvd-75-16-1", "pvd-84-01-1"}),
        ("nobody", set()),
    ],
)
def test_readable_groups_filter_agrees_with_the_predicate(world, role, codes):
    from pvd.programme.models import Groupe
    from pvd.projects.selectors import readable_groups

    people, _ = world
    user = people[role]
    assert {g.code for g in readable_groups(user)} == codes
    assert {g.code for g in Groupe.objects.all() if access.has(user, "projects.read", g)} == codes
