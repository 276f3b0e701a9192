"""What every server-side SVG chart shares (population bars, the portrait's comparison and
series bars, the projects' indicator and funding charts, the dashboards' maps): coordinates as
preformatted strings, linear scales, round axis steps (French numbers: pvd.domain.numbers).

Coordinates are strings because Django would localise floats in templates ("12,5") and break
the SVG. Pure: no Django, so the drawings are tested without a database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def coord(x: float) -> str:
    """A coordinate of the SVG, one decimal: 12.5 -> "12.5"."""
    return f"{x:.1f}"


def nice_step(top: float, ticks: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 × 10^k, a whole number) so ``ticks`` steps cover ``top``."""
    raw = max(top, 1) / ticks
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * power >= raw and float(m * power).is_integer():
            return m * power
    return 10 * power  # pragma: no cover - the loop always returns


def with_zero(values: list[float]) -> tuple[float, float, float]:
    """The range of ``values`` stretched to include zero (bars start at zero), and its span
    (1 when empty, so that a scale never divides by zero)."""
    lo, hi = min(0.0, *values), max(0.0, *values)
    return lo, hi, (hi - lo) or 1.0


def padded(values: list[float], share: float = 0.1) -> tuple[float, float]:
    """The range of ``values`` with ``share`` of it added on each side (a flat series gets ±1
    first): points never touch the chart's edges."""
    lo, hi = min(values), max(values)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    pad = (hi - lo) * share
    return lo - pad, hi + pad


def proportional(value: float, total: float, length: float) -> float:
    """The pixels of ``value`` on a bar of ``length`` pixels standing for ``total``."""
    return length * value / total


@dataclass(frozen=True)
class Scale:
    """A linear scale: ``start`` is where ``origin`` falls, ``length`` the pixels of ``span``
    domain units (a negative span reverses it: SVG's y grows downwards)."""

    origin: float
    span: float
    start: float
    length: float

    def __call__(self, v: float) -> float:
        return self.start + (v - self.origin) / self.span * self.length

    @classmethod
    def downwards(cls, hi: float, span: float, top: float, length: float) -> Scale:
        """A vertical scale: ``hi`` at ``top``, ``hi - span`` ``length`` pixels below."""
        return cls(hi, -span, top, length)
