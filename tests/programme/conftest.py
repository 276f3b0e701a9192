"""Fixtures of the programme registry tests: fixture files, imported registry, users."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data" / "programme"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def pvd(db):
    from pvd.programme.services import programme_get

    return programme_get(slug="pvd")


@pytest.fixture
def imported(pvd):
    """The data.gouv.fr-layout fixture and the ORT fixture, imported."""
    from pvd.programme.services import laureates_import, ort_import

    laureates_import(path=DATA / "pvd-datagouv.csv", programme_slug="pvd", millesime="2024")
    ort_import(path=DATA / "ort.csv", millesime="2024-09")
    return pvd


@pytest.fixture
def make_user(db):
    from django.contrib.auth import get_user_model

    from pvd.programme.services import scope_group_ensure

    def make(username: str, *, niveau: str | None = None, code: str | None = None):
        user = get_user_model().objects.create_user(username=username, password="motdepasse-42")
        if niveau:
            user.groups.add(scope_group_ensure(niveau=niveau, code=code).group)
        return user

    return make
