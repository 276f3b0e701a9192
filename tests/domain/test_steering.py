"""Pure steering computations: late status, budget arithmetic, aggregations, timeline."""

from __future__ import annotations

from datetime import date

import pytest

from pvd.domain import steering as s

TODAY = date(2026, 6, 15)


@pytest.mark.parametrize(
    ("status", "start", "end", "milestones", "expected"),
    [
        (s.IN_PROGRESS, date(2025, 1, 1), date(2026, 6, 14), 0, s.LATE),
        (s.IN_PROGRESS, date(2025, 1, 1), date(2026, 6, 15), 0, s.IN_PROGRESS),
        (s.IN_PROGRESS, None, None, 0, s.IN_PROGRESS),
        (s.IN_PROGRESS, None, None, 1, s.LATE),
        (s.TO_START, date(2026, 6, 1), date(2027, 1, 1), 0, s.LATE),
        (s.TO_START, date(2026, 7, 1), date(2027, 1, 1), 0, s.TO_START),
        (s.DELIVERED, date(2020, 1, 1), date(2021, 1, 1), 3, s.DELIVERED),
        (s.BLOCKED, date(2020, 1, 1), date(2021, 1, 1), 0, s.BLOCKED),
        (s.PAUSED, None, date(2021, 1, 1), 0, s.PAUSED),
        (s.ABANDONED, None, date(2021, 1, 1), 0, s.ABANDONED),
    ],
)
def test_effective_status(status, start, end, milestones, expected):
    got = s.effective_status(
        status, start=start, planned_end=end, today=TODAY, overdue_milestones=milestones
    )
    assert got == expected


def test_budget_arithmetic():
    lines = [
        s.BudgetLine(2025, s.INVESTMENT, forecast=100_000, actual=80_000),
        s.BudgetLine(2026, s.INVESTMENT, forecast=200_000),
        s.BudgetLine(2026, s.OPERATING, forecast=10_000, actual=4_000),
    ]
    funding = [
        s.FundingLine("DETR", requested=100_000, granted=80_000, paid=40_000),
        s.FundingLine("Région", requested=50_000),  # not decided: counts as nothing granted
    ]
    b = s.budget_of(lines, funding)
    assert b.forecast == 310_000
    assert (b.forecast_investment, b.forecast_operating) == (300_000, 10_000)
    assert b.actual == 84_000 and b.actual_reported
    assert b.by_year == {
        2025: {"forecast": 100_000, "actual": 80_000},
        2026: {"forecast": 210_000, "actual": 4_000},
    }
    assert (b.requested, b.granted, b.paid) == (150_000, 80_000, 40_000)
    assert b.remaining == 230_000
    assert b.coverage == pytest.approx(80_000 / 310_000)
    assert b.consumption == pytest.approx(84_000 / 310_000)
    assert b.warnings == []


def test_budget_without_actuals_and_inconsistencies():
    b = s.budget_of(
        [s.BudgetLine(2026, s.INVESTMENT, forecast=1_000)],
        [s.FundingLine("Anah", requested=500, granted=900, paid=1_200)],
    )
    assert not b.actual_reported and b.consumption is None
    assert b.remaining == 100
    assert len(b.warnings) == 2  # granted > requested, paid > granted
    empty = s.budget_of([], [])
    assert empty.coverage is None and empty.remaining == 0


def test_aggregate_and_delivery_rate():
    facts = [
        s.ActionFact("habitat", s.DELIVERED, 100, "01", "84", "g1"),
        s.ActionFact("habitat", s.LATE, 50, "01", "84", "g1"),
        s.ActionFact("commerce", s.BLOCKED, 0, "03", "84", "g2"),
        s.ActionFact("commerce", s.ABANDONED, 10, "03", "84", "g2"),
        s.ActionFact("mobilite", s.IN_PROGRESS, 40, "23", "75", "g3"),
    ]
    funding = [
        s.FundingFact("DETR", 100, 60, 30, "habitat", 2025),
        s.FundingFact("DETR", 50, 0, 0, "commerce", 2026),
        s.FundingFact("Fonds vert", 20, 20, 20, "habitat", 2025),
    ]
    agg = s.aggregate(facts, funding)
    assert agg.actions == 5
    assert agg.delivered == 1
    assert agg.delivery_rate == pytest.approx(1 / 4)  # abandoned actions are not counted
    assert (agg.blocked, agg.late, agg.alerts) == (1, 1, 2)
    assert agg.investment == 200
    assert agg.by_axis_status["habitat"] == {s.DELIVERED: 1, s.LATE: 1}
    assert agg.funding_by_funder["DETR"] == {"requested": 150, "granted": 60, "paid": 30}
    assert agg.funding_by_year[2025]["granted"] == 80
    assert agg.cofinancing == {"requested": 170, "granted": 80, "paid": 50}
    by_region = s.aggregate_by(facts, {"84": funding}, "region")
    assert by_region["84"].actions == 4 and by_region["75"].actions == 1
    assert by_region["75"].cofinancing["requested"] == 0
    assert s.aggregate([]).delivery_rate is None


def test_timeline_geometry():
    start, end = s.timeline_range([date(2025, 3, 1), None, date(2027, 2, 1)], today=TODAY)
    assert (start, end) == (date(2025, 1, 1), date(2027, 12, 31))
    b = s.bar(date(2025, 1, 1), date(2027, 12, 31), start, end)
    assert (b.left, b.width) == (0.0, 100.0)
    half = s.bar(None, date(2026, 7, 2), start, end)
    assert half.open_start and half.left == 0.0 and 49 < half.width < 51
    assert s.bar(None, None, start, end) is None
    assert s.position(date(2030, 1, 1), start, end) == 100.0


def test_merge_equals_one_pass():
    facts = [
        s.ActionFact("habitat", s.DELIVERED, 100, region="84"),
        s.ActionFact("commerce", s.LATE, 50, region="75"),
        s.ActionFact("habitat", s.BLOCKED, 5, region="75"),
    ]
    funding = {
        "84": [s.FundingFact("DETR", 10, 5, 1, "habitat", 2025)],
        "75": [s.FundingFact("DETR", 20, 0, 0, "commerce", None)],
    }
    one = s.aggregate(facts, funding["84"] + funding["75"])
    merged = s.merge(s.aggregate_by(facts, funding, "region").values())
    for name in (
        "actions",
        "by_status",
        "by_axis_status",
        "investment",
        "funding_by_funder",
        "funding_by_axis",
        "funding_by_year",
    ):
        assert getattr(merged, name) == getattr(one, name), name


REASON_DAY = date(2026, 12, 3)


@pytest.mark.parametrize(
    ("status", "start", "end", "milestones", "reason"),
    [
        (
            "en_cours",
            None,
            date(2026, 11, 21),
            (),
            "fin prévue le 21/11/2026, dépassée de 12 jours",
        ),
        (
            "a_lancer",
            date(2026, 12, 2),
            None,
            (),
            "devait commencer le 02/12/2026, non commencée depuis 1 jour",
        ),
        (
            "en_cours",
            None,
            date(2027, 6, 30),
            [("Permis", date(2026, 11, 1), None), ("Travaux", date(2026, 11, 20), None)],
            "jalon « Permis » prévu le 01/11/2026, non atteint (32 jours) et 1 autre jalon en retard",
        ),
        (
            "en_cours",
            None,
            date(2027, 6, 30),
            [("Permis", date(2026, 11, 1), date(2026, 11, 2))],
            "",
        ),
        ("bloquee", None, date(2026, 1, 1), (), ""),  # blocked says more than late
        ("en_cours", None, None, (), ""),
    ],
)
def test_late_reason_says_which_date_and_by_how_many_days(status, start, end, milestones, reason):
    assert (
        s.late_reason(status, start=start, planned_end=end, today=REASON_DAY, milestones=milestones)
        == reason
    )


@pytest.mark.parametrize(
    ("planned", "reached", "kind", "text"),
    [
        (date(2026, 3, 12), None, "echeance", "« J », prévu le 12/03/2026, dans 10 jours"),
        (date(2026, 3, 17), None, "echeance", "« J », prévu le 17/03/2026, dans 15 jours"),
        (date(2026, 3, 18), None, "", "« J », prévu le 18/03/2026, dans 16 jours"),
        (date(2026, 3, 2), None, "echeance", "« J », prévu le 02/03/2026, aujourd'hui"),
        (date(2026, 3, 1), None, "retard", "« J », prévu le 01/03/2026, en retard de 1 jour"),
        (date(2026, 2, 20), None, "retard", "« J », prévu le 20/02/2026, en retard de 10 jours"),
        (date(2026, 2, 20), date(2026, 2, 21), "", None),
    ],
)
def test_milestone_reminder(planned, reached, kind, text):
    today = date(2026, 3, 2)
    assert s.milestone_reminder(planned, reached, today=today) == kind
    if text:
        assert s.milestone_reminder_text("J", planned, today=today) == text
