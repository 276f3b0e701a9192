"""Choropleth maps on plain data: project boundaries to SVG paths, split values into classes.

Pure Python (no Django). Boundaries come as GeoJSON geometries in longitude/latitude (WGS84, or
the ANCT "style1" drawing coordinates where overseas departments are moved next to mainland
France) and end as ``Shape`` values (code -> SVG path in a common view box) that a template draws.

The projection is equirectangular with the longitude scaled by the cosine of a reference
latitude: 46.5° (mainland France's centre) for the national drawings, the drawn area's own
centre for a department (a local projection): at these scales the distortion is invisible and
no library is needed. One projection per drawing, the same scale on both axes (aspect ratio
kept); the view box frames every drawn shape with a margin, so nothing is cut.
Simplification drops vertices closer than ``min_step`` pixels to the previous kept vertex.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from pvd.domain import numbers
from pvd.domain.numbers import french_number

COS_LAT = math.cos(math.radians(46.5))
MARGIN = 0.02  # of the drawing's larger side, around every view box

# Overseas departments and regions (COG): drawn as insets on the national drawings.
OVERSEAS = {
    "departement": frozenset({"971", "972", "973", "974", "976"}),
    "region": frozenset({"01", "02", "03", "04", "06"}),
}
INSET_NOTE = "départements d'outre-mer représentés en encart, échelle différente"


@dataclass(frozen=True)
class Shape:
    code: str
    nom: str
    path: str  # SVG path data in the map's view box


@dataclass(frozen=True)
class BaseMap:
    """Boundaries ready to draw, with where they come from (shown under the map)."""

    level: str  # "departement" or "region"
    view_box: str
    shapes: tuple[Shape, ...]
    source: str  # French attribution text
    licence: str
    url: str = ""
    vintage: str = ""
    # Frames (x, y, width, height) around the overseas insets of a national drawing.
    insets: tuple[tuple[float, float, float, float], ...] = ()

    def shape(self, code: str) -> Shape | None:
        return next((s for s in self.shapes if s.code == code), None)


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    raise ValueError(f"géométrie non prise en charge : {geometry['type']}")


def local_cos(features: Sequence[tuple[str, str, dict]]) -> float:
    """Cosine of the latitude at the middle of ``features`` (a local projection)."""
    lats = [p[1] for _, _, g in features for r in _rings(g) for p in r]
    if not lats:
        raise ValueError("aucun contour à projeter")
    return math.cos(math.radians((min(lats) + max(lats)) / 2))


def _projection(rings_by_code, width: float, cos_lat: float):
    """(project(lon, lat) -> (x, y), view box) fitting every ring into ``width`` pixels, one
    scale for both axes."""
    xs = [p[0] * cos_lat for _, _, rings in rings_by_code for r in rings for p in r]
    ys = [p[1] for _, _, rings in rings_by_code for r in rings for p in r]
    if not xs:
        raise ValueError("aucun contour à projeter")
    min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)
    scale = width / max(max_x - min_x, max_y - min_y, 1e-9)
    height = (max_y - min_y) * scale

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (lon * cos_lat - min_x) * scale, (max_y - lat) * scale

    m = MARGIN * max(width, height)
    return project, f"{-m:.1f} {-m:.1f} {(max_x - min_x) * scale + 2 * m:.1f} {height + 2 * m:.1f}"


def project_features(
    features: Sequence[tuple[str, str, dict]],
    *,
    width: float = 600.0,
    min_step: float = 0.6,
    cos_lat: float = COS_LAT,
) -> tuple[str, list[Shape]]:
    """(view box, shapes) for ``(code, name, GeoJSON geometry)`` triples in lon/lat: the
    larger side of the drawing is ``width`` pixels, the view box adds a margin around it."""
    rings_by_code = [(code, nom, _rings(geom)) for code, nom, geom in features]
    project, view_box = _projection(rings_by_code, width, cos_lat)
    shapes = []
    for code, nom, rings in rings_by_code:
        parts = []
        for ring in rings:
            pts = [project(lon, lat) for lon, lat, *_ in ring]
            kept = [pts[0]]
            for x, y in pts[1:]:
                if abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= min_step:
                    kept.append((x, y))
            if len(kept) < 3:
                continue
            parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in kept) + "Z")
        if parts:
            shapes.append(Shape(code, nom, "".join(parts)))
    return view_box, shapes


def project_points(
    features: Sequence[tuple[str, str, dict]],
    points: Sequence[tuple[float, float]],
    *,
    width: float = 600.0,
    cos_lat: float = COS_LAT,
) -> list[tuple[float, float]]:
    """(x, y) of ``points`` (lon, lat) in the view box :func:`project_features` gives for the
    same ``features``, ``width`` and ``cos_lat``."""
    project = point_projection(features, width=width, cos_lat=cos_lat)
    return [project(lon, lat) for lon, lat in points]


def point_projection(
    features: Sequence[tuple[str, str, dict]], *, width: float = 600.0, cos_lat: float = COS_LAT
) -> Callable[[float, float], tuple[float, float]]:
    """``project(lon, lat) -> (x, y)`` of :func:`project_points`, to keep for many points
    (finding the features' extent reads every vertex)."""
    project, _ = _projection([(c, n, _rings(g)) for c, n, g in features], width, cos_lat)
    return project


def inset_frames(
    shapes: Iterable[Shape], codes: Iterable[str], *, pad: float = 4.0
) -> tuple[tuple[float, float, float, float], ...]:
    """Frames (x, y, width, height) drawn around the shapes of ``codes`` (the overseas insets of
    the "style1" drawings), ``pad`` pixels away from each shape."""
    wanted = set(codes)
    frames = []
    for s in shapes:
        if s.code in wanted:
            x0, y0, x1, y1 = path_bbox(s.path)
            frames.append(
                (
                    round(x0 - pad, 1),
                    round(y0 - pad, 1),
                    round(x1 - x0 + 2 * pad, 1),
                    round(y1 - y0 + 2 * pad, 1),
                )
            )
    return tuple(frames)


# Colours of the DSFR illustrative palette "bleu écume" from light to dark (5 classes), then a
# neutral grey for territories without data. Values are also printed in the table next to the
# map: colour never carries the information alone (RGAA 3.1).
PALETTE = ("#e6eefe", "#bcd0f7", "#7fa3e5", "#4a74c9", "#1e3f8c")
NO_DATA = "#eeeeee"


@dataclass(frozen=True)
class Classes:
    breaks: tuple[float, ...]  # upper bounds of each class but the last
    colours: tuple[str, ...]
    labels: tuple[str, ...]

    def colour(self, value: float | None) -> str:
        if value is None:
            return NO_DATA
        for bound, colour in zip(self.breaks, self.colours, strict=False):
            if value <= bound:
                return colour
        return self.colours[len(self.breaks)]


def _round2(x: float) -> float:
    """``x`` rounded to two significant digits (readable class bounds: 23, 1 400, 0.56)."""
    if x <= 0:
        return 0.0
    exp = math.floor(math.log10(x)) - 1
    return round(x / 10**exp) * 10**exp


def classes(values: Iterable[float | None], *, n: int = 5, percent: bool = False) -> Classes:
    """Quantile classes rounded to nice bounds (at most ``n``; fewer when values repeat).

    Zero gets a class of its own when present: "no laureate" reads differently from "few".
    """
    vals = sorted(v for v in values if v is not None)
    fmt = (lambda v: numbers.percent(v, 1)) if percent else (lambda v: french_number(v, minus="-"))
    if not vals or vals[-1] == vals[0]:
        only = vals[0] if vals else 0
        return Classes((), (PALETTE[2],), (fmt(only),))
    breaks: list[float] = []
    if vals[0] == 0:
        breaks.append(0.0)
    positive = [v for v in vals if v > 0]
    steps = n - len(breaks)
    for i in range(1, steps):
        q = positive[min(len(positive) - 1, int(len(positive) * i / steps))]
        b = _round2(q) if not percent or q >= 10 else round(q, 1)
        if b < vals[-1] and (not breaks or b > breaks[-1]):
            breaks.append(b)
    if not breaks:  # close values whose rounded bounds all reach the largest: one class
        low, high = fmt(vals[0]), fmt(vals[-1])
        return Classes((), (PALETTE[2],), (low if low == high else f"de {low} à {high}",))
    count = len(breaks) + 1
    last = len(PALETTE) - 1
    colours = tuple(PALETTE[round(i * last / (count - 1))] for i in range(count))
    labels = []
    low = None
    for b in breaks:
        if low is None:
            labels.append(fmt(b) if b == 0 else f"jusqu'à {fmt(b)}")
        else:
            labels.append(f"de plus de {fmt(low)} à {fmt(b)}")
        low = b
    labels.append(f"plus de {fmt(low)}")
    return Classes(tuple(breaks), tuple(colours), tuple(labels))


_TOKEN = re.compile(r"[MmLlZz]|-?\d*\.?\d+(?:e-?\d+)?")


def path_bbox(path: str) -> tuple[float, float, float, float]:
    """(min x, min y, max x, max y) of an SVG path made of M/m, L/l and Z/z commands (the only
    ones the base maps use; a pair after a move is an implicit line-to, as in SVG)."""
    xs: list[float] = []
    ys: list[float] = []
    x = y = start_x = start_y = 0.0
    command = "M"
    numbers: list[float] = []
    for token in _TOKEN.findall(path):
        if token in "MmLlZz":
            if token in "Zz":
                x, y = start_x, start_y
            command = token
            numbers = []
            continue
        numbers.append(float(token))
        if len(numbers) < 2:
            continue
        dx, dy = numbers
        numbers = []
        if command in "ml":
            x, y = x + dx, y + dy
        else:
            x, y = dx, dy
        if command in "Mm":
            start_x, start_y = x, y
            command = "l" if command == "m" else "L"
        xs.append(x)
        ys.append(y)
    if not xs:
        return (0.0, 0.0, 0.0, 0.0)
    return min(xs), min(ys), max(xs), max(ys)


def view_box_of(
    paths: Iterable[str],
    *,
    margin: float = 0.03,
    frames: Iterable[tuple[float, float, float, float]] = (),
) -> str:
    """A view box framing ``paths`` (and the ``frames`` x, y, width, height) with a relative
    margin: every drawn shape inside, nothing cut."""
    boxes = [path_bbox(p) for p in paths] + [(x, y, x + w, y + h) for x, y, w, h in frames]
    if not boxes:
        return "0 0 100 100"
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    m = margin * max(x1 - x0, y1 - y0)
    return f"{x0 - m:.1f} {y0 - m:.1f} {x1 - x0 + 2 * m:.1f} {y1 - y0 + 2 * m:.1f}"
