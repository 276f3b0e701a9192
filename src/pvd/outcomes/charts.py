"""Server-side SVG charts of the outcomes (no JavaScript; they print too): the effects of a
breakdown with their intervals (one row per group), and a laureate's population against its
matched towns (index 100 before the programme). Every figure is also in the table next to the
chart, and each chart carries its title and a description for screen readers.

On a phone a chart keeps a minimum width (its text stays at least ~11 px: the platform's
stylesheet sets chart text to 15 px in the viewBox' units) and scrolls sideways inside its frame,
as the DSFR tables do."""

from __future__ import annotations

import math
import zlib

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from pvd.domain.charts import Scale, coord, nice_step
from pvd.domain.outcomes.reading import num

FONT = 15  # the text size of .pvd-chart text (pvd.css), in viewBox units
MIN_TEXT_PX = 11  # the smallest text a chart may show on screen
LABEL_GAP = 20  # viewBox units between two labels of an axis (a line of FONT text and air)


def min_width(view_width: float) -> int:
    """The CSS pixels under which a chart of ``view_width`` units would show text smaller than
    ``MIN_TEXT_PX``."""
    return math.ceil(view_width * MIN_TEXT_PX / FONT)


def scrolling(svg: str, title: str) -> SafeString:
    """A chart in a frame that scrolls sideways when the screen is narrower than its minimum
    width (keyboard users reach it: it is focusable and named)."""
    return mark_safe(
        '<div class="pvd-chart-scroll" style="overflow-x:auto;max-width:100%" tabindex="0" '
        f'role="group" aria-label="{escape(title)} (défilement horizontal)">{svg}</div>'
    )


def axis_ticks(lo: float, hi: float, length: float, gap: float = LABEL_GAP) -> list[float]:
    """Round ticks (``nice_step``) covering ``lo``..``hi`` drawn over ``length`` units, at least
    ``gap`` units apart; the first and last ticks are the axis' ends."""
    for count in (5, 4, 3, 2, 1):
        step = nice_step(hi - lo, count)
        first, last = math.floor(lo / step) * step, math.ceil(hi / step) * step
        n = round((last - first) / step)
        if n == 0 or length * step / (last - first) >= gap or count == 1:
            return [first + i * step for i in range(n + 1)]
    return [lo, hi]  # pragma: no cover - the loop always returns


def effects_chart(rows: list[dict], *, title: str) -> SafeString | None:
    """Dot-and-whisker chart: the effect (points) and its 95 % interval per row."""
    rows = [r for r in rows if r["effet"] is not None]
    if not rows:
        return None
    # The label column fits the longest label (34 characters at most) at the page's text size.
    longest = max(len(r["libelle"][:34]) for r in rows)
    label_w = min(300, max(60, math.ceil(longest * FONT * 0.56) + 10))
    width, row_h, pad = label_w + 490, 26, 20
    lows = [r["intervalle"][0] if r["intervalle"][0] is not None else r["effet"] for r in rows]
    highs = [r["intervalle"][1] if r["intervalle"][1] is not None else r["effet"] for r in rows]
    lo, hi = min(0.0, *lows), max(0.0, *highs)
    span = (hi - lo) or 1.0
    plot = width - label_w - pad * 2 - 60

    x = Scale(lo, span, label_w + pad, plot)
    height = 30 + row_h * len(rows)
    uid = zlib.crc32(title.encode())
    parts = [
        f'<svg class="pvd-chart" role="img" aria-labelledby="t-{uid} d-{uid}" '
        f'viewBox="0 0 {width} {height}" width="100%" style="min-width:{min_width(width)}px" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="t-{uid}">{escape(title)}</title>',
        f'<desc id="d-{uid}">Écart de chaque groupe en points, avec son intervalle de '
        "confiance à 95 % ; les valeurs sont dans le tableau.</desc>",
        f'<line x1="{coord(x(0))}" x2="{coord(x(0))}" y1="0" y2="{height - 20}" stroke="#666" '
        'stroke-dasharray="4 3"/>',
        f'<text x="{coord(x(0))}" y="{height - 6}" font-size="12" text-anchor="middle">0</text>',
    ]
    for i, (r, a, b) in enumerate(zip(rows, lows, highs, strict=True)):
        y = 14 + i * row_h
        color = "#000091" if r["significatif"] else "#666666"
        parts += [
            f'<text x="{label_w}" y="{y + 4}" font-size="12" text-anchor="end">'
            f"{escape(r['libelle'][:34])}</text>",
            f'<line x1="{coord(x(a))}" x2="{coord(x(b))}" y1="{y}" y2="{y}" stroke="{color}" stroke-width="2"/>',
            f'<circle cx="{coord(x(r["effet"]))}" cy="{y}" r="5" fill="{color}"/>',
            f'<text x="{coord(x(b) + 8)}" y="{y + 4}" font-size="12">{num(r["effet"], sign=True)}</text>',
        ]
    parts.append("</svg>")
    return scrolling("".join(parts), title)


def trajectory_chart(t: dict) -> SafeString | None:
    """Two lines: the laureate's population and the mean of its matched towns, index 100 at the
    vintage before the programme."""
    years, mine, theirs = t["millesimes"], t["indice"], t["indice_comparables"]
    points = [v for v in (*mine, *theirs) if v is not None]
    if len(years) < 2 or not points:
        return None
    width, height, left, right, top, bottom = 640, 290, 50, 20, 20, 70
    ticks = axis_ticks(min(points) - 1, max(points) + 1, height - top - bottom)
    lo, hi = ticks[0], ticks[-1]
    y0, y1 = min(years), max(years)

    px = Scale(y0, (y1 - y0) or 1, left, width - left - right)
    py = Scale.downwards(hi, (hi - lo) or 1, top, height - top - bottom)

    def line(values: list[float | None], color: str, dash: str) -> str:
        pts = " ".join(
            f"{coord(px(y))},{coord(py(v))}"
            for y, v in zip(years, values, strict=True)
            if v is not None
        )
        dots = "".join(
            f'<circle cx="{coord(px(y))}" cy="{coord(py(v))}" r="3.5" fill="{color}"/>'
            for y, v in zip(years, values, strict=True)
            if v is not None
        )
        return f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="2.5" stroke-dasharray="{dash}"/>{dots}'

    name = escape(t["nom"])
    parts = [
        f'<svg class="pvd-chart" role="img" aria-labelledby="traj-t traj-d" viewBox="0 0 {width} {height}" '
        f'width="100%" style="min-width:{min_width(width)}px" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="traj-t">Population de {name} et de ses villes comparables, indice 100 en {y0}</title>',
        '<desc id="traj-d">Trait plein : la commune lauréate ; tirets : moyenne de ses villes '
        "comparables. Les valeurs sont dans le tableau.</desc>",
    ]
    for v in ticks:
        digits = 0 if float(v).is_integer() else 1
        parts.append(
            f'<text x="{left - 6}" y="{coord(py(v) + 4)}" font-size="11" text-anchor="end">{num(v, digits)}</text>'
        )
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{coord(py(100))}" y2="{coord(py(100))}" stroke="#bbb"/>'
    )
    for y in years:
        parts.append(
            f'<text x="{coord(px(y))}" y="{height - bottom + 24}" font-size="11" text-anchor="middle">{y}</text>'
        )
    parts += [line(theirs, "#666666", "6 4"), line(mine, "#000091", "none")]
    parts += [
        f'<text x="{left}" y="{height - 6}" font-size="11" fill="#000091">— {name}</text>',
        f'<text x="{left + 290}" y="{height - 6}" font-size="11" fill="#444">- - villes comparables (moyenne)</text>',
        "</svg>",
    ]
    return scrolling("".join(parts), f"Population de {t['nom']}")
