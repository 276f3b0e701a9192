"""What an indicator is and how theme modules declare one: the lower half of the catalogue.

Pure Python (no Django). Holds the :class:`Indicator` record, the themes and directions, the
registry that theme modules fill with :func:`register`, and the formula helpers they share
(:func:`ratio`, :func:`level`, :func:`wide`, :func:`latest_per_code`). The theme modules import
this module only; :mod:`pvd.domain.indicators.catalogue` imports them (to load the built-in
indicators) and answers the look-ups, so no import goes back up to the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

THEMES: dict[str, str] = {
    "demographie": "Démographie",
    "habitat": "Habitat",
    "commerces": "Commerces et services",
    "economie": "Économie et emploi",
    "revenus": "Revenus",
    "environnement": "Environnement et transition",
    "patrimoine": "Patrimoine et culture",
    "mobilites": "Mobilités",
    "sante": "Santé et vieillissement",
    "finances": "Finances locales",
}

# Sources still to be integrated, per theme without an indicator yet (shown on the pages). Empty
# since every theme has indicators; kept for the next theme (the pages read it with .get).
THEMES_TO_COME: dict[str, str] = {}

HIGHER_BETTER = "higher_better"
LOWER_BETTER = "lower_better"
NEUTRAL = "neutral"
DIRECTIONS = {
    HIGHER_BETTER: "plus élevé = plus favorable",
    LOWER_BETTER: "plus bas = plus favorable",
    NEUTRAL: "ni favorable ni défavorable en soi",
}

# compute(observations, geography) -> (code, millesime, value). ``geography`` (code, epci, dep,
# reg) is given for communes and None for aggregates.
Compute = Callable[[pl.DataFrame, pl.DataFrame | None], pl.DataFrame]


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str  # French
    theme: str  # a key of THEMES
    unit: str  # French, as displayed ("%", "hab./km²", "€")
    direction: str  # a key of DIRECTIONS
    source: str  # a dataset key (pvd.sources catalogue name, or the embedded referential)
    vintage: str  # French, e.g. "2021 (recensement)"
    licence: str
    formula: str  # French, shown on the documentation page
    inputs: tuple[str, ...]  # observation variables read
    compute: Compute = field(repr=False, compare=False, default=None)  # type: ignore[assignment]
    aggregate: str = "sum"  # "sum", "weighted_mean" or "none"
    decimals: int = 1
    key_figure: bool = False  # shown among the key figures at the top of the portrait
    series: bool = False  # several millésimes worth a time-series chart
    peer_feature: bool = False  # used by the similar-towns distance (pvd.domain.peers)

    @property
    def extensive(self) -> bool:
        """A count (inhabitants, dwellings, facilities, hectares) or a rank: it grows with the territory (or
        is only meaningful within the EPCI), so a bar chart against the EPCI, department, region
        and France says nothing."""
        return self.unit in ("habitants", "logements", "équipements", "rang", "ha")

    @property
    def theme_label(self) -> str:
        return THEMES[self.theme]

    @property
    def direction_label(self) -> str:
        return DIRECTIONS[self.direction]


_REGISTRY: dict[str, Indicator] = {}  # read by pvd.domain.indicators.catalogue


def register(indicator: Indicator) -> Indicator:
    if indicator.id in _REGISTRY:
        raise ValueError(f"indicateur déjà déclaré : {indicator.id}")
    if indicator.theme not in THEMES:
        raise ValueError(f"{indicator.id} : thème inconnu {indicator.theme}")
    if indicator.direction not in DIRECTIONS:
        raise ValueError(f"{indicator.id} : sens inconnu {indicator.direction}")
    if indicator.aggregate not in ("sum", "weighted_mean", "none"):
        raise ValueError(f"{indicator.id} : agrégation inconnue {indicator.aggregate}")
    _REGISTRY[indicator.id] = indicator
    return indicator


# --- formula helpers shared by the theme modules ---------------------------------------------


def wide(obs: pl.DataFrame, variables: tuple[str, ...]) -> pl.DataFrame:
    """Observations as one row per (code, millesime) and one column per variable.

    Variables observed without a millésime (``millesime == 0``, e.g. an area) are joined on the
    code to every millésime of the others. Rows lacking one of ``variables`` are dropped: a rate
    is only computed where both its terms are known.
    """
    dated = obs.filter(pl.col("millesime") != 0)
    timeless = obs.filter(pl.col("millesime") == 0)
    present = set(obs.get_column("variable").unique().to_list()) if obs.height else set()
    if any(v not in present for v in variables):
        return pl.DataFrame(
            schema={"code": pl.String, "millesime": pl.Int32, **{v: pl.Float64 for v in variables}}
        )
    dated_vars = [v for v in variables if v in set(dated.get_column("variable").unique())]
    timeless_vars = [v for v in variables if v not in dated_vars]
    if dated_vars:
        frame = dated.filter(pl.col("variable").is_in(dated_vars)).pivot(
            on="variable", index=["code", "millesime"], values="value", aggregate_function="first"
        )
    else:
        frame = (
            timeless.select("code").unique().with_columns(pl.lit(0, pl.Int32).alias("millesime"))
        )
    for v in timeless_vars:
        frame = frame.join(
            timeless.filter(pl.col("variable") == v).select("code", pl.col("value").alias(v)),
            on="code",
            how="left",
        )
    for v in variables:
        if v not in frame.columns:
            frame = frame.with_columns(pl.lit(None, pl.Float64).alias(v))
    return frame.drop_nulls(list(variables))


def ratio(numerator: str, denominator: str, scale: float = 1.0) -> Compute:
    """numerator / denominator × scale, per code and millésime (null where the denominator is 0)."""

    def compute(obs: pl.DataFrame, geo: pl.DataFrame | None = None) -> pl.DataFrame:
        w = wide(obs, (numerator, denominator))
        return w.select(
            "code",
            "millesime",
            pl.when(pl.col(denominator) > 0)
            .then(pl.col(numerator) / pl.col(denominator) * scale)
            .otherwise(None)
            .alias("value"),
        )

    compute.same_year = True  # type: ignore[attr-defined]  # see engine._sum_aggregates
    return compute


def level(variable: str) -> Compute:
    """The variable itself, per code and millésime."""

    def compute(obs: pl.DataFrame, geo: pl.DataFrame | None = None) -> pl.DataFrame:
        return obs.filter(pl.col("variable") == variable).select("code", "millesime", "value")

    compute.same_year = True  # type: ignore[attr-defined]  # see engine._sum_aggregates
    return compute


def latest_per_code(frame: pl.DataFrame) -> pl.DataFrame:
    """The row of the latest millésime of each code."""
    return frame.sort("millesime").group_by("code", maintain_order=True).last()
