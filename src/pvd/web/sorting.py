"""Sortable table headers driven by the query string (``?tri=-population``).

Links, not buttons: sorting works without JavaScript, and the current order is announced by
``aria-sort`` on the header cell and shown by an arrow, not by colour.
"""

from __future__ import annotations

from dataclasses import dataclass

from pvd.territories.selectors import SORTS

DEFAULT_SORT = "nom"
# Direction used when a column is first clicked: names and codes A→Z, populations largest first.
FIRST_DIRECTION = {"nom": "nom", "code": "code", "population": "-population"}


def sort_param(raw: str | None) -> str:
    """The ``tri`` parameter if it is a known order, else the default (never an error)."""
    return raw if raw in SORTS else DEFAULT_SORT


@dataclass(frozen=True)
class SortHeader:
    label: str
    href: str
    aria_sort: str  # "ascending", "descending" or "" (not sorted by this column)
    arrow: str
    action: str  # what following the link does, for screen readers


def sort_headers(current: str, labels: dict[str, str]) -> dict[str, SortHeader]:
    """One header per sortable column key ("nom", "code", "population")."""
    headers = {}
    for key, label in labels.items():
        if current == key:
            aria, arrow, target = "ascending", "▲", f"-{key}"
        elif current == f"-{key}":
            aria, arrow, target = "descending", "▼", key
        else:
            aria, arrow, target = "", "", FIRST_DIRECTION[key]
        order = "décroissant" if target.startswith("-") else "croissant"
        headers[key] = SortHeader(
            label=label,
            href=f"?tri={target}",
            aria_sort=aria,
            arrow=arrow,
            action=f"trier par ordre {order}",
        )
    return headers


SORT_CAPTIONS = {
    "nom": "par nom, de A à Z",
    "-nom": "par nom, de Z à A",
    "code": "par code INSEE croissant",
    "-code": "par code INSEE décroissant",
    "population": "par population croissante",
    "-population": "par population décroissante",
}
