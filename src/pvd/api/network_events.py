"""The club's events (réseau): published events read by anyone; registration and withdrawal for
logged-in members (session login, CSRF token), with the same rules as the pages (audience,
deadline, capacity and waiting list); an organiser removes a registrant. Rights are the one
table's ``network.*`` rules (:mod:`pvd.access`): a refusal is a 403 with its French reason."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from pvd import access
from pvd.api.errors import ErrorOut
from pvd.network import events as svc
from pvd.network import events_selectors as sel
from pvd.network.models import Evenement

router = Router(tags=["Réseau : rencontres"])


class EvenementOut(Schema):
    id: int
    titre: str
    echelle: str  # national, regional, departemental
    region: str | None
    departement: str | None
    debut: datetime  # Europe/Paris offset
    fin: datetime
    format: str  # presentiel, en_ligne, hybride
    lieu: str
    public: str  # tous, chefs, region
    programme: str
    capacite: int | None  # null: no limit
    inscrits: int
    attente: int
    date_limite: datetime | None
    statut: str  # publie, annule
    url: str
    ics: str


class InscriptionOut(Schema):
    evenement: int
    etat: str  # inscrit, attente, desinscrit
    place: int | None
    deja: bool
    promus: int  # members moved up from the waiting list by this withdrawal


def _out(ev: Evenement) -> EvenementOut:
    local = timezone.localtime
    return EvenementOut(
        id=ev.pk, titre=ev.titre, echelle=ev.echelle, region=ev.region_id,
        departement=ev.departement_id, debut=local(ev.debut), fin=local(ev.fin), format=ev.format,
        lieu=ev.lieu, public=ev.public, programme=ev.programme_texte, capacite=ev.capacite,
        inscrits=ev.nb_inscrits, attente=ev.nb_attente,
        date_limite=local(ev.date_limite) if ev.date_limite else None, statut=ev.statut,
        url=svc.event_url(ev), ics=svc.event_url(ev) + "agenda.ics",
    )  # fmt: skip


def _public_event(pk: int) -> Evenement:
    ev = sel.event_get(pk)
    if ev is None or not access.has(None, "network.see_event", ev):
        raise HttpError(404, f"Aucun événement publié n° {pk}.")
    return ev


@router.get(
    "/reseau/evenements",
    response=list[EvenementOut],
    summary="Rencontres du réseau",
    description=(
        "Rencontres publiées (et annulées), à venir (les plus proches d'abord) ou passées ; "
        "`region` : ses rencontres régionales et départementales et les nationales ; `limit` "
        "rencontres à partir de `offset`."
    ),
)
def list_events(
    request: HttpRequest,
    periode: Literal["a-venir", "passes"] = Query("a-venir", description="À venir ou passées"),
    region: str = Query("", description="Code de région (ex. 75)"),
    format: Literal["", "presentiel", "en_ligne", "hybride"] = Query("", description="Format"),
    limit: Annotated[int, Field(ge=1, le=500)] = 100,
    offset: Annotated[int, Field(ge=0)] = 0,
):
    qs = sel.events(None, period=periode, region=region, format=format)
    return [_out(ev) for ev in qs[offset : offset + limit]]


@router.get(
    "/reseau/evenements/{pk}",
    response={200: EvenementOut, 404: ErrorOut},
    summary="Une rencontre du réseau",
    description="Une rencontre publiée ou annulée : date, lieu, programme, places et inscrits.",
)
def get_event(request: HttpRequest, pk: int):
    return _out(_public_event(pk))


@router.post(
    "/reseau/evenements/{pk}/inscription",
    response={200: InscriptionOut, 404: ErrorOut, 409: ErrorOut},
    auth=django_auth,
    summary="S'inscrire à une rencontre",
    description=(
        "Inscrit le membre connecté : une place, ou la liste d'attente quand la rencontre est "
        "complète ; 409 avec le motif quand les inscriptions sont closes ou que la rencontre est "
        "réservée à un autre public."
    ),
)
def register(request: HttpRequest, pk: int):
    ev = _public_event(pk)
    try:
        r = svc.registration_register(user=request.user, evenement=ev, origine="api")
    except svc.EventError as exc:
        raise HttpError(409, str(exc)) from exc
    ins = r.inscription
    return InscriptionOut(evenement=ev.pk, etat=ins.etat, place=ins.place, deja=r.already, promus=0)


@router.delete(
    "/reseau/evenements/{pk}/inscription",
    response={200: InscriptionOut, 404: ErrorOut, 409: ErrorOut},
    auth=django_auth,
    summary="Se désinscrire d'une rencontre",
    description=(
        "Annule l'inscription du membre connecté ; la place libérée va au premier de la liste "
        "d'attente, prévenu par e-mail."
    ),
)
def unregister(request: HttpRequest, pk: int):
    ev = _public_event(pk)
    try:
        r = svc.registration_cancel(user=request.user, evenement=ev, origine="api")
    except svc.EventError as exc:
        raise HttpError(409, str(exc)) from exc
    ins = r.inscription
    return InscriptionOut(
        evenement=ev.pk, etat=ins.etat, place=ins.place, deja=False, promus=len(r.promoted)
    )


class RetraitIn(Schema):
    motif: str = Field("", max_length=300, description="Motif envoyé par e-mail (facultatif)")


@router.post(
    "/reseau/evenements/{pk}/inscriptions/{inscription}/retrait",
    response={200: InscriptionOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=django_auth,
    summary="Retirer un inscrit (organisateurs)",
    description=(
        "Un organisateur de la rencontre retire une inscription (ou une place en liste "
        "d'attente) ; la personne est prévenue par e-mail avec le motif, la place libérée va au "
        "premier de la liste d'attente. 403 hors du périmètre de l'organisateur ou après le "
        "début de la rencontre."
    ),
)
def remove_registrant(request: HttpRequest, pk: int, inscription: int, body: RetraitIn):
    ev = _public_event(pk)
    try:
        r = svc.registration_remove(
            user=request.user, evenement=ev, inscription_id=inscription, motif=body.motif,
            origine="api",
        )  # fmt: skip
    except svc.PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    except svc.EventError as exc:
        raise HttpError(409, str(exc)) from exc
    ins = r.inscription
    return InscriptionOut(
        evenement=ev.pk, etat=ins.etat, place=ins.place, deja=False, promus=len(r.promoted)
    )
