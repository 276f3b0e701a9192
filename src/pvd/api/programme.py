"""Programme registry endpoints: programmes, laureates, groups, dashboard figures, figures check.

Read-only and public, like the dashboards (editing is done on the web pages, with a login and
a scope). Every answer with figures names its sources (title, publisher, vintage, licence).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from pvd.api.programme_schemas import (
    TEXT_CHECK_DESCRIPTION,
    CheckIn,
    GroupeOut,
    LaureatOut,
    LaureatsPageOut,
    ProgrammeOut,
    StatutCommuneOut,
    TableauDeBordOut,
    TextCheckIn,
)
from pvd.api.territories_schemas import ErrorOut
from pvd.domain.coverage import uncovered_regions
from pvd.domain.programme import STAGE_LABELS, stage_of
from pvd.programme import selectors
from pvd.programme.models import Laureat, Programme
from pvd.territories.models import Dataset

router = Router(tags=["Programmes"])
NOT_FOUND = {404: ErrorOut}
# Far beyond any list (35,000 communes), within what every database can page.
MAX_OFFSET = 1_000_000
MAX_LIMIT = 2000


UNCOVERED = "non couvert par les listes chargées (donnée non disponible)"


def _source(d: Dataset | None) -> dict | None:
    if d is None:
        return None
    return {
        "title": d.title,
        "publisher": d.publisher,
        "licence": d.licence,
        "vintage": d.vintage,
        "url": d.url,
    }


def _programme(slug: str) -> Programme:
    p = selectors.programme_get(slug=slug)
    if p is None:
        raise HttpError(404, f"Aucun programme n'a l'identifiant « {slug} ».")
    return p


def _laureat(lau: Laureat) -> dict:
    c = lau.commune
    stage = stage_of(selectors.facts_of(lau))
    return {
        "code": c.code,
        "nom": c.nom,
        "departement": c.departement_id,
        "region": c.region_id,
        "population": c.population,
        "epci_siren": c.epci_id,
        "groupe": lau.groupe.code if lau.groupe else None,
        "statut": lau.statut,
        "etape": stage.value,
        "etape_libelle": STAGE_LABELS[stage],
        "date_selection": lau.date_selection,
        "date_convention_adhesion": lau.date_convention_adhesion,
        "date_chef_projet": lau.date_chef_projet,
        "date_convention_cadre": lau.date_convention_cadre,
    }


@router.get("/programmes", response=list[ProgrammeOut], summary="Liste des programmes")
def programmes(request: HttpRequest):
    return [
        {
            "slug": p.slug,
            "nom": p.nom,
            "description": p.description,
            "date_lancement": p.date_lancement,
            "url": p.url,
            "avec_groupes": p.avec_groupes,
            "nb_laureats": p.nb_laureats,
            "source": _source(p.dataset),
        }
        for p in selectors.programmes_list()
    ]


@router.get(
    "/programmes/{slug}/laureats",
    response={200: LaureatsPageOut, 404: ErrorOut},
    summary="Communes lauréates d'un programme",
    description=(
        "Les lauréates actives par défaut ; les filtres se combinent. Pagination par `offset` et "
        "`limit`. Hors de la couverture des listes chargées, la réponse le dit (non couvert)."
    ),
)
def laureats(
    request: HttpRequest,
    slug: str,
    region: str | None = Query(None, description="Code de région (ex. 84)"),
    departement: str | None = Query(None, description="Code de département (ex. 01)"),
    etape: str | None = Query(
        None, description="selection, adhesion, chef_projet, convention_cadre"
    ),
    statut: str = Query("actif", description="actif, sorti ou tous"),
    q: str = Query("", max_length=100, description="Nom, début de code INSEE ou groupe"),
    tri: str = Query(
        "code",
        description="nom, code, population, departement, adhesion, cadre "
        "(préfixe - pour décroissant)",
    ),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(500, ge=1, le=MAX_LIMIT),
):
    """Active laureates by default; filters combine. Paginated by ``offset`` and ``limit``."""
    p = _programme(slug)
    filters = selectors.ListFilters(
        region=region, departement=departement, etape=etape, statut=statut, q=q
    )
    qs = selectors.laureates_list(
        programme=p, filters=filters, sort=tri if tri in selectors.SORTS else "code"
    )
    covered = selectors.filters_covered(p, region=region, departement=departement)
    return {
        "couvert": covered,
        # Outside the loaded lists' coverage the count is unknown, not 0.
        "total": qs.count() if covered else None,
        "couverture": "" if covered else UNCOVERED,
        "offset": offset,
        "limit": limit,
        "items": [_laureat(lau) for lau in qs[offset : offset + limit]],
        "sources": [_source(d) for d in selectors.datasets_of(p)],
    }


@router.get(
    "/programmes/{slug}/laureats/{code}",
    response={200: LaureatOut, 404: ErrorOut},
    summary="Une commune lauréate",
)
def laureat(request: HttpRequest, slug: str, code: str):
    p = _programme(slug)
    lau = selectors.laureate_get(programme=p, code=code)
    if lau is None:
        commune = selectors.commune_of(code=code)
        if commune and selectors.commune_status(programme=p, commune=commune) == "non_couvert":
            raise HttpError(
                404,
                f"Statut {p.nom} de la commune « {code} » : non couvert par les listes "
                "chargées (donnée non disponible).",
            )
        raise HttpError(404, f"La commune « {code} » n'est pas lauréate du programme {p.nom}.")
    return _laureat(lau)


STATUS_LABELS = {
    "laureat": "lauréate",
    "sorti": "sortie du programme",
    "non_laureat": "n'est pas lauréate",
    "non_couvert": "non couvert par les listes chargées",
}


@router.get(
    "/programmes/{slug}/communes/{code}/statut",
    response={200: StatutCommuneOut, 404: ErrorOut},
    summary="Statut d'une commune dans un programme (lauréate, non lauréate, non couvert)",
)
def statut_commune(request: HttpRequest, slug: str, code: str):
    p = _programme(slug)
    commune = selectors.commune_of(code=code)
    if commune is None:
        raise HttpError(404, f"Commune « {code} » inconnue du référentiel.")
    status = selectors.commune_status(programme=p, commune=commune)
    return {
        "code": commune.code,
        "nom": commune.nom,
        "programme": p.slug,
        "statut": status,
        "couvert": status != "non_couvert",
        "libelle": f"statut {p.nom} : {STATUS_LABELS[status]}",
    }


def _groupe(g, members: list[str] | None = None) -> dict:
    return {
        "code": g.code,
        "epci_siren": g.epci_id,
        "epci_nom": g.epci.nom if g.epci else None,
        "departement": g.departement_id,
        "region": g.region_id,
        "nb_communes": g.nb_communes,
        "population": g.population,
        "communes": members,
    }


@router.get(
    "/programmes/{slug}/groupes",
    response={200: list[GroupeOut], 404: ErrorOut},
    summary="Groupes (PVD) d'un programme",
    description=(
        "Hors de la couverture des listes chargées, la réponse est 404 « non couvert par les "
        "listes chargées » (le registre ne connaît pas les groupes de ce territoire), jamais une "
        "liste vide."
    ),
)
def groupes(
    request: HttpRequest, slug: str, region: str | None = None, departement: str | None = None
):
    """Outside the loaded lists' coverage the answer is 404 "non couvert par les listes
    chargées" (the registry does not know the groups there), never an empty list."""
    p = _programme(slug)
    if (region or departement) and not selectors.filters_covered(
        p, region=region, departement=departement
    ):
        where = f"département {departement}" if departement else f"région {region}"
        raise HttpError(404, f"Groupes du {where} : {UNCOVERED}.")
    return [
        _groupe(g)
        for g in selectors.groups_list(programme=p, region=region, departement=departement)
    ]


@router.get(
    "/programmes/{slug}/groupes/{code}",
    response={200: GroupeOut, 404: ErrorOut},
    summary="Un groupe et ses communes",
)
def groupe(request: HttpRequest, slug: str, code: str):
    p = _programme(slug)
    g = selectors.groups_list(programme=p).filter(code=code).first()
    if g is None:
        raise HttpError(404, f"Aucun groupe « {code} » dans le programme {p.nom}.")
    members = [
        m.commune.code
        for m in selectors.group_members(groupe=g)
        if m.statut == Laureat.Statut.ACTIF
    ]
    return _groupe(g, members)


@router.get(
    "/programmes/{slug}/tableau-de-bord",
    response={200: TableauDeBordOut, 404: ErrorOut},
    summary="Chiffres du tableau de bord (France, région ou département)",
    description=(
        "Nombre de lauréates, population couverte et sa part, avancement du cycle de vie et "
        "délais médians, alertes, et la ventilation par territoire (régions, départements ou "
        "communes)."
    ),
)
def tableau_de_bord(
    request: HttpRequest, slug: str, region: str | None = None, departement: str | None = None
):
    """Counts, population covered and its share, life-cycle progress and median delays, alerts,
    and the breakdown by child territory (regions, departments or communes)."""
    p = _programme(slug)
    scope = selectors.scope_for(region=region, departement=departement)
    if scope is None:
        raise HttpError(404, "Territoire inconnu.")
    b = selectors.dashboard(programme=p, scope=scope)
    c = b.cycle
    coverage = selectors.registry_coverage(p)
    return {
        "programme": p.slug,
        "niveau": scope.level,
        "code": scope.code,
        "nom": scope.nom,
        "couvert": b.couvert,
        "couverture": {
            "regions": sorted(coverage.regions),
            "departements": sorted(coverage.departements),
            "national": coverage.national,
            "regions_non_couvertes": uncovered_regions(coverage, selectors.region_departements()),
            "mention": b.exclusion,
        },
        "communes_laureates": b.laureats,
        "groupes": b.groupes,
        "epci": b.epci,
        "population_couverte": b.population,
        "population_territoire": b.population_territoire,
        "part_population": b.part_population,
        "cycle": None
        if c is None
        else {
            "convention_adhesion": {"communes": c.adhesion, "part": c.share(c.adhesion)},
            "chef_projet": {
                "communes": c.chef_projet,
                "part": c.share(c.chef_projet),
                "source": b.chef_source,
            },
            "convention_cadre": {
                "communes": c.convention_cadre,
                "part": c.share_cadre,
                "source": "tableau national de suivi des ORT"
                + (f", {b.exclusion_cadre}" if b.exclusion_cadre else "")
                if b.cadre_couvert
                else "non couvert par un tableau ORT chargé (donnée non disponible)",
            },
            "delai_median_selection_adhesion_jours": c.median_selection_adhesion,
            "delai_median_adhesion_chef_projet_jours": c.median_adhesion_chef,
            "delai_median_adhesion_convention_cadre_jours": c.median_adhesion_cadre,
        },
        "alertes": [
            {
                "code": a.code,
                "nom": a.nom,
                "departement": a.departement,
                "type": a.kind,
                "message": a.message,
                "echeance": a.due,
                "retard_jours": a.overdue_days,
            }
            for a in b.alertes
        ],
        "detail": [
            {
                "code": r.code,
                "nom": r.nom,
                "couvert": r.couvert,
                "communes_laureates": r.laureats,
                "groupes": r.groupes,
                "population_couverte": r.population,
                "population_territoire": r.population_territoire,
                "part_population": r.part_population,
                "conventions_adhesion": r.adhesion,
                "chefs_de_projet": r.chef_projet,
                "conventions_cadres": r.convention_cadre,
            }
            for r in b.breakdown
        ],
        "sources": [_source(d) for d in b.datasets],
    }


@router.post(
    "/programmes/{slug}/verifier",
    response={200: list[dict], 404: ErrorOut},
    summary="Vérifier des chiffres publiés",
    description=(
        "Chaque énoncé (« 226 communes en région 84 », « 9,3 millions d'habitants ») est "
        "confirmé, contredit ou non compris, avec le chiffre du registre et les communes qui le "
        "composent. Lecture seule : rien n'est écrit."
    ),
)
def verifier(request: HttpRequest, slug: str, payload: CheckIn):
    """Each statement ("226 communes en région 84", "9,3 millions d'habitants") is confirmed,
    contradicted or not understood, with the registry's figure and the communes behind it.
    Reads only (no CSRF needed: nothing is written)."""
    p = _programme(slug)
    if len(payload.enonces) > 50:
        raise HttpError(422, "50 énoncés au plus par requête.")
    verdicts = selectors.figures_check(programme=p, statements=payload.enonces)
    return [selectors.verdict_dict(v) for v in verdicts]


@router.post(
    "/programmes/{slug}/verifier-texte",
    response={200: dict, 404: ErrorOut},
    summary="Vérifier les chiffres d'un texte",
    description=TEXT_CHECK_DESCRIPTION,
)
def verifier_texte(request: HttpRequest, slug: str, payload: TextCheckIn):
    """Every claim of a French text against the registry (reads only)."""
    from pvd.programme.figures_check import text_check_json

    return text_check_json(programme=_programme(slug), text=payload.texte)


@router.get(
    "/programmes/{slug}/verifier-texte",
    response={200: dict, 404: ErrorOut},
    summary="Vérifier les chiffres d'un texte (lien permanent)",
    description=TEXT_CHECK_DESCRIPTION,
)
def verifier_texte_get(request: HttpRequest, slug: str, query: Query[TextCheckIn]):
    """The same check with the text in the query string (a permalink)."""
    from pvd.programme.figures_check import text_check_json

    return text_check_json(programme=_programme(slug), text=query.texte)
