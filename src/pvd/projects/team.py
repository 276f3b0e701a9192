"""The project team managed in the pages by its managers: invite by e-mail, change a role,
remove someone. A project keeps at least one manager. Every change is in the history.

An invitation adds an existing account (found by its e-mail) to the team, or creates an
inactive account with that e-mail: the e-mail then carries a set-password link made with
Django's password-reset tokens (``default_token_generator``), and the account becomes active
when its owner chooses a password (``views_team.ActivateView``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from pvd.programme.audit import Actor, change, deleted
from pvd.programme.models import Groupe
from pvd.projects.access import require
from pvd.projects.forms import person_label
from pvd.projects.models import Membre

ROLES = dict(Membre.Role.choices)
LAST_MANAGER = "le projet doit garder au moins un gestionnaire"


@dataclass(frozen=True)
class Invitation:
    membre: Membre
    account_created: bool  # a new inactive account, with a set-password link in the e-mail
    already_member: bool


def activation_path_args(user) -> tuple[str, str]:
    """The (uidb64, token) of the set-password link of an invited account."""
    return urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)


def _account_for(email: str) -> tuple[object, bool]:
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).order_by("-is_active", "pk").first()
    if user is not None:
        return user, False
    username, n = email[:150], 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{email[:140]}-{n}"
    user = User(username=username, email=email, is_active=False)
    user.set_unusable_password()
    user.save()
    return user, True


def _record(user, origine: str, membre: Membre, *, libelle: str, action: str, changes: dict):
    change(
        Actor(origine, user),
        programme=membre.groupe.programme,
        objet="membre",
        objet_id=membre.pk,
        libelle=libelle,
        commune_code="",
        action=action,
        changes=changes,
        at=timezone.now(),
        groupe=membre.groupe,
    ).save()


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"rôle inconnu : {role}")


def _managers_left(groupe: Groupe, without: Membre) -> bool:
    others = Membre.objects.select_for_update().filter(groupe=groupe, role=Membre.Role.GESTIONNAIRE)
    return others.exclude(pk=without.pk).exists()


def team_invite(
    *,
    groupe: Groupe,
    user,
    email: str,
    role: str,
    fonction: str = "",
    project_url: str,
    activation_url: Callable[[str, str], str],
    origine: str = "web",
) -> Invitation:
    """Invite someone by e-mail into the group's project team (its managers only) and tell
    them by e-mail; ``activation_url(uidb64, token)`` builds the set-password link of a new
    account."""
    require(user, groupe, "manage")
    email = " ".join(email.split()).lower()
    validate_email(email)
    _check_role(role)
    with transaction.atomic():
        account, created = _account_for(email)
        membre, added = Membre.objects.get_or_create(
            groupe=groupe, user=account, defaults={"role": role, "fonction": fonction[:100]}
        )
        if added:
            _record(
                user,
                origine,
                membre,
                libelle=f"équipe : {email} invité ({membre.role_court.lower()})",
                action="creation",
                changes={"membre": (None, email), "role": (None, role)},
            )
    needs_password = not account.is_active and not account.has_usable_password()
    lines = [
        "Bonjour,",
        "",
        f"{person_label(user)} vous a ajouté à l'équipe du projet de territoire de {groupe} "
        f"sur la plateforme Petites villes de demain, avec le rôle « {membre.role_court} ».",
        "",
    ]
    if needs_password:
        lines += [
            "Un compte a été créé pour cette adresse. Choisissez votre mot de passe avec ce "
            "lien (valable quelques jours) :",
            activation_url(*activation_path_args(account)),
            "",
            f"Votre identifiant : {account.get_username()}",
        ]
    else:
        lines += ["Le projet :", project_url]
    send_mail(
        f"Équipe du projet de territoire de {groupe}",
        "\n".join(lines),
        settings.DEFAULT_FROM_EMAIL,
        [email],
    )
    return Invitation(membre, created, not added)


def team_set_role(*, membre: Membre, user, role: str, origine: str = "web") -> bool:
    """Change a member's role (managers only); refused when it would leave no manager."""
    require(user, membre.groupe, "manage")
    _check_role(role)
    with transaction.atomic():
        locked = Membre.objects.select_for_update().get(pk=membre.pk)
        if locked.role == role:
            return False
        if locked.role == Membre.Role.GESTIONNAIRE and not _managers_left(locked.groupe, locked):
            raise ValueError(LAST_MANAGER)
        before = locked.role
        locked.role = role
        locked.save(update_fields=["role"])
        _record(
            user,
            origine,
            locked,
            libelle=f"équipe : rôle de {person_label(locked.user)}",
            action="modification",
            changes={"role": (before, role)},
        )
    membre.refresh_from_db()
    return True


def team_remove(*, membre: Membre, user, origine: str = "web") -> None:
    """Remove someone from the team (managers only; also oneself), recorded with the membership
    removed (restorable); refused for the last manager."""
    groupe = membre.groupe
    require(user, groupe, "manage")
    with transaction.atomic():
        locked = Membre.objects.select_for_update().get(pk=membre.pk)
        if locked.role == Membre.Role.GESTIONNAIRE and not _managers_left(groupe, locked):
            raise ValueError(LAST_MANAGER)
        who = person_label(locked.user)
        deleted(
            Actor(origine, user),
            [locked],
            programme=groupe.programme,
            objet="membre",
            libelle=f"équipe : {who} retiré ({locked.role_court.lower()})",
            changes={"membre": (who, None), "role": (locked.role, None)},
            groupe=groupe,
        ).save()
        locked.delete()
