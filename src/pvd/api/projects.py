"""Projets de territoire endpoints: projects, actions (read, create), syntheses.

Projects are not public: every endpoint needs a session login (the same rights as the pages:
a project team edits its group's project; State and region staff read their scope; national
staff read all). Amounts are in euros; ``statut`` is the effective status (``en_retard`` is
computed from the dates and milestones).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth
from pydantic import field_validator

from pvd import access
from pvd.api.territories_schemas import ErrorOut
from pvd.domain import steering
from pvd.programme.models import Groupe
from pvd.projects import selectors, services, validation
from pvd.projects.models import Axe, Financeur, Phase, Priorite, Statut

router = Router(tags=["Projets de territoire"], auth=django_auth)
ERRORS = {403: ErrorOut, 404: ErrorOut}


class ProjetRefOut(Schema):
    programme: str
    code: str
    groupe: str
    departement: str
    region: str


class MoneyOut(Schema):
    requested: int
    granted: int
    paid: int


class BudgetOut(Schema):
    prevu: int
    prevu_investissement: int
    prevu_fonctionnement: int
    realise: int | None
    cofinancement: MoneyOut
    reste_a_financer: int


class FinancementOut(Schema):
    financeur: str
    dispositif: str
    decision: str  # en_attente, accorde, refuse
    montant_demande: int
    montant_accorde: int | None
    montant_verse: int | None
    date_demande: date | None
    date_decision: date | None
    date_versement: date | None


class JalonOut(Schema):
    libelle: str
    date_prevue: date
    date_reelle: date | None


class ActionOut(Schema):
    id: int
    uuid: str
    titre: str
    description: str
    axe: str
    phase: str
    statut: str
    statut_enregistre: str
    priorite: int
    date_debut: date | None
    date_fin_prevue: date | None
    date_fin_reelle: date | None
    communes: list[str]
    porteur: str | None
    partenaires: list[str]
    budget: BudgetOut
    financements: list[FinancementOut]
    jalons: list[JalonOut]


class ProjetOut(ProjetRefOut):
    nom: str
    orientations: list[str]
    axes: list[str]
    actions: int
    livrees: int
    en_retard: int
    bloquees: int
    taux_livraison: float | None


OrganisationName = Annotated[
    str, Field(max_length=validation.TITLE_MAX, pattern=validation.ONE_LINE_OR_EMPTY_PATTERN)
]


class ActionIn(Schema):
    """The rules of :mod:`pvd.projects.validation`, the same as the action form's: bounds stated
    in the schema, the rest (control characters, date range) checked by the validators."""

    titre: str = Field(
        min_length=1, max_length=validation.TITLE_MAX, pattern=validation.ONE_LINE_PATTERN
    )
    axe: Axe
    description: str = Field(
        "", max_length=validation.TEXT_MAX, pattern=validation.MULTILINE_PATTERN
    )
    phase: Phase = Phase.IDEE
    statut: Statut = Statut.A_LANCER
    priorite: Priorite = Priorite.MOYENNE
    date_debut: date | None = Field(None, json_schema_extra=validation.DATE_SCHEMA)
    date_fin_prevue: date | None = Field(None, json_schema_extra=validation.DATE_SCHEMA)
    porteur: str = Field(
        "", max_length=validation.TITLE_MAX, pattern=validation.ONE_LINE_OR_EMPTY_PATTERN
    )
    partenaires: list[OrganisationName] = Field([], max_length=50)

    @field_validator("*")
    @classmethod
    def _rules(cls, value, info):
        message = validation.RULES["action"].get(info.field_name, lambda v: None)(value)
        if message:
            raise ValueError(message)
        return value


class SyntheseOut(Schema):
    actions: int
    par_statut: dict[str, int]
    par_axe_statut: dict[str, dict[str, int]]
    taux_livraison: float | None
    en_retard: int
    bloquees: int
    investissement_prevu: int
    cofinancement: MoneyOut
    cofinancement_par_financeur: dict[str, MoneyOut]
    territoires: dict[str, int]


def _ref(g: Groupe) -> dict:
    return {
        "programme": g.programme.slug,
        "code": g.code,
        "groupe": str(g),
        "departement": g.departement_id,
        "region": g.region_id,
    }


def _group(request: HttpRequest, slug: str, code: str, need: str = "read"):
    """The group and its project (None when it has none yet: reads never create it)."""
    g = Groupe.objects.select_related("programme").filter(programme__slug=slug, code=code).first()
    if g is None:
        raise HttpError(404, f"Aucun groupe « {code} » dans le programme « {slug} ».")
    if not access.has(request.user, f"projects.{need}", g):
        reason = access.reason_of(request.user, f"projects.{need}", g)
        raise HttpError(403, reason or f"Accès refusé au projet de {g}.")
    return g, selectors.project_for(g)


def _no_project(g: Groupe) -> HttpError:
    return HttpError(404, f"Le groupe {g} n'a pas encore de projet de territoire.")


def _action(r: selectors.ActionRow) -> dict:
    a, b = r.action, r.budget
    return {
        "id": a.pk,
        "uuid": str(a.uuid),
        "titre": a.titre,
        "description": a.description,
        "axe": a.axe,
        "phase": a.phase,
        "statut": r.status,
        "statut_enregistre": a.statut,
        "priorite": a.priorite,
        "date_debut": a.date_debut,
        "date_fin_prevue": a.date_fin_prevue,
        "date_fin_reelle": a.date_fin_reelle,
        "communes": [c.code for c in a.communes.all()],
        "porteur": a.porteur.nom if a.porteur_id else None,
        "partenaires": [p.nom for p in a.partenaires.all()],
        "budget": {
            "prevu": b.forecast,
            "prevu_investissement": b.forecast_investment,
            "prevu_fonctionnement": b.forecast_operating,
            "realise": b.actual if b.actual_reported else None,
            "cofinancement": {"requested": b.requested, "granted": b.granted, "paid": b.paid},
            "reste_a_financer": b.remaining,
        },
        "financements": [
            {
                "financeur": f.financeur,
                "dispositif": f.dispositif,
                "decision": f.decision,
                "montant_demande": f.montant_demande,
                "montant_accorde": f.montant_accorde,
                "montant_verse": f.montant_verse,
                "date_demande": f.date_demande,
                "date_decision": f.date_decision,
                "date_versement": f.date_versement,
            }
            for f in a.financements.all()
        ],
        "jalons": [
            {"libelle": j.libelle, "date_prevue": j.date_prevue, "date_reelle": j.date_reelle}
            for j in r.milestones
        ],
    }


@router.get(
    "/projets",
    response=list[ProjetRefOut],
    summary="Projets de territoire",
    description="Les projets que l'utilisateur connecté peut lire.",
)
def projets(request: HttpRequest):
    """Projects the logged-in user may read."""
    return [_ref(g) for g in selectors.readable_groups(request.user).order_by("code")]


@router.get(
    "/projets/synthese",
    response={200: SyntheseOut, 403: ErrorOut},
    summary="Synthèse des projets",
    description=(
        "Actions par axe et par statut, taux de livraison, montants par financeur, alertes, "
        "par territoire (France, région ou département selon les droits)."
    ),
)
def synthese(request: HttpRequest, region: str | None = None, departement: str | None = None):
    """Actions by axis and status, delivery rate, money by funder, alerts, per sub-territory."""
    from pvd.territories.models import Departement

    place = access.Place(region_id=region)
    if departement:
        place = access.Place(
            departement,
            Departement.objects.filter(code=departement)
            .values_list("region_id", flat=True)
            .first(),
        )
    if not access.has(request.user, "projects.synthese", place):
        raise HttpError(403, access.refusal(request.user, "projects.synthese", place))
    data = selectors.scope_aggregate(region=region, departement=departement)
    t = data["total"]
    return {
        "actions": t.actions,
        "par_statut": dict(t.by_status),
        "par_axe_statut": {k: dict(v) for k, v in t.by_axis_status.items()},
        "taux_livraison": t.delivery_rate,
        "en_retard": t.late,
        "bloquees": t.blocked,
        "investissement_prevu": t.investment,
        "cofinancement": t.cofinancing,
        "cofinancement_par_financeur": t.funding_by_funder,
        "territoires": {k: v.actions for k, v in data["parts"].items()},
    }


@router.get(
    "/projets/{slug}/{code}",
    response={200: ProjetOut, **ERRORS},
    summary="Un projet de territoire",
    description="Le projet d'un groupe : axes, équipe, totaux.",
)
def projet(request: HttpRequest, slug: str, code: str):
    g, p = _group(request, slug, code)
    if p is None:
        raise _no_project(g)
    totals = selectors.totals(selectors.action_rows(p))
    return {
        **_ref(g),
        "nom": p.nom,
        "orientations": p.orientations_list,
        "axes": p.axes,
        "actions": totals.actions,
        "livrees": totals.delivered,
        "en_retard": totals.late,
        "bloquees": totals.blocked,
        "taux_livraison": totals.delivery_rate,
    }


@router.get(
    "/projets/{slug}/{code}/actions",
    response={200: list[ActionOut], **ERRORS},
    summary="Actions d'un projet",
    description="Les actions en cours du projet, filtrées comme le tableau de la page du projet.",
)
def actions(
    request: HttpRequest,
    slug: str,
    code: str,
    axe: Literal[("", *Axe.values)] = "",
    statut: Literal[("", *steering.EFFECTIVE_STATUSES)] = "",
    phase: Literal[("", *Phase.values)] = "",
    financeur: Literal[("", *Financeur.values)] = "",
    q: str = "",
):
    """The project's live actions, filtered like the table of the project page."""
    g, p = _group(request, slug, code)
    filters = {"axe": axe, "statut": statut, "phase": phase, "financeur": financeur, "q": q}
    if p is None:
        return []  # no project yet: no action (and nothing created)
    return [_action(r) for r in selectors.action_rows(p, filters=filters)]


@router.post(
    "/projets/{slug}/{code}/actions",
    response={201: ActionOut, 422: ErrorOut, **ERRORS},
    summary="Créer une action",
    description="Ajoute une action au projet (membres de l'équipe du projet seulement).",
)
def action_create(request: HttpRequest, slug: str, code: str, payload: ActionIn):
    """Create an action (project team only)."""
    g, p = _group(request, slug, code, "edit")
    if p is None:
        # Creating an action is an explicit write of the team: the project comes with it.
        p = services.project_create(groupe=g, user=request.user, origine="api")
    values = payload.dict()
    values["axe"] = str(values["axe"])
    values["phase"] = str(values["phase"])
    values["statut"] = str(values["statut"])
    values["priorite"] = int(values["priorite"])
    try:
        a = services.action_create(projet=p, user=request.user, values=values, origine="api")
    except ValueError as exc:  # the rules of pvd.projects.validation, the dates' order
        raise HttpError(422, f"Données invalides : {exc}") from exc
    row = next(r for r in selectors.action_rows(p) if r.action.pk == a.pk)
    return 201, _action(row)
