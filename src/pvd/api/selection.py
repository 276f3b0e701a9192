"""Selection model endpoints: scenarios, results per region/department, comparison of two
scenarios, evaluation against the laureates, centrality calibration. Thin: validate, call a
selector, shape. Rules can be adjusted in the query string (same keys as the web pages)."""

from __future__ import annotations

import polars as pl
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from pvd.selection import params, selectors

router = Router(tags=["Modèle de sélection"])


class ScenarioOut(Schema):
    slug: str
    nom: str
    description: str
    integre: bool
    regles: dict


class ResultRow(Schema):
    code: str
    nom: str
    dep: str
    reg: str
    population: int | None
    niveau: str | None
    centralite_source: str
    fragilite: float | None
    fragilite_percentile: float | None
    crit_population: bool
    crit_centralite: bool
    crit_fragilite: bool
    crit_epci: bool
    eligible: bool
    rang_dep: int | None
    retenue: bool | None
    explication: str


class CentraliteOut(Schema):
    source: str  # the main source used: officielle, calculee or estimation
    demandee: str  # what the rules asked: auto or one of the sources
    libelle: str
    communes_par_source: dict[str, int]  # rows per source (auto completes uncovered communes)
    resume: str
    disponibles: list[str]


class ResultsOut(Schema):
    scenario: str
    regles: dict
    centralite_source: str
    centralite: CentraliteOut
    communes: int
    eligibles: int
    retenues: int | None
    resultats: list[ResultRow]


class CompareOut(Schema):
    critere: str
    a: int
    b: int
    entrent: list[dict]
    sortent: list[dict]


class Filters(Schema):
    scenario: str = "pvd"
    region: str | None = None
    departement: str | None = None
    eligibles: bool = False
    limit: int = Field(500, ge=0, le=5000)
    offset: int = Field(0, ge=0, le=1_000_000)


def _scenario(slug: str):
    scenario = selectors.scenario_get(slug=slug)
    if scenario is None and slug == "appris":
        raise HttpError(
            404, "le scénario appris n'a pas de règles : /api/v1/selection/appris/resultats"
        )
    if scenario is None:
        raise HttpError(404, f"scénario inconnu : {slug}")
    return scenario


def _rules(request: HttpRequest, slug: str):
    try:
        return params.rules_from_query(_scenario(slug).rules, request.GET)
    except ValueError as exc:
        raise HttpError(400, str(exc)) from exc


@router.get(
    "/selection/scenarios",
    response=list[ScenarioOut],
    summary="Scénarios de sélection",
    description="Les scénarios prédéfinis et enregistrés, avec leurs règles.",
)
def scenarios(request: HttpRequest):
    return [
        ScenarioOut(
            slug=s.slug,
            nom=s.nom,
            description=s.description,
            integre=s.builtin,
            regles=s.rules.as_dict(),
        )
        for s in selectors.scenarios_list()
    ]


@router.get(
    "/selection/scenarios/{slug}",
    response=ScenarioOut,
    summary="Un scénario de sélection",
    description="Les règles d'un scénario (seuils de population et de fragilité, niveaux de centralité, poids, enveloppes).",
)
def scenario(request: HttpRequest, slug: str):
    s = _scenario(slug)
    return ScenarioOut(
        slug=s.slug,
        nom=s.nom,
        description=s.description,
        integre=s.builtin,
        regles=s.rules.as_dict(),
    )


@router.get(
    "/selection/resultats",
    response=ResultsOut,
    summary="Résultats d'un scénario",
    description=(
        "Communes notées par un scénario (les règles passées dans l'adresse remplacent celles du "
        "scénario), classées par département ; `eligibles=true` ne garde que les éligibles."
    ),
)
def results(request: HttpRequest, filters: Query[Filters]):
    """Communes scored by a scenario (rules of the query string override the scenario's),
    ranked by department; ``eligibles=true`` keeps the eligible ones."""
    rules = _rules(request, filters.scenario)
    try:
        frame = selectors.run(rules=rules, region=filters.region, departement=filters.departement)
    except ValueError as exc:
        raise HttpError(400, str(exc)) from exc
    if frame.is_empty() and (filters.region or filters.departement):
        raise HttpError(404, "territoire inconnu")
    centrality = selectors.centrality_used(frame, rules)
    retenue = frame.get_column("retenue")
    out = frame.filter(pl.col("eligible")) if filters.eligibles else frame
    page = out.slice(max(filters.offset, 0), max(min(filters.limit, 5000), 0))
    return ResultsOut(
        scenario=filters.scenario,
        regles=rules.as_dict(),
        centralite_source=centrality["source"],
        centralite=centrality,
        communes=frame.height,
        eligibles=int(frame.get_column("eligible").sum()),
        retenues=None
        if retenue.null_count() == frame.height
        else int(retenue.fill_null(False).sum()),
        resultats=page.select([c for c in ResultRow.model_fields]).to_dicts(),
    )


@router.get(
    "/selection/comparaison",
    response=CompareOut,
    summary="Comparer deux scénarios",
    description="Les communes qui entrent et qui sortent en passant du scénario A au scénario B.",
)
def compare(
    request: HttpRequest,
    a: str,
    b: str,
    region: str | None = None,
    departement: str | None = None,
):
    try:
        diff = selectors.compare(
            a=_scenario(a).rules, b=_scenario(b).rules, region=region, departement=departement
        )
    except ValueError as exc:  # e.g. a centrality source that is not loaded
        raise HttpError(400, str(exc)) from exc
    return CompareOut(
        critere=diff["critere"],
        a=diff["a"],
        b=diff["b"],
        entrent=[{"code": c, "nom": diff["noms"][c]} for c in diff["entrent"]],
        sortent=[{"code": c, "nom": diff["noms"][c]} for c in diff["sortent"]],
    )


@router.get(
    "/selection/evaluation",
    summary="Évaluer un scénario",
    description=(
        "Comparaison avec les lauréats du registre (dans les seules régions que ses listes "
        "couvrent) : AUC, précision à k, par région. `appris=true` : le modèle appris, évalué "
        "par validation croisée en laissant chaque région de côté."
    ),
)
def evaluation(
    request: HttpRequest, scenario: str = "pvd", programme: str = "pvd", appris: bool = False
):
    """Evaluation against the laureates of the registry (only the regions they cover).
    ``appris=true``: the logistic model, scored by leave-one-region-out cross-validation."""
    rules = _rules(request, scenario)
    codes = selectors.laureate_codes(programme=programme)
    if not codes:
        raise HttpError(404, "aucun lauréat dans le registre pour ce programme")
    regions, departements = selectors.registry_coverage(programme=programme)
    covered = {
        "regions_couvertes": sorted(regions) if regions is not None else None,
        "departements_couverts": sorted(departements),
    }
    if appris:
        from pvd.selection import learned

        res = learned.evaluate_learned(laureats=codes, regions=regions)
        ev = res.evaluation.as_dict() if res.evaluation else {}
        return {
            "modele": "appris",
            **covered,
            **ev,
            "methode": res.method,
            "notes": res.notes,
            "plis": res.folds,
        }
    try:
        ev = selectors.evaluate(
            rules=rules, laureats=codes, regions=regions, departements=departements
        )
    except ValueError as exc:  # e.g. a centrality source that is not loaded
        raise HttpError(400, str(exc)) from exc
    return {"modele": "regles", **covered, **ev.as_dict()}


@router.get(
    "/selection/centralite",
    summary="Sources de la centralité",
    description=(
        "La source des niveaux de centralité utilisée par défaut (« auto » : officielle si elle "
        "est importée, sinon calculée d'après la BPE, sinon estimation), les sources chargées, "
        "le calcul BPE (seuils, calibrage, accord) et l'import officiel."
    ),
)
def centrality(request: HttpRequest):
    """Sources of the centrality levels: the one the default rules use ("auto": officielle if
    imported, else calculee from the BPE, else estimation), the loaded ones, the BPE
    computation (thresholds, calibration, agreement) and the official import."""
    data = selectors.inputs()
    return {
        "source": data.centralite_source,
        "disponibles": list(data.centralite_sources),
        "details": data.centralite_details,
        "officielle": data.official_details,
    }


class LearnedRow(Schema):
    code: str
    nom: str
    dep: str
    reg: str
    population: int | None
    niveau: str | None
    probabilite: float
    rang_dep: int
    laureat: bool | None = Field(
        None, description="Lauréat actuel ; null si aucune liste chargée ne couvre la commune"
    )
    explication: str


class LearnedOut(Schema):
    scenario: str
    modele: dict  # date, source, training set, evaluation summary
    communes: int
    resultats: list[LearnedRow]


def _learned_model():
    from pvd.selection import learned

    model = learned.current_model()
    if model is None:
        raise HttpError(404, "aucun modèle appris enregistré : `pvd selection fit`")
    return model


def _model_summary(model) -> dict:
    ev = (model.evaluation or {}).get("evaluation") or {}
    return {
        "date": model.created_at.isoformat(),
        "source": model.source,
        "entrainement": {k: v for k, v in model.entrainement.items() if k != "codes"},
        "methode_evaluation": (model.evaluation or {}).get("methode"),
        "auc": ev.get("auc"),
        "precision_k": ev.get("precision_k"),
        "k": ev.get("laureats"),
        "communes_evaluees": ev.get("communes"),
        "variables_absentes": model.notes,
    }


@router.get(
    "/selection/appris",
    tags=["Modèle de sélection"],
    summary="Modèle appris",
    description=(
        "Le modèle appris enregistré : données d'entraînement, variables et poids (par écart-type), "
        "son évaluation en laissant chaque région de côté (par région, calibrage par décile)."
    ),
)
def learned_model(request: HttpRequest):
    """The stored learned model: training set, features and weights (per standard deviation),
    its leave-one-region-out evaluation (per region, calibration by decile)."""
    from pvd.domain.learned import Fitted, weights

    model = _learned_model()
    return {
        **_model_summary(model),
        "poids": weights(Fitted.from_dict(model.modele)),
        "evaluation": model.evaluation,
    }


@router.get(
    "/selection/appris/resultats",
    response=LearnedOut,
    summary="Résultats du modèle appris",
    description=(
        "Communes notées par le modèle appris (probabilité, rang dans le département, lauréate "
        "actuelle, explication), classées par département."
    ),
)
def learned_results(
    request: HttpRequest,
    region: str | None = None,
    departement: str | None = None,
    limit: int = Query(500, ge=0, le=5000),
    offset: int = Query(0, ge=0, le=1_000_000),
):
    """Communes scored by the learned model (probability, rank in the department, current
    laureate, explanation), ranked by department."""
    from pvd.selection import learned

    model = _learned_model()
    frame = learned.score(model=model, region=region, departement=departement)
    if frame.is_empty() and (region or departement):
        raise HttpError(404, "territoire inconnu")
    page = frame.slice(max(offset, 0), max(min(limit, 5000), 0))
    return LearnedOut(
        scenario="appris",
        modele=_model_summary(model),
        communes=frame.height,
        resultats=page.select([c for c in LearnedRow.model_fields]).to_dicts(),
    )
