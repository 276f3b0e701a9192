"""The portrait's layout: one table per theme with the territories as columns, old sources
flagged, unavailable indicators grouped by reason, series charts spaced by year (issue 13)."""

from __future__ import annotations

import datetime

import pytest

from pvd.diagnostics.charts import LABEL_GAP, series_chart
from pvd.diagnostics.selectors import Figure, fmt, portrait, territory_values
from pvd.domain import wording
from pvd.domain.indicators.catalogue import get


def test_old_vintage_note():
    assert wording.vintage_age_note(2013, 2026) == "données de 2013"
    assert wording.vintage_age_note(2021, 2026) == ""
    assert wording.vintage_age_note(2021, 2027) == "données de 2021"  # more than 5 years


def test_series_bars_stand_at_their_year():
    figure = Figure(indicator=get("population"))
    figure.series = [(1968, 3200.0), (1975, 3300.0), (2020, 3100.0), (2021, 3080.0), (2022, 3057.0)]
    chart = series_chart(figure)
    centres = [float(b.label_x) for b in chart.bars]
    gaps = [b - a for a, b in zip(centres, centres[1:], strict=False)]
    assert gaps[0] == pytest.approx(7 * gaps[2], rel=0.02)  # 1968 → 1975 is seven years, 2020 → 2021 one
    assert gaps[2] == pytest.approx(gaps[3], rel=0.02)
    shown = [float(b.label_x) for b in chart.bars if b.show_label]
    assert chart.bars[-1].show_label and chart.bars[0].show_label
    assert all(b - a >= LABEL_GAP for a, b in zip(shown, shown[1:], strict=False))
    assert not all(b.show_label for b in chart.bars)  # 2020 and 2021 would overlap 2022


def test_theme_tables_put_territories_in_columns(portrait_db):
    from pvd.diagnostics.portrait_tables import theme_tables
    from pvd.territories.models import Commune

    commune = Commune.objects.get(code="48140")
    p = portrait(commune=commune)
    tables = {t.theme.id: t for t in theme_tables(p, today=datetime.date(2026, 12, 3))}
    demography = tables["demographie"]
    assert [c.level for c in demography.columns] == ["COM", "EPCI", "DEP", "REG", "FR", "PEERS"]
    assert demography.columns[2].header == "Lozère"

    population = next(r for r in demography.rows if r.figure.indicator.id == "population")
    m = population.figure.millesime
    epci = next(
        v
        for v in territory_values(level="EPCI", code=commune.epci_id)
        if v.indicator == "population" and v.millesime == m
    )
    assert population.cells[1].text == fmt(epci.value, 0)
    assert population.cells[0].text == fmt(population.figure.value, 0)
    assert population.vintage_note == ""

    rank = next(r for r in demography.rows if r.figure.indicator.unit == "rang")
    assert rank.cells[0].text.endswith(("er", "e"))
    assert [c.text for c in rank.cells[2:5]] == ["—", "—", "—"]  # no department rank

    # The BPE of the shared folder is 2013's: its figures say so.
    shops = tables["commerces"]
    assert shops.rows and all(r.vintage_note == "données de 2013" for r in shops.rows)
    # Every row's source is listed under the table.
    assert all(1 <= r.source_index <= len(shops.sources) for r in shops.rows)
    assert any("2013" in s for s in shops.sources)

    # Finances: the DGFiP files are not loaded; the indicators are named with the reason, not
    # shown as rows of zeros.
    finances = tables["finances"]
    assert finances.rows == []
    assert any("source non chargée (DGFiP" in line for line in finances.unavailable_lines)
