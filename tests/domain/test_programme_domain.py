"""Pure computations of the programme registry: life cycle, alerts, figures check, maps."""

from __future__ import annotations

from datetime import date

import pytest

from pvd.domain import claims as figures
from pvd.domain.cartography import classes, path_bbox, project_features, view_box_of
from pvd.domain.programme import (
    LaureateFacts,
    Stage,
    add_months,
    alerts,
    lifecycle,
    median_days,
    stage_of,
)


def facts(
    code,
    dep="01",
    reg="84",
    pop=1000,
    groupe=None,
    epci=None,
    sel=None,
    adh=None,
    chef=None,
    cadre=None,
):
    return LaureateFacts(
        code, f"Commune {code}", dep, reg, pop, groupe, epci, sel, adh, chef, cadre
    )


ROWS = [
    facts(
        "01001",
        pop=2000,
        groupe="g1",
        epci="e1",
        sel=date(2020, 12, 1),
        adh=date(2021, 3, 1),
        chef=date(2021, 9, 1),
        cadre=date(2022, 9, 1),
    ),
    facts("01002", pop=3000, groupe="g1", epci="e1", sel=date(2020, 12, 1), adh=date(2021, 5, 1)),
    facts("63001", dep="63", pop=5000, groupe="g2", epci="e2", sel=date(2020, 12, 1)),
    facts(
        "29001",
        dep="29",
        reg="53",
        pop=1500,
        groupe="g3",
        epci="e3",
        adh=date(2021, 6, 1),
        chef=date(2021, 8, 1),
    ),
]
TERRITORIES = figures.Territories(
    regions={"84": "Auvergne-Rhône-Alpes", "53": "Bretagne", "94": "Corse", "04": "La Réunion"},
    departements={
        "01": "Ain",
        "63": "Puy-de-Dôme",
        "29": "Finistère",
        "2A": "Corse-du-Sud",
        "974": "La Réunion",
        "46": "Lot",
    },
    populations={
        ("france", None): 115_000,
        ("region", "84"): 100_000,
        ("departement", "01"): 50_000,
    },
)


@pytest.mark.parametrize(
    ("index", "stage"),
    [
        (0, Stage.CONVENTION_CADRE),
        (1, Stage.ADHESION),
        (2, Stage.SELECTION),
        (3, Stage.CHEF_PROJET),
    ],
)
def test_stage(index, stage):
    assert stage_of(ROWS[index]) == stage


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [(date(2021, 1, 31), 1, date(2021, 2, 28)), (date(2021, 8, 15), 18, date(2023, 2, 15))],
)
def test_months(start, months, end):
    assert add_months(start, months) == end


def test_lifecycle_counts_and_medians():
    c = lifecycle(ROWS)
    assert (c.total, c.adhesion, c.chef_projet, c.convention_cadre) == (4, 3, 2, 1)
    assert c.by_stage == {"selection": 1, "adhesion": 1, "chef_projet": 1, "convention_cadre": 1}
    assert c.median_selection_adhesion == (90 + 151) / 2
    assert c.median_adhesion_cadre == 549
    assert median_days([(date(2021, 2, 1), date(2021, 1, 1))]) is None  # reversed: ignored


def test_alerts_18_months_after_adhesion():
    found = alerts(ROWS, today=date(2023, 1, 1))
    kinds = {(a.code, a.kind) for a in found}
    # 01002: adhesion 2021-05-01, no convention-cadre by 2022-11-01 -> alert.
    assert ("01002", "cadre") in kinds
    # 63001: selected 2020-12-01, no convention d'adhésion 12 months later.
    assert ("63001", "adhesion") in kinds
    assert ("01001", "cadre") not in kinds  # signed
    assert not alerts(ROWS, today=date(2021, 6, 1))
    assert found == sorted(found, key=lambda a: -a.overdue_days)


@pytest.mark.parametrize(
    ("text", "status", "value"),
    [
        ("4 communes", figures.CONFIRMED, 4),
        ("3 communes in region 84", figures.CONFIRMED, 3),
        ("3 communes en région Auvergne-Rhône-Alpes", figures.CONFIRMED, 3),
        ("2 in department 01", figures.CONFIRMED, 2),
        ("22 dans le département 01", figures.CONTRADICTED, 2),
        ("2 communes dans l'Ain", figures.CONFIRMED, 2),
        ("Finistère (29) : 1 commune", figures.CONFIRMED, 1),
        ("Auvergne-Rhône-Alpes 226", figures.CONTRADICTED, 3),
        ("11 500 habitants", figures.CONFIRMED, 11_500),
        ("11,5 thousand inhabitants", figures.CONFIRMED, 11_500),
        ("0.01 million inhabitants", figures.CONFIRMED, 11_500),
        ("9.3 million inhabitants", figures.CONTRADICTED, 11_500),
        ("3 groupes", figures.CONFIRMED, 3),
        ("3 intercommunalités", figures.CONFIRMED, 3),
        ("75 % ont signé leur convention d'adhésion", figures.CONFIRMED, 75),
        ("98 % with a signed convention d'adhésion", figures.CONTRADICTED, 75),
        ("10 % de la population", figures.CONFIRMED, 100 * 11_500 / 115_000),
        ("environ 4 000 habitants dans le département 01", figures.CONTRADICTED, 5000),
        ("environ 5 200 habitants dans le département 01", figures.CONFIRMED, 5000),
        ("au plus 2 chefs de projet", figures.CONFIRMED, 2),
        ("plus de 1 ORT", figures.CONTRADICTED, 1),
        ("au moins 1 ORT", figures.CONFIRMED, 1),
        ("moins de 2 chefs de projet", figures.CONTRADICTED, 2),
        ("about 5,000 inhabitants in department 01", figures.CONFIRMED, 5000),
        ("pas de chiffre ici", figures.NOT_UNDERSTOOD, None),
        ("5 communes en région 99", figures.NOT_UNDERSTOOD, None),
    ],
)
def test_figures_check(text, status, value):
    (v,) = figures.check_text(text, figures.Registry(ROWS, TERRITORIES)).verdicts
    assert v.status == status, v.message
    if value is not None:
        assert v.registry_value == pytest.approx(value)
        assert v.message


def _claim(text):
    (c,) = figures.extract(text, TERRITORIES)
    return c


def test_figures_number_reading():
    st = _claim("1,587 communes")
    assert st.value == 1587 and st.low == st.high == 1587
    st = _claim("9,3 millions d'habitants")
    assert st.measure == figures.POPULATION
    assert st.low == pytest.approx(9_250_000) and st.high == pytest.approx(9_350_000)
    st = _claim("22 communes (2A)")
    assert st.scope.kind == "departement" and st.scope.code == "2A"
    st = _claim("3 communes en Corse-du-Sud")
    assert st.scope.code == "2A"  # the longest name wins over "Corse"
    (v,) = figures.check_text("2 in department 01", figures.Registry(ROWS, TERRITORIES)).verdicts
    assert [f.code for f in v.communes] == ["01001", "01002"]


def test_projection_and_classes():
    square = {"type": "Polygon", "coordinates": [[[0, 40], [1, 40], [1, 41], [0, 41], [0, 40]]]}
    view_box, shapes = project_features([("01", "Un", square)], width=100)
    # The larger side of the drawing is `width`, one scale for both axes (a square degree at
    # 40° N is taller than wide), and the view box frames the shape with a margin.
    x0, y0, w, h = map(float, view_box.split())
    bx0, by0, bx1, by1 = path_bbox(shapes[0].path)
    assert max(bx1 - bx0, by1 - by0) == pytest.approx(100, abs=0.2)
    assert bx1 - bx0 < by1 - by0
    assert x0 < bx0 and y0 < by0 and bx1 < x0 + w and by1 < y0 + h
    assert path_bbox("m 10,10 5,0 0,5 z m 20,0 1,1 z") == (10, 10, 31, 15)
    assert path_bbox("M0 0L10 5Z") == (0, 0, 10, 5)
    assert view_box_of(["M0 0L10 10Z"], margin=0) == "0.0 0.0 10.0 10.0"
    c = classes([0, 1, 2, 5, 10, 50, 100, 200])
    assert c.colour(0) == c.colours[0]
    assert c.colour(None) == "#eeeeee"
    assert c.colour(200) == c.colours[-1]
    assert len(c.labels) == len(c.colours) == len(c.breaks) + 1
    assert classes([]).labels == ("0",)


@pytest.mark.parametrize(
    ("names", "label"),
    [
        (["Nontron"], "Nontron"),
        (["Saint-Flour", "Neuvéglise"], "Saint-Flour – Neuvéglise"),
        (["A", "B", "C"], "A – B – C"),
        (["A", "B", "C", "D"], "A – B – C et 1 autre commune"),
        (["A", "B", "C", "D", "E"], "A – B – C et 2 autres communes"),
        ([], ""),
    ],
)
def test_group_label_names_the_communes(names, label):
    from pvd.domain.programme import group_label

    assert group_label(names) == label
