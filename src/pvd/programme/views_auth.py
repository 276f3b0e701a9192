"""Login and logout of the programme's staff and project teams."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import reverse, reverse_lazy

from pvd.programme.models import Groupe
from pvd.programme.permissions import user_scopes


def landing_url(user) -> str:
    """Where a user lands after login: a project team member on their project (or their list
    of projects when they are in several teams), a prefecture or region agent on the list of
    the projects they follow, the national team on the national dashboard. The project teams are
    read through the groups' reverse link (``membres_projet``) and the pages by their URL names:
    the programme imports nothing of the projects app, which builds on it."""
    teams = list(
        Groupe.objects.filter(membres_projet__user=user)
        .select_related("programme")
        .order_by("code")[:2]
    )
    if len(teams) == 1:
        g = teams[0]
        return reverse("projects:projet", args=[g.programme.slug, g.code])
    if teams:
        return reverse("projects:index")
    scopes = user_scopes(user)
    if not user.is_superuser and scopes and all(s.niveau != "national" for s in scopes):
        return reverse("projects:index")
    return reverse("programme:dashboard", args=["pvd"])


class LoginView(auth_views.LoginView):
    template_name = "programme/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        # A chef de projet lands on her project, an agent on the projects she follows.
        return landing_url(self.request.user)


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("programme:index")
