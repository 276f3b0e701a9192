"""Projection, frames and insets of the maps (pure, no database)."""

from __future__ import annotations

import math

import pytest

from pvd.domain.cartography import (
    MARGIN,
    classes,
    inset_frames,
    local_cos,
    path_bbox,
    project_features,
    project_points,
    view_box_of,
)


def _square(lon: float, lat: float, side: float) -> dict:
    ring = [[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def _frame(view_box: str) -> tuple[float, float, float, float]:
    x, y, w, h = map(float, view_box.split())
    return x, y, x + w, y + h


@pytest.mark.parametrize("width", [400.0, 600.0])
def test_every_shape_inside_the_view_box_with_a_margin(width):
    features = [("A", "", _square(-5.0, 42.0, 1.0)), ("B", "", _square(8.0, 50.0, 1.0))]
    view_box, shapes = project_features(features, width=width)
    frame = _frame(view_box)
    margin = MARGIN * width
    for s in shapes:
        x0, y0, x1, y1 = path_bbox(s.path)
        assert frame[0] + margin - 0.2 <= x0 and x1 <= frame[2] - margin + 0.2, s.code
        assert frame[1] + margin - 0.2 <= y0 and y1 <= frame[3] - margin + 0.2, s.code
    # The larger side is ``width`` pixels (here the east-west one: 14 degrees of longitude at
    # 46.5° N against 9 of latitude), plus the margins.
    sides = frame[2] - frame[0], frame[3] - frame[1]
    assert max(sides) == pytest.approx(width + 2 * margin, abs=0.2) and sides[0] > sides[1]


def test_one_scale_for_both_axes():
    cos_lat = math.cos(math.radians(45.5))
    features = [("A", "", _square(2.0, 45.0, 1.0))]
    _, (shape,) = project_features(features, width=300, cos_lat=cos_lat)
    x0, y0, x1, y1 = path_bbox(shape.path)
    assert (x1 - x0) / (y1 - y0) == pytest.approx(cos_lat, rel=0.01)
    assert local_cos(features) == pytest.approx(cos_lat)
    ((x, y),) = project_points(features, [(2.5, 45.5)], width=300, cos_lat=cos_lat)
    assert x == pytest.approx((x0 + x1) / 2, abs=0.2) and y == pytest.approx((y0 + y1) / 2, abs=0.2)


def test_inset_frames_surround_their_shapes_and_stay_in_the_view_box():
    features = [
        ("33", "", _square(-1.0, 44.0, 1.5)),
        ("971", "", _square(-4.5, 45.0, 1.0)),  # a style1 inset, west of the mainland
    ]
    _, shapes = project_features(features)
    (frame,) = inset_frames(shapes, {"971", "972"}, pad=4.0)
    x0, y0, x1, y1 = path_bbox(next(s.path for s in shapes if s.code == "971"))
    assert frame[0] == pytest.approx(x0 - 4, abs=0.1) and frame[2] == pytest.approx(x1 - x0 + 8)
    whole = _frame(view_box_of([s.path for s in shapes], frames=[frame], margin=MARGIN))
    assert whole[0] < frame[0] and frame[0] + frame[2] < whole[2]
    assert whole[1] < frame[1] and frame[1] + frame[3] < whole[3]


def test_classes_of_close_values_whose_rounded_bounds_reach_the_largest_make_one_class():
    # 1.96 and 1.99 round to a bound of 2.0, above every value: no break, one class (a regional
    # dashboard whose departments all had about the same share answered a 500 before).
    legend = classes([1.96, 1.99], percent=True)
    assert legend.breaks == ()
    assert legend.labels == ("2,0 %",)
    assert len(legend.colours) == 1
    assert classes([196, 199]).labels == ("de 196 à 199",)
