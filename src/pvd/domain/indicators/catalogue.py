"""The indicator catalogue: one registry entry per indicator of the *portrait de ville*.

Pure Python (no Django). An indicator says what it measures (French label, theme, unit), how to
read it (``direction``: is a higher value better, worse, or neither), where its inputs come from
(``source``: a name of :mod:`pvd.sources` catalogue, with vintage and licence) and how it is
computed (``formula``, in French, shown on the documentation page; ``compute``, the code).

Computation model (see :mod:`pvd.domain.indicators.engine`): every input is an *observation*
``(code, variable, millesime, value)``. ``compute`` receives the observations of its ``inputs``
keyed by a territory code and returns ``(code, millesime, value)``. Aggregates (EPCI, department,
region, France) are computed by the same function on inputs summed over the member communes
that cover the formula at that millésime (``aggregate="sum"``: a rate of the EPCI is the ratio
of its sums, never a mean of rates), for figures that do not add up such as a median income
(``aggregate="weighted_mean"``) by the publisher's own figure of the territory when the file has
it, else by a population-weighted mean of commune values labelled "estimation", or not at all
(``aggregate="none"``: a rank within the EPCI only makes sense for a commune).

A formula made with :func:`ratio` or :func:`level` reads each millésime's own inputs only
(``compute.same_year``), which lets the engine sum every millésime in one pass; any other
formula may read several millésimes (an evolution, an intercensal period).
"""

from __future__ import annotations

# The declarations live in the lower module pvd.domain.indicators.base, which the theme modules
# import; they are re-exported here so that callers keep reading them from the catalogue.
from pvd.domain.indicators.base import (  # noqa: F401
    _REGISTRY,
    DIRECTIONS,
    HIGHER_BETTER,
    LOWER_BETTER,
    NEUTRAL,
    THEMES,
    THEMES_TO_COME,
    Compute,
    Indicator,
    latest_per_code,
    level,
    ratio,
    register,
    wide,
)


def indicators() -> list[Indicator]:
    _load_builtins()
    return list(_REGISTRY.values())


def get(indicator_id: str) -> Indicator | None:
    _load_builtins()
    return _REGISTRY.get(indicator_id)


def by_theme() -> dict[str, list[Indicator]]:
    out: dict[str, list[Indicator]] = {theme: [] for theme in THEMES}
    for ind in indicators():
        out[ind.theme].append(ind)
    return out


def _load_builtins() -> None:
    # The theme modules register their indicators on import, like any other module would.
    from pvd.domain.indicators import (  # noqa: F401
        commerces,
        demographie,
        economie,
        environnement,
        finances,
        habitat,
        mobilites,
        revenus,
        sante,
    )
