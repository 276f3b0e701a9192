"""Pure helpers of the web layer: chart geometry, sortable headers, French formatting."""

from __future__ import annotations

import pytest
from django.utils import translation

from pvd.web.charts import bar_chart, nice_step, series_rows
from pvd.web.sorting import sort_headers, sort_param
from pvd.web.templatetags.pvd_web import annee, millesimes, nombre


@pytest.mark.parametrize(
    ("top", "step"),
    [
        (1279, 500),
        (25303, 10000),
        (2_200_000, 500_000),
        (120, 25),
        (11, 5),  # 2.5 would give fractional inhabitants
        (0, 1),
    ],
)
def test_nice_step_rounds_up_to_1_2_2_5_or_5(top, step):
    assert nice_step(top) == step


def test_bar_chart_geometry_starts_at_zero():
    with translation.override("fr"):
        chart = bar_chart([(2019, 1279), (2023, 1163)])
    assert [b.year for b in chart.bars] == ["2019", "2023"]
    assert [t.label for t in chart.ticks] == ["0", "500", "1\xa0000", "1\xa0500"]
    baseline = float(chart.baseline)
    for bar in chart.bars:
        assert abs(float(bar.y) + float(bar.height) - baseline) < 0.2
        assert "," not in bar.x + bar.y + bar.width + bar.height
    assert float(chart.bars[0].height) > float(chart.bars[1].height)
    assert bar_chart([]) is None


def test_series_rows_signed_changes():
    with translation.override("fr"):
        rows = series_rows([(2019, 1279), (2020, 1274), (2022, 1300)])
    assert rows[0].change == "" and rows[0].change_pct == ""
    assert rows[1].change == "−5" and rows[1].change_pct == "−0,4\xa0%"
    assert rows[2].change == "+26" and rows[2].change_pct == "+2,0\xa0%"


def test_sort_headers_toggle_and_announce():
    assert sort_param("-population") == "-population"
    assert sort_param("drop table") == "nom"
    headers = sort_headers("-population", {"nom": "Commune", "population": "Population"})
    assert headers["population"].aria_sort == "descending"
    assert headers["population"].href == "?tri=population"
    assert headers["nom"].aria_sort == "" and headers["nom"].href == "?tri=nom"
    assert sort_headers("nom", {"population": "P"})["population"].href == "?tri=-population"


def test_french_number_and_year_filters():
    with translation.override("fr"):
        assert nombre(1163) == "1\xa0163"
        assert nombre(None) == "n.d."
    assert annee(2023) == "2023"
    assert millesimes([2023]) == "2023"
    assert millesimes([2017, 2020, 2023]) == "2017, 2020 et 2023"
    assert millesimes([]) == ""


def test_bar_chart_of_tiny_populations_has_whole_ticks():
    with translation.override("fr"):
        chart = bar_chart([(2022, 0), (2023, 3)])
    assert [t.label for t in chart.ticks] == ["0", "1", "2", "3"]
    assert float(chart.bars[0].height) == 0
