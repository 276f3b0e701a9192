"""Login and logout of the programme's staff and project teams."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy


class LoginView(auth_views.LoginView):
    template_name = "programme/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        # A chef de projet lands on her project, an agent on the projects she follows.
        from pvd.projects.selectors import landing_url

        return landing_url(self.request.user)


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("programme:index")
