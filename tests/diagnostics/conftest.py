"""A built portrait database, once per session: the test fixtures (census history, ages,
employment) and, when the shared data folder is there, the real housing, Filosofi and BPE files
(otherwise the fixtures), then `indicators_build`. Committed to the test database like the
referential (tests that change it run inside rolled-back transactions)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

DATA = Path(__file__).resolve().parent.parent / "data"


def portrait_files() -> list[tuple[str, Path]]:
    shared = Path(settings.SHARED_DATA_DIR)
    files = [
        ("historique", DATA / "insee" / "base-cc-serie-historique-2022.CSV"),
        ("ages", DATA / "insee" / "base-cc-evol-struct-pop-2021.CSV"),
        ("emploi", DATA / "insee" / "base-cc-emploi-pop-active-2021.CSV"),
    ]
    if shared.is_dir():
        files += [
            ("logement", shared / "insee" / "logement-2021-communes.csv"),
            ("filosofi", shared / "insee" / "filosofi-2021-communes-med.csv"),
            ("bpe", shared / "bpe" / "bpe13_ensemble.csv"),
        ]
    else:
        files += [
            ("logement", DATA / "insee" / "base-cc-logement-2021.CSV"),
            ("filosofi", DATA / "insee" / "base-cc-filosofi-2021-geo2025.csv"),
            ("bpe", DATA / "bpe" / "bpe13_ensemble.csv"),
        ]
    return files


@pytest.fixture(scope="session")
def built(django_db_setup, django_db_blocker):
    from pvd.diagnostics.services import indicator_source_import, indicators_build

    with django_db_blocker.unblock():
        for kind, path in portrait_files():
            indicator_source_import(kind=kind, path=path)
        return indicators_build()


@pytest.fixture
def portrait_db(built, db):
    return built
