"""The last seat, for real: two members register at the same instant from two threads, each
with its own database connection and transaction (``transactional_db``: the rows are committed
and each thread sees the other's commits). Exactly one gets the seat; the other goes to the
waiting list. Run on PostgreSQL (``DATABASE_URL=postgres://...``), where the event row's lock
(``SELECT ... FOR UPDATE``) makes the second registration wait for the first one's commit.

A transactional test empties every table when it ends (Django's flush), the referential loaded
for the session included: ``_referential_back`` loads it again after the flush so that the tests
after this one find it.
"""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection, connections

ROUNDS = 5  # races in a row, each on a new event with one seat left

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3",
    reason=(
        "SQLite cannot run this race: the test database is a shared-cache in-memory database, "
        "where a second writing connection gets 'database table is locked' at once (no busy "
        "wait), and SQLite ignores SELECT ... FOR UPDATE; run it on PostgreSQL "
        "(DATABASE_URL=postgres://...)"
    ),
)


@pytest.fixture
def _referential_back(django_db_blocker):
    """Requested before ``transactional_db``, so that its teardown runs after the flush."""
    yield
    from pvd.sources.snapshot import read_snapshot
    from pvd.territories.services import referential_load_snapshot

    with django_db_blocker.unblock():
        referential_load_snapshot(snapshot=read_snapshot(settings.SNAPSHOT_DIR))


def _member(name: str):
    from django.contrib.auth import get_user_model

    from pvd.programme.services import scope_group_ensure

    user = get_user_model().objects.create_user(name, email=f"{name}@x.fr", password="x-42-motdepasse")
    user.groups.add(scope_group_ensure(niveau="national").group)
    return user


def _race(ev, users) -> dict[str, tuple[str, int | None]]:
    """Both users register to ``ev`` released by one barrier; their outcome by name."""
    from pvd.network import events as svc

    barrier, errors, out = threading.Barrier(len(users)), [], {}

    def register(user):
        try:
            barrier.wait(timeout=30)
            ins = svc.registration_register(user=user, evenement=ev).inscription
            out[user.username] = (ins.etat, ins.place)
        except Exception as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()  # this thread's connection

    threads = [threading.Thread(target=register, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return out


def test_two_members_race_for_the_last_seat(_referential_back, transactional_db, when):
    from pvd.network import events as svc
    from pvd.network.models import Inscription

    organiser, first = _member("organisatrice"), _member("premiere")
    racers = [_member("alice"), _member("bruno")]
    for n in range(ROUNDS):
        ev = svc.event_create(user=organiser, values={
            "titre": f"Webinaire n° {n + 1}", "echelle": "national", "debut": when(10, 9),
            "fin": when(10, 11), "format": "en_ligne", "lien": "https://visio.example.fr/pvd",
            "public": "tous", "capacite": 2, "statut": "publie",
        })  # fmt: skip
        svc.registration_register(user=first, evenement=ev)  # seat 1: one seat left
        out = _race(ev, racers)
        assert sorted(out.values()) == [("attente", None), ("inscrit", 2)], out
        rows = Inscription.objects.filter(evenement=ev)
        assert sorted(rows.values_list("etat", "place")) == [
            ("attente", None), ("inscrit", 1), ("inscrit", 2)
        ]  # fmt: skip
    assert connection.vendor == "postgresql"
