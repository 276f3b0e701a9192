"""Portrait de ville endpoints: the indicator catalogue, the indicators of a territory, and the
similar towns of a commune. Thin: validate, call a selector, shape. Unknown territories answer
404 with a French message in ``detail``."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from pvd.diagnostics import selectors
from pvd.domain.indicators.catalogue import get, indicators
from pvd.territories.models import EPCI, Commune, Departement, Region

router = Router(tags=["Portrait de ville"])

LEVELS = {
    "commune": "COM",
    "epci": "EPCI",
    "departement": "DEP",
    "region": "REG",
    "france": "FR",
}


class ErrorOut(Schema):
    detail: str


class IndicatorOut(Schema):
    id: str
    libelle: str
    theme: str
    theme_libelle: str
    unite: str
    sens: str
    source: str
    millesime: str
    licence: str
    formule: str


class ValueOut(Schema):
    indicateur: str
    libelle: str
    unite: str
    millesime: int
    valeur: float
    percentile_communes: float | None = None
    # Aggregates of figures that do not add up (medians): "insee" (INSEE's own figure of the
    # territory), "insee_metropole" (INSEE's, for metropolitan France) or "estimation" (a
    # population-weighted mean of commune values); null for the other values.
    statut: str | None = None
    statut_libelle: str | None = None


class TerritoryValuesOut(Schema):
    niveau: str
    code: str
    nom: str
    valeurs: list[ValueOut]
    non_calcules: dict[str, str]  # indicator -> why (source not loaded: command to run)


class PeerOut(Schema):
    rang: int
    code: str
    nom: str
    departement: str
    population: int | None
    distance: float
    raisons: list[str]


class PeersOut(Schema):
    code: str
    nom: str
    similaires: list[PeerOut]


@router.get("/indicateurs", response=list[IndicatorOut], summary="Catalogue des indicateurs")
def indicators_catalogue(request: HttpRequest):
    return [
        {
            "id": i.id,
            "libelle": i.label,
            "theme": i.theme,
            "theme_libelle": i.theme_label,
            "unite": i.unit,
            "sens": i.direction,
            "source": i.source,
            "millesime": i.vintage,
            "licence": i.licence,
            "formule": i.formula,
        }
        for i in indicators()
    ]


def _territory_name(level: str, code: str) -> str | None:
    if level == "FR":
        return "France" if code.upper() == "FR" else None
    model, field = {
        "COM": (Commune, "code"),
        "EPCI": (EPCI, "siren"),
        "DEP": (Departement, "code"),
        "REG": (Region, "code"),
    }[level]
    qs = model.objects.filter(**{field: code})
    if level == "COM":
        qs = qs.filter(type=Commune.Type.COM)
    obj = qs.first()
    return obj.nom if obj else None


@router.get(
    "/territoires/{niveau}/{code}/indicateurs",
    response={200: TerritoryValuesOut, 404: ErrorOut},
    summary="Indicateurs d'un territoire (commune, epci, departement, region, france)",
)
def territory_indicators(request: HttpRequest, niveau: str, code: str):
    level = LEVELS.get(niveau)
    if level is None:
        raise HttpError(404, f"Niveau inconnu « {niveau} » (attendu : {', '.join(LEVELS)}).")
    name = _territory_name(level, code)
    if name is None:
        raise HttpError(
            404, f"Territoire inconnu : aucun territoire « {niveau} » de code « {code} »."
        )
    code = "FR" if level == "FR" else code
    values = []
    for v in selectors.territory_values(level=level, code=code):
        ind = get(v.indicator)
        if ind is None:
            continue
        values.append(
            {
                "indicateur": v.indicator,
                "libelle": ind.label,
                "unite": ind.unit,
                "millesime": v.millesime,
                "valeur": v.value,
                "percentile_communes": v.percentile,
                "statut": v.status,
                "statut_libelle": v.status_label or None,
            }
        )
    build = selectors.latest_build()
    missing = {
        i: selectors.missing_message(get(i), build) for i in (build.missing if build else {})
    }
    return {"niveau": niveau, "code": code, "nom": name, "valeurs": values, "non_calcules": missing}


@router.get(
    "/communes/{code}/similaires",
    response={200: PeersOut, 404: ErrorOut},
    summary="Communes similaires d'une commune",
)
def commune_peers(request: HttpRequest, code: str):
    commune = Commune.objects.filter(code=code, type=Commune.Type.COM).first()
    if commune is None:
        raise HttpError(404, f"Commune inconnue : aucune commune n'a le code INSEE « {code} ».")
    return {
        "code": commune.code,
        "nom": commune.nom,
        "similaires": [
            {
                "rang": p.rank,
                "code": p.commune.code,
                "nom": p.commune.nom,
                "departement": p.commune.departement_id,
                "population": p.commune.population,
                "distance": p.distance,
                "raisons": [r.id for r in p.reasons],
            }
            for p in selectors.similar_communes(commune=commune)
        ],
    }
