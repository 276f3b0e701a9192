"""The one current geography (pvd.domain.geography): where each code of a file lands.

Codes are real COG 2026 cases: Culoz-Béon 01138 (commune nouvelle that kept Culoz's code, with
Béon 01039 as commune déléguée), Nivigne et Suran 01095 (absorbed 01172, no longer a commune
déléguée: known only from the former codes), Les Hauts-Talican 60694 (its commune déléguée 60455
is also listed in the former codes of 60054), Paris 75056 with its arrondissements.
"""

import polars as pl
import pytest

from pvd.domain.geography import (
    ARRONDISSEMENT,
    COMMUNE,
    DELEGATED,
    FORMER,
    SKIP_ARM_NON_ADDITIVE,
    SKIP_ARM_PARENT_ROW,
    SKIP_UNKNOWN,
    UNKNOWN,
    CurrentGeography,
    plan,
)
from pvd.domain.observations import rebase_observations

GEO = CurrentGeography(
    actual=frozenset({"01138", "01095", "60054", "60694", "75056", "69123", "01001", "01002"}),
    former_codes={"01172": "01095", "60455": "60054", "01039": "01138", "02999": "01002"},
    delegated_parent={"01039": "01138", "60455": "60694", "01002X": "01001", "09999": "01002"},
    arrondissements={"75101": "75056", "75102": "75056", "69381": "69123"},
)
# 02999 -> 01002, then 01002 became a commune déléguée of 01001 (COG import of a later vintage).
LATER = CurrentGeography(
    actual=frozenset({"01001"}),
    former_codes={"02999": "01002"},
    delegated_parent={"01002": "01001"},
)


@pytest.mark.parametrize(
    ("code", "rule", "target"),
    [
        ("01138", COMMUNE, "01138"),  # commune nouvelle that kept a delegated commune's code
        ("01039", DELEGATED, "01138"),  # commune déléguée (also a former code: same target)
        ("60455", DELEGATED, "60694"),  # current COMD relation wins over the former code
        ("01172", FORMER, "01095"),  # merged before 2019, not a commune déléguée any more
        ("75101", ARRONDISSEMENT, None),  # depends on the file: see plan()
        ("99999", UNKNOWN, None),
    ],
)
def test_rule_and_target_of_one_code(code, rule, target):
    assert GEO.rule_of(code) == rule
    assert GEO.target_of(code) == target


def test_former_code_follows_its_commune_when_that_one_became_delegated():
    assert LATER.target_of("02999") == "01001"
    assert LATER.target_of("01002") == "01001"


@pytest.mark.parametrize(
    ("codes", "additive", "non_additive", "skipped"),
    [
        # The file has Paris itself: its arrondissements are not added (the double count).
        (
            {"75056", "75101", "75102"},
            {"75056": "75056"},
            {"75056": "75056"},
            {"75101": SKIP_ARM_PARENT_ROW, "75102": SKIP_ARM_PARENT_ROW},
        ),
        # BPE-like file: only arrondissements; counts add up to Paris, other values never do.
        (
            {"75101", "75102", "69381"},
            {"75101": "75056", "75102": "75056", "69381": "69123"},
            {},
            {},
        ),
        # Old-vintage file: the delegated and the former communes join their current commune.
        (
            {"01138", "01039", "01172", "99999"},
            {"01138": "01138", "01039": "01138", "01172": "01095"},
            {"01138": "01138", "01039": "01138", "01172": "01095"},
            {"99999": SKIP_UNKNOWN},
        ),
    ],
)
def test_plan_of_a_file(codes, additive, non_additive, skipped):
    where = plan(codes, GEO)
    assert where.additive == additive
    assert where.non_additive == non_additive
    assert where.skipped == skipped
    assert set(where.rule) == codes


def _obs(rows):
    return pl.DataFrame(
        rows,
        schema={
            "code": pl.String,
            "variable": pl.String,
            "millesime": pl.Int32,
            "value": pl.Float64,
        },
        orient="row",
    )


def _values(frame: pl.DataFrame) -> dict[tuple[str, str], float]:
    return {(c, v): x for c, v, _, x in frame.iter_rows()}


@pytest.mark.parametrize(
    ("rows", "expected", "arm_skipped"),
    [
        # Census file with the city and its arrondissements: Paris keeps its own figures,
        # the median included (it used to be dropped as 3 parts met).
        (
            [
                ("75056", "logements", 2021, 1000.0),
                ("75101", "logements", 2021, 600.0),
                ("75102", "logements", 2021, 401.0),
                ("75056", "med", 2021, 30000.0),
                ("75101", "med", 2021, 35000.0),
            ],
            {("75056", "logements"): 1000.0, ("75056", "med"): 30000.0},
            {SKIP_ARM_PARENT_ROW: ["75101", "75102"]},
        ),
        # Arrondissements only: counts summed onto the city, the median never moves.
        (
            [
                ("75101", "logements", 2021, 600.0),
                ("75102", "logements", 2021, 401.0),
                ("75101", "med", 2021, 35000.0),
            ],
            {("75056", "logements"): 1001.0},
            {SKIP_ARM_NON_ADDITIVE: ["75101", "75102"]},
        ),
        # Merged communes: counts summed, the non-additive value dropped when parts meet,
        # moved when alone.
        (
            [
                ("01138", "logements", 2021, 10.0),
                ("01039", "logements", 2021, 5.0),
                ("01138", "med", 2021, 20000.0),
                ("01039", "med", 2021, 21000.0),
                ("01172", "med", 2021, 19000.0),
            ],
            {("01138", "logements"): 15.0, ("01095", "med"): 19000.0},
            {},
        ),
    ],
)
def test_rebase_observations(rows, expected, arm_skipped):
    frame, summary = rebase_observations(_obs(rows), GEO, additive=frozenset({"logements"}))
    assert _values(frame) == expected
    assert summary.arm_skipped == arm_skipped
    assert all(isinstance(line, str) for line in summary.lines())


def test_every_skip_is_counted_and_said():
    rows = [("75056", "logements", 2021, 3.0), ("75101", "logements", 2021, 1.0)]
    rows.append(("99999", "logements", 2021, 2.0))
    frame, summary = rebase_observations(_obs(rows), GEO, additive=frozenset({"*"}))
    assert _values(frame) == {("75056", "logements"): 3.0}
    assert summary.skipped_rows == {SKIP_ARM_PARENT_ROW: 1, SKIP_UNKNOWN: 1}
    text = "\n".join(summary.lines())
    assert "99999" in text and "arrondissement" in text
