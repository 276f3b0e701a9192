"""How much of the data it replaces a new file would remove (pure, no Django).

The latest file of a kind replaces the previous one (indicator sources, BPE centrality, the
official centrality classification). A header-only, truncated or partial file would silently
empty a whole theme (69,692 housing values → 0 after a build, issue 18), so an import that
would remove more than ``MAX_LOSS_SHARE`` of the rows it replaces is refused unless confirmed
(``--confirmer``, service parameter ``confirm=True``). A first import (nothing to replace) is
never refused; a new vintage covering the same territories and variables removes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from pvd.domain.numbers import NARROW_NBSP, grouped, percent

# Share of the replaced rows above which a replacement needs a confirmation: a new vintage
# legitimately loses a few rows (communes merged since, secrecy), not a twentieth of them.
MAX_LOSS_SHARE = 0.05


def _n(value: int) -> str:
    return grouped(value, NARROW_NBSP)


def _pct(share: float) -> str:
    return percent(share * 100, 1)


@dataclass(frozen=True)
class Loss:
    """``before`` rows replaced by ``after`` rows, ``lost`` of the former absent from the
    latter (``what`` names a row, in French, plural)."""

    what: str
    before: int
    after: int
    lost: int

    @property
    def share(self) -> float:
        return self.lost / self.before if self.before else 0.0

    @property
    def needs_confirmation(self) -> bool:
        return self.before > 0 and self.share > MAX_LOSS_SHARE

    def message(self) -> str:
        return (
            f"ce fichier retirerait {_n(self.lost)} des {_n(self.before)} {self.what} du "
            f"fichier qu'il remplace ({_pct(self.share)}, au-delà du seuil de "
            f"{_pct(MAX_LOSS_SHARE)}) : avant {_n(self.before)}, après {_n(self.after)}"
        )


def keys_loss(
    previous: pl.DataFrame | None, current: pl.DataFrame, key: Sequence[str], what: str
) -> Loss:
    """Distinct ``key`` tuples of ``previous`` that ``current`` no longer has."""
    key = list(key)
    new = current.select(key).unique()
    if previous is None:
        return Loss(what, 0, new.height, 0)
    old = previous.select(key).unique()
    lost = old.join(new, on=key, how="anti", nulls_equal=True).height
    return Loss(what, old.height, new.height, lost)
