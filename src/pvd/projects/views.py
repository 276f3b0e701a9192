"""Project pages: a project (actions table with filters and saved views), its creation and
editing, saved views, comments, and the actions (page, editing, lines, measures, deletion).
The steering pages are in :mod:`pvd.projects.views_steering`, the syntheses in
:mod:`pvd.projects.views_synthese`, the list in :mod:`pvd.projects.views_list`. Thin: read the
query, check access, call a selector or a service, render. Every page needs a login (projects
are not public data).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from pvd.projects import (
    selectors,
    services,
    validation,
)
from pvd.projects.forms import (
    LINE_FORMS,
    ActionForm,
    CommentaireForm,
    MesureForm,
    ProjetForm,
)
from pvd.projects.models import Action, Indicateur
from pvd.projects.views_common import (
    FILTER_CHOICES,
    _base,
    _filters,
    _group,
    _group_only,
    _guard,
    _pct,
    action_context,
)
from pvd.projects.views_lines import editing

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
    groupe, projet, acc = _group(request, slug, code)
    a = get_object_or_404(Action, pk=pk, projet=projet)
    ctx = action_context(request, groupe, projet, acc, a)
    ctx["editing"] = editing(request, a, acc)
    return render(request, "projects/action.html", ctx)


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
