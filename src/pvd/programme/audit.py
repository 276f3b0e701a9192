"""The registry's change history: who writes (a user or an import) and one ``Changement`` row
per write. Every service of the registry (imports, web, API, admin) goes through here."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pvd.programme.models import Changement, Programme


@dataclass(frozen=True)
class Actor:
    """Who writes: a user (web, API, admin) or an import (CLI user name and file)."""

    origine: str
    user: Any = None
    auteur: str = ""

    @classmethod
    def import_of(cls, path: str) -> Actor:
        try:
            who = getpass.getuser()
        except Exception:  # no login name in some containers
            who = "inconnu"
        return cls("import", None, f"import {Path(path).name} ({who})"[:200])


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def change(
    actor: Actor,
    *,
    programme: Programme | None,
    objet: str,
    objet_id: int,
    libelle: str,
    commune_code: str,
    action: str,
    changes: dict,
    at,
) -> Changement:
    """An unsaved ``Changement`` (imports bulk-create them; single edits ``.save()``)."""
    user = actor.user if actor.user is not None and actor.user.is_authenticated else None
    return Changement(
        at=at,
        user=user,
        origine=actor.origine,
        auteur=actor.auteur,
        programme=programme,
        objet=objet,
        objet_id=objet_id,
        libelle=libelle[:300],
        commune_code=commune_code,
        action=action,
        changes={k: [_jsonable(a), _jsonable(b)] for k, (a, b) in changes.items()},
    )


def fmt(value: Any) -> str:
    """A value in a change line: ∅ for missing, ISO dates."""
    if value is None or value == "":
        return "∅"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def assign_changes(obj: Any, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Set ``values`` on ``obj`` and return what changed, ``{field: (before, after)}`` (empty
    when nothing did): the diff every registry write logs."""
    diff = {k: (getattr(obj, k), v) for k, v in values.items() if getattr(obj, k) != v}
    for k, (_, v) in diff.items():
        setattr(obj, k, v)
    return diff
