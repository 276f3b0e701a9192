"""Similar towns: standardised distance within a population band, with reasons."""

from __future__ import annotations

import polars as pl

from pvd.domain import peers


def built(rows):
    out = []
    for code, pop, vac, med in rows:
        out.append(("COM", code, "population", 2023, float(pop), None))
        if vac is not None:
            out.append(("COM", code, "taux_vacance", 2021, float(vac), None))
        out.append(("COM", code, "revenu_median", 2021, float(med), None))
        out.append(("COM", code, "population_evolution", 2023, 0.0, None))
        out.append(("COM", code, "part_75_ans_plus", 2021, 10.0, None))
    return pl.DataFrame(
        out,
        schema=["level", "code", "indicator", "millesime", "value", "percentile"],
        orient="row",
    )


def test_closest_commune_in_band_comes_first_with_reasons():
    frame = built(
        [
            ("A", 1000, 10.0, 20000),
            ("B", 1100, 10.5, 20500),  # close on both
            ("C", 900, 20.0, 30000),  # far
            ("D", 5000, 10.0, 20000),  # identical figures but out of the population band
            ("E", 1050, None, 20100),  # vacancy secret: compared on the rest
        ]
    )
    result = peers.similar_communes(frame, k=3)
    of_a = result.filter(pl.col("commune") == "A").sort("rank")
    assert of_a.get_column("peer").to_list()[:2] == ["E", "B"]
    assert "D" not in of_a.get_column("peer").to_list()
    assert "C" in of_a.get_column("peer").to_list()
    assert of_a.get_column("rank").to_list() == [1, 2, 3]
    reasons_b = of_a.filter(pl.col("peer") == "B").item(0, "reasons").split(",")
    assert set(reasons_b) <= {
        "taux_vacance",
        "revenu_median",
        "population_evolution",
        "part_75_ans_plus",
    }
    assert "taux_vacance" not in of_a.filter(pl.col("peer") == "E").item(0, "reasons")
    assert result.filter(pl.col("commune") == "D").is_empty()  # nobody in its band


def test_documented_features_are_catalogue_indicators():
    assert {"taux_vacance", "revenu_median", "taux_chomage"} <= set(peers.feature_ids())
