"""Shared fixtures.

The test database is created once per session and filled with the embedded referential (the
real snapshot, about 37,600 communes), so tests assert on real data. Tests run inside
transactions rolled back after each test (pytest-django's ``db`` fixture).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

# The shared cache (pvd.caching) of this test session: the real backend, in a folder of its own
# so that two sessions (SQLite and PostgreSQL runs, parallel workers) never read each other's.
if settings.CACHES["default"]["BACKEND"] in ("diskcache.DjangoCache", "pvd.caching.DiskCache"):
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": tempfile.mkdtemp(prefix="pvd-test-cache-"),
        }
    }


@pytest.fixture(autouse=True)
def _empty_shared_cache():
    """Each test starts with an empty shared cache: its database is rolled back after each test,
    and a page cached by an earlier test would describe rows that no longer exist."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from pvd.sources.snapshot import read_snapshot
    from pvd.territories.services import referential_load_snapshot

    with django_db_blocker.unblock():
        referential_load_snapshot(snapshot=read_snapshot(settings.SNAPSHOT_DIR))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared open-data folder; tests needing it skip with a reason when it is absent."""
    path = Path(settings.SHARED_DATA_DIR)
    if not path.is_dir():
        if os.environ.get("PVD_REQUIRE_SHARED_DATA"):
            pytest.fail(f"shared data folder missing: {path} (PVD_REQUIRE_SHARED_DATA is set)")
        pytest.skip(f"shared data folder not found at {path} (set PVD_SHARED_DATA)")
    return path


@pytest.fixture
def referential(db):
    """The loaded referential (alias making the dependency explicit in test signatures)."""
    return None


@pytest.fixture
def wsgi_requests_keep_connection():
    """Requests sent through a WSGI handler (the worker warm-up) close the database connection at
    their end, as every request does; in a test, that connection holds the test's transaction.
    Django's test client disconnects the same signal handler for the same reason."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
