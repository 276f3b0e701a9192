"""What `pvd outcomes show` prints, stored in the shared cache per data version without a frame.

The analysis (``services.Computed``) holds polars frames (the towns, their series): reading it
back imports polars and numpy, about 0.3 s of a command's start. Its printed forms for every
scope but a commune (the France summary, each group, each breakdown, the check before the
programme, the design, the balance, the sources and caveats) are plain dicts, lists, numbers and
texts: ``Summary`` keeps them, built once from the analysis (``report.summary_of``) and read back
by the command alone. A commune's trajectory is stored the same way, one per commune asked for.

Importing this module imports neither polars nor numpy, nor the analysis' modules.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

# Part of every key of the analysis (services.outcomes_compute) and of its stored forms: bump
# when the method or the Computed fields change.
DESIGN = "v2"
# Part of the stored forms' keys: bump when Summary or what fills it (pvd.outcomes.report) changes.
SUMMARY_FORMAT = "1"


@dataclass(frozen=True)
class Summary:
    """The analysis as `pvd outcomes show` prints it (``report`` computed each part)."""

    available: bool  # False: no analysis, ``reason`` says why (every part below is empty)
    reason: str
    token: str  # made with the summary: part of the communes' keys (see ``town_parts``)
    dimensions: tuple[str, ...]  # the breakdowns' names (pvd.domain.outcomes.DIMENSIONS)
    france: dict | None = None  # report.summary(c)
    breakdowns: dict[str, list[dict]] = field(default_factory=dict)  # report.breakdown(c, dim)
    placebo: dict | None = None
    design: dict = field(default_factory=dict)
    balance: list[dict] = field(default_factory=list)
    provenance: dict = field(default_factory=dict)
    source_rows: list[list[str]] = field(default_factory=list)

    def town_parts(self, code: str) -> tuple:
        """The key parts of a commune's trajectory computed with this summary's analysis (a
        summary stored again after ``pvd outcomes compute`` leaves the former ones behind)."""
        return ("town", self.token, code)

    def group(self, dimension: str, value: str) -> dict | None:
        """report.summary(c, dimension, value): that row of the dimension's breakdown."""
        prefix = f"{dimension}:{value}"
        return next((r for r in self.breakdowns.get(dimension, []) if r["perimetre"] == prefix), None)


# Scope names of the CLI: "france", "<dimension>:<value>", or a dimension alone (its breakdown).
SCOPE_HELP = (
    "france, region:84, departement:23, bande:2000-5000, ort:signee, signature:apres, "
    "commune:01001, or a breakdown: region, departement, bande, ort, signature"
)


def parse_scope(scope: str, dimensions) -> tuple[str, str | None, str | None]:
    """("france"|"breakdown"|"group"|"commune", dimension, value); ValueError when unknown.
    ``dimensions``: the breakdowns' names."""
    if scope == "france":
        return "france", None, None
    if scope in dimensions:
        return "breakdown", scope, None
    kind, _, value = scope.partition(":")
    if kind == "commune" and value:
        return "commune", None, value
    if kind in dimensions and value:
        return "group", kind, value
    raise ValueError(f"périmètre inconnu : {scope!r} (attendu : {SCOPE_HELP})")


def _key(*parts: object) -> str | None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
    from pvd import caching

    return caching.stored_key("outcomes-shown", DESIGN, SUMMARY_FORMAT, *parts)


def get(*parts: object):
    """The stored value of ``parts`` (("summary",) or ``Summary.town_parts``) for the current
    data version, or None. Needs Django's settings, not ``django.setup()``: a command reads it
    before starting any app."""
    from pvd import caching

    return caching.stored_get(_key(*parts))


def shared(parts: tuple, compute):
    """``compute()`` stored under ``parts`` for the current data version (every process)."""
    from pvd import caching

    return caching.stored_shared(_key(*parts), compute)


def put(parts: tuple, value) -> None:
    """Replace the stored value of ``parts`` (after the analysis was computed again)."""
    from pvd import caching

    caching.stored_put(_key(*parts), value)
