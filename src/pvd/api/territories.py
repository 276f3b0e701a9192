"""Territorial referential endpoints: commune search and pages, departments, regions, EPCI.

Thin: validate the query, call a selector, shape the answer. Unknown codes answer 404 with a
French message in ``detail``.
"""

from __future__ import annotations

import functools
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.urls import get_script_prefix, reverse
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.responses import NinjaJSONEncoder

from pvd.api.territories_schemas import (
    CommuneHitOut,
    CommuneOut,
    DepartementDetailOut,
    DepartementOut,
    EpciOut,
    ErrorOut,
    RegionDetailOut,
    RegionOut,
)
from pvd.territories import selectors
from pvd.territories.models import EPCI, Commune, Dataset, Departement, Region

router = Router(tags=["Référentiel territorial"])

NOT_FOUND = {404: ErrorOut}

# The sorts of the communes lists, stated in the schema (an unknown one is a documented 422).
Sort = Literal[tuple(selectors.SORTS)]


def _absolute(request: HttpRequest, name: str, *args: str) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


JSON = "application/json; charset=utf-8"
_CODE = "__code__"


@functools.lru_cache(maxsize=8)
def _commune_path(script_prefix: str) -> str:
    return reverse("web:commune", args=[_CODE])


def _commune_url_maker(request: HttpRequest):
    """code -> absolute URL of the commune page, resolved once per request instead of per hit
    (the same as ``_absolute(request, "web:commune", code)`` for codes, which are alphanumeric)."""
    template = request.build_absolute_uri(_commune_path(get_script_prefix()))
    head, tail = template.rsplit(_CODE, 1)
    return lambda code: f"{head}{code}{tail}"


def _source(dataset: Dataset | None) -> dict | None:
    if dataset is None:
        return None
    return {
        "title": dataset.title,
        "publisher": dataset.publisher,
        "licence": dataset.licence,
        "vintage": dataset.vintage,
        "url": dataset.url,
    }


def _totals(nb_communes: int, population: int | None, millesimes: list[int]) -> dict:
    return {
        "nb_communes": nb_communes,
        "population": population,
        "population_millesimes": millesimes,
    }


def _commune_row(request: HttpRequest, c: Commune) -> dict:
    return {
        "code": c.code,
        "nom": c.nom,
        "departement": c.departement_id,
        "population": c.population,
        "url": _absolute(request, "web:commune", c.code),
    }


def _departement(request: HttpRequest, d: Departement, totals: dict) -> dict:
    return {
        "code": d.code,
        "nom": d.nom,
        "region": {"code": d.region.code, "nom": d.region.nom},
        "totaux": totals,
        "url": _absolute(request, "web:departement", d.code),
    }


# The search's per-hit type labels and its JSON encoder, made once (an enum call per hit and an
# encoder per answer were a tenth of the view's own time).
_TYPE_LABELS = dict(Commune.Type.choices)
_ENCODER = NinjaJSONEncoder()


@router.get(
    "/communes/search",
    response=list[CommuneHitOut],
    summary="Rechercher une commune",
    description=(
        "Communes (et communes déléguées ou associées, arrondissements municipaux) par nom, code "
        "INSEE ou code postal. Les accents, les traits d'union, « st »/« saint » et l'article "
        "initial sont ignorés. Les meilleures correspondances d'abord, puis par population."
    ),
)
def communes_search(
    request: HttpRequest,
    q: str = Query(..., min_length=1, max_length=100, description="Nom, code INSEE ou postal"),
    limit: int = Query(10, ge=1, le=50),
):
    """Search communes (and communes déléguées/associées, municipal arrondissements) by name,
    INSEE code or postal code. Accents, hyphens, "st"/"saint" and a leading article are
    ignored. Best matches first, then by population."""
    hits = selectors.communes_search(query=q, limit=limit)
    names = selectors.departement_names()
    page_url = _commune_url_maker(request)
    results = []
    for hit in hits:
        e = hit.entry
        subordinate = e.type in (Commune.Type.COMD, Commune.Type.COMA)
        # A commune déléguée/associée has no page of its own: its parent's page lists it.
        page_code = e.parent_code if subordinate and e.parent_code else e.code
        results.append(
            {
                "code": e.code,
                "type": e.type,
                "type_libelle": _TYPE_LABELS[e.type],
                "nom": e.nom,
                "departement": e.departement,
                "departement_nom": names.get(e.departement, ""),
                "population": None if subordinate else e.population,
                "parent_code": e.parent_code or None,
                "parent_nom": e.parent_nom or None,
                "match": hit.match,
                "url": page_url(page_code),
            }
        )
    # Rendered here as ninja would (its encoder, its content type), without validating again
    # every hit against CommuneHitOut (built above field for field; the schema stays the
    # documented one, and tests/api checks the answers against it): a third of the request.
    return HttpResponse(_ENCODER.encode(results), content_type=JSON)


@router.get(
    "/communes/{code}",
    response={200: CommuneOut, **NOT_FOUND},
    summary="Fiche d'une commune",
    description=(
        "Une commune (ou un arrondissement municipal) par son code INSEE, avec sa série de "
        "populations légales."
    ),
)
def commune_detail(request: HttpRequest, code: str):
    """A commune (or municipal arrondissement) by INSEE code, with its population series."""
    c = selectors.commune_get(code=code)
    if c is None:
        sub = selectors.subdivision_get(code=code)
        if sub is not None:
            raise HttpError(
                404,
                f"« {code} » est le code d'une {sub.get_type_display().lower()}"
                f" ({sub.nom}) de la commune {sub.parent.nom}, code INSEE "
                f"« {sub.parent.code} ».",
            )
        raise HttpError(404, f"Commune inconnue : aucune commune n'a le code INSEE « {code} ».")
    populations = selectors.commune_populations(commune=c)
    latest = populations[-1] if populations else None
    return {
        "code": c.code,
        "type": c.type,
        "type_libelle": c.get_type_display(),
        "nom": c.nom,
        "siren": c.siren or None,
        "codes_postaux": list(c.codes_postaux or []),
        "departement": {"code": c.departement.code, "nom": c.departement.nom},
        "region": {"code": c.region.code, "nom": c.region.nom},
        "arrondissement": (
            {"code": c.arrondissement.code, "nom": c.arrondissement.nom}
            if c.arrondissement
            else None
        ),
        "epci": (
            {
                "siren": c.epci.siren,
                "nom": c.epci.nom,
                "type": c.epci.type,
                "type_libelle": c.epci.get_type_display(),
            }
            if c.epci
            else None
        ),
        "parent": {"code": c.parent.code, "nom": c.parent.nom} if c.parent else None,
        "subdivisions": [
            {
                "code": s.code,
                "type": s.type,
                "type_libelle": s.get_type_display(),
                "nom": s.nom,
                "population": s.population,
            }
            for s in selectors.commune_subdivisions(commune=c)
        ],
        "population": (
            {"millesime": latest.millesime, "population": latest.population} if latest else None
        ),
        "populations": [
            {"millesime": p.millesime, "population": p.population} for p in populations
        ],
        "source": _source(latest.dataset if latest else selectors.referential_dataset()),
        "url": _absolute(request, "web:commune", c.code),
    }


@router.get("/departements", response=list[DepartementOut], summary="Liste des départements")
def departements(request: HttpRequest):
    millesimes = selectors.population_millesimes_by(field="departement")
    return [
        _departement(
            request, d, _totals(d.nb_communes, d.population_totale, millesimes.get(d.code, []))
        )
        for d in selectors.departements_list()
    ]


@router.get(
    "/departements/{code}",
    response={200: DepartementDetailOut, **NOT_FOUND},
    summary="Un département et ses communes",
)
def departement_detail(
    request: HttpRequest,
    code: str,
    tri: Sort = Query("nom", description="nom, code, population ; préfixe « - » : décroissant"),  # noqa: B008
):
    if tri not in selectors.SORTS:
        raise HttpError(
            422, f"Tri inconnu « {tri} » : valeurs possibles {', '.join(selectors.SORTS)}."
        )
    d = selectors.departement_get(code=code)
    if d is None:
        raise HttpError(404, f"Département inconnu : aucun département n'a le code « {code} ».")
    communes = selectors.communes_of(departement=d, sort=tri)
    total = selectors.summary(communes)
    out = _departement(
        request,
        d,
        _totals(total.communes, total.population, selectors.population_millesimes(communes)),
    )
    out["communes"] = [_commune_row(request, c) for c in communes]
    out["source"] = _source(selectors.referential_dataset())
    return out


def _region(request: HttpRequest, r: Region, totals: dict) -> dict:
    return {
        "code": r.code,
        "nom": r.nom,
        "totaux": totals,
        "url": _absolute(request, "web:region", r.code),
    }


@router.get("/regions", response=list[RegionOut], summary="Liste des régions")
def regions(request: HttpRequest):
    millesimes = selectors.population_millesimes_by(field="region")
    return [
        _region(request, r, _totals(r.nb_communes, r.population_totale, millesimes.get(r.code, [])))
        for r in selectors.regions_list()
    ]


@router.get(
    "/regions/{code}",
    response={200: RegionDetailOut, **NOT_FOUND},
    summary="Une région et ses départements",
)
def region_detail(request: HttpRequest, code: str):
    r = selectors.region_get(code=code)
    if r is None:
        raise HttpError(404, f"Région inconnue : aucune région n'a le code « {code} ».")
    communes = selectors.communes_of(region=r)
    total = selectors.summary(communes)
    out = _region(
        request,
        r,
        _totals(total.communes, total.population, selectors.population_millesimes(communes)),
    )
    by_dep = selectors.population_millesimes_by(field="departement")
    out["departements"] = [
        _departement(
            request, d, _totals(d.nb_communes, d.population_totale, by_dep.get(d.code, []))
        )
        for d in selectors.departements_list(region=r)
    ]
    out["source"] = _source(selectors.referential_dataset())
    return out


@router.get(
    "/epci/{siren}", response={200: EpciOut, **NOT_FOUND}, summary="Un EPCI et ses communes membres"
)
def epci_detail(request: HttpRequest, siren: str):
    e: EPCI | None = selectors.epci_get(siren=siren)
    if e is None:
        raise HttpError(404, f"EPCI inconnu : aucun EPCI n'a le numéro SIREN « {siren} ».")
    members = selectors.epci_members(epci=e)
    population = sum(m.population or 0 for m in members) if members else None
    return {
        "siren": e.siren,
        "nom": e.nom,
        "type": e.type,
        "type_libelle": e.get_type_display(),
        "totaux": _totals(len(members), population, selectors.population_millesimes(members)),
        "membres": [_commune_row(request, m) for m in members],
        "source": _source(selectors.referential_dataset()),
    }
