"""The registry of the embedded open data (PVD list 2024, ACV, ORT sheet 2024) loaded once for
the module, inside a transaction rolled back at its end: the rest of the suite keeps its empty
registry."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.db import transaction

FILES = (
    "pvd/pvd-2024-hors-aura.csv.gz",
    "programmes/acv.csv.gz",
    "programmes/ort-2024-hors-aura.csv.gz",
)


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def registry_loaded(django_db_setup, django_db_blocker):
    from pvd.opendata.load import load_product
    from pvd.opendata.manifest import OPENDATA_DIR, PRODUCTS, read_manifest

    manifest = read_manifest()
    with django_db_blocker.unblock(), tempfile.TemporaryDirectory() as tmp:
        try:
            with transaction.atomic():
                for file in FILES:
                    product = next(p for p in PRODUCTS if p.file == file)
                    load_product(product, manifest[file], OPENDATA_DIR, Path(tmp))
                yield
                raise _Rollback
        except _Rollback:
            pass


@pytest.fixture
def registry(registry_loaded, db):
    return None


@pytest.fixture(scope="module")
def computed(registry_loaded, django_db_blocker):
    from pvd.outcomes import services

    with django_db_blocker.unblock():
        return services._compute()


@pytest.fixture
def c(computed, registry, monkeypatch):
    """The module's analysis, served to pages, API and CLI without computing it again (each
    test starts with an empty shared cache)."""
    from pvd.outcomes import services

    monkeypatch.setattr(services, "outcomes_compute", lambda fresh=False: computed)
    return computed
