"""ISO weeks as the weekly e-mails name them (no Django): "2026-W48", its Monday, the last
complete week before a day."""

from __future__ import annotations

import re
from datetime import date, timedelta

_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$")


def parse_week(value: str) -> date:
    """The Monday of the ISO week ``value`` ("2026-W48", also "2026W48"); ValueError (French
    message) otherwise."""
    found = _WEEK.match((value or "").strip().upper())
    try:
        if not found:
            raise ValueError
        return date.fromisocalendar(int(found[1]), int(found[2]), 1)
    except ValueError:
        raise ValueError(
            f"semaine ISO attendue (AAAA-Wss, par ex. 2026-W48), pas « {value} »"
        ) from None


def week_label(day: date) -> str:
    """The ISO week of ``day``, "2026-W48"."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def last_complete_week(today: date) -> date:
    """The Monday of the last complete ISO week before ``today`` (the week before today's)."""
    return monday_of(today) - timedelta(days=7)
