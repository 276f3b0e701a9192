"""Every server-side chart (population bars, portrait comparison and series bars, project
indicator and funding charts) gives the same output, to the byte, as before they shared one
chart module (pvd.domain.charts): the outputs on real values (INSEE housing 2021 and Filosofi
2021 median income of about fifty communes across France) are compared with
``tests/data/charts_golden.json``, written by the former modules.

Regenerate (only when a chart's drawing is meant to change):
``PYTHONPATH=src python -m pytest tests/web/test_charts_golden.py --charts-golden-write`` is not
offered on purpose; run ``python tests/web/test_charts_golden.py`` with Django set up instead.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

GOLDEN = Path(__file__).parent.parent / "data" / "charts_golden.json"
SHARED = Path(os.environ.get("PVD_SHARED_DATA", Path(__file__).parents[3] / "shared" / "data"))
HOUSING = SHARED / "insee" / "logement-2021-communes.csv"
INCOME = SHARED / "insee" / "filosofi-2021-communes-med.csv"
EVERY = 700  # one commune in 700 of the housing file: about fifty, every region


def _rows() -> list[dict]:
    with INCOME.open(encoding="utf-8") as f:
        income = {r["CODGEO"]: r["MED21"] for r in csv.DictReader(f, delimiter=";")}
    with HOUSING.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter=";"))[::EVERY]
    out = []
    for r in rows:
        try:
            values = [int(float(r[k])) for k in ("P21_LOG", "P21_RP", "P21_RSECOCC", "P21_LOGVAC")]
        except ValueError:
            continue
        med = income.get(r["CODGEO"], "")
        out.append({"code": r["CODGEO"], "values": values, "median": int(med) if med else None})
    return out


def _plain(obj):
    if dataclasses.is_dataclass(obj):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    return obj


def chart_outputs() -> dict:
    from pvd.diagnostics.charts import comparison_chart, series_chart
    from pvd.diagnostics.selectors import Comparison, Figure, fmt
    from pvd.domain.indicators.catalogue import get
    from pvd.projects.charts import funding_chart, indicator_chart
    from pvd.web.charts import bar_chart, series_rows

    rows = _rows()
    out = {}
    for i, r in enumerate(rows):
        log, rp, rsec, vac = r["values"]
        neighbour = rows[(i + 1) % len(rows)]["values"]
        points = [(2010, log), (2015, rp), (2021, rsec), (2022, vac)]
        vacancy = round(100 * vac / log, 1) if log else 0.0
        second = round(100 * rsec / log, 1) if log else 0.0
        figure = Figure(indicator=get("taux_vacance"), value=vacancy, text=fmt(vacancy, 1))
        figure.comparisons = [
            Comparison(
                "epci",
                "Intercommunalité : CC d'un nom très long pour couper",
                second,
                fmt(second, 1),
            ),
            Comparison("departement", "Département", -vacancy / 3, fmt(-vacancy / 3, 1)),
            Comparison("france", "France", None, "n.d."),
        ]
        figure.series = [
            (1968, float(vac)),
            (1975, float(rsec)),
            (2020, float(rp)),
            (2021, float(log)),
            (2022, float(neighbour[0])),
        ]
        figure.indicator = get("logements")
        series = series_chart(figure)
        figure.indicator = get("taux_vacance")
        mesures = [
            SimpleNamespace(date=date(2024, m, 1), valeur=v / 7)
            for m, v in ((1, vac), (4, rsec), (9, vac + rsec))
        ]
        indicator = SimpleNamespace(
            mesures=SimpleNamespace(all=lambda m=mesures: m),
            valeur_initiale=float(vac) if i % 3 else None,
            cible=float(rp) / 5 if i % 4 else None,
        )
        funders = {
            "État": {"requested": log * 1000, "granted": rp * 900, "paid": vac * 500},
            "Région": {"requested": rp * 10, "granted": 0, "paid": 0},
            "Banque des Territoires": {"requested": 0, "granted": rsec * 37, "paid": rsec},
        }
        out[r["code"]] = _plain(
            {
                "bar_chart": bar_chart(points),
                "series_rows": series_rows(points),
                "comparison_chart": comparison_chart(figure),
                "series_chart": series,
                "indicator_chart": indicator_chart(indicator),
                "funding_chart": funding_chart(funders),
                "median_bar": bar_chart([(2021, r["median"])]) if r["median"] else None,
            }
        )
    out["_edge"] = _plain(
        {
            "bar_empty": bar_chart([]),
            "bar_tiny": bar_chart([(2022, 0), (2023, 3)]),
            "funding_empty": funding_chart({}),
            "indicator_flat": indicator_chart(
                SimpleNamespace(
                    mesures=SimpleNamespace(
                        all=lambda: [SimpleNamespace(date=date(2024, 1, 1), valeur=5.0)]
                    ),
                    valeur_initiale=5.0,
                    cible=5.0,
                )
            ),
        }
    )
    return out


@pytest.mark.skipif(not HOUSING.exists(), reason="shared open data absent (PVD_SHARED_DATA)")
def test_every_chart_is_unchanged_to_the_byte():
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    actual = json.loads(json.dumps(chart_outputs(), ensure_ascii=False))
    assert len(actual) > 40
    for key in expected:
        assert actual[key] == expected[key], key
    assert actual.keys() == expected.keys()


if __name__ == "__main__":  # regenerate the golden file (with the code meant to be right)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
    import django

    django.setup()
    GOLDEN.write_text(
        json.dumps(chart_outputs(), ensure_ascii=False, indent=0, sort_keys=True) + "\n",
        encoding="utf-8",
    )
