"""iCalendar (RFC 5545) of the club's events, written with the ``icalendar`` library: one
event's ``.ics`` ("ajouter à mon agenda") and feeds of the upcoming events (all, one region).

- UID: the event's stable UUID with the platform's domain, so a calendar that subscribed to a
  feed updates the event when it changes (SEQUENCE raised by every change) instead of adding a
  copy; a cancelled event stays in the feeds with STATUS:CANCELLED so calendars remove it.
- Times in UTC (``…Z``): valid without a VTIMEZONE, every client shows them in its own zone;
  the feed says ``X-WR-TIMEZONE:Europe/Paris`` for clients that name a default zone.
- DTSTAMP: when the event was last changed (stable between two downloads of the same version).
- Escaping of ``, ; \\`` and new lines, and line folding at 75 octets: the library's.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from pvd.network.events import event_url
from pvd.network.models import Evenement

PRODID = "-//Petites villes de demain//Réseau des villes//FR"
STATUS = {
    Evenement.Statut.PUBLIE: "CONFIRMED",
    Evenement.Statut.ANNULE: "CANCELLED",
    Evenement.Statut.BROUILLON: "TENTATIVE",
}


def uid(ev: Evenement) -> str:
    return f"evenement-{ev.uid}@{uid_host()}"


def _utc(value):
    return value.astimezone(UTC)


def _description(ev: Evenement, url: str) -> str:
    parts = []
    if ev.programme_texte:
        parts.append(ev.programme_texte)
    if ev.lien:
        parts.append(f"En ligne : {ev.lien}")
    if ev.statut == Evenement.Statut.ANNULE:
        parts.insert(0, "ÉVÉNEMENT ANNULÉ" + (f" : {ev.motif_annulation}" if ev.motif_annulation else ""))
    parts.append(f"Inscription et détails : {url}")
    return "\n\n".join(parts)


def vevent(ev: Evenement) -> Event:
    url = event_url(ev)
    e = Event()
    e.add("uid", uid(ev))
    e.add("dtstamp", _utc(ev.modifie_le))
    e.add("created", _utc(ev.cree_le))
    e.add("last-modified", _utc(ev.modifie_le))
    e.add("dtstart", _utc(ev.debut))
    e.add("dtend", _utc(ev.fin))
    e.add("sequence", ev.sequence)
    e.add("status", STATUS[ev.statut])
    e.add("summary", ("[Annulé] " if ev.statut == Evenement.Statut.ANNULE else "") + ev.titre)
    e.add("description", _description(ev, url))
    e.add("location", ev.lieu or ev.lien or "En ligne")
    e.add("url", url)
    e.add("categories", [f"Réseau PVD – {ev.get_echelle_display()}"])
    e.add("transp", "OPAQUE")
    return e


def _calendar(name: str, *, method: str = "PUBLISH") -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def event_ics(ev: Evenement) -> bytes:
    cal = _calendar(ev.titre)
    cal.add_component(vevent(ev))
    return cal.to_ical()


def feed_ics(events: Iterable[Evenement], name: str) -> bytes:
    cal = _calendar(name)
    for ev in events:
        cal.add_component(vevent(ev))
    return cal.to_ical()


def _feed_queryset(region: str = ""):
    from pvd.network.events_selectors import events

    return events(None, period="a-venir", region=region, now=timezone.now(), counts=False)


def feed_events(region: str = "") -> list[Evenement]:
    """The feeds' events: published or cancelled, not deleted, not ended (of one region: its
    regional and departmental events and the national ones)."""
    return list(_feed_queryset(region))


def feed_body(region: str, name: str) -> bytes:
    """The feed, kept in the shared cache under the latest change of its events and their
    number (an edit, a cancellation, a deletion or an event ending makes a new key): about
    4 ms of serialisation per event saved on every calendar's poll. Registrations are not in
    the feed, so they do not invalidate it."""
    from django.core.cache import cache
    from django.db.models import Count, Max

    qs = _feed_queryset(region)
    state = qs.order_by().aggregate(last=Max("modifie_le"), n=Count("id"))
    last = state["last"].isoformat() if state["last"] else "-"
    key = f"pvd:network:feed:{region or 'all'}:{state['n']}:{last}:{uid_host()}"
    body = cache.get(key)
    if body is None:
        body = feed_ics(list(qs), name)
        cache.set(key, body, timeout=24 * 3600)
    return body


def uid_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "pvd.localhost"
