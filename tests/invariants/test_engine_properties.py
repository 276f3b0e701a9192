"""Property-based invariants of the indicator engine (pure, no database).

Generated territories (regions, departments, EPCI, communes) and housing observations, some of
them secret (absent), are given to :func:`pvd.domain.indicators.engine.build`. Whatever the data:
- a count of France = sum of its regions = sum of its departments = sum of its communes;
- a rate lies within its bounds, and an aggregate rate (a ratio of sums) lies between the
  lowest and the highest rate of its communes;
- a commune without data has no value (never 0);
- adding observations of a variable an indicator does not read changes none of its values.
"""

from __future__ import annotations

import math

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pvd.domain.indicators import engine
from pvd.domain.indicators.catalogue import get

HOUSING = [get("logements"), get("taux_vacance"), get("part_residences_secondaires")]
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def territories(draw):
    """A geography frame (code, epci, dep, reg) and housing observations of census 2021."""
    n_reg = draw(st.integers(1, 3))
    rows = []
    obs = []
    code = 1000
    for r in range(n_reg):
        for d in range(draw(st.integers(1, 3))):
            dep = f"{r}{d}"
            epcis = [f"2000{r}{d}{e}00" for e in range(draw(st.integers(1, 2)))]
            for _ in range(draw(st.integers(1, 5))):
                code += 1
                c = f"{code:05d}"
                rows.append((c, draw(st.sampled_from(epcis)), dep, f"R{r}"))
                if draw(st.booleans()) and draw(st.booleans()):
                    continue  # secret: the commune is absent from the file
                log = draw(st.integers(1, 5000))
                vac = draw(st.integers(0, log))
                rsec = draw(st.integers(0, log - vac))
                for variable, value in (
                    ("logements", log),
                    ("logements_vacants", vac),
                    ("residences_secondaires", rsec),
                ):
                    obs.append((c, variable, 2021, float(value)))
    geo = pl.DataFrame(rows, schema=["code", "epci", "dep", "reg"], orient="row")
    frame = pl.DataFrame(obs, schema=engine.OBS_SCHEMA, orient="row")
    return geo, frame


def _values(result: engine.BuildResult, indicator: str) -> pl.DataFrame:
    return result.values.filter(pl.col("indicator") == indicator)


def _level_sum(values: pl.DataFrame, level: str) -> float:
    return values.filter(pl.col("level") == level).get_column("value").sum()


@SETTINGS
@given(territories())
def test_counts_add_up_at_every_level(data):
    geo, obs = data
    result = engine.build(obs, geo, HOUSING)
    counts = _values(result, "logements")
    communes = _level_sum(counts, "COM")
    if counts.filter(pl.col("level") == "FR").is_empty():
        assert communes == 0
        return
    france = _level_sum(counts, "FR")
    assert france == communes == _level_sum(counts, "REG") == _level_sum(counts, "DEP")
    assert _level_sum(counts, "EPCI") == communes


@SETTINGS
@given(territories())
def test_rates_within_bounds_and_aggregates_between_their_communes(data):
    geo, obs = data
    result = engine.build(obs, geo, HOUSING)
    for indicator in ("taux_vacance", "part_residences_secondaires"):
        values = _values(result, indicator)
        assert values.get_column("value").is_between(0, 100).all()
        communes = values.filter(pl.col("level") == "COM").join(
            geo.rename({"code": "commune"}), left_on="code", right_on="commune"
        )
        for level, column in (("DEP", "dep"), ("REG", "reg"), ("EPCI", "epci")):
            members = communes.group_by(column).agg(
                pl.col("value").min().alias("lo"), pl.col("value").max().alias("hi")
            )
            joined = values.filter(pl.col("level") == level).join(
                members, left_on="code", right_on=column
            )
            assert joined.height == values.filter(pl.col("level") == level).height
            eps = 1e-9
            assert ((joined["value"] >= joined["lo"] - eps) & (joined["value"] <= joined["hi"] + eps)).all()


@SETTINGS
@given(territories())
def test_a_commune_without_data_has_no_value(data):
    geo, obs = data
    result = engine.build(obs, geo, HOUSING)
    observed = set(obs.get_column("code").unique().to_list())
    for ind in HOUSING:
        shown = set(
            _values(result, ind.id).filter(pl.col("level") == "COM").get_column("code").to_list()
        )
        assert shown == observed


@SETTINGS
@given(territories(), st.integers(0, 10_000), st.sampled_from([2016, 2021, 0]))
def test_unrelated_observations_change_nothing(data, extra, millesime):
    geo, obs = data
    before = engine.build(obs, geo, HOUSING).values.sort("level", "code", "indicator", "millesime")
    noise = geo.select(
        "code",
        pl.lit("naissances").alias("variable"),
        pl.lit(millesime, pl.Int32).alias("millesime"),
        pl.lit(float(extra)).alias("value"),
    )
    after = engine.build(pl.concat([obs, noise.cast(engine.OBS_SCHEMA)]), geo, HOUSING)
    after = after.values.sort("level", "code", "indicator", "millesime")
    assert before.equals(after)


def test_france_vacancy_is_a_ratio_of_sums_not_a_mean_of_rates():
    """A hand-checked case: 10/100 and 90/100 vacancy -> France 50 %, and a small commune with
    1 vacant of 2 does not weigh as much as a town of 1,000 dwellings."""
    geo = pl.DataFrame(
        [("01001", "200000001", "01", "84"), ("01002", "200000001", "01", "84")],
        schema=["code", "epci", "dep", "reg"],
        orient="row",
    )
    obs = pl.DataFrame(
        [
            ("01001", "logements", 2021, 1000.0),
            ("01001", "logements_vacants", 2021, 50.0),
            ("01002", "logements", 2021, 2.0),
            ("01002", "logements_vacants", 2021, 1.0),
        ],
        schema=engine.OBS_SCHEMA,
        orient="row",
    )
    result = engine.build(obs, geo, [get("taux_vacance")])
    france = result.values.filter(pl.col("level") == "FR").get_column("value").item()
    assert math.isclose(france, 51 / 1002 * 100)
