"""Editing one budget, co-financing, milestone or indicator line of an action in place.

Works without JavaScript: the action page with ``?modifier=<kind>-<id>`` renders that line's
form, pre-filled, in its row; the form posts here; the service records the change (before and
after) in the history. A funding decision (granted or refused, its date, the amount granted)
is one such edit. Read-only projects refuse (403, through ``_group(..., "edit")``).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pvd.projects import services
from pvd.projects.forms import LINE_FORMS
from pvd.projects.models import Action
from pvd.projects.views_common import _group, _guard, action_context

# The id of each kind's table (or section) on the action page: where the browser comes back.
ANCHORS = {
    "budget": "budget",
    "financement": "financements",
    "jalon": "jalons",
    "indicateur": "indicateurs",
}


def _prefix(kind: str) -> str:
    # Distinct from the "add" forms' prefixes: both forms may be on the page, ids stay unique.
    return f"modifier-{kind}"


def _line(a: Action, kind: str, pk) -> object:
    if kind not in LINE_FORMS:
        raise Http404(kind)
    model = services.LINE_MODELS[kind][0]
    return get_object_or_404(model, pk=pk, action=a)


def editing(request: HttpRequest, a: Action, acc) -> dict | None:
    """The line whose form is open on the action page (``?modifier=financement-12``), with its
    form pre-filled; None when no (valid) line is asked for or the user may not edit."""
    if not acc.edit or a.supprime_le is not None:
        return None
    kind, _, pk = request.GET.get("modifier", "").partition("-")
    if kind not in LINE_FORMS or not pk.isdigit():
        return None
    model = services.LINE_MODELS[kind][0]
    line = model.objects.filter(pk=int(pk), action=a).first()
    if line is None:
        return None
    return {
        "kind": kind,
        "id": line.pk,
        "form": LINE_FORMS[kind](instance=line, prefix=_prefix(kind)),
    }


@_guard
@require_POST
def line_update(
    request: HttpRequest, slug: str, code: str, pk: int, kind: str, line: int
) -> HttpResponse:
    """Save the edited line (POST); on an error, the action page again with the form open in
    the line's row and the errors (400)."""
    groupe, projet, acc = _group(request, slug, code, "edit")
    a = get_object_or_404(Action, pk=pk, projet=projet)
    obj = _line(a, kind, line)
    form = LINE_FORMS[kind](request.POST, instance=obj, prefix=_prefix(kind))
    url = reverse("projects:action", args=[slug, code, a.pk])
    if form.is_valid():
        try:
            changed = form.has_changed()
            services.line_save(
                action=a,
                kind=kind,
                user=request.user,
                line_id=obj.pk,
                values={k: form.cleaned_data[k] for k in form.Meta.fields},
            )
            messages.success(request, "Ligne modifiée." if changed else "Aucune modification.")
            return redirect(f"{url}#{ANCHORS[kind]}")
        except ValueError as exc:
            form.add_error(None, str(exc))
    ctx = action_context(request, groupe, projet, acc, a)
    ctx["editing"] = {"kind": kind, "id": obj.pk, "form": form}
    return render(request, "projects/action.html", ctx, status=400)
