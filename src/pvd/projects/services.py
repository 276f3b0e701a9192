"""Writes to the projets de territoire. One transaction per service; every write leaves a
``programme.Changement`` row (who, when, what), like the programme registry.

Rights (``access``):
- a member of a group's project team (``Membre``, e.g. its chef de projet) edits the project of
  that group only;
- staff with a ``programme.Perimetre`` scope (prefecture: department; region; national) read the
  projects inside their scope and may comment on them; they do not edit;
- superusers do everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from pvd.programme.audit import Actor, deleted
from pvd.programme.models import Changement, Groupe
from pvd.programme.services import user_scopes
from pvd.projects import validation
from pvd.projects.models import (
    Action,
    Axe,
    Commentaire,
    Financement,
    Indicateur,
    Jalon,
    LigneBudget,
    Membre,
    Mesure,
    Organisation,
    Projet,
    VueEnregistree,
)
from pvd.projects.readonly import read_only_reason


class PermissionDenied(Exception):
    """The user may not do this on this project (message in French)."""


@dataclass(frozen=True)
class Access:
    read: bool = False
    comment: bool = False
    edit: bool = False
    # Manage the project team (invite, change roles, remove): its managers and superusers.
    manage: bool = False
    # Why the project cannot be edited nor commented although the user's role would allow it
    # (its laureates left the programme; see :mod:`pvd.projects.readonly`), "" otherwise.
    lecture_seule: str = ""

    def refusal(self, what: str) -> str:
        """The French reason a write (``edit``/``comment``) is refused for a read-only project,
        "" when the refusal (if any) comes from the user's role."""
        return self.lecture_seule if what in ("edit", "comment", "manage") else ""


def _role(user, groupe: Groupe) -> Access:
    if not user or not user.is_authenticated or not user.is_active:
        return Access()
    if user.is_superuser:
        return Access(True, True, True, True)
    role = Membre.objects.filter(user=user, groupe=groupe).values_list("role", flat=True).first()
    if role is not None:
        return Access(
            True,
            True,
            role != Membre.Role.LECTEUR,
            role == Membre.Role.GESTIONNAIRE,
        )
    if any(
        s.covers(departement_id=groupe.departement_id, region_id=groupe.region_id)
        for s in user_scopes(user)
    ):
        return Access(True, True, False)
    return Access()


def access(user, groupe: Groupe) -> Access:
    role = _role(user, groupe)
    if not role.read:
        return role
    reason = read_only_reason(groupe)
    if not reason:
        return role
    return Access(read=True, comment=False, edit=False, lecture_seule=reason)


def _require(user, groupe: Groupe, what: str) -> None:
    a = access(user, groupe)
    if not getattr(a, what) and a.refusal(what):
        raise PermissionDenied(a.refusal(what))
    if not getattr(a, what):
        verb = {
            "read": "consulter le",
            "comment": "commenter le",
            "edit": "modifier le",
            "manage": "gérer l'équipe du",
        }[what]
        raise PermissionDenied(f"Vous n'avez pas les droits pour {verb} projet de {groupe}.")


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "get_username"):  # a user (an action's responsable)
        return value.get_username()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _audit(
    *,
    user,
    origine: str,
    projet: Projet,
    objet: str,
    objet_id: int,
    libelle: str,
    action: str,
    changes: dict,
) -> None:
    Changement.objects.create(
        at=timezone.now(),
        user=user if user is not None and user.is_authenticated else None,
        origine=origine,
        programme_id=projet.groupe.programme_id,
        objet=objet,
        objet_id=objet_id,
        libelle=libelle[:300],
        groupe=projet.groupe,
        commune_code="",
        action=action,
        changes={k: [_jsonable(a), _jsonable(b)] for k, (a, b) in changes.items()},
    )


def _diff(obj, values: dict) -> dict:
    return {k: (getattr(obj, k), v) for k, v in values.items() if getattr(obj, k) != v}


# --- Team -----------------------------------------------------------------------------------


def member_add(
    *, groupe: Groupe, user, fonction: str = "Chef de projet", role: str = "gestionnaire"
) -> Membre:
    """Attach someone to a team (admin, fixtures); the pages invite (``pvd.projects.team``)."""
    with transaction.atomic():
        membre, _ = Membre.objects.get_or_create(
            groupe=groupe, user=user, defaults={"fonction": fonction, "role": role}
        )
    return membre


def _delete_recorded(
    obj, *, user, origine: str, objet: str, libelle: str, changes: dict, refusal: str
) -> None:
    """Delete ``obj`` (superusers only) after recording it with its whole content in the history,
    so that ``pvd programme restaurer ID`` can put it back."""
    if not (user and user.is_authenticated and user.is_superuser):
        raise PermissionDenied(refusal)
    with transaction.atomic():
        deleted(
            Actor(origine, user),
            [obj],
            programme=obj.groupe.programme,
            objet=objet,
            libelle=libelle,
            changes=changes,
            groupe=obj.groupe,
        ).save()
        obj.delete()


def member_remove(*, membre: Membre, user, origine: str = "admin") -> None:
    """Remove someone from a project team (superusers: the admin), recording the membership
    removed so that it can be restored."""
    groupe = membre.groupe
    _delete_recorded(
        membre,
        user=user,
        origine=origine,
        objet="membre",
        libelle=f"équipe : {membre.user.get_username()} ({membre.fonction})",
        changes={"user": (membre.user.get_username(), None), "groupe": (groupe.code, None)},
        refusal="Seul un administrateur retire un membre d'une équipe projet.",
    )


# --- Project --------------------------------------------------------------------------------


def project_delete(*, projet: Projet, user, origine: str = "admin") -> None:
    """Delete a project with everything in it (superusers only). The history keeps the whole
    content (actions, budgets, funding, milestones, indicators, measures, comments, saved
    views) so that ``pvd programme restaurer ID`` puts it back."""
    _delete_recorded(
        projet,
        user=user,
        origine=origine,
        objet="projet",
        libelle=projet.nom,
        changes={"nom": (projet.nom, None)},
        refusal="Seul un administrateur supprime un projet de territoire.",
    )


PROJECT_FIELDS = ("nom", "orientations", "axes")


def project_get_or_create(*, groupe: Groupe) -> Projet:
    """The group's project, created empty (named after the group) if it has none. A write:
    pages and API reads never call it (they show the empty state), only ``project_create``,
    imports and fixtures do."""
    projet, _ = Projet.objects.get_or_create(
        groupe=groupe, defaults={"nom": f"Projet de territoire — {groupe}"}
    )
    return projet


def project_create(*, groupe: Groupe, user, origine: str = "web") -> Projet:
    """Create the group's empty project on an explicit request of its team (or a superuser);
    idempotent: an existing project is returned unchanged. Audited."""
    _require(user, groupe, "edit")
    with transaction.atomic():
        projet, created = Projet.objects.get_or_create(
            groupe=groupe, defaults={"nom": f"Projet de territoire — {groupe}"}
        )
        if created:
            _audit(
                user=user,
                origine=origine,
                projet=projet,
                objet="projet",
                objet_id=projet.pk,
                libelle=projet.nom,
                action="creation",
                changes={"nom": (None, projet.nom)},
            )
    return projet


def project_update(*, projet: Projet, user, values: dict, origine: str = "web") -> dict:
    _require(user, projet.groupe, "edit")
    unknown = set(values) - set(PROJECT_FIELDS)
    if unknown:
        raise ValueError(f"champs non modifiables : {', '.join(sorted(unknown))}")
    validation.check("projet", values)
    if "axes" in values:
        bad = set(values["axes"]) - set(Axe.values)
        if bad:
            raise ValueError(f"axes inconnus : {', '.join(sorted(bad))}")
    with transaction.atomic():
        locked = Projet.objects.select_for_update().get(pk=projet.pk)
        diff = _diff(locked, values)
        if not diff:
            return {}
        for k, (_, v) in diff.items():
            setattr(locked, k, v)
        locked.save()
        _audit(
            user=user,
            origine=origine,
            projet=locked,
            objet="projet",
            objet_id=locked.pk,
            libelle=locked.nom,
            action="modification",
            changes=diff,
        )
    projet.refresh_from_db()
    return diff


# --- Actions --------------------------------------------------------------------------------

ACTION_FIELDS = (
    "titre",
    "description",
    "axe",
    "phase",
    "statut",
    "priorite",
    "date_debut",
    "date_fin_prevue",
    "date_fin_reelle",
    "responsable",
)
ACTION_RELATIONS = ("communes", "porteur", "partenaires")


def organisation_get(*, nom: str) -> Organisation | None:
    nom = " ".join(nom.split())
    if not nom:
        return None
    org = Organisation.objects.filter(nom__iexact=nom).first()
    return org or Organisation.objects.create(nom=nom)


def _relations_snapshot(action: Action) -> dict:
    return {
        "communes": sorted(action.communes.values_list("code", flat=True)),
        "porteur": action.porteur.nom if action.porteur_id else None,
        "partenaires": sorted(action.partenaires.values_list("nom", flat=True)),
    }


def _check_dates(values: dict) -> None:
    start, end = values.get("date_debut"), values.get("date_fin_prevue")
    if start and end and end < start:
        raise ValueError("la date de fin prévue précède la date de début")


def _check_responsable(projet: Projet, values: dict) -> None:
    """The responsable of an action (who gets its reminders) is a member of the project team."""
    user = values.get("responsable")
    if user is not None and not Membre.objects.filter(groupe=projet.groupe, user=user).exists():
        raise ValueError(f"{user.get_username()} ne fait pas partie de l'équipe du projet")


def _set_relations(action: Action, values: dict) -> None:
    if "communes" in values:
        allowed = set(action.projet.groupe.laureats.values_list("commune_id", flat=True))
        communes = list(values["communes"])
        outside = [c for c in communes if c.pk not in allowed]
        if outside and allowed:
            names = ", ".join(c.nom for c in outside)
            raise ValueError(f"communes hors du groupe : {names}")
        action.communes.set(communes)
    if "porteur" in values:
        p = values["porteur"]
        action.porteur = organisation_get(nom=p) if isinstance(p, str) else p
        action.save(update_fields=["porteur"])
    if "partenaires" in values:
        orgs = [organisation_get(nom=p) if isinstance(p, str) else p for p in values["partenaires"]]
        action.partenaires.set([o for o in orgs if o is not None])


def action_create(*, projet: Projet, user, values: dict, origine: str = "web") -> Action:
    _require(user, projet.groupe, "edit")
    unknown = set(values) - set(ACTION_FIELDS) - set(ACTION_RELATIONS)
    if unknown:
        raise ValueError(f"champs inconnus : {', '.join(sorted(unknown))}")
    validation.check("action", values)
    _check_dates(values)
    _check_responsable(projet, values)
    with transaction.atomic():
        action = Action.objects.create(
            projet=projet, **{k: v for k, v in values.items() if k in ACTION_FIELDS}
        )
        _set_relations(action, values)
        fields = {k: (None, v) for k, v in values.items() if k in ACTION_FIELDS}
        fields.update({k: (None, v) for k, v in _relations_snapshot(action).items() if v})
        _audit(
            user=user,
            origine=origine,
            projet=projet,
            objet="action",
            objet_id=action.pk,
            libelle=action.titre,
            action="creation",
            changes=fields,
        )
    return action


def action_update(*, action: Action, user, values: dict, origine: str = "web") -> dict:
    _require(user, action.projet.groupe, "edit")
    unknown = set(values) - set(ACTION_FIELDS) - set(ACTION_RELATIONS)
    if unknown:
        raise ValueError(f"champs inconnus : {', '.join(sorted(unknown))}")
    validation.check("action", values)
    _check_responsable(action.projet, values)
    with transaction.atomic():
        locked = Action.objects.select_for_update().get(pk=action.pk)
        _check_dates(
            {
                "date_debut": values.get("date_debut", locked.date_debut),
                "date_fin_prevue": values.get("date_fin_prevue", locked.date_fin_prevue),
            }
        )
        diff = _diff(locked, {k: v for k, v in values.items() if k in ACTION_FIELDS})
        for k, (_, v) in diff.items():
            setattr(locked, k, v)
        if diff:
            locked.save()
        before = _relations_snapshot(locked)
        _set_relations(locked, {k: v for k, v in values.items() if k in ACTION_RELATIONS})
        after = _relations_snapshot(locked)
        diff.update({k: (before[k], after[k]) for k in after if before[k] != after[k]})
        if diff:
            _audit(
                user=user,
                origine=origine,
                projet=locked.projet,
                objet="action",
                objet_id=locked.pk,
                libelle=locked.titre,
                action="modification",
                changes=diff,
            )
    action.refresh_from_db()
    return diff


def action_delete(*, action: Action, user, origine: str = "web") -> None:
    """Mark the action deleted: it leaves the views and totals but can be restored."""
    _require(user, action.projet.groupe, "edit")
    with transaction.atomic():
        now = timezone.now()
        Action.objects.filter(pk=action.pk, supprime_le__isnull=True).update(supprime_le=now)
        _audit(
            user=user,
            origine=origine,
            projet=action.projet,
            objet="action",
            objet_id=action.pk,
            libelle=action.titre,
            action="suppression",
            changes={"supprime_le": (None, now)},
        )
    action.refresh_from_db()


def action_restore(*, action: Action, user, origine: str = "web") -> None:
    _require(user, action.projet.groupe, "edit")
    with transaction.atomic():
        old = action.supprime_le
        Action.objects.filter(pk=action.pk).update(supprime_le=None)
        _audit(
            user=user,
            origine=origine,
            projet=action.projet,
            objet="action",
            objet_id=action.pk,
            libelle=action.titre,
            action="modification",
            changes={"supprime_le": (old.isoformat() if old else None, None)},
        )
    action.refresh_from_db()


# --- Lines of an action: budget, funding, milestones, indicators ---------------------------

LINE_MODELS = {
    "budget": (LigneBudget, ("annee", "nature", "prevu", "realise")),
    "financement": (
        Financement,
        (
            "financeur",
            "decision",
            "dispositif",
            "montant_demande",
            "montant_accorde",
            "montant_verse",
            "date_demande",
            "date_decision",
            "date_versement",
        ),
    ),
    "jalon": (Jalon, ("libelle", "date_prevue", "date_reelle")),
    "indicateur": (
        Indicateur,
        ("libelle", "unite", "valeur_initiale", "date_initiale", "cible", "date_cible"),
    ),
}


LINE_LABELS = {
    "budget": "budget",
    "financement": "cofinancement",
    "jalon": "jalon",
    "indicateur": "indicateur",
}


def _check_line(
    kind: str,
    values: dict,
    *,
    action: Action,
    line_id: int | None = None,
    new_decision: bool = False,
) -> None:
    validation.check(kind, values)
    if kind == "budget" and "annee" in values and "nature" in values:
        # One line per year and nature (database constraint): said, not an IntegrityError.
        same = LigneBudget.objects.filter(
            action=action, annee=values["annee"], nature=values["nature"]
        ).exclude(pk=line_id)
        if same.exists():
            nature = dict(LigneBudget.Nature.choices).get(values["nature"], values["nature"])
            raise ValueError(
                f"une ligne de budget {values['annee']} en {nature.lower()} existe déjà : "
                "modifiez-la plutôt que d'en ajouter une seconde"
            )
    if kind == "financement":
        requested = values.get("montant_demande") or 0
        granted = values.get("montant_accorde")
        paid = values.get("montant_verse")
        if granted is not None and requested and granted > requested:
            raise ValueError("le montant accordé dépasse le montant demandé")
        if paid is not None and paid > (granted or 0):
            raise ValueError("le montant versé dépasse le montant accordé")
        _check_decision(values, new_decision)


def _infer_decision(kind: str, values: dict) -> dict:
    """Callers that give a granted amount without a decision (imports, older clients) mean
    the decision the amount implies: some amount granted, or nothing (refused)."""
    if kind != "financement" or "decision" in values or "montant_accorde" not in values:
        return values
    granted = values["montant_accorde"]
    decision = (
        Financement.Decision.EN_ATTENTE
        if granted is None
        else (Financement.Decision.ACCORDE if granted > 0 else Financement.Decision.REFUSE)
    )
    return values | {"decision": decision}


def _check_decision(values: dict, new_decision: bool) -> None:
    """A funding decision is one edit: granted with its amount and date, refused with its date
    (nothing granted); a request waiting for its decision has no amount granted. The date is
    required when the decision is recorded (older lines may lack it)."""
    decision = values.get("decision") or Financement.Decision.EN_ATTENTE
    granted, when = values.get("montant_accorde"), values.get("date_decision")
    if decision == Financement.Decision.ACCORDE and not granted:
        raise ValueError("un cofinancement accordé indique le montant accordé")
    if decision == Financement.Decision.REFUSE and granted:
        raise ValueError("un cofinancement refusé n'a pas de montant accordé")
    if new_decision and decision != Financement.Decision.EN_ATTENTE and when is None:
        raise ValueError("indiquez la date de la décision")
    if decision == Financement.Decision.EN_ATTENTE and granted:
        raise ValueError("un montant accordé suppose une décision « accordé »")


def line_save(
    *,
    action: Action,
    kind: str,
    user,
    values: dict,
    line_id: int | None = None,
    origine: str = "web",
):
    """Create (``line_id`` None) or update one budget, funding, milestone or indicator line."""
    _require(user, action.projet.groupe, "edit")
    model, fields = LINE_MODELS[kind]
    unknown = set(values) - set(fields)
    if unknown:
        raise ValueError(f"champs inconnus : {', '.join(sorted(unknown))}")
    explicit = "decision" in values
    values = _infer_decision(kind, values)
    with transaction.atomic():
        if line_id is None:
            _check_line(kind, values, action=action, new_decision=explicit)
            line = model.objects.create(action=action, **values)
            diff = {k: (None, v) for k, v in values.items()}
            verb = "creation"
        else:
            line = model.objects.select_for_update().filter(pk=line_id, action=action).first()
            if line is None:
                raise validation.InvalidInput({"ligne": "cette ligne n'existe pas pour l'action"})
            merged = {f: getattr(line, f) for f in fields} | values
            _check_line(
                kind,
                merged,
                action=action,
                line_id=line.pk,
                new_decision=explicit and values["decision"] != getattr(line, "decision", None),
            )
            diff = _diff(line, values)
            for k, (_, v) in diff.items():
                setattr(line, k, v)
            line.save()
            verb = "modification"
        if diff:
            _audit(
                user=user,
                origine=origine,
                projet=action.projet,
                objet=kind,
                objet_id=line.pk,
                libelle=f"{action.titre} ({LINE_LABELS[kind]})",
                action=verb,
                changes=diff,
            )
        Action.objects.filter(pk=action.pk).update(updated_at=timezone.now())
    return line


def line_delete(*, action: Action, kind: str, user, line_id: int, origine: str = "web") -> None:
    _require(user, action.projet.groupe, "edit")
    model, fields = LINE_MODELS[kind]
    with transaction.atomic():
        line = model.objects.filter(pk=line_id, action=action).first()
        if line is None:
            raise validation.InvalidInput({"ligne": "cette ligne n'existe pas pour l'action"})
        before = {f: (_jsonable(getattr(line, f)), None) for f in fields}
        projet = action.projet
        # With its content (an indicator's measures too): restorable.
        deleted(
            Actor(origine, user),
            [line],
            programme=projet.groupe.programme,
            objet=kind,
            libelle=f"{action.titre} ({LINE_LABELS[kind]})",
            changes=before,
            groupe=projet.groupe,
        ).save()
        line.delete()


def measure_record(
    *, indicateur: Indicateur, user, when: date, valeur: float, origine: str = "web"
) -> Mesure:
    action = indicateur.action
    _require(user, action.projet.groupe, "edit")
    validation.check("mesure", {"date": when, "valeur": valeur})
    with transaction.atomic():
        mesure, created = Mesure.objects.select_for_update().get_or_create(
            indicateur=indicateur, date=when, defaults={"valeur": valeur}
        )
        old = None if created else mesure.valeur
        if not created and mesure.valeur != valeur:
            mesure.valeur = valeur
            mesure.save()
        _audit(
            user=user,
            origine=origine,
            projet=action.projet,
            objet="mesure",
            objet_id=mesure.pk,
            libelle=f"{indicateur.libelle} au {when.isoformat()}",
            action="creation" if created else "modification",
            changes={"valeur": (old, valeur)},
        )
    return mesure


# --- Comments and saved views ---------------------------------------------------------------


def comment_add(
    *, projet: Projet, user, texte: str, action: Action | None = None, origine: str = "web"
) -> Commentaire:
    _require(user, projet.groupe, "comment")
    texte = texte.strip()
    if not texte:
        raise ValueError("le commentaire est vide")
    validation.check("commentaire", {"texte": texte})
    with transaction.atomic():
        c = Commentaire.objects.create(projet=projet, action=action, user=user, texte=texte)
        _audit(
            user=user,
            origine=origine,
            projet=projet,
            objet="commentaire",
            objet_id=c.pk,
            libelle=f"commentaire{' sur ' + action.titre if action else ''}",
            action="creation",
            changes={"texte": (None, texte[:500])},
        )
    return c


def view_save(*, projet: Projet, user, nom: str, query: str) -> VueEnregistree:
    _require(user, projet.groupe, "read")
    nom = nom.strip()[:100]
    if not nom:
        raise ValueError("donnez un nom à la vue")
    with transaction.atomic():
        vue, _ = VueEnregistree.objects.update_or_create(
            user=user, projet=projet, nom=nom, defaults={"query": query[:500]}
        )
    return vue
