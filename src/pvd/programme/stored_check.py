"""What `pvd programme check` reads besides the text, stored in the shared cache per data version.

The check's verdicts are computed at each run (:mod:`pvd.domain.claims`, pure Python) from the
registry as it reads it, the programme's sources and their one-line form: ``Context``. Stored by
`pvd data load` at its end, or by the first command of a data version (which starts Django and
reads them), read by the next ones
with Django's settings and the shared cache only: no app started (0.15 s of CPU for the whole
process instead of 0.35-0.45 s). The registry's imports and edits, and the referential's loads,
replace the data version (``tests/programme/test_data_version.py``); the key holds the database
too (one data dir may serve SQLite and PostgreSQL) and ``FORMAT``.

Importing this module imports no Django app.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from pvd.domain import claims

# Part of the key: bump when Context, claims.Registry or what fills them changes.
FORMAT = "1"


@dataclass(frozen=True)
class Context:
    registry: claims.Registry  # figures_check.registry_of
    sources: list[dict]  # figures_check.sources_of (the JSON's sources)
    sources_line: str  # selectors.sources_line (the text's last line)


def key(slug: str) -> str | None:
    """Where the context of programme ``slug`` is stored for the data version read now: read it
    before reading the data, so that a context read while an import replaced the version is
    stored under the version it was read from, which nobody asks for any more. None when the
    cache keeps nothing or the SQLite file does not exist. Needs Django's settings only."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
    from pvd import caching

    return caching.stored_key("figures-check-context", FORMAT, slug)


def get(key: str | None) -> Context | None:
    from pvd import caching

    value = caching.stored_get(key)
    return value if isinstance(value, Context) else None


def put(key: str | None, context: Context) -> None:
    from pvd import caching

    caching.stored_put(key, context)


def build(slug: str) -> Context | None:
    """What the check reads for programme ``slug``, from the database (Django started); None
    when there is no such programme."""
    from pvd.programme import figures_check, selectors

    prog = selectors.programme_get(slug=slug)
    if prog is None:
        return None
    return Context(
        registry=figures_check.registry_of(prog),
        sources=figures_check.sources_of(prog),
        sources_line=selectors.sources_line(programme=prog),
    )


def prebuild() -> int:
    """Store the context of every programme for the current data version (`pvd data load` calls
    it at its end); returns how many."""
    from pvd.programme.models import Programme

    count = 0
    for slug in Programme.objects.order_by("slug").values_list("slug", flat=True):
        where = key(slug)  # the version before reading the data
        context = build(slug)
        if where is not None and context is not None:
            put(where, context)
            count += 1
    return count
