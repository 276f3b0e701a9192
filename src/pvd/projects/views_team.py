"""The project team page: who is in the team with which role; its managers invite by e-mail,
change roles and remove members (a project keeps at least one manager). The set-password page
of an invited account (Django's password-reset tokens) activates it.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST

from pvd import access as table
from pvd.projects import selectors, team
from pvd.projects.forms import person_label
from pvd.projects.models import Membre
from pvd.projects.views_common import _crumbs, _group_only, _guard


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Adresse e-mail",
        help_text="Un compte existant avec cette adresse est ajouté ; sinon un compte est créé "
        "et un lien pour choisir le mot de passe est envoyé.",
    )
    role = forms.ChoiceField(
        label="Rôle", choices=Membre.Role.choices, initial=Membre.Role.CONTRIBUTEUR
    )
    fonction = forms.CharField(
        label="Fonction",
        required=False,
        max_length=100,
        help_text="Par exemple : chargé de mission commerce.",
    )


def _context(request, groupe, acc, form=None) -> dict:
    order = list(Membre.Role.values)  # managers first, then contributors, then readers
    membres = sorted(
        Membre.objects.filter(groupe=groupe).select_related("user"),
        key=lambda m: (order.index(m.role), m.pk),
    )
    projet = selectors.project_for(groupe)
    url = reverse("projects:projet", args=[groupe.programme.slug, groupe.code])
    return {
        "groupe": groupe,
        "projet": projet,
        "access": acc,
        "slug": groupe.programme.slug,
        "membres": [{"m": m, "nom": person_label(m.user)} for m in membres],
        "roles": Membre.Role.choices,
        "form": form or InvitationForm(),
        "breadcrumb_data": _crumbs(
            "Équipe du projet",
            (reverse("projects:index"), "Projets de territoire"),
            (url, projet.nom if projet else f"Projet de territoire — {groupe}"),
        ),
    }


def _managed(request, slug: str, code: str):
    groupe, acc = _group_only(request, slug, code)
    if not acc.manage:
        table.require(
            request.user,
            "projects.manage",
            groupe,
            message=f"Seuls les gestionnaires de l'équipe du projet de {groupe} gèrent son équipe.",
        )
    return groupe, acc


@_guard
def equipe(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    groupe, acc = _group_only(request, slug, code)
    return render(request, "projects/equipe.html", _context(request, groupe, acc))


@_guard
@require_POST
def equipe_inviter(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    groupe, acc = _managed(request, slug, code)
    form = InvitationForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            inv = team.team_invite(
                groupe=groupe,
                user=request.user,
                email=d["email"],
                role=d["role"],
                fonction=d["fonction"],
                project_url=request.build_absolute_uri(
                    reverse("projects:projet", args=[slug, code])
                ),
                activation_url=lambda uid, token: request.build_absolute_uri(
                    reverse("projects:activer", args=[uid, token])
                ),
            )
        except (ValueError, ValidationError) as exc:
            form.add_error("email", exc.messages[0] if hasattr(exc, "messages") else str(exc))
        else:
            if inv.already_member:
                messages.info(
                    request, f"{d['email']} fait déjà partie de l'équipe (e-mail renvoyé)."
                )
            elif inv.account_created:
                messages.success(
                    request,
                    f"Compte créé pour {d['email']} : un e-mail l'invite à choisir son mot de passe.",
                )
            else:
                messages.success(request, f"{d['email']} ajouté à l'équipe et prévenu par e-mail.")
            return redirect("projects:equipe", slug, code)
    return render(request, "projects/equipe.html", _context(request, groupe, acc, form), status=400)


@_guard
@require_POST
def equipe_membre(request: HttpRequest, slug: str, code: str, pk: int) -> HttpResponse:
    """Change a member's role (``role``) or remove them (``retirer``)."""
    groupe, acc = _managed(request, slug, code)
    membre = get_object_or_404(Membre, pk=pk, groupe=groupe)
    name = person_label(membre.user)
    try:
        if request.POST.get("retirer"):
            team.team_remove(membre=membre, user=request.user)
            messages.success(request, f"{name} a été retiré de l'équipe.")
        elif team.team_set_role(
            membre=membre, user=request.user, role=request.POST.get("role", "")
        ):
            messages.success(request, f"Rôle de {name} : {membre.role_court}.")
        else:
            messages.info(request, "Aucune modification.")
    except ValueError as exc:
        messages.error(request, f"Refusé : {exc}.")
    return redirect("projects:equipe", slug, code)


class ActivateView(auth_views.PasswordResetConfirmView):
    """An invited account chooses its password with the link of its invitation (Django's
    password-reset token); the account becomes active then."""

    template_name = "projects/activer.html"
    success_url = reverse_lazy("programme:login")

    def form_valid(self, form):
        form.user.is_active = True
        response = super().form_valid(form)  # saves the user (password and is_active)
        messages.success(self.request, "Mot de passe enregistré : connectez-vous.")
        return response
