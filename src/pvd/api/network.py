"""Network endpoints: the public directory (no personal data), published practices (read), and
a draft practice written from an action (members of its project team, session login)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from pvd.api.territories_schemas import ErrorOut
from pvd.network import directory, practices, practices_search
from pvd.programme.audit import Actor
from pvd.projects.models import Action

router = Router(tags=["Réseau des villes"])


class TownOut(Schema):
    code_commune: str
    commune: str
    population: int | None
    tranche: str
    departement: str
    region: str
    groupe: str
    libelle_groupe: str
    thematiques: list[str]


class TownsOut(Schema):
    total: int
    items: list[TownOut]


class PracticeOut(Schema):
    id: int
    titre: str
    thematique: str
    commune: str
    code_commune: str
    departement: str
    region: str
    population: int | None
    contexte: str
    realisation: str
    cout: int | None
    financement: str
    financeurs: str
    resultats: str
    indicateurs: str
    publiee_le: str | None
    url: str


class PracticesOut(Schema):
    total: int
    items: list[PracticeOut]


class PracticeIn(Schema):
    action_id: int
    titre: str = Field("", max_length=200)
    contexte: str = ""
    realisation: str = ""
    cout: int | None = Field(None, ge=0, le=10_000_000_000)
    financement: str = ""
    financeurs: list[str] = Field([], max_length=20)
    resultats: str = ""
    contacts: str = ""


def _clean(value: str) -> str:
    return value.replace("\x00", "")[:100]


class DraftOut(Schema):
    id: int
    statut: str
    url: str


@router.get(
    "/reseau/annuaire",
    response=TownsOut,
    summary="Annuaire des villes du réseau",
    description="Les villes lauréates actives, leur groupe et leurs thématiques (sans données "
    "personnelles). Filtres : q (nom ou code), region, departement, axe, tranche.",
)
def annuaire(
    request: HttpRequest,
    q: str = "",
    region: str = "",
    departement: str = "",
    axe: str = "",
    tranche: str = "",
    limit: int = Query(100, ge=1, le=2000),
    offset: int = Query(0, ge=0),
):
    found = directory.search(
        directory.Filters(
            q=_clean(q),
            region=_clean(region),
            departement=_clean(departement),
            axe=_clean(axe),
            tranche=_clean(tranche),
        )
    )
    items = [
        TownOut(
            code_commune=t.code,
            commune=t.nom,
            population=t.population,
            tranche=t.band or "",
            departement=t.departement,
            region=t.region,
            groupe=t.groupe_code,
            libelle_groupe=t.groupe_nom,
            thematiques=list(t.axes),
        )
        for t in found[offset : offset + limit]
    ]
    return TownsOut(total=len(found), items=items)


@router.get(
    "/reseau/pratiques",
    response=PracticesOut,
    summary="Fiches expériences publiées",
    description="Filtres : q, axe, tranche, region, financeur.",
)
def pratiques(
    request: HttpRequest,
    q: str = "",
    axe: str = "",
    tranche: str = "",
    region: str = "",
    financeur: str = "",
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
):
    qs = practices_search.search(
        practices_search.PracticeFilters(
            q=_clean(q),
            axe=_clean(axe),
            tranche=_clean(tranche),
            region=_clean(region),
            financeur=_clean(financeur),
        )
    )
    base = request.build_absolute_uri("/").rstrip("/")
    items = [
        practices_search.export_row(p, f"{base}/reseau/pratiques/{p.pk}/")
        for p in qs.prefetch_related("indicateurs")[offset : offset + limit]
    ]
    return PracticesOut(total=qs.count(), items=items)


@router.get(
    "/reseau/pratiques/{pk}",
    response={200: PracticeOut, 404: ErrorOut},
    summary="Une fiche expérience publiée",
)
def pratique(request: HttpRequest, pk: int):
    p = practices_search.published().select_related("commune").filter(pk=pk).first()
    if p is None:
        raise HttpError(404, "Fiche expérience introuvable.")
    base = request.build_absolute_uri("/").rstrip("/")
    return practices_search.export_row(p, f"{base}/reseau/pratiques/{p.pk}/")


@router.post(
    "/reseau/pratiques",
    auth=django_auth,
    response={201: DraftOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Rédiger une fiche expérience (brouillon)",
    description="À partir d'une action du projet (membres de l'équipe du projet seulement).",
)
def pratique_create(request: HttpRequest, payload: PracticeIn):
    action = Action.objects.select_related("projet__groupe").filter(pk=payload.action_id).first()
    if action is None:
        raise HttpError(404, "Action introuvable.")
    values = payload.dict()
    values.pop("action_id")
    if not values["titre"]:
        values.pop("titre")
    try:
        p = practices.practice_create(
            actor=Actor("api", request.user), action=action, values=values
        )
    except practices.PracticeError as exc:
        status = 403 if "équipe du projet" in str(exc) else 422
        raise HttpError(status, str(exc)) from exc
    return 201, DraftOut(id=p.pk, statut=p.statut, url=f"/reseau/pratiques/{p.pk}/")
