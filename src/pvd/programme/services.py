"""Writes to the programme registry. One transaction per service; every write leaves a
``Changement`` row (who, when, what; :mod:`pvd.programme.audit`).

The list imports (laureates, ORT) run on one pipeline (:mod:`pvd.programme.pipeline`; lists
declared in :mod:`pvd.programme.imports` and :mod:`pvd.programme.ort_import`); this module
keeps the editing services (web, API, admin). The import names, the programmes
(:mod:`pvd.programme.programmes`) and the current-geography entry point of the imports
(``_geography``, :mod:`pvd.programme.import_geography`) stay importable from here; none of
those modules imports this one.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from pvd import access
from pvd.access import PermissionDenied  # noqa: F401  (the one class, importable from here)
from pvd.caching import bump_data_version
from pvd.domain.rebase import CurrentGeography
from pvd.programme.audit import Actor, assign_changes, record
from pvd.programme.import_geography import CommuneInfo  # noqa: F401  (importable from here)
from pvd.programme.import_geography import current_communes as _geography  # noqa: F401
from pvd.programme.models import Laureat, Perimetre
from pvd.programme.permissions import user_scopes  # noqa: F401  (importable from here)
from pvd.programme.programmes import BUILTIN_PROGRAMMES, programme_get  # noqa: F401

if TYPE_CHECKING:
    from pvd.programme.import_report import RegistryImportReport


def __getattr__(name: str):
    """``ISSUE_LABELS`` and ``RegistryImportReport`` stay importable from here, loaded on use:
    their module reads the official lists (polars), which the network's access rules, imported
    by every Django start through this module, never need (0.3 s of a read-only command)."""
    if name in ("ISSUE_LABELS", "RegistryImportReport"):
        from pvd.programme import import_report

        return getattr(import_report, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

def _resolve(
    code: str,
    line: int,
    current: dict[str, CommuneInfo],
    geo: CurrentGeography,
    report: RegistryImportReport,
    seen: dict[int, int],
) -> CommuneInfo | None:
    """See :func:`pvd.programme.pipeline.resolve` (kept here for callers of the old name)."""
    from pvd.programme.pipeline import resolve

    return resolve(code, line, current, geo, report, seen)


# --- Programmes and imports ------------------------------------------------------------------


def laureates_import(**kwargs) -> RegistryImportReport:
    """See :func:`pvd.programme.imports.laureates_import`."""
    from pvd.programme.imports import laureates_import as run

    return run(**kwargs)


def ort_import(**kwargs) -> RegistryImportReport:
    """See :func:`pvd.programme.imports.ort_import`."""
    from pvd.programme.ort_import import ort_import as run

    return run(**kwargs)


# --- Editing (web, API) ----------------------------------------------------------------------


def can_edit(user, *, departement_id: str, region_id: str) -> bool:
    """Superusers edit everything; other users within the scopes of their groups
    (``programme.edit_laureate`` of :mod:`pvd.access`)."""
    place = access.Place(departement_id=departement_id, region_id=region_id)
    return access.has(user, "programme.edit_laureate", place)


def can_read_notes(user, *, groupe=None, departement_id: str, region_id: str) -> bool:
    """Who reads the notes of a laureate or a group and its change history (who changed what):
    superusers, the agents whose scope covers the territory (prefecture, region, national: those
    who write them) and the project team of the group (``programme.read_notes``)."""
    place = SimpleNamespace(departement_id=departement_id, region_id=region_id, groupe=groupe)
    return access.has(user, "programme.read_notes", place)


EDITABLE = (
    "statut",
    "date_selection",
    "date_convention_adhesion",
    "date_chef_projet",
    "date_convention_cadre",
    "notes",
)


def laureate_update(*, laureat: Laureat, user, values: dict, origine: str = "web") -> dict:
    """Change editable fields of a laureate after checking the user's scope; returns the diff."""
    commune = laureat.commune
    access.require(user, "programme.edit_laureate", laureat)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValueError(f"champs non modifiables : {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = Laureat.objects.select_for_update().get(pk=laureat.pk)
        if values.get("statut") == Laureat.Statut.SORTI and locked.statut != Laureat.Statut.SORTI:
            values = {**values, "date_sortie": timezone.localdate()}
        elif values.get("statut") == Laureat.Statut.ACTIF:
            values = {**values, "date_sortie": None}
        diff = assign_changes(locked, values)
        if not diff:
            return {}
        locked.save()
        record(
            Actor(origine, user),
            programme=locked.programme,
            objet="laureat",
            objet_id=locked.pk,
            libelle=f"{commune.nom} ({commune.departement_id})",
            commune_code=commune.code,
            action="modification",
            changes=diff,
        )
        bump_data_version()
    for k, (_, v) in diff.items():
        setattr(laureat, k, v)
    return diff


def scope_group_ensure(*, niveau: str, code: str | None = None) -> Perimetre:
    """The auth group (and its scope) for national, ``region`` or ``departement`` editing."""
    from django.contrib.auth.models import Group

    from pvd.territories.models import Departement, Region

    with transaction.atomic():
        if niveau == Perimetre.Niveau.NATIONAL:
            group, _ = Group.objects.get_or_create(name="Programme — national")
            scope, _ = Perimetre.objects.get_or_create(group=group, defaults={"niveau": niveau})
        elif niveau == Perimetre.Niveau.REGION:
            region = Region.objects.get(code=code)
            group, _ = Group.objects.get_or_create(
                name=f"Programme — région {region.code} {region.nom}"
            )
            scope, _ = Perimetre.objects.get_or_create(
                group=group, defaults={"niveau": niveau, "region": region}
            )
        elif niveau == Perimetre.Niveau.DEPARTEMENT:
            dep = Departement.objects.get(code=code)
            group, _ = Group.objects.get_or_create(
                name=f"Programme — département {dep.code} {dep.nom}"
            )
            scope, _ = Perimetre.objects.get_or_create(
                group=group, defaults={"niveau": niveau, "departement": dep}
            )
        else:
            raise ValueError(f"niveau inconnu : {niveau}")
    return scope
