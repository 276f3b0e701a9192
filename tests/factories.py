"""Builders of programme and projects data for the tests (plain functions, no dependency).

Each builder writes real rows through the models or the apps' services, with the defaults a
test does not care about, and returns what it built. Communes come from the referential the
test database holds (the embedded COG and populations), so geography is never invented:
a group takes its EPCI, department and region from its first commune.

    from factories import group, laureate_list, project, user
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

PASSWORD = "motdepasse-42"

# The layouts of the official laureate lists (pvd.sources.pvd_list), header lines as published.
LIST_HEADERS = {
    "cartographie": "insee_com,lib_com,id_pvd,date_signature",
    "data.gouv.fr": (
        "insee_com,lib_com,insee_dep,lib_dep,insee_reg,lib_reg,siren_epci,lib_epci,date_signature"
    ),
}


def programme(slug: str = "pvd"):
    from pvd.programme.services import programme_get

    return programme_get(slug=slug)


def commune(code: str):
    from pvd.territories.models import Commune

    return Commune.objects.get(code=code, type="COM")


def group(code: str, communes: Sequence[str] = (), *, of=None, **fields):
    """A group of the programme ``of`` (Petites villes de demain by default) and an active
    laureate per commune code (the group's geography is its first commune's); without
    communes, give ``departement_id`` and ``region_id``."""
    from pvd.programme.models import Groupe, Laureat

    prog = of if of is not None else programme()
    rows = [commune(c) for c in communes]
    if rows:
        first = rows[0]
        fields = {
            "nom": " – ".join(c.nom for c in rows),
            "epci_id": first.epci_id,
            "departement_id": first.departement_id,
            "region_id": first.region_id,
            **fields,
        }
    groupe = Groupe.objects.create(programme=prog, code=code, **fields)
    for c in rows:
        Laureat.objects.create(programme=prog, commune=c, groupe=groupe)
    return groupe


def user(
    username: str,
    *,
    niveau: str | None = None,
    code: str | None = None,
    groupe=None,
    superuser: bool = False,
):
    """An account: a superuser, an agent of a scope (``niveau`` national, region or
    departement with its ``code``), and/or a member of a group's project team."""
    from django.contrib.auth import get_user_model

    from pvd.programme.services import scope_group_ensure
    from pvd.projects.services import member_add

    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(username, f"{username}@x.fr", PASSWORD)
    account = User.objects.create_user(username=username, password=PASSWORD)
    if niveau:
        account.groups.add(scope_group_ensure(niveau=niveau, code=code).group)
    if groupe is not None:
        member_add(groupe=groupe, user=account)
    return account


def project(groupe, *, nom: str | None = None, by=None):
    """The group's projet de territoire: created by ``by`` through the service (audited) when
    given, else as the imports and fixtures create it (named ``nom`` when given)."""
    from pvd.projects import services
    from pvd.projects.models import Projet

    if by is not None:
        return services.project_create(groupe=groupe, user=by, origine="web")
    if nom is not None:
        return Projet.objects.create(groupe=groupe, nom=nom)
    return services.project_get_or_create(groupe=groupe)


def action(projet, *, by, titre: str = "Halle", axe: str = "commerces", **values):
    """An action of a project, written by ``by`` through the service (checked, audited)."""
    from pvd.projects import services

    return services.action_create(
        projet=projet, user=by, values={"titre": titre, "axe": axe, **values}
    )


def laureate_list(path: Path, rows: list[tuple[str, ...]], *, layout: str = "cartographie") -> Path:
    """A laureate list file in one of the published layouts (:data:`LIST_HEADERS`), one row per
    tuple of values in the header's order; comma-separated UTF-8, as data.gouv.fr serves it."""
    header = LIST_HEADERS[layout]
    width = header.count(",") + 1
    lines = [header]
    for row in rows:
        if len(row) != width:
            raise ValueError(f"{len(row)} valeurs au lieu de {width} pour « {header} »")
        lines.append(",".join(row))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
