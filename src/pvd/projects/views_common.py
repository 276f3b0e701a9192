"""What every project page shares: the login requirement, the group and the user's access to
its project (checked, 403 with the reason otherwise), the empty state of a group without a
project, the breadcrumbs, the filters of the actions table and what the action page shows
(rendered by ``views.action`` and, with a line form open, by ``views_lines``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy

from pvd import access as table
from pvd.domain import steering
from pvd.programme.models import Groupe
from pvd.projects import (
    charts,
    selectors,
    services,
)
from pvd.projects.forms import LINE_FORMS, CommentaireForm, MesureForm
from pvd.projects.models import Action, Axe, Financeur, Phase, Priorite

LOGIN_URL = reverse_lazy("programme:login")
login = login_required(login_url=LOGIN_URL)
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _crumbs(current: str, *links: tuple[str, str]) -> dict:
    return {"current": current, "links": [{"url": url, "title": title} for url, title in links]}


def _forbidden(request, message: str) -> HttpResponse:
    return HttpResponseForbidden(
        render(request, "projects/forbidden.html", {"message": message}).content
    )


def _group_only(request, slug: str, code: str, need: str = "read"):
    """The group and the user's access to its project, checked (no project read)."""
    groupe = (
        Groupe.objects.select_related("programme", "departement", "region", "epci")
        .filter(programme__slug=slug, code=code)
        .first()
    )
    if groupe is None:
        raise Http404(f"Aucun groupe « {code} » dans le programme « {slug} ».")
    acc = services.access(request.user, groupe)
    if not getattr(acc, need):
        table.require(
            request.user,
            f"projects.{need}",
            groupe,
            message=f"Vous n'avez pas accès au projet de {groupe} : il est réservé à l'équipe "
            "projet et aux services de l'État et de la région de son territoire.",
        )
    return groupe, acc


def _group(request, slug: str, code: str, need: str = "read"):
    groupe, acc = _group_only(request, slug, code, need)
    # Reads never write: a group without a project gets the empty state (see ``_guard``);
    # only the explicit "create" POST (``projet_create``) creates it.
    projet = selectors.project_for(groupe)
    if projet is None:
        raise NoProject(groupe, acc)
    return groupe, projet, acc


class NoProject(Exception):
    """The group has no projet de territoire yet."""

    def __init__(self, groupe: Groupe, acc: services.Access) -> None:
        super().__init__(str(groupe))
        self.groupe = groupe
        self.access = acc


# Views that answer a file (CSV, XLSX, PDF, zip): without a project there is no such file.
DOWNLOADS = ("rapport", "export", "export_schema")


def _no_project(request, exc: NoProject, view_name: str) -> HttpResponse:
    """The project page shows the empty state (and the "create" button to its team); the
    other pages of the project lead there."""
    groupe = exc.groupe
    if view_name in DOWNLOADS:
        # A file that does not exist: 404 with a clear message, not the HTML page.
        raise Http404(
            f"Le groupe {groupe} n'a pas encore de projet de territoire : "
            "pas d'actions à exporter ni de rapport."
        )
    if view_name != "projet":
        if request.method == "POST":
            messages.info(request, "Ce groupe n'a pas encore de projet de territoire.")
        return redirect("projects:projet", groupe.programme.slug, groupe.code)
    return render(
        request,
        "projects/projet_vide.html",
        {
            "groupe": groupe,
            "access": exc.access,
            "slug": groupe.programme.slug,
            "breadcrumb_data": _crumbs(
                f"Projet de territoire — {groupe}",
                (reverse("projects:index"), "Projets de territoire"),
            ),
        },
    )


def _guard(view):
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except services.PermissionDenied as exc:
            return _forbidden(request, str(exc))
        except NoProject as exc:
            return _no_project(request, exc, view.__name__)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return login(wrapped)


def _base(groupe, projet, acc, current: str, *extra) -> dict:
    url = reverse("projects:projet", args=[groupe.programme.slug, groupe.code])
    links = [(reverse("projects:index"), "Projets de territoire")]
    if current != projet.nom:
        links.append((url, projet.nom))
    links.extend(extra)
    return {
        "groupe": groupe,
        "projet": projet,
        "access": acc,
        "slug": groupe.programme.slug,
        "breadcrumb_data": _crumbs(current, *links),
    }


def _pct(rate: float | None) -> int | None:
    return None if rate is None else round(rate * 100)


def _filters(request) -> dict:
    return {k: request.GET.get(k, "").strip() for k in selectors.FILTERS}


FILTER_CHOICES = {
    "axes": Axe.choices,
    "statuts": [(s, steering.STATUS_LABELS[s]) for s in steering.EFFECTIVE_STATUSES],
    "phases": Phase.choices,
    "priorites": Priorite.choices,
    "financeurs": Financeur.choices,
}


def action_context(request, groupe, projet, acc, a: Action) -> dict:
    """What the action page shows (also re-rendered by a line edit with errors)."""
    rows = [
        r
        for r in selectors.action_rows(projet, deleted=a.supprime_le is not None)
        if r.action.pk == a.pk
    ]
    row = rows[0]
    ctx = _base(groupe, projet, acc, a.titre)
    ctx.update(
        {
            "row": row,
            "a": row.action,
            "forms": {k: f(prefix=k) for k, f in LINE_FORMS.items()},
            "mesure_form": MesureForm(),
            "indicators": [
                {"ind": i, "chart": charts.indicator_chart(i)}
                for i in row.action.indicateurs.prefetch_related("mesures")
            ],
            "comments": row.action.commentaires.select_related("user")[:20],
            "comment_form": CommentaireForm(),
        }
    )
    return ctx
