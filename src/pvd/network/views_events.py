"""The club's events pages under /reseau/evenements/: listing (upcoming, past; region, format),
event page (registration, waiting list, ``.ics``, attendance list for the organisers), the
organisers' form (an edit tells the registrants unless "ne pas prévenir les inscrits" is
ticked), the removal of a registrant, iCalendar feeds and the attendance CSV. Thin: rights
checked by name in the one table (``access.has``; the services ``require`` them and raise its
``PermissionDenied``, answered 403), writes in ``events``, reads in ``events_selectors``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from pvd import access
from pvd.formats import csv_fr
from pvd.network import calendar, events_selectors
from pvd.network import events as svc
from pvd.network.forms_events import PROGRAMME_ZONES, EventForm
from pvd.network.models import Evenement
from pvd.territories.models import Region

login = login_required(login_url=reverse_lazy("programme:login"))
E = Evenement


def _crumbs(current: str, *links: tuple[str, str]) -> dict:
    return {"current": current, "links": [{"url": u, "title": t} for u, t in links]}


def _list_crumb() -> tuple[str, str]:
    return (reverse("network:events"), "Rencontres du réseau")


def _forbidden(request, message: str) -> HttpResponse:
    return HttpResponseForbidden(
        render(request, "network/events/forbidden.html", {"message": message}).content
    )


def _event(request, pk: int) -> Evenement:
    ev = events_selectors.event_get(pk)
    if ev is None or not access.has(request.user, "network.see_event", ev):
        raise Http404("Aucun événement publié sous ce numéro.")
    return ev


@require_GET
def event_list(request):
    period = request.GET.get("periode", "a-venir")
    period = period if period in events_selectors.PERIODS else "a-venir"
    region = request.GET.get("region", "").strip()
    fmt = request.GET.get("format", "").strip()
    regions = list(Region.objects.filter(zone__in=PROGRAMME_ZONES).order_by("nom"))
    if region and region not in {r.code for r in regions}:
        region = ""
    page = events_selectors.events_page(
        request.user, period=period, region=region, format=fmt, page=request.GET.get("page", 1)
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "network/events/list.html",
        {
            "page": page,
            "period": period,
            "region": region,
            "format": fmt if fmt in E.Format.values else "",
            "regions": regions,
            "formats": E.Format.choices,
            "query": query.urlencode(),
            "feed_region": next((r for r in regions if r.code == region), None),
            "nav": "rencontres",
            "breadcrumb_data": _crumbs("Rencontres du réseau"),
        },
    )


@require_GET
def event_detail(request, pk: int):
    ev = _event(request, pk)
    with access.evaluation():  # the page's checks read the user's scopes and team once
        return _detail_page(request, ev)


def _detail_page(request, ev: Evenement):
    state = events_selectors.user_state(request.user, ev)
    attendance = events_selectors.attendance(ev) if state.can_manage else []
    return render(
        request,
        "network/events/detail.html",
        {
            "ev": ev,
            "state": state,
            "attendance": attendance,
            "full": ev.capacite is not None and ev.nb_inscrits >= ev.capacite,
            "places_left": None if ev.capacite is None else max(ev.capacite - ev.nb_inscrits, 0),
            "breadcrumb_data": _crumbs(ev.titre, _list_crumb()),
        },
    )


@login
@require_POST
def event_register(request, pk: int):
    ev = _event(request, pk)
    try:
        result = svc.registration_register(user=request.user, evenement=ev)
    except svc.EventError as exc:
        messages.error(request, str(exc))
    else:
        ins = result.inscription
        if result.already:
            messages.info(request, "Vous étiez déjà inscrit.")
        elif ins.etat == ins.Etat.INSCRIT:
            messages.success(request, "Inscription confirmée. Ajoutez l'événement à votre agenda.")
        else:
            messages.warning(
                request,
                "L'événement est complet : vous êtes sur la liste d'attente. Un e-mail vous "
                "préviendra si une place se libère.",
            )
    return redirect("network:event", ev.pk)


@login
@require_POST
def event_unregister(request, pk: int):
    ev = _event(request, pk)
    try:
        svc.registration_cancel(user=request.user, evenement=ev)
    except svc.EventError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Votre inscription est annulée.")
    return redirect("network:event", ev.pk)


def _form_page(request, form, ev=None):
    title = f"Modifier « {ev.titre} »" if ev else "Nouvel événement du réseau"
    links = [_list_crumb()] + ([(reverse("network:event", args=[ev.pk]), ev.titre)] if ev else [])
    return render(
        request,
        "network/events/form.html",
        {"form": form, "ev": ev, "title": title, "breadcrumb_data": _crumbs(title, *links)},
    )


@login
def event_new(request):
    if not access.has(request.user, "network.organise_events"):
        return _forbidden(
            request, "Les rencontres du réseau sont organisées par les services du programme."
        )
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ev = svc.event_create(user=request.user, values=form.values())
        except svc.PermissionDenied as exc:
            form.add_error(None, str(exc))
        except svc.EventError as exc:
            form.add_service_errors(exc.errors)
        else:
            messages.success(request, "Événement enregistré.")
            return redirect("network:event", ev.pk)
    return _form_page(request, form)


@login
def event_edit(request, pk: int):
    ev = _event(request, pk)
    if not access.has(request.user, "network.edit_event", ev):
        return _forbidden(request, "Seuls les organisateurs de son territoire modifient cet événement.")
    form = EventForm(request.POST or None, initial=EventForm.initial_of(ev), with_publish=False)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        values.pop("statut")
        notify = not values.pop("sans_notification", False)
        try:
            diff = svc.event_update(user=request.user, evenement=ev, values=values, notify=notify)
        except svc.PermissionDenied as exc:
            return _forbidden(request, str(exc))
        except svc.EventError as exc:
            form.add_service_errors(exc.errors)
        else:
            messages.success(request, _edited_message(ev, diff, notify))
            return redirect("network:event", ev.pk)
    return _form_page(request, form, ev)


def _edited_message(ev: Evenement, diff: dict, notify: bool) -> str:
    if not diff:
        return "Aucune modification."
    told = ev.statut == E.Statut.PUBLIE and any(n in diff for n in svc.mails.NOTIFIED)
    if told and notify:
        return "Événement modifié : les inscrits et la liste d'attente sont prévenus par e-mail."
    if told:
        return "Événement modifié, sans prévenir les inscrits."
    return "Événement modifié."


STATUS_ACTIONS = {
    "publier": (svc.event_publish, "Événement publié."),
    "annuler": (svc.event_cancel, "Événement annulé : les inscrits sont prévenus par e-mail."),
    "supprimer": (svc.event_delete, "Événement supprimé (il peut être restauré)."),
    "restaurer": (svc.event_restore, "Événement restauré."),
}


@login
@require_POST
def event_status(request, pk: int):
    ev = _event(request, pk)
    action = STATUS_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, "Action inconnue.")
        return redirect("network:event", ev.pk)
    service, done = action
    kwargs = {"motif": request.POST.get("motif", "")} if service is svc.event_cancel else {}
    try:
        service(user=request.user, evenement=ev, **kwargs)
    except svc.PermissionDenied as exc:
        return _forbidden(request, str(exc))
    except svc.EventError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("network:event", ev.pk)


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def event_ics(request, pk: int):
    ev = _event(request, pk)
    return _ics(calendar.event_ics(ev), f"evenement-{ev.pk}.ics")


@require_GET
def events_feed(request, region: str = ""):
    name = "Rencontres du réseau Petites villes de demain"
    if region:
        r = Region.objects.filter(code=region).first()
        if r is None:
            raise Http404(f"Aucune région « {region} ».")
        name += f" – {r.nom}"
    body = calendar.feed_body(region, name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="rencontres{"-" + region if region else ""}.ics"'
    return response


@login
@require_GET
def event_attendance(request, pk: int):
    ev = _event(request, pk)
    if not access.has(request.user, "network.see_attendance", ev):
        return _forbidden(request, "La liste des participants est réservée aux organisateurs.")
    variant = csv_fr.variant_of(request.GET)
    body = csv_fr.write(events_selectors.attendance_rows(ev), variant=variant)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    day = timezone.localtime(ev.debut)
    response["Content-Disposition"] = (
        f'attachment; filename="participants-{ev.pk}-{day:%Y-%m-%d}.csv"'
    )
    return response


@login
@require_POST
def registrant_remove(request, pk: int):
    ev = _event(request, pk)
    ins = request.POST.get("inscription", "")
    if not ins.isdigit():
        messages.error(request, "Choisissez la personne à retirer.")
        return redirect("network:event", ev.pk)
    try:
        result = svc.registration_remove(
            user=request.user, evenement=ev, inscription_id=int(ins),
            motif=request.POST.get("motif", ""),
        )  # fmt: skip
    except svc.PermissionDenied as exc:
        return _forbidden(request, str(exc))
    except svc.EventError as exc:
        messages.error(request, str(exc))
    else:
        who = result.inscription.user
        name = f"{who.first_name} {who.last_name}".strip() or who.get_username()
        done = f"Inscription de {name} retirée : la personne est prévenue par e-mail."
        if result.promoted:
            done += " La première personne de la liste d'attente a reçu la place."
        messages.success(request, done)
    return redirect("network:event", ev.pk)
