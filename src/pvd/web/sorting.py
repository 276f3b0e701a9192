"""The towns' lists' sortable columns (``?tri=-population``); the headers are built by
:mod:`pvd.domain.sorting` and drawn by ``web/includes/sort_th.html``, like every sortable table.
"""

from __future__ import annotations

from pvd.domain.sorting import SortHeader  # noqa: F401  (importable from here)
from pvd.domain.sorting import sort_headers as build_headers
from pvd.territories.selectors import SORTS

DEFAULT_SORT = "nom"
# Direction used when a column is first clicked: names and codes A→Z, populations largest first.
FIRST_DIRECTION = {"nom": "nom", "code": "code", "population": "-population"}


def sort_param(raw: str | None) -> str:
    """The ``tri`` parameter if it is a known order, else the default (never an error)."""
    return raw if raw in SORTS else DEFAULT_SORT


def sort_headers(current: str, labels: dict[str, str]) -> dict[str, SortHeader]:
    """One header per sortable column key ("nom", "code", "population")."""
    first_descending = {k for k, v in FIRST_DIRECTION.items() if v.startswith("-")}
    return build_headers(current, labels, descending_first=first_descending)


SORT_CAPTIONS = {
    "nom": "par nom, de A à Z",
    "-nom": "par nom, de Z à A",
    "code": "par code INSEE croissant",
    "-code": "par code INSEE décroissant",
    "population": "par population croissante",
    "-population": "par population décroissante",
}
