"""Population series as an inline SVG bar chart, computed server-side (no JavaScript, no CDN).

Bars start at zero so their heights compare honestly; each bar carries its value written above
it, so nothing is conveyed by colour or length alone. Coordinates are preformatted strings:
Django would otherwise localise floats in templates ("12,5") and break the SVG.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pvd.domain.charts import coord, nice_step, proportional
from pvd.domain.numbers import NBSP, french_number

__all__ = ["BarChart", "SeriesRow", "bar_chart", "nice_step", "series_rows"]

WIDTH, HEIGHT = 560, 280
LEFT, RIGHT, TOP, BOTTOM = 88, 12, 30, 40  # margins: y labels, value labels, x labels


@dataclass(frozen=True)
class Bar:
    year: str
    value: str  # formatted "1 163"
    x: str
    y: str
    width: str
    height: str
    label_x: str
    label_y: str
    year_y: str


@dataclass(frozen=True)
class Tick:
    y: str
    label: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: str
    right: str
    baseline: str
    bars: list[Bar]
    ticks: list[Tick]


@dataclass(frozen=True)
class SeriesRow:
    year: int
    value: int
    change: str  # difference with the previous vintage, signed: "−37", "+5" ("" for the first)
    change_pct: str  # "−3,1 %" ("" for the first)


def _number(value: float, decimals: int = 0) -> str:
    """French number as the towns' pages print them (no-break space between thousands)."""
    return french_number(value, decimals, sep=NBSP)


def bar_chart(points: list[tuple[int, int]]) -> BarChart | None:
    """Chart geometry for (year, value) points; None when there is nothing to draw."""
    if not points:
        return None
    highest = max(v for _, v in points)
    step = max(nice_step(highest), 1)  # whole inhabitants on the axis
    intervals = max(1, math.ceil(highest / step))  # 1 to 5 gridline intervals
    top_value = step * intervals
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_h
    slot = plot_w / len(points)
    bar_w = min(slot * 0.6, 72)
    bars = []
    for i, (year, value) in enumerate(points):
        h = proportional(value, top_value, plot_h)
        x = LEFT + slot * i + (slot - bar_w) / 2
        bars.append(
            Bar(
                year=str(year),
                value=_number(value),
                x=coord(x),
                y=coord(baseline - h),
                width=coord(bar_w),
                height=coord(h),
                label_x=coord(x + bar_w / 2),
                label_y=coord(baseline - h - 6),
                year_y=coord(baseline + 26),
            )
        )
    ticks = [
        Tick(
            y=coord(baseline - plot_h * k / intervals),
            label=_number(round(step * k)),
        )
        for k in range(intervals + 1)
    ]
    return BarChart(
        width=WIDTH,
        height=HEIGHT,
        left=str(LEFT),
        right=str(WIDTH - RIGHT),
        baseline=coord(baseline),
        bars=bars,
        ticks=ticks,
    )


def series_rows(points: list[tuple[int, int]]) -> list[SeriesRow]:
    """The data table shown with the chart: each vintage and its change from the previous."""
    rows, previous = [], None
    for year, value in points:
        change = pct = ""
        if previous:
            diff = value - previous
            sign = "+" if diff > 0 else ""
            change = sign + _number(diff)
            pct = sign + _number(round(100 * diff / previous, 1), 1) + "\u00a0%"
        rows.append(SeriesRow(year=year, value=value, change=change, change_pct=pct))
        previous = value
    return rows
