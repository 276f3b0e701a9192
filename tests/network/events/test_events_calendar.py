"""iCalendar of the events, parsed back: the per-event .ics and the feeds (valid RFC 5545 as read
by the icalendar library, stable UID, DTSTAMP, UTC times, escaping and folding), the pages
serving them, and the reminders (J-7, J-1, never twice)."""

from __future__ import annotations

from datetime import UTC, timedelta

from django.core import mail
from icalendar import Calendar

from pvd.network import calendar, reminders
from pvd.network import events as svc
from pvd.network.models import RappelEvenement


def _parse(body: bytes) -> Calendar:
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    for line in body.split(b"\r\n"):
        assert len(line) <= 75, line  # folded at 75 octets
    return Calendar.from_ical(body)


def test_an_event_ics_parses_back(users, make_event):
    ev = make_event(
        titre="Atelier commerce ; vitrines, loyers", programme_texte="Matin : visite\n" + "x" * 200
    )
    cal = _parse(calendar.event_ics(ev))
    assert str(cal["version"]) == "2.0" and "Petites villes de demain" in str(cal["prodid"])
    (vevent,) = cal.walk("VEVENT")
    assert str(vevent["uid"]) == f"evenement-{ev.uid}@127.0.0.1"
    assert vevent.decoded("dtstart") == ev.debut.astimezone(UTC)
    assert vevent.decoded("dtstart").utcoffset() == timedelta(0)
    assert vevent.decoded("dtend") == ev.fin.astimezone(UTC)
    assert vevent.decoded("dtstamp").utcoffset() == timedelta(0)
    assert str(vevent["summary"]) == "Atelier commerce ; vitrines, loyers"  # escaped, read back
    assert b"SUMMARY:Atelier commerce \\; vitrines\\, loyers" in calendar.event_ics(ev)
    assert "Matin : visite\n" + "x" * 200 in str(vevent["description"])
    assert str(vevent["location"]) == "Hôtel de région, Poitiers"
    assert str(vevent["status"]) == "CONFIRMED" and int(vevent["sequence"]) == 0
    assert str(vevent["url"]).endswith(f"/reseau/evenements/{ev.pk}/")


def test_the_uid_is_stable_and_a_cancellation_is_announced(users, make_event):
    ev = make_event()
    before = Calendar.from_ical(calendar.event_ics(ev)).walk("VEVENT")[0]
    svc.event_cancel(user=users["national"], evenement=ev, motif="intempéries")
    after = Calendar.from_ical(calendar.event_ics(ev)).walk("VEVENT")[0]
    assert str(after["uid"]) == str(before["uid"])
    assert str(after["status"]) == "CANCELLED" and int(after["sequence"]) == 1
    assert str(after["summary"]).startswith("[Annulé]")


def test_feeds_all_and_per_region(users, make_event):
    make_event(titre="Rencontre Nouvelle-Aquitaine")
    make_event(titre="Rencontre Auvergne-Rhône-Alpes", region="84")
    make_event(titre="Rencontre nationale", echelle="national")
    make_event(titre="Brouillon", statut="brouillon")

    def titles(region=""):
        cal = _parse(calendar.feed_ics(calendar.feed_events(region), "x"))
        return sorted(str(e["summary"]) for e in cal.walk("VEVENT"))

    assert titles() == ["Rencontre Auvergne-Rhône-Alpes", "Rencontre Nouvelle-Aquitaine", "Rencontre nationale"]  # noqa: E501
    assert titles("75") == ["Rencontre Nouvelle-Aquitaine", "Rencontre nationale"]


def test_the_pages_serve_calendars(client, users, make_event):
    ev = make_event()
    r = client.get(f"/reseau/evenements/{ev.pk}/agenda.ics")
    assert r.status_code == 200 and r["Content-Type"] == "text/calendar; charset=utf-8"
    assert r["Content-Disposition"] == f'attachment; filename="evenement-{ev.pk}.ics"'
    assert len(_parse(r.content).walk("VEVENT")) == 1
    r = client.get("/reseau/evenements/regions/75/agenda.ics")
    assert r.status_code == 200 and len(_parse(r.content).walk("VEVENT")) == 1
    assert client.get("/reseau/evenements/regions/99/agenda.ics").status_code == 404
    draft = make_event(statut="brouillon")
    assert client.get(f"/reseau/evenements/{draft.pk}/agenda.ics").status_code == 404


def test_reminders_j7_and_j1_are_sent_once(users, make_event, when, settings):
    settings.REMINDERS_ENABLED = True
    ev = make_event(debut=when(7, 10), fin=when(7, 16))
    svc.registration_register(user=users["chef23"], evenement=ev)
    svc.registration_register(user=users["pref23"], evenement=ev)
    svc.registration_register(user=users["region75"], evenement=ev)  # waiting: no reminder
    now = when(0, 8)
    assert reminders.event_reminders_send(now=now - timedelta(days=1)).sent == []  # J-8
    dry = reminders.event_reminders_send(now=now, dry_run=True)
    assert len(dry.sent) == 2 and not mail.outbox and not RappelEvenement.objects.exists()
    report = reminders.event_reminders_send(now=now)
    assert sorted(r.to for r in report.sent) == ["chef23@x.fr", "pref23@x.fr"]
    assert "dans 7 jours" in mail.outbox[0].subject and ev.titre in mail.outbox[0].subject
    assert f"/reseau/evenements/{ev.pk}/" in mail.outbox[0].body
    again = reminders.event_reminders_send(now=now + timedelta(days=2))  # J-5: J-7 already sent
    assert again.sent == [] and again.already_sent == 2 and len(mail.outbox) == 2
    j1 = reminders.event_reminders_send(now=now + timedelta(days=6))
    assert len(j1.sent) == 2 and "demain" in mail.outbox[-1].subject
    assert reminders.event_reminders_send(now=now + timedelta(days=6, hours=3)).sent == []
    assert RappelEvenement.objects.count() == 4 and len(mail.outbox) == 4


def test_a_moved_event_is_reminded_again_and_cancelled_ones_are_not(users, make_event, when, event_values, settings):  # noqa: E501
    settings.REMINDERS_ENABLED = True
    ev = make_event(debut=when(1, 10), fin=when(1, 16))
    svc.registration_register(user=users["chef23"], evenement=ev)
    assert len(reminders.event_reminders_send(now=when(0, 8)).sent) == 1
    svc.event_update(user=users["national"], evenement=ev,
                     values=event_values(debut=when(3, 10), fin=when(3, 16)))  # fmt: skip
    assert len(reminders.event_reminders_send(now=when(2, 8)).sent) == 1  # new date, new J-1
    svc.event_cancel(user=users["national"], evenement=ev)
    assert reminders.event_reminders_send(now=when(2, 20)).sent == []
    settings.REMINDERS_ENABLED = False
    assert reminders.event_reminders_send(now=when(2, 8)).disabled
