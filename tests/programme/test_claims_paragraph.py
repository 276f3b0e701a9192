"""Issue 14: the press paragraph of the issue, read claim by claim against the shared 2024 list
(loaded through the importer), and the same reading on a small fixture list in the official
layout (runs without the shared folder)."""

from __future__ import annotations

import time

import pytest

from pvd.domain import claims
from pvd.programme import selectors
from pvd.programme.figures_check import text_check
from pvd.programme.services import laureates_import

PARAGRAPH = (
    "Parmi près de 1000 collectivités accompagnées par le programme, près de 180 communes de "
    "Nouvelle-Aquitaine sont concernées : 201 sont issues de la région, dont 22 dans la Creuse, "
    "20 dans les Pyrénées-Atlantiques, en Dordogne et en Charente-Maritime, 18 dans les "
    "Deux-Sèvres et le Lot-et-Garonne, 17 en Gironde, 15 en Charente, 14 dans la Vienne et dans "
    "les Landes, 13 en Corrèze et 11 en Haute-Vienne."
)
OK, KO = claims.CONFIRMED, claims.CONTRADICTED


def _lines(report):
    return [
        (v.claim.value, v.claim.measure, v.claim.scope.code, v.status, v.registry_value)
        for v in report.verdicts
    ]


def test_issue_paragraph_on_the_shared_2024_list(db, shared_data):
    laureates_import(path=shared_data / "pvd" / "pvd-2024-hors-aura.csv", programme_slug="pvd")
    pvd = selectors.programme_get(slug="pvd")
    started = time.perf_counter()
    report = text_check(programme=pvd, text=PARAGRAPH)
    print(f"\nparagraph checked in {1000 * (time.perf_counter() - started):.0f} ms")
    groups = report.verdicts[0]
    # "près de 1000 collectivités": groups (not communes), ± 5 % as "près de" implies; the
    # registry (without Auvergne-Rhône-Alpes) already counts more groups than 1,050.
    assert groups.claim.measure == claims.GROUPES and (groups.claim.low, groups.claim.high) == (
        950,
        1050,
    )
    assert groups.status == KO and "déjà" in groups.message and "hors Auvergne" in groups.message
    assert _lines(report)[1:] == [
        (180, "communes", "75", KO, 201),  # "près de 180": 171 to 189
        (201, "communes", "75", OK, 201),
        (22, "communes", "23", OK, 22),
        (20, "communes", "64", OK, 20),
        (20, "communes", "24", OK, 20),
        (20, "communes", "17", OK, 20),
        (18, "communes", "79", OK, 18),
        (18, "communes", "47", OK, 18),
        (17, "communes", "33", KO, 16),  # Gironde: 16 in the list
        (15, "communes", "16", OK, 15),
        (14, "communes", "86", OK, 14),
        (14, "communes", "40", OK, 14),
        (13, "communes", "19", OK, 13),
        (11, "communes", "87", OK, 11),
    ]
    assert "± 5 %" in report.verdicts[1].message and "171" in report.verdicts[1].message
    (total,) = report.consistency
    assert total.total == 2 and total.parts_sum == 202 and total.total_value == 201
    assert not total.consistent and "202" in total.message and "201" in total.message
    print("\n".join(f"[{v.status}] {v.text}: {v.message}" for v in report.verdicts))
    print(total.message)


# The official data.gouv.fr layout (insee_com,lib_com,id_pvd,date_signature), a few rows.
FIXTURE = """insee_com,lib_com,id_pvd,date_signature
23176,La Souterraine,pvd-75-23-1,2021-04-07
23096,Guéret,pvd-75-23-2,2021-05-10
19275,Ussel,pvd-75-19-1,2021-04-07
33063,Bordeaux,pvd-75-33-1,
33281,Libourne,pvd-75-33-2,2021-06-01
29039,Concarneau,pvd-53-29-1,2021-03-01
"""


@pytest.fixture
def small(db, tmp_path):
    path = tmp_path / "pvd-2024.csv"
    path.write_text(FIXTURE, encoding="utf-8")
    laureates_import(path=path, programme_slug="pvd", millesime="2024")
    return selectors.programme_get(slug="pvd")


def test_paragraph_shape_on_a_fixture_list(small):
    text = (
        "Près de 6 communes sont lauréates : 5 sont issues de Nouvelle-Aquitaine, dont 2 dans la "
        "Creuse et en Gironde, 1 en Corrèze. En Bretagne, 3 communes sont lauréates. "
        "20 communes en Auvergne-Rhône-Alpes."
    )
    report = text_check(programme=small, text=text)
    got = [(v.claim.value, v.claim.scope.code, v.status) for v in report.verdicts]
    assert got == [
        (6, None, claims.NOT_VERIFIABLE),  # France while 11 regions are not covered
        (5, "75", OK),
        (2, "23", OK),
        (2, "33", OK),
        (1, "19", OK),
        (3, "53", KO),
        (20, "84", claims.NOT_VERIFIABLE),  # no loaded list covers it: never "contredit"
    ]
    (total,) = report.consistency
    assert total.consistent and total.parts_sum == 5
