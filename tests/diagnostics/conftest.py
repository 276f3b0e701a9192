"""A built portrait database, once per session: the test fixtures (census history, ages,
employment) and the real housing, Filosofi and BPE files of the shared data folder, then
`indicators_build`. Committed to the test database like the referential (tests that change it
run inside rolled-back transactions). The tests using it assert on national figures and similar
towns, which a dozen fixture communes cannot give: without the shared folder they skip."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"


def portrait_files(shared: Path) -> list[tuple[str, Path]]:
    return [
        ("historique", DATA / "insee" / "base-cc-serie-historique-2022.CSV"),
        ("ages", DATA / "insee" / "base-cc-evol-struct-pop-2021.CSV"),
        ("emploi", DATA / "insee" / "base-cc-emploi-pop-active-2021.CSV"),
        ("logement", shared / "insee" / "logement-2021-communes.csv"),
        ("filosofi", shared / "insee" / "filosofi-2021-communes-med.csv"),
        ("bpe", shared / "bpe" / "bpe13_ensemble.csv"),
    ]


@pytest.fixture(scope="session")
def built(django_db_setup, django_db_blocker, shared_data):
    from pvd.diagnostics.services import indicator_source_import, indicators_build

    with django_db_blocker.unblock():
        for kind, path in portrait_files(shared_data):
            indicator_source_import(kind=kind, path=path)
        return indicators_build()


@pytest.fixture
def portrait_db(built, db):
    return built
