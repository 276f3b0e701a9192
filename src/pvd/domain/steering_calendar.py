"""The calendar of a *projet de territoire*: pure computations, no Django. The geometry of a
timeline (Gantt-like bars and milestones as percentages of a date range) and the milestone
reminders (``pvd projets rappels``). Re-exported by :mod:`pvd.domain.steering`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


def days_text(n: int) -> str:
    return f"{n} jour{'s' if n > 1 else ''}"


# --- Timeline ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    left: float  # percent of the width
    width: float
    open_start: bool = False  # the action has no start date: drawn from the range start
    open_end: bool = False


def timeline_range(dates: Iterable[date | None], *, today: date) -> tuple[date, date]:
    """Whole years covering every date given and today."""
    known = [d for d in dates if d is not None] + [today]
    return date(min(known).year, 1, 1), date(max(known).year, 12, 31)


def position(d: date, start: date, end: date) -> float:
    span = (end - start).days or 1
    return round(max(0.0, min(100.0, (d - start).days * 100 / span)), 2)


def bar(action_start: date | None, action_end: date | None, start: date, end: date) -> Bar | None:
    """The bar of an action between its dates; None when it has neither date."""
    if action_start is None and action_end is None:
        return None
    s = action_start or start
    e = action_end or end
    if e < s:
        s, e = e, s
    left = position(s, start, end)
    right = position(e, start, end)
    return Bar(left, max(round(right - left, 2), 0.5), action_start is None, action_end is None)


# --- Reminders (``pvd projets rappels``) ----------------------------------------------------

REMINDER_HORIZON_DAYS = 15  # a milestone is recalled to its action's lead 15 days ahead
DUE_SOON, OVERDUE = "echeance", "retard"


def milestone_reminder(
    planned: date, reached: date | None, *, today: date, horizon: int = REMINDER_HORIZON_DAYS
) -> str:
    """Which reminder a milestone calls for on ``today``: ``OVERDUE`` when its planned date is
    past and it is not reached, ``DUE_SOON`` when it falls within ``horizon`` days (today
    included), "" otherwise (reached, or later)."""
    if reached is not None:
        return ""
    if planned < today:
        return OVERDUE
    if (planned - today).days <= horizon:
        return DUE_SOON
    return ""


def milestone_reminder_text(label: str, planned: date, *, today: date) -> str:
    """The French sentence of a milestone reminder: « … prévu le 01/03/2026, dans 5 jours »."""
    days = (planned - today).days
    if days < 0:
        when = f"en retard de {days_text(-days)}"
    elif days == 0:
        when = "aujourd'hui"
    else:
        when = f"dans {days_text(days)}"
    return f"« {label} », prévu le {planned:%d/%m/%Y}, {when}"
