"""Sortable table headers driven by the query string (``?tri=-population``): the one builder of
the links of every sortable table (the towns' lists, the programme's laureates and dashboards),
and the order of rows whose figure may be missing.

Links, not buttons: sorting works without JavaScript, and the current order is announced by
``aria-sort`` on the header cell and shown by an arrow, not by colour (the template is
``web/includes/sort_th.html``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

T = TypeVar("T")


@dataclass(frozen=True)
class SortHeader:
    label: str
    href: str
    aria_sort: str  # "ascending", "descending" or "" (not sorted by this column)
    arrow: str
    action: str  # what following the link does, for screen readers


def sort_headers(
    current: str,
    labels: Mapping[str, str],
    *,
    descending_first: frozenset[str] | set[str] = frozenset({"population"}),
    params: Mapping[str, str] | None = None,
) -> dict[str, SortHeader]:
    """One header per sortable column key. A column not sorted yet sorts ascending when
    clicked, but those in ``descending_first`` (populations: largest first); the current one
    reverses. ``params``: the other query parameters the links keep (filters), in order."""
    headers = {}
    for key, label in labels.items():
        if current == key:
            aria, arrow, target = "ascending", "▲", f"-{key}"
        elif current == f"-{key}":
            aria, arrow, target = "descending", "▼", key
        else:
            aria, arrow = "", ""
            target = f"-{key}" if key in descending_first else key
        order = "décroissant" if target.startswith("-") else "croissant"
        query = urlencode({**params, "tri": target}) if params else f"tri={target}"
        headers[key] = SortHeader(
            label=label,
            href=f"?{query}",
            aria_sort=aria,
            arrow=arrow,
            action=f"trier par ordre {order}",
        )
    return headers


def missing_last(items: Iterable[T], value: Callable[[T], Any], *, descending: bool) -> list[T]:
    """``items`` ordered by ``value(item)``, the items without a value (None: not covered, not
    known) last in either direction and in their own order: a missing figure is not a zero,
    and never heads a list sorted from the largest."""
    items = list(items)
    known = [i for i in items if value(i) is not None]
    return sorted(known, key=value, reverse=descending) + [i for i in items if value(i) is None]
