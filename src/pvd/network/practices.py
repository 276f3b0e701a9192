"""Practices' writes (services): create from an action, edit a draft, the review workflow
(draft → review → published, or back to draft with a comment), attachments, soft delete and
restore. One transaction each; every write leaves a ``programme.Changement`` row (the one audit
trail) and moves the data version (pages and searches cached before it are stale)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from pvd import access
from pvd.caching import bump_network_version
from pvd.network import uploads
from pvd.network.models import (
    EtapePratique,
    IndicateurPratique,
    PieceJointe,
    Pratique,
    StatutPratique,
)
from pvd.programme import audit
from pvd.programme.models import Changement
from pvd.projects.models import Action, Financeur

MAX_COST = 10_000_000_000  # 10 billion euros: beyond, a typing error
TEXT_FIELDS = ("titre", "contexte", "realisation", "financement", "resultats", "contacts")
S = StatutPratique


class PracticeError(Exception):
    """A write refused (message in French)."""


@dataclass(frozen=True)
class Indicator:
    libelle: str
    valeur: float | None = None
    unite: str = ""


def _log(actor: audit.Actor, p: Pratique, action: str, changes: dict, libelle: str = "") -> None:
    audit.change(
        actor,
        programme=p.groupe.programme,
        objet="pratique",
        objet_id=p.pk,
        libelle=libelle or f"fiche expérience « {p.titre} »",
        commune_code=p.commune.code,
        action=action,
        changes=changes,
        at=timezone.now(),
        groupe=p.groupe,
    ).save()


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PracticeError(message)


def _clean_values(values: dict) -> dict:
    # NUL characters: PostgreSQL refuses them in text.
    out = {
        k: str(values.get(k) or "").replace("\x00", "").strip() for k in TEXT_FIELDS if k in values
    }
    if "titre" in out and not out["titre"]:
        raise PracticeError("Le titre est obligatoire.")
    if "titre" in out:
        out["titre"] = out["titre"][:200]
    if "cout" in values:
        cout = values["cout"]
        if cout in (None, ""):
            out["cout"] = None
        else:
            try:
                out["cout"] = int(cout)
            except (TypeError, ValueError) as exc:
                raise PracticeError("Le coût doit être un nombre entier d'euros.") from exc
            if not 0 <= out["cout"] <= MAX_COST:
                raise PracticeError("Le coût doit être compris entre 0 et 10 milliards d'euros.")
    if "financeurs" in values:
        known = {c for c, _ in Financeur.choices}
        codes = [c for c in values["financeurs"] or [] if c]
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise PracticeError(f"Financeur inconnu : {', '.join(unknown)}.")
        out["financeurs"] = "," + ",".join(sorted(set(codes))) + "," if codes else ""
    return out


def _set_indicators(p: Pratique, indicators: list[Indicator] | None) -> None:
    if indicators is None:
        return
    p.indicateurs.all().delete()
    IndicateurPratique.objects.bulk_create(
        IndicateurPratique(pratique=p, libelle=i.libelle[:200], valeur=i.valeur, unite=i.unite[:30])
        for i in indicators
        if i.libelle.strip()
    )


def practice_create(
    *, actor: audit.Actor, action: Action, values: dict, indicators: list[Indicator] | None = None
) -> Pratique:
    """A draft practice told from ``action`` by a member of its project team."""
    _require(
        access.has(actor.user, "network.publish_practice", action),
        "Seule l'équipe du projet peut rédiger une fiche expérience à partir de cette action.",
    )
    if action.supprime_le:
        raise PracticeError("L'action est supprimée.")
    groupe = action.projet.groupe
    laureat = groupe.laureats.select_related("commune").order_by("-commune__population").first()
    commune = laureat.commune if laureat else action.communes.first()
    if commune is None:
        raise PracticeError("Le groupe de cette action n'a pas de commune lauréate.")
    cleaned = _clean_values({"titre": action.titre, **values})
    with transaction.atomic():
        p = Pratique.objects.create(
            action=action,
            groupe=groupe,
            commune=commune,
            departement_id=commune.departement_id,
            region_id=commune.region_id,
            axe=action.axe,
            auteur=actor.user if actor.user and actor.user.is_authenticated else None,
            **cleaned,
        )
        _set_indicators(p, indicators)
        EtapePratique.objects.create(pratique=p, at=timezone.now(), user=p.auteur, vers=S.BROUILLON)
        _log(actor, p, Changement.Action.CREATION, {"statut": (None, S.BROUILLON)})
        bump_network_version()
    return p


def practice_update(
    *,
    actor: audit.Actor,
    pratique: Pratique,
    values: dict,
    indicators: list[Indicator] | None = None,
) -> dict:
    """Edit a draft; returns what changed."""
    _require(
        access.has(actor.user, "network.edit_practice", pratique),
        "Cette fiche n'est modifiable que par l'équipe du projet, tant qu'elle est en brouillon.",
    )
    with transaction.atomic():
        diff = audit.assign_changes(pratique, _clean_values(values))
        pratique.save()
        _set_indicators(pratique, indicators)
        if indicators is not None:
            diff["indicateurs"] = (None, len(indicators))
        if diff:
            _log(actor, pratique, Changement.Action.MODIFICATION, diff)
            bump_network_version()
    return diff


def _move(actor: audit.Actor, p: Pratique, to: str, comment: str = "") -> Pratique:
    before = p.statut
    with transaction.atomic():
        p.statut = to
        if to == S.PUBLIEE:
            p.publiee_le = timezone.now()
            p.commentaire_relecture = ""
        elif to == S.BROUILLON and comment:
            p.commentaire_relecture = comment
        p.save()
        user = actor.user if actor.user and actor.user.is_authenticated else None
        EtapePratique.objects.create(
            pratique=p, at=timezone.now(), user=user, de=before, vers=to, commentaire=comment
        )
        _log(actor, p, Changement.Action.MODIFICATION, {"statut": (before, to)})
        bump_network_version()
    return p


def practice_submit(*, actor: audit.Actor, pratique: Pratique) -> Pratique:
    _require(
        access.has(actor.user, "network.submit_practice", pratique),
        "Seule l'équipe du projet soumet une fiche en brouillon à la relecture.",
    )
    return _move(actor, pratique, S.RELECTURE)


def practice_review(
    *, actor: audit.Actor, pratique: Pratique, publish: bool, comment: str = ""
) -> Pratique:
    """Publish a practice under review, or send it back to draft with a comment."""
    _require(
        access.has(actor.user, "network.review_practice", pratique),
        "La relecture revient à l'équipe nationale du programme ou à celle de la région.",
    )
    if pratique.statut != S.RELECTURE:
        raise PracticeError("Seule une fiche en relecture peut être publiée ou renvoyée.")
    comment = comment.strip()
    if not publish and not comment:
        raise PracticeError("Dites à l'équipe ce qu'il faut reprendre (commentaire obligatoire).")
    return _move(actor, pratique, S.PUBLIEE if publish else S.BROUILLON, comment)


def practice_delete(*, actor: audit.Actor, pratique: Pratique) -> Pratique:
    _require(
        access.has(actor.user, "network.delete_practice", pratique),
        "Vous n'avez pas les droits pour supprimer cette fiche.",
    )
    with transaction.atomic():
        pratique.supprime_le = timezone.now()
        pratique.save(update_fields=["supprime_le", "updated_at"])
        _log(actor, pratique, Changement.Action.SUPPRESSION, {"supprime_le": (None, "oui")})
        bump_network_version()
    return pratique


def practice_restore(*, actor: audit.Actor, pratique: Pratique) -> Pratique:
    _require(
        access.has(actor.user, "network.restore_practice", pratique),
        "Vous n'avez pas les droits pour restaurer cette fiche.",
    )
    with transaction.atomic():
        pratique.supprime_le = None
        pratique.save(update_fields=["supprime_le", "updated_at"])
        _log(actor, pratique, Changement.Action.CREATION, {"restauration": (None, "oui")})
        bump_network_version()
    return pratique


def attachment_add(
    *, actor: audit.Actor, pratique: Pratique, name: str, content: bytes
) -> PieceJointe:
    """Attach an image or a PDF (checked by content and size, :mod:`pvd.network.uploads`)."""
    _require(
        access.has(actor.user, "network.edit_practice", pratique),
        "Les pièces jointes s'ajoutent tant que la fiche est en brouillon, par l'équipe du projet.",
    )
    if pratique.pieces.count() >= uploads.MAX_PER_PRACTICE:
        raise PracticeError(f"Au plus {uploads.MAX_PER_PRACTICE} pièces jointes par fiche.")
    try:
        checked = uploads.check(name, content)
    except uploads.UploadRefused as exc:
        raise PracticeError(str(exc)) from exc
    with transaction.atomic():
        piece = PieceJointe.objects.create(
            pratique=pratique,
            nom=checked.name,
            type_mime=checked.mime,
            taille=checked.size,
            contenu=content,
        )
        _log(actor, pratique, Changement.Action.MODIFICATION, {"piece_jointe": (None, piece.nom)})
        bump_network_version()
    return piece


def attachment_remove(*, actor: audit.Actor, piece: PieceJointe) -> None:
    pratique = piece.pratique
    _require(
        access.has(actor.user, "network.edit_practice", pratique),
        "Les pièces jointes se retirent tant que la fiche est en brouillon, par l'équipe du projet.",
    )
    with transaction.atomic():
        audit.deleted(
            actor,
            [piece],
            programme=pratique.groupe.programme,
            objet="piece_jointe",
            libelle=f"pièce jointe « {piece.nom} » de « {pratique.titre} »",
            commune_code=pratique.commune.code,
            groupe=pratique.groupe,
            cascade=False,
        ).save()
        piece.delete()
        bump_network_version()
