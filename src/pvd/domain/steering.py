"""Steering of a *projet de territoire*: pure computations, no Django.

- the effective status of an action (``late`` is never stored: it is computed from the dates);
- budget arithmetic of an action (forecast and actual per year, co-financing requested, granted
  and paid, what remains to be financed, inconsistencies);
- aggregations over many actions (by axis and status, delivery rate, money by funder, alerts),
  for a group, a department, a region or the nation;
- the geometry of a timeline and the milestone reminders (:mod:`pvd.domain.steering_calendar`,
  re-exported here).

Inputs are plain values (dataclasses, dates, integers in euros) so the same code serves the
pages, the API, the exports and the benchmark.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from pvd.domain.steering_calendar import (  # noqa: F401  (re-exported: one steering module for callers)
    DUE_SOON,
    OVERDUE,
    REMINDER_HORIZON_DAYS,
    Bar,
    bar,
    days_text,
    milestone_reminder,
    milestone_reminder_text,
    position,
    timeline_range,
)

# Stored statuses (the codes are shared with the Django models).
TO_START = "a_lancer"
IN_PROGRESS = "en_cours"
DELIVERED = "livree"
PAUSED = "en_pause"
BLOCKED = "bloquee"
ABANDONED = "abandonnee"
# Computed only.
LATE = "en_retard"

STATUS_LABELS = {
    TO_START: "À lancer",
    IN_PROGRESS: "En cours",
    DELIVERED: "Livrée",
    PAUSED: "En pause",
    BLOCKED: "Bloquée",
    ABANDONED: "Abandonnée",
    LATE: "En retard",
}
STORED_STATUSES = (TO_START, IN_PROGRESS, DELIVERED, PAUSED, BLOCKED, ABANDONED)
EFFECTIVE_STATUSES = (TO_START, IN_PROGRESS, LATE, PAUSED, BLOCKED, DELIVERED, ABANDONED)
# Only actions still expected to move can be late; paused and blocked say more than "late".
_CAN_BE_LATE = frozenset({TO_START, IN_PROGRESS})


def effective_status(
    status: str,
    *,
    start: date | None,
    planned_end: date | None,
    today: date,
    overdue_milestones: int = 0,
) -> str:
    """The status shown: ``en_retard`` when an action to start or in progress is past its dates.

    Late means: its planned end is before today; or it is still to start after its planned
    start; or one of its milestones is past its planned date without being reached.
    """
    if status not in _CAN_BE_LATE:
        return status
    if planned_end is not None and planned_end < today:
        return LATE
    if status == TO_START and start is not None and start < today:
        return LATE
    if overdue_milestones > 0:
        return LATE
    return status


def late_reason(
    status: str,
    *,
    start: date | None,
    planned_end: date | None,
    today: date,
    milestones: Sequence[tuple[str, date, date | None]] = (),
) -> str:
    """Why an action is late, in French, with the date and by how many days ("fin prévue le
    30/06/2025, dépassée de 12 jours"); "" when it is not late. ``milestones``: (label,
    planned date, date reached or None)."""
    if (
        effective_status(
            status,
            start=start,
            planned_end=planned_end,
            today=today,
            overdue_milestones=sum(
                1 for _, due, done in milestones if done is None and due < today
            ),
        )
        != LATE
    ):
        return ""
    reasons = []
    if planned_end is not None and planned_end < today:
        reasons.append(
            f"fin prévue le {planned_end:%d/%m/%Y}, dépassée de {days_text((today - planned_end).days)}"
        )
    elif status == TO_START and start is not None and start < today:
        reasons.append(
            f"devait commencer le {start:%d/%m/%Y}, non commencée depuis "
            f"{days_text((today - start).days)}"
        )
    overdue = sorted(
        (due, label) for label, due, done in milestones if done is None and due < today
    )
    if overdue:
        due, label = overdue[0]
        text = f"jalon « {label} » prévu le {due:%d/%m/%Y}, non atteint ({days_text((today - due).days)})"
        if len(overdue) > 1:
            text += f" et {len(overdue) - 1} autre{'s' if len(overdue) > 2 else ''} jalon{'s' if len(overdue) > 2 else ''} en retard"
        reasons.append(text)
    return " ; ".join(reasons)


# --- Budget of one action ------------------------------------------------------------------

INVESTMENT = "investissement"
OPERATING = "fonctionnement"


@dataclass(frozen=True)
class BudgetLine:
    year: int
    nature: str  # INVESTMENT or OPERATING
    forecast: int = 0
    actual: int | None = None  # None: not reported yet (never counted as zero spent)


@dataclass(frozen=True)
class FundingLine:
    funder: str
    requested: int = 0
    granted: int | None = None  # None: not decided
    paid: int | None = None
    year: int | None = None  # year of the request (or decision)
    scheme: str = ""


@dataclass
class Budget:
    """Money of one action (or of any set of lines), in euros."""

    forecast: int = 0
    actual: int = 0
    actual_reported: bool = False
    forecast_investment: int = 0
    forecast_operating: int = 0
    by_year: dict[int, dict[str, int]] = field(default_factory=dict)
    requested: int = 0
    granted: int = 0
    paid: int = 0
    warnings: list[str] = field(default_factory=list)
    forecast_lines: int = 0  # 0: no budget line, the cost is unknown (never shown as 0 €)
    funding_lines: int = 0

    @property
    def remaining(self) -> int:
        """Forecast cost not covered by granted co-financing (the project owner's share)."""
        return max(self.forecast - self.granted, 0)

    @property
    def coverage(self) -> float | None:
        """Share of the forecast cost covered by granted co-financing (None without forecast)."""
        return self.granted / self.forecast if self.forecast else None

    @property
    def consumption(self) -> float | None:
        """Share of the forecast already spent (None when nothing actual is reported)."""
        if not self.forecast or not self.actual_reported:
            return None
        return self.actual / self.forecast


def budget_of(budget_lines: Iterable[BudgetLine], funding_lines: Iterable[FundingLine]) -> Budget:
    b = Budget()
    for line in budget_lines:
        b.forecast_lines += 1
        b.forecast += line.forecast
        if line.nature == INVESTMENT:
            b.forecast_investment += line.forecast
        else:
            b.forecast_operating += line.forecast
        year = b.by_year.setdefault(line.year, {"forecast": 0, "actual": 0})
        year["forecast"] += line.forecast
        if line.actual is not None:
            b.actual_reported = True
            b.actual += line.actual
            year["actual"] += line.actual
    for f in funding_lines:
        b.funding_lines += 1
        b.requested += f.requested
        granted = f.granted or 0
        paid = f.paid or 0
        b.granted += granted
        b.paid += paid
        if f.granted is not None and f.requested and granted > f.requested:
            b.warnings.append(f"{f.funder} : montant accordé supérieur au montant demandé")
        if paid > granted:
            b.warnings.append(f"{f.funder} : montant versé supérieur au montant accordé")
    if b.forecast and b.granted > b.forecast:
        b.warnings.append("cofinancements accordés supérieurs au coût prévisionnel")
    b.by_year = dict(sorted(b.by_year.items()))
    return b


# --- Aggregations --------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionFact:
    """One action reduced to what aggregations need."""

    axis: str
    status: str  # effective status
    investment: int = 0  # forecast investment, euros
    departement: str = ""
    region: str = ""
    group: str = ""
    id: int = 0  # the action's identifier, to list the alerts


@dataclass(frozen=True)
class FundingFact:
    funder: str
    requested: int = 0
    granted: int = 0
    paid: int = 0
    axis: str = ""
    year: int | None = None


@dataclass
class Aggregate:
    actions: int = 0
    by_status: Counter = field(default_factory=Counter)
    by_axis_status: dict[str, Counter] = field(default_factory=dict)
    investment: int = 0
    investment_by_axis: Counter = field(default_factory=Counter)
    funding_by_funder: dict[str, dict[str, int]] = field(default_factory=dict)
    funding_by_axis: dict[str, dict[str, int]] = field(default_factory=dict)
    funding_by_year: dict[int | None, dict[str, int]] = field(default_factory=dict)

    @property
    def delivered(self) -> int:
        return self.by_status[DELIVERED]

    @property
    def delivery_rate(self) -> float | None:
        """Delivered actions among those not abandoned (None when there are none)."""
        base = self.actions - self.by_status[ABANDONED]
        return self.delivered / base if base else None

    @property
    def blocked(self) -> int:
        return self.by_status[BLOCKED]

    @property
    def late(self) -> int:
        return self.by_status[LATE]

    @property
    def alerts(self) -> int:
        return self.blocked + self.late

    @property
    def cofinancing(self) -> dict[str, int]:
        total = {"requested": 0, "granted": 0, "paid": 0}
        for amounts in self.funding_by_funder.values():
            for k in total:
                total[k] += amounts[k]
        return total


def _money_table(sums: dict) -> dict:
    return {k: {"requested": v[0], "granted": v[1], "paid": v[2]} for k, v in sums.items()}


def aggregate(actions: Iterable[ActionFact], funding: Iterable[FundingFact] = ()) -> Aggregate:
    agg = Aggregate()
    by_status: Counter = Counter()
    by_axis: dict[str, Counter] = defaultdict(Counter)
    investment_by_axis: Counter = Counter()
    for a in actions:
        by_status[a.status] += 1
        by_axis[a.axis][a.status] += 1
        investment_by_axis[a.axis] += a.investment
    agg.actions = sum(by_status.values())
    agg.by_status = by_status
    agg.by_axis_status = dict(by_axis)
    agg.investment_by_axis = investment_by_axis
    agg.investment = sum(investment_by_axis.values())
    # Plain lists in the loop (hot path of the national synthesis), dicts at the end.
    funders: dict[str, list[int]] = {}
    axes: dict[str, list[int]] = {}
    years: dict[int | None, list[int]] = {}
    for f in funding:
        for table, key in ((funders, f.funder), (axes, f.axis), (years, f.year)):
            row = table.get(key)
            if row is None:
                table[key] = [f.requested, f.granted, f.paid]
            else:
                row[0] += f.requested
                row[1] += f.granted
                row[2] += f.paid
    agg.funding_by_funder = _money_table(funders)
    agg.funding_by_axis = _money_table(axes)
    agg.funding_by_year = _money_table(years)
    return agg


def merge(aggregates: Iterable[Aggregate]) -> Aggregate:
    """The aggregate of disjoint sets of actions, from their aggregates (no second pass)."""
    total = Aggregate()
    by_axis: dict[str, Counter] = defaultdict(Counter)
    for agg in aggregates:
        total.actions += agg.actions
        total.by_status.update(agg.by_status)
        for axis, counts in agg.by_axis_status.items():
            by_axis[axis].update(counts)
        total.investment += agg.investment
        total.investment_by_axis.update(agg.investment_by_axis)
        for name in ("funding_by_funder", "funding_by_axis", "funding_by_year"):
            target = getattr(total, name)
            for key, money in getattr(agg, name).items():
                row = target.setdefault(key, {"requested": 0, "granted": 0, "paid": 0})
                for k in row:
                    row[k] += money[k]
    total.by_axis_status = dict(by_axis)
    return total


def aggregate_by(
    actions: Iterable[ActionFact], funding_by_key: dict[str, list[FundingFact]], key: str
) -> dict[str, Aggregate]:
    """One aggregate per value of ``key`` (``departement``, ``region`` or ``group``).

    ``funding_by_key`` holds the funding facts already split along the same key.
    """
    split: dict[str, list[ActionFact]] = defaultdict(list)
    for a in actions:
        split[getattr(a, key)].append(a)
    keys = set(split) | set(funding_by_key)
    return {k: aggregate(split.get(k, ()), funding_by_key.get(k, ())) for k in sorted(keys)}
