"""Outcome endpoints: the laureates against matched comparable towns (France, a breakdown, a
group, a laureate). Thin: one service call, the report's shaping."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from pvd.domain.outcomes import DIMENSIONS
from pvd.outcomes import report, services
from pvd.territories.selectors import commune_get

router = Router(tags=["Résultats des lauréats"])


class EstimateOut(Schema):
    perimetre: str
    libelle: str
    indicateur: str
    definition: str
    avant: int
    apres: int
    laureats: int
    comparables: int
    variation_laureats: float | None
    variation_comparables: float | None
    effet: float | None
    intervalle: list[float | None]
    significatif: bool
    effet_par_an: float | None
    fragile: bool
    lecture: str


class SourceOut(Schema):
    nom: str
    editeur: str
    millesime: str  # "" when the file states none
    licence: str
    usage: str  # what the analysis reads from it
    url: str


class GroupOut(EstimateOut):
    precautions: list[str]
    sources: list[SourceOut]


class FranceOut(Schema):
    resultat: EstimateOut | None  # null when nothing can be computed (see raison)
    raison: str  # why there is no result ("" otherwise)
    avant_le_programme: dict | None  # the same comparison 2019 -> 2020 (placebo)
    methode: dict
    equilibre: list[dict]
    precautions: list[str]
    sources: list[SourceOut]


class BreakdownOut(Schema):
    decoupage: str
    resultats: list[EstimateOut]
    raison: str  # why the list is empty when nothing can be computed ("" otherwise)
    precautions: list[str]
    sources: list[SourceOut]


def _computed():
    c = services.outcomes_compute()
    if c.outcomes is None:
        raise HttpError(404, c.reason)
    return c


@router.get("/resultats", response=FranceOut, summary="Résultat pour la France")
def france(request: HttpRequest):
    c = services.outcomes_compute()
    if c.outcomes is None:
        return {
            "resultat": None,
            "raison": c.reason,
            "avant_le_programme": None,
            "methode": {},
            "equilibre": [],
            "precautions": [],
            "sources": c.sources,
        }
    return {
        "resultat": report.summary(c),
        "raison": "",
        "avant_le_programme": report.placebo(c),
        "methode": report.design(c),
        "equilibre": report.balance(c),
        **report.provenance(c),
    }


@router.get(
    "/resultats/communes/{code}", response=dict, summary="Un lauréat face à ses villes comparables"
)
def commune(request: HttpRequest, code: str):
    if commune_get(code=code) is None:
        raise HttpError(404, "Commune inconnue.")
    c = _computed()
    t = report.town(c, code)
    if t is None:
        raise HttpError(404, "Commune absente de l'analyse.")
    return t | report.provenance(c)


@router.get("/resultats/{decoupage}", response=BreakdownOut, summary="Un découpage")
def breakdown(request: HttpRequest, decoupage: str):
    if decoupage not in DIMENSIONS:
        raise HttpError(404, f"Découpage inconnu (attendus : {', '.join(DIMENSIONS)}).")
    c = services.outcomes_compute()
    return {
        "decoupage": decoupage,
        "resultats": report.breakdown(c, decoupage),
        "raison": c.reason,
        **report.provenance(c),
    }


@router.get("/resultats/{decoupage}/{valeur}", response=GroupOut, summary="Un groupe")
def group(request: HttpRequest, decoupage: str, valeur: str):
    if decoupage not in DIMENSIONS:
        raise HttpError(404, f"Découpage inconnu (attendus : {', '.join(DIMENSIONS)}).")
    c = _computed()
    one = report.summary(c, decoupage, valeur)
    if one is None:
        raise HttpError(404, "Aucun lauréat apparié dans ce périmètre.")
    return one | report.provenance(c)
