"""One place for caching what only changes with the data (pages, dashboards, indexes).

Every key carries the *data version*: a token kept in Django's shared cache (``CACHES``; by
default a disk cache in PVD_DATA_DIR that every gunicorn worker and every ``pvd`` command reads),
which the services that change the data replace (``bump_data_version``). A replaced token makes
every entry built before it unreachable, in every process at once: nothing has to be deleted.

- ``shared(key, compute)``: a value computed once for all processes (pickled: pages, small data).
- ``ProcessMemo``: a large object kept in each process (an index, model inputs), rebuilt when
  the data version changed; one lock per memo; keyed by ``database_key()``.
- ``stored_key`` / ``stored_get`` / ``stored_put`` / ``stored_shared``: what a read-only command
  reads before starting any app (Django's settings and the shared cache only).

The token is replaced twice: at once (the same process sees its own change, even inside a
transaction) and again after the commit (a reader that read the old rows between the first
replacement and the commit cached them under a version nobody asks for any more).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Generic, TypeVar

from diskcache import Disk, DjangoCache
from diskcache.core import MODE_TEXT, UNKNOWN
from django.core.cache import cache
from django.db import connection, transaction

T = TypeVar("T")

VERSION_KEY = "pvd:data-version"
UNCACHED = "uncached"  # the version when the cache keeps nothing (PVD_CACHE=none)


def _new_token() -> str:
    return uuid.uuid4().hex[:16]


# Inside one request (``one_version``), the version read first, kept for the request's other
# reads: a page asks for it a dozen times (its memos, its cached parts), each a read of the
# shared cache's file. None outside a request: every call reads the shared cache.
_request_version: ContextVar[list[str | None] | None] = ContextVar("pvd_version", default=None)


def data_version() -> str:
    """The current data version (created when the cache holds none: after a clear, a start)."""
    kept = _request_version.get()
    if kept is not None and kept[0] is not None:
        return kept[0]
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _new_token(), timeout=None)
        version = cache.get(VERSION_KEY)
    # PVD_CACHE=none (a dummy cache keeps nothing): every value is computed again anyway.
    version = version if version is not None else UNCACHED
    if kept is not None:
        kept[0] = version
    return version


@contextmanager
def one_version() -> Iterator[None]:
    """Within the block (one request: ``pvd.web.middleware``), the data version is read once;
    a change made by the block itself (``bump_data_version``) is seen at once."""
    token = _request_version.set([None])
    try:
        yield
    finally:
        _request_version.reset(token)


def _forget_request_version() -> None:
    kept = _request_version.get()
    if kept is not None:
        kept[0] = None


def bump_data_version() -> None:
    """Say that the data changed: every cached page and memo is rebuilt on its next use."""
    cache.set(VERSION_KEY, _new_token(), timeout=None)
    _forget_request_version()

    def after_commit() -> None:
        cache.set(VERSION_KEY, _new_token(), timeout=None)
        _forget_request_version()

    transaction.on_commit(after_commit)


# The network's own data (practices, profiles): its writes replace this token only, so that a
# practice or a profile saved does not empty every cached page of the platform. What depends on
# them keys its values on ``network_version()`` as well (the data version still covers the
# referential and the registry they are shown with).
NETWORK_VERSION_KEY = "pvd:network-version"


# The projets de territoire's existence (which groups have one): a projet created or deleted
# replaces this token only (``pvd.projects`` bumps it on every save and delete of a Projet).
PROJECTS_VERSION_KEY = "pvd:projects-version"


def _version_of(key: str) -> str:
    version = cache.get(key)
    if version is None:
        cache.add(key, _new_token(), timeout=None)
        version = cache.get(key)
    return version if version is not None else UNCACHED


def _bump(key: str) -> None:
    cache.set(key, _new_token(), timeout=None)
    transaction.on_commit(lambda: cache.set(key, _new_token(), timeout=None))


def network_version() -> str:
    """The current version of the network's data (practices, profiles)."""
    return _version_of(NETWORK_VERSION_KEY)


def bump_network_version() -> None:
    """Say that the network's data changed (at once, and again after the commit)."""
    _bump(NETWORK_VERSION_KEY)


def projects_version() -> str:
    """The current version of the projets' existence (which groups have one)."""
    return _version_of(PROJECTS_VERSION_KEY)


def bump_projects_version() -> None:
    """Say that a projet was created or deleted (at once, and again after the commit)."""
    _bump(PROJECTS_VERSION_KEY)


def database_identity() -> str | None:
    """The database's identity, for the keys of what one data dir (one shared cache) may keep
    for SQLite and PostgreSQL alike; for SQLite, its file's too (a file deleted and made again
    is another database); None when the SQLite file does not exist. Reads the settings only."""
    import hashlib
    import os

    from django.conf import settings

    db = settings.DATABASES["default"]
    ident = [db.get(k) for k in ("ENGINE", "NAME", "HOST", "PORT")]
    name = str(db.get("NAME"))
    if "sqlite" in str(db.get("ENGINE")) and name != ":memory:" and not name.startswith("file:"):
        try:
            st = os.stat(db["NAME"])
        except (OSError, TypeError, ValueError):
            return None
        ident += [st.st_dev, st.st_ino]
    return hashlib.sha256(repr(ident).encode()).hexdigest()[:12]


_MISSING = object()


def database_key() -> tuple[str, str, str]:
    """The current connection's database, as the per-process memos key what they keep (one
    process may serve several databases: the tests do). Reads the connection's settings only,
    no system call: a page asks for it several times."""
    s = connection.settings_dict
    return (connection.vendor, s["NAME"], s.get("HOST") or "")


def versioned_key(*parts: object) -> str:
    """A cache key valid for the current data version only."""
    return ":".join(["pvd", data_version(), *(str(p) for p in parts)])


# --- Stored for the commands: read with Django's settings and the shared cache only ---------
# A read-only command (`pvd programme check`, `pvd outcomes show`) reads what an earlier command
# or `pvd data load` stored for the current data version and database before starting any app.


def stored_key(*parts: object) -> str | None:
    """The shared cache's key of ``parts`` for the current data version and database. Read it
    before reading the data it names: a value read while an import replaced the version is then
    stored under the former version, which nobody asks for any more. None when the cache keeps
    nothing or the SQLite file does not exist (nothing is stored then)."""
    database = database_identity()
    if database is None or data_version() == UNCACHED:
        return None
    return versioned_key(*parts, database)


def stored_get(key: str | None) -> object | None:
    """The value stored under ``key`` (from :func:`stored_key`), None when there is none."""
    return cache.get(key) if key is not None else None


def stored_put(key: str | None, value: object) -> None:
    """Store ``value`` under ``key`` (from :func:`stored_key`) until the data version changes."""
    if key is not None:
        cache.set(key, value, timeout=None)


def stored_shared(key: str | None, compute: Callable[[], T]) -> T:
    """The value stored under ``key``, else ``compute()`` stored there (a stored None is a value)."""
    return compute() if key is None else _get_or_set(key, compute, None)


def _get_or_set(full: str, compute: Callable[[], T], timeout: float | None) -> T:
    value = cache.get(full, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(full, value, timeout=timeout)
    return value


def shared(key: str | tuple, compute: Callable[[], T], *, timeout: float | None = None) -> T:
    """``compute()`` once per data version for every process; ``key`` names the value."""
    parts = key if isinstance(key, tuple) else (key,)
    return _get_or_set(versioned_key(*parts), compute, timeout)


class ProcessMemo(Generic[T]):
    """Values kept in this process, valid for one data version (at most ``size`` of them): the
    one per-process cache of the platform for what the data change (the other memos keep pure
    functions of their arguments: ``lru_cache`` on immutable inputs, the rendering filters' texts,
    the compiled SQL of ``pvd.territories.selectors_sql``).

    ``versioned=False``: the values do not depend on the data version but on a ``token`` the
    caller reads (a file's identity, a fingerprint of rows): ``get(key, compute, token=...)``
    keeps one value per key, replaced when the token changes; kept even with ``PVD_CACHE=none``
    (the token tells a change)."""

    def __init__(self, name: str, size: int = 64, *, versioned: bool = True) -> None:
        self.name = name
        self.size = size
        self.versioned = versioned
        self._lock = threading.Lock()
        self._version: str | None = None
        self._values: dict[Hashable, tuple[Hashable, T]] = {}
        self._filling: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, compute: Callable[[], T], *, token: Hashable = None) -> T:
        version = data_version() if self.versioned else None
        if version == UNCACHED:  # PVD_CACHE=none: no version tells a change, keep nothing
            return compute()
        with self._lock:
            found = self._kept(version, key, token)
            if found is not _MISSING:
                return found
            filling = self._filling.setdefault(key, threading.Lock())
        # One thread computes a key, the others wait for its value (a country-wide fill is not
        # run once per thread); a slow key does not block the other keys.
        with filling:
            with self._lock:
                found = self._kept(version, key, token)
            if found is not _MISSING:
                return found
            value = compute()
            with self._lock:
                if self._version != version:
                    self._values.clear()
                    self._version = version
                if len(self._values) >= self.size and key not in self._values:
                    self._values.clear()
                self._values[key] = (token, value)
                self._filling.pop(key, None)
        return value

    def _kept(self, version: str | None, key: Hashable, token: Hashable):
        if self._version == version and key in self._values:
            kept_token, value = self._values[key]
            if kept_token == token:
                return value
        return _MISSING

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._version = None


class _TextInOneWrite(Disk):
    """diskcache's storage, a long text (a page body over ``min_file_size``, 32 kB) written to
    its file in one call: diskcache writes it line by line (``io.StringIO``: ~1,000 writes for a
    portrait's body), 0.78-0.82 ms a store against 0.32-0.59 ms so. Same file (UTF-8), same
    size and mode recorded: entries written by either are read by both."""

    def store(self, value, read, key=UNKNOWN):
        if type(value) is str and len(value) >= self.min_file_size:
            data = value.encode("utf-8")
            filename, full_path = self.filename(key, value)
            self._write(full_path, (data,), "xb")
            return len(data), MODE_TEXT, filename, None
        return super().store(value, read, key)


class DiskCache(DjangoCache):
    """diskcache's Django backend, left open when a request ends: Django closes every cache
    then (``request_finished``), and reopening the SQLite file of the cache costs about 2 ms per
    request, more than a search. diskcache reopens it by itself in a forked worker. Long texts
    are written in one call (``_TextInOneWrite``)."""

    def __init__(self, directory, params):
        options = {"disk": _TextInOneWrite, **params.get("OPTIONS", {})}
        super().__init__(directory, {**params, "OPTIONS": options})

    def close(self, **kwargs) -> None:
        pass
