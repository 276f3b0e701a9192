"""One-department runs of the built-in scenario, stored in the shared cache per data version.

`pvd selection run --departement D` (scenario ``pvd``, the default) prints a stored run when
there is one: it reads Django's settings and the shared cache only, starts no app and imports
neither polars nor numpy (about 0.2 s of CPU for the whole process, against 0.9 s to start
Django and polars and score). A stored run is the CSV and the stderr sentence the command
printed for D: the rows of the national run for D (``selectors.run``, percentiles, criteria,
ranks and envelopes national), written

- for every department by ``prebuild`` (one national run, `pvd data load` calls it at its end),
- for one department by the command that found none (``Slot.put``).

Importing this module imports neither Django's apps nor polars.

The key holds what the output depends on:
- the data version (``pvd.caching``): every import and build that changes the model's inputs
  (referential, populations, indicators, centrality) replaces it;
- the database (one data dir, hence one shared cache, may be used with SQLite and PostgreSQL);
- a fingerprint of the code that scores (``pvd.domain``, ``pvd.selection``, polars: name, size
  and modification time of their files): an upgrade or an edit of the rules is a new key;
- the options: centrality source, department, ``--eligibles``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import cache

SLUG = "pvd"  # the built-in scenario, whose rules are in the code (no row to read)


@dataclass(frozen=True)
class StoredRun:
    csv: str  # the CSV the command writes (header included)
    resume: str  # the sentence on stderr (centrality source)
    rows: int
    eligibles: int


def _files(root: str) -> list[tuple[str, int, int]]:
    out = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "templates", "migrations"))
        for name in sorted(names):
            if name.endswith(".py"):
                st = os.stat(os.path.join(folder, name))
                out.append((os.path.join(folder, name), st.st_size, st.st_mtime_ns))
    return out


@cache
def code_fingerprint() -> str:
    """Name, size and modification time of the scoring code's files (``pvd.domain``,
    ``pvd.selection``) and of polars' (which writes the CSV): read without importing them."""
    import importlib.util

    here = os.path.dirname(os.path.abspath(__file__))
    entries = _files(here) + _files(os.path.join(os.path.dirname(here), "domain"))
    spec = importlib.util.find_spec("polars")
    if spec is not None and spec.origin:
        st = os.stat(spec.origin)
        entries.append((spec.origin, st.st_size, st.st_mtime_ns))
    return hashlib.sha256(repr(entries).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Slot:
    """Where a department's runs are stored for the data version read when the slot was made
    (``current``): a run computed while an import replaced the version is stored under the
    version it was computed from, which nobody asks for any more."""

    version: str | None  # None when the cache keeps nothing (PVD_CACHE=none)
    departement: str
    centralite_source: str | None
    database: str | None = None

    @classmethod
    def current(cls, departement: str, centralite_source: str | None) -> Slot:
        """Needs Django's settings, not ``django.setup()``."""
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
        from pvd import caching

        version, database = caching.data_version(), caching.database_identity()
        if version == caching.UNCACHED or database is None:
            version = None
        return cls(version, departement, centralite_source, database)

    def key(self, eligibles: bool) -> str | None:
        if self.version is None:
            return None
        parts = ("selection-run", self.database, code_fingerprint(), SLUG)
        parts += (self.centralite_source or "", self.departement, int(eligibles))
        return ":".join(["pvd", self.version, *(str(p) for p in parts)])

    def get(self, eligibles: bool) -> StoredRun | None:
        from django.core.cache import cache as django_cache

        key = self.key(eligibles)
        value = django_cache.get(key) if key else None
        return value if isinstance(value, StoredRun) else None

    def put(self, result, rules, data=None) -> None:
        """Store a department's run ``result`` (both outputs); an empty one is not stored."""
        if result.is_empty() or self.version is None:
            return
        self.store(runs_of(result, rules, data))

    def store(self, runs: dict[bool, StoredRun]) -> None:
        """Store the two outputs of a department's run (``runs_of``)."""
        from django.core.cache import cache as django_cache

        if self.version is None:
            return
        for eligibles, run in runs.items():
            django_cache.set(self.key(eligibles), run, timeout=None)


def _key(departement: str, eligibles: bool, centralite_source: str | None) -> str | None:
    return Slot.current(departement, centralite_source).key(eligibles)


def lookup(*, departement: str, eligibles: bool, centralite_source: str | None) -> StoredRun | None:
    """The stored run for the current data version, or None."""
    return Slot.current(departement, centralite_source).get(eligibles)


def runs_of(result, rules, data=None, which=(False, True)) -> dict[bool, StoredRun]:
    """The outputs (``which``: all the communes, eligible ones only) of a run ``result``
    (``selectors.run``), as the command prints them: stored or computed, one printing."""
    import polars as pl

    from pvd.selection import selectors

    out = {}
    for eligibles in which:
        frame = result.filter(pl.col("eligible")) if eligibles else result
        out[eligibles] = StoredRun(
            csv=frame.select(selectors.EXPORT_COLUMNS).write_csv(),
            resume=selectors.centrality_used(frame, rules, data)["resume"],
            rows=frame.height,
            eligibles=int(frame.get_column("eligible").sum()),
        )
    return out


def prebuild() -> int:
    """Store the built-in scenario's run of every department from one national run (with the
    default centrality source); returns the number of departments."""
    from pvd.selection import selectors

    rules = selectors.BUILTIN[SLUG][2]
    first = Slot.current("", None)  # the version before reading the data
    data = selectors.inputs()
    if first.version is None:  # the cache keeps nothing
        return 0
    national = selectors.run(rules=rules, data=data)
    count = 0
    for part in national.partition_by("dep", maintain_order=True):
        dep = part.get_column("dep")[0]
        if dep is not None:
            Slot(first.version, dep, None, first.database).put(part, rules, data)
            count += 1
    return count


def print_run(run: StoredRun, output: str) -> None:
    """Print a stored run as ``selection run`` prints a computed one."""
    import sys

    import click

    click.echo(run.resume, err=True)
    if output == "-":
        sys.stdout.write(run.csv)
    else:
        with open(output, "w", encoding="utf-8", newline="") as f:
            f.write(run.csv)
        click.echo(
            f"{run.rows} communes écrites dans {output} ({run.eligibles} éligibles)", err=True
        )
