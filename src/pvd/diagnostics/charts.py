"""Server-side SVG charts of the portrait (no JavaScript: they print in the PDF too).

Coordinates are preformatted strings (Django would localise floats as "12,5" and break the SVG).
Every bar carries its value as text (or, where years are too close to print them all, the
chart's title lists them), so nothing is conveyed by length or colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from pvd.diagnostics.selectors import Figure, fmt
from pvd.domain.charts import Scale, coord, with_zero


@dataclass
class HBar:
    label: str
    text: str
    x: str
    y: str
    width: str
    text_x: str
    text_anchor: str
    label_y: str
    highlight: bool


@dataclass
class HBarChart:
    width: int
    height: int
    zero_x: str
    bars: list[HBar]


def comparison_chart(figure: Figure) -> HBarChart | None:
    """Horizontal bars: the commune, then each comparison territory (missing ones skipped)."""
    rows = [("Commune", figure.value, figure.text, True)] + [
        (c.label, c.value, c.text, False) for c in figure.comparisons if c.value is not None
    ]
    if figure.value is None or len(rows) < 2 or figure.indicator.extensive:
        return None
    width, label_w, row_h, pad = 640, 250, 30, 70
    lo, _, span = with_zero([v for _, v, _, _ in rows])
    x_of = Scale(lo, span, label_w + pad, width - label_w - pad * 2)

    zero = x_of(0.0)
    bars = []
    for i, (label, value, text, mine) in enumerate(rows):
        x1 = x_of(value)
        y = 8 + i * row_h
        bars.append(
            HBar(
                label=label if len(label) <= 34 else label[:33] + "…",
                text=text,
                x=coord(min(zero, x1)),
                y=coord(y),
                width=coord(max(abs(x1 - zero), 1.0)),
                text_x=coord(x1 + (6 if value >= 0 else -6)),
                text_anchor="start" if value >= 0 else "end",
                label_y=coord(y + 15),
                highlight=mine,
            )
        )
    return HBarChart(width, 16 + len(rows) * row_h, coord(zero), bars)


@dataclass
class VBar:
    year: str
    text: str
    x: str
    y: str
    width: str
    height: str
    label_x: str
    text_y: str
    show_label: bool = True  # False when a neighbour's label would overlap it


@dataclass
class VBarChart:
    width: int
    height: int
    baseline: str
    bars: list[VBar]


def series_chart(figure: Figure) -> VBarChart | None:
    """Vertical bars per millésime, placed by year (zero baseline; negative values below it)."""
    if len(figure.series) < 2:
        return None
    width, height, top, bottom, side = 640, 220, 24, 30, 16
    _, hi, span = with_zero([v for _, v in figure.series])
    y_of = Scale.downwards(hi, span, top + 14, height - top - bottom - 14)

    base = y_of(0.0)
    # Bars stand at their year on a time axis: 1968, 1975, 1982 ... 2021 are unevenly spaced
    # and evenly spaced bars would distort the trend.
    first, last = figure.series[0][0], figure.series[-1][0]
    slot = (width - 2 * side) / (last - first + 1)
    bar_w = min(slot * 0.7, 60.0)
    bars = []
    for year, v in figure.series:
        y1 = y_of(v)
        centre = side + (year - first + 0.5) * slot
        bars.append(
            VBar(
                year=str(year),
                text=fmt(v, figure.indicator.decimals),
                x=coord(centre - bar_w / 2),
                y=coord(min(base, y1)),
                width=coord(bar_w),
                height=coord(max(abs(base - y1), 1.0)),
                label_x=coord(centre),
                text_y=coord(min(base, y1) - 4 if v >= 0 else max(base, y1) + 12),
            )
        )
    _thin_labels(bars)
    return VBarChart(width, height, coord(base), bars)


LABEL_GAP = 44.0  # room for "12 345" at font size 11 in the 640-wide view box


def _thin_labels(bars: list[VBar]) -> None:
    """Close years (2020, 2021, 2022 after 1968) would print their labels over each other:
    keep the last one and every one at least LABEL_GAP from the next kept one (the chart's
    title lists every value)."""
    kept_x = None
    for bar in reversed(bars):
        x = float(bar.label_x)
        bar.show_label = kept_x is None or kept_x - x >= LABEL_GAP
        if bar.show_label:
            kept_x = x
