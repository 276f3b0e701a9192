"""Fixtures of the network events tests: two programme groups in two regions, users by role,
and an event factory (aware datetimes, Europe/Paris)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

PARIS = ZoneInfo("Europe/Paris")


def _group(programme, code: str, commune_code: str):
    from pvd.programme.models import Groupe, Laureat
    from pvd.territories.models import Commune

    c = Commune.objects.get(code=commune_code, type="COM")
    g = Groupe.objects.create(
        programme=programme, code=code, nom=c.nom, epci_id=c.epci_id,
        departement_id=c.departement_id, region_id=c.region_id,
    )  # fmt: skip
    Laureat.objects.create(programme=programme, commune=c, groupe=g)
    return g


@pytest.fixture
def users(db):
    """chef23 (team of La Souterraine, Creuse, Nouvelle-Aquitaine 75), chef01 (Ain, 84),
    pref23 (department 23), region75, region84, national, admin, nobody (no role)."""
    from django.contrib.auth import get_user_model

    from pvd.programme.services import programme_get, scope_group_ensure
    from pvd.projects.services import member_add

    pvd = programme_get(slug="pvd")
    g23, g01 = _group(pvd, "pvd-75-23-1", "23176"), _group(pvd, "pvd-84-01-1", "01004")
    User = get_user_model()

    def make(name, *, niveau=None, code=None, groupe=None, superuser=False):
        if superuser:
            return User.objects.create_superuser(name, f"{name}@x.fr", "motdepasse-42")
        u = User.objects.create_user(name, email=f"{name}@x.fr", password="motdepasse-42")
        if niveau:
            u.groups.add(scope_group_ensure(niveau=niveau, code=code).group)
        if groupe is not None:
            member_add(groupe=groupe, user=u)
        return u

    return {
        "chef23": make("chef23", groupe=g23),
        "chef01": make("chef01", groupe=g01),
        "pref23": make("pref23", niveau="departement", code="23"),
        "region75": make("region75", niveau="region", code="75"),
        "region84": make("region84", niveau="region", code="84"),
        "national": make("national", niveau="national"),
        "admin": make("admin", superuser=True),
        "nobody": make("nobody"),
    }


def at(days: int, hour: int = 9) -> datetime:
    """``days`` from today at ``hour`` o'clock, Paris time."""
    base = datetime.now(PARIS).replace(hour=hour, minute=0, second=0, microsecond=0)
    return base + timedelta(days=days)


def values(**over) -> dict:
    v = {
        "titre": "Rencontre régionale des chefs de projet",
        "echelle": "regional",
        "region": "75",
        "debut": at(20, 9),
        "fin": at(20, 17),
        "format": "presentiel",
        "lieu": "Hôtel de région, Poitiers",
        "programme_texte": "9 h accueil\n10 h ateliers : commerce, habitat",
        "public": "tous",
        "capacite": 2,
        "statut": "publie",
    }
    v.update(over)
    return v


@pytest.fixture
def when():
    """``when(days, hour)``: an aware datetime ``days`` from today, Paris time."""
    return at


@pytest.fixture
def event_values():
    return values


@pytest.fixture
def make_event(users):
    from pvd.network.events import event_create

    def make(user=None, **over):
        return event_create(user=user or users["national"], values=values(**over))

    return make
