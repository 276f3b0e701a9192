"""Pages of the practices (« fiches expériences »): the public search, one practice, writing one
from an action, the workflow (submit, publish or send back, delete, restore), attachments (served
as downloads only) and the review queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST

from pvd import access
from pvd.network import practices as services
from pvd.network import practices_search as selectors
from pvd.network.forms import PracticeForm, ReviewForm, UploadForm
from pvd.network.models import PieceJointe, Pratique, StatutPratique
from pvd.network.uploads import MAX_BYTES
from pvd.network.views_common import actor, crumbs, forbidden, param
from pvd.projects.models import Action

login = login_required(login_url=reverse_lazy("programme:login"))


def _filters(request) -> selectors.PracticeFilters:
    return selectors.PracticeFilters(
        **{k: param(request, k) for k in ("q", "axe", "tranche", "region", "financeur")}
    )


def pratiques(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    page = Paginator(selectors.search(filters), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    user = request.user
    return render(
        request,
        "network/pratiques.html",
        {
            "page": page,
            "filters": filters,
            "choices": selectors.filter_choices(),
            "query": query.urlencode(),
            "mine": selectors.team_practices(user) if user.is_authenticated else [],
            "queue": selectors.review_queue(user) if user.is_authenticated else [],
            "breadcrumb_data": crumbs("Fiches expériences"),
            "nav": "pratiques",
        },
    )


def _practice(request, pk: int) -> Pratique:
    p = selectors.practice_get(pk=pk, user=request.user)
    if p is None:
        raise Http404("Fiche expérience introuvable.")
    return p


def pratique(request: HttpRequest, pk: int) -> HttpResponse:
    return _practice_page(request, _practice(request, pk))


def _practice_page(
    request: HttpRequest, p: Pratique, review_form: ReviewForm | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "network/pratique.html",
        {
            "p": p,
            "axe_label": selectors.axe_label(p.axe),
            "funders": [label for c, label in services.Financeur.choices if c in p.financeurs_list],
            "etapes": p.etapes.select_related("user") if user.is_authenticated else [],
            "review_form": review_form or ReviewForm(),
            "upload_form": UploadForm(),
            "max_mo": MAX_BYTES // (1024 * 1024),
            "breadcrumb_data": crumbs(
                p.titre, (reverse("network:pratiques"), "Fiches expériences")
            ),
        },
        status=status,
    )


def _values(form: PracticeForm) -> tuple[dict, list[services.Indicator]]:
    data = dict(form.cleaned_data)
    indicators = [services.Indicator(*row) for row in data.pop("indicateurs")]
    return data, indicators


@login
def pratique_new(request: HttpRequest, action_pk: int) -> HttpResponse:
    action = get_object_or_404(Action.objects.select_related("projet__groupe"), pk=action_pk)
    if not access.has(request.user, "network.publish_practice", action):
        return forbidden(
            request, "Seule l'équipe du projet rédige une fiche à partir de ses actions."
        )
    form = PracticeForm(request.POST or None, initial=selectors.initial_from_action(action))
    if request.method == "POST" and form.is_valid():
        values, indicators = _values(form)
        try:
            p = services.practice_create(
                actor=actor(request), action=action, values=values, indicators=indicators
            )
        except services.PracticeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Fiche enregistrée en brouillon.")
            return redirect("network:pratique", pk=p.pk)
    return render(
        request,
        "network/pratique_form.html",
        {
            "form": form,
            "action": action,
            "title": "Rédiger une fiche expérience",
            "breadcrumb_data": crumbs(
                "Nouvelle fiche", (reverse("network:pratiques"), "Fiches expériences")
            ),
        },
    )


@login
def pratique_edit(request: HttpRequest, pk: int) -> HttpResponse:
    p = _practice(request, pk)
    if not access.has(request.user, "network.edit_practice", p):
        return forbidden(
            request, "Cette fiche n'est modifiable que par l'équipe du projet, en brouillon."
        )
    initial = {
        "titre": p.titre,
        "contexte": p.contexte,
        "realisation": p.realisation,
        "cout": p.cout,
        "financement": p.financement,
        "financeurs": p.financeurs_list,
        "resultats": p.resultats,
        "contacts": p.contacts,
        "indicateurs": "\n".join(
            f"{i.libelle} ; {'' if i.valeur is None else f'{i.valeur:g}'} ; {i.unite}"
            for i in p.indicateurs.all()
        ),
    }
    form = PracticeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values, indicators = _values(form)
        try:
            services.practice_update(
                actor=actor(request), pratique=p, values=values, indicators=indicators
            )
        except services.PracticeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Fiche enregistrée.")
            return redirect("network:pratique", pk=p.pk)
    return render(
        request,
        "network/pratique_form.html",
        {
            "form": form,
            "action": p.action,
            "p": p,
            "title": "Modifier la fiche expérience",
            "breadcrumb_data": crumbs(
                "Modifier", (reverse("network:pratique", args=[p.pk]), p.titre)
            ),
        },
    )


def _reviewable(user, p: Pratique) -> bool:
    p.refresh_from_db(fields=["statut"])
    return p.statut == StatutPratique.RELECTURE and access.has(user, "network.review_practice", p)


@login
@require_POST
def pratique_statut(request: HttpRequest, pk: int) -> HttpResponse:
    p = _practice(request, pk)
    what = request.POST.get("faire", "")
    comment = request.POST.get("commentaire", "")
    a = actor(request)
    calls = {
        "soumettre": (
            lambda: services.practice_submit(actor=a, pratique=p),
            "Fiche soumise à la relecture.",
        ),
        "publier": (
            lambda: services.practice_review(actor=a, pratique=p, publish=True),
            "Fiche publiée.",
        ),
        "renvoyer": (
            lambda: services.practice_review(actor=a, pratique=p, publish=False, comment=comment),
            "Fiche renvoyée en brouillon à l'équipe du projet.",
        ),
        "supprimer": (
            lambda: services.practice_delete(actor=a, pratique=p),
            "Fiche supprimée (restaurable).",
        ),
        "restaurer": (lambda: services.practice_restore(actor=a, pratique=p), "Fiche restaurée."),
    }
    if what not in calls:
        return forbidden(request, "Opération inconnue.")
    call, done = calls[what]
    try:
        call()
    except services.PracticeError as exc:
        if what in ("publier", "renvoyer") and _reviewable(request.user, p):
            # The reviewer's own mistake (no comment to send back): the page again, with the
            # comment typed and the error on the field.
            form = ReviewForm(request.POST)
            form.is_valid()
            form.add_error("commentaire", str(exc))
            return _practice_page(request, p, review_form=form, status=400)
        return forbidden(request, str(exc))
    messages.success(request, done)
    return redirect("network:pratique", pk=p.pk)


@login
@require_POST
def piece_add(request: HttpRequest, pk: int) -> HttpResponse:
    p = _practice(request, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choisissez un fichier à joindre.")
        return redirect("network:pratique", pk=p.pk)
    upload = form.cleaned_data["fichier"]
    if upload.size > MAX_BYTES:
        messages.error(
            request, f"Le fichier dépasse la taille maximale ({MAX_BYTES // (1024 * 1024)} Mo)."
        )
        return redirect("network:pratique", pk=p.pk)
    try:
        services.attachment_add(
            actor=actor(request), pratique=p, name=upload.name, content=upload.read()
        )
    except services.PracticeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Pièce jointe ajoutée.")
    return redirect("network:pratique", pk=p.pk)


@login
@require_POST
def piece_remove(request: HttpRequest, pk: int) -> HttpResponse:
    piece = get_object_or_404(PieceJointe.objects.select_related("pratique"), pk=pk)
    _practice(request, piece.pratique_id)
    try:
        services.attachment_remove(actor=actor(request), piece=piece)
    except services.PracticeError as exc:
        return forbidden(request, str(exc))
    messages.success(request, "Pièce jointe retirée.")
    return redirect("network:pratique", pk=piece.pratique_id)


def piece(request: HttpRequest, pk: int) -> HttpResponse:
    """An attachment, always as a download of its checked type: never rendered inline, never
    sniffed by the browser as something else."""
    row = get_object_or_404(PieceJointe.objects.defer("contenu"), pk=pk)
    _practice(request, row.pratique_id)  # 404 unless the user may read its practice
    content = PieceJointe.objects.filter(pk=pk).values_list("contenu", flat=True).get()
    response = HttpResponse(bytes(content), content_type=row.type_mime)
    response["Content-Disposition"] = f'attachment; filename="{row.nom}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
