"""Server-side SVG charts of the project pages (no JavaScript): an indicator's measures against
its baseline and target, and co-financing by funder (requested, granted, paid).

Coordinates are preformatted strings (Django would localise floats: "12,5"). Every chart has a
table equivalent on its page, so nothing is conveyed by the drawing alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from pvd.domain.charts import Scale, coord, padded, proportional
from pvd.domain.numbers import grouped

W, H = 560, 220
L, R, T, B = 56, 16, 16, 36


@dataclass(frozen=True)
class IndicatorChart:
    width: int
    height: int
    points: str  # polyline
    dots: list[tuple[str, str, str]]  # x, y, label
    baseline_y: str | None
    target_y: str | None
    ticks: list[tuple[str, str]]  # y, label
    progress: float | None  # share of the way from baseline to target (latest measure)


def indicator_chart(ind) -> IndicatorChart | None:
    mesures = list(ind.mesures.all())
    values = [m.valeur for m in mesures]
    refs = [v for v in (ind.valeur_initiale, ind.cible) if v is not None]
    if not values and not refs:
        return None
    lo, hi = padded(values + refs)
    y = Scale.downwards(hi, hi - lo, T, H - T - B)

    n = len(mesures)
    xs = [L + (i + 0.5) * (W - L - R) / max(n, 1) for i in range(n)]
    dots = [
        (coord(x), coord(y(m.valeur)), f"{m.date:%d/%m/%Y} : {m.valeur:g}")
        for x, m in zip(xs, mesures, strict=True)
    ]
    progress = None
    if values and ind.valeur_initiale is not None and ind.cible is not None:
        span = ind.cible - ind.valeur_initiale
        if span:
            progress = round((values[-1] - ind.valeur_initiale) / span, 3)
    ticks = [(coord(y(v)), f"{v:g}") for v in sorted(set(refs))]
    return IndicatorChart(
        W,
        H,
        " ".join(f"{d[0]},{d[1]}" for d in dots),
        dots,
        coord(y(ind.valeur_initiale)) if ind.valeur_initiale is not None else None,
        coord(y(ind.cible)) if ind.cible is not None else None,
        ticks,
        progress,
    )


@dataclass(frozen=True)
class FundingBar:
    label: str
    y: str
    requested: str
    granted: str
    paid: str
    text: str


def funding_chart(by_funder: dict[str, dict[str, int]]) -> dict | None:
    if not by_funder:
        return None
    top = max(v["requested"] or v["granted"] for v in by_funder.values()) or 1
    width = 560 - 160
    bars = []
    for i, (label, v) in enumerate(sorted(by_funder.items(), key=lambda kv: -kv[1]["requested"])):
        bars.append(
            FundingBar(
                label,
                str(8 + i * 30),
                coord(proportional(v["requested"], top, width)),
                coord(proportional(v["granted"], top, width)),
                coord(proportional(v["paid"], top, width)),
                f"{grouped(v['requested'])} / {grouped(v['granted'])} / {grouped(v['paid'])} €",
            )
        )
    return {"bars": bars, "height": 16 + len(bars) * 30}
