"""The centrality levels of the 2020 study (keys, ranks, French labels), without polars: read by
the eligibility rules (:mod:`pvd.domain.eligibility_rules`) and served by
:mod:`pvd.domain.centrality`, which computes them."""

from __future__ import annotations

# Level keys, lowest first. "non_centre" = 0 ... "majeur" = 4.
LEVELS = ("non_centre", "local", "intermediaire", "structurant", "majeur")
LEVEL_RANK = {key: i for i, key in enumerate(LEVELS)}
LEVEL_LABELS = {
    "non_centre": "commune non centre",
    "local": "centre local d'équipements et de services",
    "intermediaire": "centre intermédiaire d'équipements et de services",
    "structurant": "centre structurant d'équipements et de services",
    "majeur": "centre majeur d'équipements et de services",
}
LEVEL_SHORT = {
    "non_centre": "non centre",
    "local": "centre local",
    "intermediaire": "centre intermédiaire",
    "structurant": "centre structurant",
    "majeur": "centre majeur",
}
