"""The outcome analysis, computed once per data version for every process (``pvd.caching``):
any import that changes the referential, the registry or the selection inputs bumps the data
version, and the next page, API call or command computes it again."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from pvd import caching
from pvd.domain import outcomes as odomain
from pvd.outcomes import selectors
from pvd.outcomes.stored import DESIGN  # noqa: F401  (part of the cache keys; read by the views)


@dataclass
class Computed:
    """The analysis (None when the series has no vintage on both sides of the start or no
    laureate list is loaded) with what it was computed from."""

    outcomes: odomain.Outcomes | None
    covered: str
    laureates: int
    acv_excluded: int
    level_sources: dict[str, int]
    lists: list[str]
    source: str
    seconds: float
    reason: str = ""
    caveats: list[str] = field(default_factory=list)
    # Every source read, with its name, publisher, vintage and licence (selectors.sources).
    sources: list[dict] = field(default_factory=list)


_memo: caching.ProcessMemo[Computed] = caching.ProcessMemo("outcomes", size=1)


def _vintage_label(frame, year: int) -> str:
    """ "2017 (Mayotte seulement)" when only Mayotte's communes have that vintage."""
    import polars as pl

    deps = frame.filter(pl.col(f"pop_{year}").is_not_null()).get_column("dep").unique().to_list()
    return f"{year} (Mayotte seulement)" if deps == ["976"] else str(year)


def _compute() -> Computed:
    started = time.perf_counter()
    data = selectors.outcome_inputs()
    result = odomain.compute(data.frame) if data.laureates else None
    reason = ""
    if not data.laureates:
        reason = (
            "Aucune liste de lauréats n'est chargée : lancez `pvd data load` ou "
            "`pvd programme import-laureates FICHIER`."
        )
    elif result is None:
        reason = "La série de population n'a pas de millésime avant et après 2020."
    vintages = [_vintage_label(data.frame, v) for v in odomain.analysis.vintages_of(data.frame)]
    caveats = (
        odomain.caveats(
            before=result.before, after=result.after, vintages=vintages, covered=data.covered
        )
        if result
        else []
    )
    return Computed(
        result,
        data.covered,
        data.laureates,
        data.acv_excluded,
        data.level_sources,
        data.lists,
        selectors.referential_source(),
        time.perf_counter() - started,
        reason,
        caveats,
        selectors.sources(data.level_sources, data.records),
    )


def outcomes_compute(*, fresh: bool = False) -> Computed:
    """The analysis of the current data (``fresh``: computed again, the cache replaced)."""
    if fresh:
        value = _compute()
        from django.core.cache import cache

        cache.set(caching.versioned_key("outcomes", DESIGN), value, timeout=None)
        _memo.clear()
        return value
    return _memo.get(DESIGN, lambda: caching.shared(("outcomes", DESIGN), _compute))
