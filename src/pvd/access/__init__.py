"""Who may do what: one table of named permissions, each a predicate over ``(user, object)``.

Every permission of the platform is declared once, by the app that owns the objects, in its
``permissions.py`` module (imported by the app's ``AppConfig.ready()``)::

    from pvd import access

    access.register(
        "programme.edit_laureate",
        access.superuser | access.in_scope,
        refusal=lambda user, laureat: f"Vous n'avez pas les droits pour modifier {laureat}.",
    )

and is checked everywhere by its name: services (:func:`require` raises the one
:class:`PermissionDenied`), views and the API (:func:`has`, :func:`refusal`), templates
(``{% load access %}{% allowed "projects.edit" groupe as can %}``, :mod:`pvd.web.templatetags.access`).
:func:`table` lists them all (``pvd config``-style documentation and the matrix test).

Predicates compose with ``&``, ``|`` and ``~`` (evaluated left to right, short-circuit) and may
refer to another app's permission by name (:func:`rule`), so that an app extends the table
without importing another app. The user's territorial scope (national, regions, departments:
``programme.Perimetre``) is read through :func:`scope_of`, whose provider the programme app
installs (:func:`set_scope_provider`).

Facts a check needs several times (the user's scope, a team role, a read-only reason) are
computed once per check through :func:`memo`; nothing is kept between checks (a scope or a team
changed in between is seen at once).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from pvd.access.scope import Place, Scope

__all__ = [
    "Permission",
    "PermissionDenied",
    "Place",
    "Predicate",
    "Scope",
    "authenticated",
    "evaluation",
    "has",
    "in_scope",
    "memo",
    "predicate",
    "reason_of",
    "refusal",
    "register",
    "require",
    "rule",
    "scope_of",
    "set_scope_provider",
    "superuser",
    "table",
]


class PermissionDenied(Exception):
    """The user may not do this on this object (message in French). The one class of the
    platform: every app's services raise it, views answer 403 with its message."""


class Predicate:
    """A test over ``(user, obj)``; ``&``, ``|``, ``~`` build new predicates."""

    def __init__(self, fn: Callable[[Any, Any], bool], name: str = "") -> None:
        self.fn = fn
        self.name = name or getattr(fn, "__name__", "predicate")

    def __call__(self, user, obj=None) -> bool:
        return bool(self.fn(user, obj))

    def __and__(self, other: Predicate) -> Predicate:
        return Predicate(lambda u, o: self(u, o) and other(u, o), f"({self.name} & {other.name})")

    def __or__(self, other: Predicate) -> Predicate:
        return Predicate(lambda u, o: self(u, o) or other(u, o), f"({self.name} | {other.name})")

    def __invert__(self) -> Predicate:
        return Predicate(lambda u, o: not self(u, o), f"~{self.name}")

    def __repr__(self) -> str:
        return f"<Predicate {self.name}>"


def predicate(fn: Callable[[Any, Any], bool]) -> Predicate:
    """Decorator: a function ``(user, obj) -> bool`` as a composable predicate."""
    return Predicate(fn)


@dataclass(frozen=True)
class Permission:
    name: str
    test: Predicate
    # The French message of a refusal: ``(user, obj) -> str``.
    message: Callable[[Any, Any], str]
    # A more specific reason that wins over the message when it is not "" (e.g. "ce projet est
    # en lecture seule : ..."): ``(user, obj) -> str``.
    reason: Callable[[Any, Any], str] | None = None


_TABLE: dict[str, Permission] = {}


def register(
    name: str,
    test: Predicate,
    *,
    message: str | Callable[[Any, Any], str] = "Vous n'avez pas les droits pour cette action.",
    reason: Callable[[Any, Any], str] | None = None,
) -> Permission:
    """Declare the permission ``name`` ("app.verb_object"). Registering a name again replaces
    it (an app's ``ready()`` may run twice in tests); names are the apps' own prefixes."""
    if "." not in name:
        raise ValueError(f"permission name without its app prefix: {name!r}")
    msg = message if callable(message) else (lambda u, o, _m=message: _m)
    perm = Permission(name, test, msg, reason)
    _TABLE[name] = perm
    return perm


def table() -> dict[str, Permission]:
    """Every declared permission by name (a copy)."""
    return dict(sorted(_TABLE.items()))


def _get(name: str) -> Permission:
    try:
        return _TABLE[name]
    except KeyError:
        raise KeyError(f"permission inconnue : {name} (déclarées : {', '.join(table())})") from None


# --- Checking ---------------------------------------------------------------------------------

_memo: ContextVar[dict | None] = ContextVar("pvd_access_memo", default=None)


@contextmanager
def evaluation() -> Iterator[None]:
    """One check (or a bundle of checks on one object): facts asked through :func:`memo` are
    computed once inside it."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def memo(key: tuple, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per evaluation for ``key`` (outside one: every time)."""
    cache = _memo.get()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def has(user, name: str, obj: Any = None) -> bool:
    """Whether ``user`` has the permission ``name`` on ``obj``."""
    perm = _get(name)
    with evaluation():
        return perm.test(user, obj)


def reason_of(user, name: str, obj: Any = None) -> str:
    """The permission's specific reason for refusing ``user`` (e.g. a read-only project), ""
    when none applies (the refusal, if any, comes from the user's role)."""
    perm = _get(name)
    with evaluation():
        return perm.reason(user, obj) if perm.reason else ""


def refusal(user, name: str, obj: Any = None) -> str:
    """The French reason ``user`` is refused ``name`` on ``obj`` (the specific reason when the
    permission has one that applies, else its message)."""
    perm = _get(name)
    with evaluation():
        specific = perm.reason(user, obj) if perm.reason else ""
        return specific or perm.message(user, obj)


def require(user, name: str, obj: Any = None, *, message: str | None = None) -> None:
    """Raise :class:`PermissionDenied` unless ``user`` has ``name`` on ``obj``; the message is
    the permission's specific reason when one applies, else ``message`` or the permission's."""
    perm = _get(name)
    with evaluation():
        if perm.test(user, obj):
            return
        specific = perm.reason(user, obj) if perm.reason else ""
        raise PermissionDenied(specific or message or perm.message(user, obj))


def rule(name: str) -> Predicate:
    """The predicate of the permission ``name``, looked up when evaluated (another app's
    permission, registered later or not imported here)."""
    return Predicate(lambda u, o: _get(name).test(u, o), name)


# --- The usual predicates ---------------------------------------------------------------------


@predicate
def authenticated(user, obj=None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


superuser = authenticated & Predicate(lambda u, o: u.is_superuser, "is_superuser")


_scope_provider: Callable[[Any], Scope] | None = None


def set_scope_provider(provider: Callable[[Any], Scope]) -> None:
    """Install the function that reads a user's :class:`Scope` (the programme app's)."""
    global _scope_provider
    _scope_provider = provider


def scope_of(user) -> Scope:
    """The territories ``user`` follows (empty for anonymous or inactive users), read once per
    check."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    if _scope_provider is None:
        raise RuntimeError("no scope provider: is the programme app installed?")
    return memo(("scope", user.pk), lambda: _scope_provider(user))


def place(obj: Any) -> tuple[str | None, str | None]:
    """(department, region) of an object of the referential: anything with ``departement_id``
    and ``region_id`` (a commune, a group), or with a ``commune`` (a laureate)."""
    if hasattr(obj, "departement_id"):
        return obj.departement_id, obj.region_id
    commune = getattr(obj, "commune", None)
    if commune is not None:
        return commune.departement_id, commune.region_id
    raise TypeError(f"pas de territoire pour {obj!r}")


@predicate
def in_scope(user, obj) -> bool:
    """The user's scope covers the object's territory (department or its region, or national)."""
    departement_id, region_id = place(obj)
    return scope_of(user).covers(departement_id=departement_id, region_id=region_id)
