"""Project pages: list of readable projects, a project (actions table with filters and saved
views, timeline, budget summary, indicators, steering report PDF, exports), action editing,
and the department / region / national syntheses. Thin: read the query, check access, call a
selector or a service, render. Every page needs a login (projects are not public data).
"""

from __future__ import annotations

import io
import zipfile
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST

from pvd.domain import steering
from pvd.programme.models import Groupe
from pvd.programme.services import user_scopes
from pvd.projects import (
    charts,
    exports,
    schema_export,
    selectors,
    services,
    steering_pack,
    validation,
)
from pvd.projects.forms import (
    LINE_FORMS,
    ActionForm,
    CommentaireForm,
    MesureForm,
    ProjetForm,
)
from pvd.projects.models import Action, Axe, Financeur, Indicateur, Phase, Priorite
from pvd.territories.models import Departement, Region
from pvd.web import csv_fr

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
    if not getattr(acc, need) and acc.refusal(need):
        raise services.PermissionDenied(acc.refusal(need))
    if not getattr(acc, need):
        raise services.PermissionDenied(
            f"Vous n'avez pas accès au projet de {groupe} : il est réservé à l'équipe projet "
            "et aux services de l'État et de la région de son territoire."
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


# --- Index and project --------------------------------------------------------------------


@_guard
def projet(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    groupe, projet, acc = _group(request, slug, code)
    filters = _filters(request)
    rows = selectors.action_rows(projet, filters=filters)
    query = urlencode({k: v for k, v in filters.items() if v})
    totals = selectors.totals(rows)
    ctx = _base(groupe, projet, acc, projet.nom)
    ctx.update(
        {
            "rows": rows,
            "totals": totals,
            "delivery_pct": _pct(totals.delivery_rate),
            "filters": filters,
            "query": query,
            "choices": FILTER_CHOICES,
            "vues": projet.vues.filter(user=request.user),
            "deleted": selectors.action_rows(projet, deleted=True) if acc.edit else [],
            "comments": projet.commentaires.filter(action=None).select_related("user")[:20],
            "comment_form": CommentaireForm(),
            "history": selectors.history(projet, limit=20),
        }
    )
    return render(request, "projects/projet.html", ctx)


@_guard
@require_POST
def projet_create(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Create the group's empty project (its team or a superuser), then show it."""
    groupe, _ = _group_only(request, slug, code, "edit")
    services.project_create(groupe=groupe, user=request.user)
    messages.success(request, "Projet de territoire créé.")
    return redirect("projects:projet", slug, code)


@_guard
@require_http_methods(["GET", "POST"])
def projet_edit(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    groupe, projet, acc = _group(request, slug, code, "edit")
    form = ProjetForm(request.POST or None, instance=projet)
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in ("nom", "orientations", "axes")}
        projet.refresh_from_db()
        diff = services.project_update(projet=projet, user=request.user, values=values)
        messages.success(request, "Projet enregistré." if diff else "Aucune modification.")
        return redirect("projects:projet", slug, code)
    ctx = _base(groupe, projet, acc, "Modifier le projet")
    ctx["form"] = form
    return render(request, "projects/projet_edit.html", ctx)


@_guard
@require_POST
def vue_save(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    groupe, projet, acc = _group(request, slug, code)
    try:
        services.view_save(
            projet=projet,
            user=request.user,
            nom=request.POST.get("nom", ""),
            query=request.POST.get("query", ""),
        )
        messages.success(request, "Vue enregistrée.")
    except ValueError as exc:
        messages.error(request, str(exc))
    url = reverse("projects:projet", args=[slug, code])
    q = request.POST.get("query", "")
    return redirect(f"{url}?{q}" if q else url)


@_guard
@require_POST
def comment(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    groupe, projet, acc = _group(request, slug, code, "comment")
    action = None
    if request.POST.get("action"):
        action = get_object_or_404(
            Action, pk=validation.as_id(request.POST["action"], "action"), projet=projet
        )
    try:
        services.comment_add(
            projet=projet, user=request.user, texte=request.POST.get("texte", ""), action=action
        )
        messages.success(request, "Commentaire ajouté.")
    except ValueError as exc:
        messages.error(request, str(exc))
    if action:
        return redirect("projects:action", slug, code, action.pk)
    return redirect("projects:projet", slug, code)


# --- Actions ------------------------------------------------------------------------------


@_guard
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, slug: str, code: str, pk: int | None = None):
    groupe, projet, acc = _group(request, slug, code, "edit")
    instance = get_object_or_404(Action, pk=pk, projet=projet) if pk else None
    form = ActionForm(request.POST or None, instance=instance, groupe=groupe)
    if request.method == "POST" and form.is_valid():
        try:
            if instance is None:
                action = services.action_create(
                    projet=projet, user=request.user, values=form.values()
                )
                messages.success(request, f"Action « {action.titre} » créée.")
            else:
                action = Action.objects.get(pk=instance.pk)
                services.action_update(action=action, user=request.user, values=form.values())
                messages.success(request, f"Action « {action.titre} » enregistrée.")
            return redirect("projects:action", slug, code, action.pk)
        except ValueError as exc:
            form.add_error(None, str(exc))
    title = "Nouvelle action" if instance is None else f"Modifier « {instance.titre} »"
    ctx = _base(groupe, projet, acc, title)
    ctx.update({"form": form, "instance": instance, "title": title})
    return render(request, "projects/action_edit.html", ctx)


@_guard
def action(request: HttpRequest, slug: str, code: str, pk: int) -> HttpResponse:
    from pvd.projects.views_lines import editing

    groupe, projet, acc = _group(request, slug, code)
    a = get_object_or_404(Action, pk=pk, projet=projet)
    ctx = action_context(request, groupe, projet, acc, a)
    ctx["editing"] = editing(request, a, acc)
    return render(request, "projects/action.html", ctx)


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


@_guard
@require_POST
def action_line(request: HttpRequest, slug: str, code: str, pk: int, kind: str):
    """Add (or delete, with ``supprimer``) a budget, funding, milestone or indicator line."""
    groupe, projet, acc = _group(request, slug, code, "edit")
    a = get_object_or_404(Action, pk=pk, projet=projet)
    if kind not in LINE_FORMS:
        raise Http404(kind)
    if kind == "jalon" and request.POST.get("atteint"):
        services.line_save(
            action=a,
            kind="jalon",
            user=request.user,
            line_id=validation.as_id(request.POST["atteint"], "atteint"),
            values={"date_reelle": selectors.today()},
        )
        messages.success(request, "Jalon marqué comme atteint aujourd'hui.")
        return redirect("projects:action", slug, code, pk)
    if request.POST.get("supprimer"):
        services.line_delete(
            action=a,
            kind=kind,
            user=request.user,
            line_id=validation.as_id(request.POST["supprimer"], "supprimer"),
        )
        messages.success(request, "Ligne supprimée.")
        return redirect("projects:action", slug, code, pk)
    form = LINE_FORMS[kind](request.POST, prefix=kind)
    if form.is_valid():
        try:
            services.line_save(
                action=a,
                kind=kind,
                user=request.user,
                values={k: form.cleaned_data[k] for k in form.Meta.fields},
            )
            messages.success(request, "Ligne ajoutée.")
            return redirect("projects:action", slug, code, pk)
        except ValueError as exc:
            form.add_error(None, str(exc))
    ctx = _base(groupe, projet, acc, "Corriger la saisie")
    ctx.update({"form": form, "a": a, "kind": kind})
    return render(request, "projects/line_error.html", ctx, status=400)


@_guard
@require_POST
def measure(request: HttpRequest, slug: str, code: str, pk: int):
    groupe, projet, acc = _group(request, slug, code, "edit")
    a = get_object_or_404(Action, pk=pk, projet=projet)
    form = MesureForm(request.POST)
    if form.is_valid():
        ind = get_object_or_404(Indicateur, pk=form.cleaned_data["indicateur"], action=a)
        services.measure_record(
            indicateur=ind,
            user=request.user,
            when=form.cleaned_data["date"],
            valeur=form.cleaned_data["valeur"],
        )
        messages.success(request, "Mesure enregistrée.")
    else:
        messages.error(request, "Mesure invalide : indiquez une date et une valeur.")
    return redirect("projects:action", slug, code, pk)


@_guard
@require_POST
def action_delete(request: HttpRequest, slug: str, code: str, pk: int):
    groupe, projet, acc = _group(request, slug, code, "edit")
    a = get_object_or_404(Action, pk=pk, projet=projet)
    if request.POST.get("restaurer"):
        services.action_restore(action=a, user=request.user)
        messages.success(request, f"Action « {a.titre} » restaurée.")
        return redirect("projects:action", slug, code, pk)
    services.action_delete(action=a, user=request.user)
    messages.success(
        request, f"Action « {a.titre} » supprimée (elle reste restaurable depuis le projet)."
    )
    return redirect("projects:projet", slug, code)


# --- Steering views -----------------------------------------------------------------------


@_guard
def timeline(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    groupe, projet, acc = _group(request, slug, code)
    filters = _filters(request)
    rows = selectors.action_rows(projet, filters=filters)
    ctx = _base(groupe, projet, acc, "Calendrier")
    ctx.update({"timeline": selectors.timeline(rows), "filters": filters})
    return render(request, "projects/timeline.html", ctx)


def _budget_context(rows) -> dict:
    totals = selectors.totals(rows)
    labels = dict(Axe.choices)
    return {
        "totals": totals,
        "by_funder": sorted(totals.funding_by_funder.items(), key=lambda kv: -kv[1]["requested"]),
        "by_axis": sorted(totals.funding_by_axis.items()),
        "by_year": sorted(totals.funding_by_year.items(), key=lambda kv: (kv[0] is None, kv[0])),
        "spend_by_year": selectors.budget_by_year(rows),
        "investment_by_axis": [
            (labels.get(k, k), v) for k, v in totals.investment_by_axis.most_common()
        ],
        "forecast": sum(r.budget.forecast for r in rows),
        "actual": sum(r.budget.actual for r in rows),
        "remaining": sum(r.budget.remaining for r in rows),
        "funding_chart": charts.funding_chart(totals.funding_by_funder),
        "warnings": [(r.action, w) for r in rows for w in r.budget.warnings],
    }


@_guard
def budget(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    groupe, projet, acc = _group(request, slug, code)
    rows = selectors.action_rows(projet, filters=_filters(request))
    ctx = _base(groupe, projet, acc, "Budget et cofinancements")
    ctx.update(_budget_context(rows))
    return render(request, "projects/budget.html", ctx)


@_guard
def indicateurs(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    groupe, projet, acc = _group(request, slug, code)
    inds = (
        Indicateur.objects.filter(action__projet=projet, action__supprime_le__isnull=True)
        .select_related("action")
        .prefetch_related("mesures")
    )
    ctx = _base(groupe, projet, acc, "Indicateurs")
    ctx["indicators"] = [{"ind": i, "chart": charts.indicator_chart(i)} for i in inds]
    return render(request, "projects/indicateurs.html", ctx)


@_guard
def rapport(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """One-page steering report (PDF, A4) for the steering committee."""
    from django.template.loader import render_to_string

    groupe, projet, acc = _group(request, slug, code)
    rows = selectors.action_rows(projet)
    ctx = _base(groupe, projet, acc, "Rapport")
    ctx.update(_budget_context(rows))
    ctx["rows"] = rows
    ctx["alerts"] = steering_pack.alerts(rows)
    ctx["today"] = selectors.today()
    ctx["funding_decisions"] = steering_pack.funding_by_funder_and_decision(projet)
    ctx["indicator_lines"] = steering_pack.indicator_lines(projet)
    html = render_to_string("projects/rapport_print.html", ctx, request=request)
    if request.GET.get("format") == "html":
        return HttpResponse(html)
    from weasyprint import HTML  # lazily: pango is only needed for PDFs

    pdf = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rapport-{groupe.code}.pdf"'
    return response


@_guard
def rapport_xlsx(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The steering committee's pack as a spreadsheet (same figures as the PDF report)."""
    groupe, projet, acc = _group(request, slug, code)
    rows = selectors.action_rows(projet)
    body = steering_pack.pack_xlsx(
        projet=projet, rows=rows, totals=selectors.totals(rows), today=selectors.today()
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="comite-pilotage-{groupe.code}.xlsx"'
    return response


@_guard
def export(request: HttpRequest, slug: str, code: str, kind: str, fmt: str) -> HttpResponse:
    if kind not in ("actions", "financements") or fmt not in CONTENT_TYPES:
        raise Http404(f"{kind}.{fmt}")
    groupe, projet, acc = _group(request, slug, code)
    rows = selectors.action_rows(projet, filters=_filters(request))
    content = exports.export(kind, fmt, rows, variant=csv_fr.variant_of(request.GET))
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{kind}-{groupe.code}.{fmt}"'
    return response


@_guard
def export_schema(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Zip of projets-territoire.csv and collectivites.csv (public Table Schema)."""
    groupe, projet, acc = _group(request, slug, code)
    files = schema_export.export(selectors.action_rows(projet))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in files.items():
            z.writestr(name, content)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="projets-{groupe.code}.zip"'
    return response


# --- Syntheses: nation, region, department ------------------------------------------------


def _synthese(request, *, region=None, departement=None):
    scopes = user_scopes(request.user)

    def allowed() -> bool:
        if request.user.is_superuser:
            return True
        for s in scopes:
            if s.niveau == "national":
                return True
            if s.niveau == "region" and region and region.code == s.region_id:
                return True
            if s.niveau == "region" and departement and departement.region_id == s.region_id:
                return True
            if s.niveau == "departement" and departement and departement.code == s.departement_id:
                return True
        return False

    if not allowed():
        return _forbidden(
            request, "Cette synthèse est réservée aux services dont le périmètre la couvre."
        )
    data = selectors.scope_aggregate(
        region=region.code if region else None,
        departement=departement.code if departement else None,
    )
    total = data["total"]
    if data["key"] == "region":
        names = dict(Region.objects.values_list("code", "nom"))
        link = lambda k: reverse("projects:synthese_region", args=[k])  # noqa: E731
    elif data["key"] == "departement":
        names = dict(Departement.objects.values_list("code", "nom"))
        link = lambda k: reverse("projects:synthese_departement", args=[k])  # noqa: E731
    else:
        groups = Groupe.objects.filter(departement=departement).select_related("programme")
        names = {g.code: str(g) for g in groups}
        slugs = {g.code: g.programme.slug for g in groups}
        link = lambda k: reverse("projects:projet", args=[slugs.get(k, "pvd"), k])  # noqa: E731
    labels = dict(Axe.choices)
    funders = dict(Financeur.choices)
    title = (
        f"Département {departement}"
        if departement
        else (f"Région {region.nom}" if region else "France")
    )
    return render(
        request,
        "projects/synthese.html",
        {
            "title": title,
            "total": total,
            "statuses": [(s, steering.STATUS_LABELS[s]) for s in steering.EFFECTIVE_STATUSES],
            "axes": [
                (
                    labels.get(k, k),
                    [c.get(s, 0) for s in steering.EFFECTIVE_STATUSES],
                    sum(c.values()),
                )
                for k, c in sorted(total.by_axis_status.items())
            ],
            "funders": [
                (funders.get(k, k), v)
                for k, v in sorted(
                    total.funding_by_funder.items(), key=lambda kv: -kv[1]["requested"]
                )
            ],
            "parts": [(k, names.get(k, k), link(k), agg) for k, agg in data["parts"].items()],
            "alerts": selectors.alert_actions(data["alerts"]),
            "key": data["key"],
            "breadcrumb_data": _crumbs(
                f"Synthèse — {title}", (reverse("projects:index"), "Projets de territoire")
            ),
        },
    )


@login
def synthese(request: HttpRequest) -> HttpResponse:
    return _synthese(request)


@login
def synthese_region(request: HttpRequest, code: str) -> HttpResponse:
    return _synthese(request, region=get_object_or_404(Region, code=code))


@login
def synthese_departement(request: HttpRequest, code: str) -> HttpResponse:
    return _synthese(request, departement=get_object_or_404(Departement, code=code))
