"""Fixtures of the projects tests: three programme groups in two regions, users by role."""

from __future__ import annotations

import pytest

import factories


def make_group(programme, code: str, commune_codes: list[str]):
    return factories.group(code, commune_codes, of=programme)


@pytest.fixture
def group_factory(db):
    """``make_group`` for tests needing more groups (conftest modules are not importable)."""
    return make_group


@pytest.fixture
def groups(db):
    """g23 (Creuse, Nouvelle-Aquitaine), g16 (Charente, same region), g01 (Ain, AURA)."""
    from pvd.programme.services import programme_get

    pvd = programme_get(slug="pvd")
    return {
        "g23": make_group(pvd, "pvd-75-23-1", ["23176"]),
        "g16": make_group(pvd, "pvd-75-16-1", ["16005", "16015"]),
        "g01": make_group(pvd, "pvd-84-01-1", ["01004"]),
    }


@pytest.fixture
def make_user(db):
    return factories.user


@pytest.fixture
def users(groups, make_user):
    return {
        "chef23": make_user("chef23", groupe=groups["g23"]),
        "chef16": make_user("chef16", groupe=groups["g16"]),
        "pref23": make_user("pref23", niveau="departement", code="23"),
        "region75": make_user("region75", niveau="region", code="75"),
        "region84": make_user("region84", niveau="region", code="84"),
        "national": make_user("national", niveau="national"),
        "admin": make_user("admin", superuser=True),
        "nobody": make_user("nobody"),
    }


@pytest.fixture
def projet23(groups):
    from pvd.projects.services import project_get_or_create

    return project_get_or_create(groupe=groups["g23"])
