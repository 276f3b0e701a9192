"""Fixtures of the network tests: programme groups with projects and actions, users by role."""

from __future__ import annotations

import pytest


def make_group(programme, code: str, commune_codes: list[str]):
    from pvd.programme.models import Groupe, Laureat
    from pvd.territories.models import Commune

    communes = [Commune.objects.get(code=c, type="COM") for c in commune_codes]
    first = communes[0]
    groupe = Groupe.objects.create(
        programme=programme,
        code=code,
        nom=" – ".join(c.nom for c in communes),
        epci_id=first.epci_id,
        departement_id=first.departement_id,
        region_id=first.region_id,
    )
    for c in communes:
        Laureat.objects.create(programme=programme, commune=c, groupe=groupe)
    return groupe


def make_action(groupe, titre: str, axe: str, **extra):
    from pvd.projects.models import Action, Projet

    projet, _ = Projet.objects.get_or_create(groupe=groupe, defaults={"nom": f"Projet {groupe}"})
    return Action.objects.create(projet=projet, titre=titre, axe=axe, **extra)


@pytest.fixture
def factories(db):
    """``make_group`` and ``make_action`` for tests needing more (conftest is not imported)."""
    return make_group, make_action


@pytest.fixture
def pvd(db):
    from pvd.programme.services import programme_get

    return programme_get(slug="pvd")


@pytest.fixture
def groups(pvd):
    """g23 (Creuse, Nouvelle-Aquitaine), g16 (Charente, same region), g01 (Ain, AURA)."""
    return {
        "g23": make_group(pvd, "pvd-75-23-1", ["23176"]),
        "g16": make_group(pvd, "pvd-75-16-1", ["16005", "16015"]),
        "g01": make_group(pvd, "pvd-84-01-1", ["01004"]),
    }


@pytest.fixture
def actions(groups):
    return {
        "a23": make_action(groups["g23"], "Boutique à l'essai", "commerces"),
        "a16": make_action(groups["g16"], "Halle du marché", "commerces"),
        "a01": make_action(groups["g01"], "Rénovation de l'école", "services_publics"),
    }


@pytest.fixture
def make_user(db):
    from django.contrib.auth import get_user_model

    from pvd.programme.services import scope_group_ensure
    from pvd.projects.services import member_add

    def make(username: str, *, niveau=None, code=None, groupe=None, superuser=False, role=None):
        User = get_user_model()
        if superuser:
            return User.objects.create_superuser(username, f"{username}@x.fr", None)
        user = User.objects.create_user(
            username=username,
            password=None,  # tests log in with force_login: no password hashing (slow)
            first_name=username.capitalize(),
            last_name="Testeuse",
            email=f"{username}@mairie.fr",
        )
        if niveau:
            user.groups.add(scope_group_ensure(niveau=niveau, code=code).group)
        if groupe is not None:
            member = member_add(groupe=groupe, user=user)
            if role:
                member.role = role
                member.save()
        return user

    return make


@pytest.fixture
def users(groups, make_user):
    return {
        "chef23": make_user("chef23", groupe=groups["g23"]),
        "lecteur23": make_user("lecteur23", groupe=groups["g23"], role="lecteur"),
        "chef16": make_user("chef16", groupe=groups["g16"]),
        "pref23": make_user("pref23", niveau="departement", code="23"),
        "region75": make_user("region75", niveau="region", code="75"),
        "region84": make_user("region84", niveau="region", code="84"),
        "national": make_user("national", niveau="national"),
        "admin": make_user("admin", superuser=True),
        "nobody": make_user("nobody"),
    }


@pytest.fixture
def actor_of():
    from pvd.programme.audit import Actor

    return lambda user: Actor("web", user)
