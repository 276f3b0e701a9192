"""The events' services: capacity, waiting list and promotion, deadline, cancellation, soft
deletion, the audit trail, and the last seat taken by two registrations at once."""

from __future__ import annotations

import pytest
from django.core import mail

from pvd.network import events as svc
from pvd.network.models import Evenement, Inscription
from pvd.programme.models import Changement

INSCRIT, ATTENTE, DESINSCRIT = "inscrit", "attente", "desinscrit"


def _etat(ev, user) -> tuple[str, int | None]:
    ins = Inscription.objects.get(evenement=ev, user=user)
    return ins.etat, ins.place


def test_capacity_then_waiting_list_then_promotion(users, make_event, django_capture_on_commit_callbacks):
    ev = make_event(capacite=2)
    a, b, c, d = users["chef23"], users["pref23"], users["region75"], users["national"]
    for u in (a, b, c, d):
        svc.registration_register(user=u, evenement=ev)
    assert [_etat(ev, u) for u in (a, b, c, d)] == [
        (INSCRIT, 1), (INSCRIT, 2), (ATTENTE, None), (ATTENTE, None)
    ]
    # Registering twice changes nothing.
    again = svc.registration_register(user=a, evenement=ev)
    assert again.already and _etat(ev, a) == (INSCRIT, 1)
    with django_capture_on_commit_callbacks(execute=True):
        result = svc.registration_cancel(user=a, evenement=ev)
    assert [p.user for p in result.promoted] == [c]  # first on the list, seat 1 freed
    assert _etat(ev, a) == (DESINSCRIT, None) and _etat(ev, c) == (INSCRIT, 1)
    assert _etat(ev, d) == (ATTENTE, None)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["region75@x.fr"]
    assert "Une place s'est libérée" in mail.outbox[0].subject
    assert f"/reseau/evenements/{ev.pk}/" in mail.outbox[0].body
    # Coming back puts a member at the end of the waiting list.
    svc.registration_register(user=a, evenement=ev)
    assert _etat(ev, a) == (ATTENTE, None)
    svc.registration_cancel(user=d, evenement=ev)  # a waiting member leaves: nobody promoted
    assert _etat(ev, a) == (ATTENTE, None)


def test_a_larger_capacity_promotes_and_a_smaller_one_is_refused(users, make_event, event_values):
    ev = make_event(capacite=2)
    for u in ("chef23", "pref23", "region75", "national"):
        svc.registration_register(user=users[u], evenement=ev)
    with pytest.raises(svc.EventError, match="pas moins que les 2 inscrits"):
        svc.event_update(user=users["national"], evenement=ev, values=event_values(capacite=1))
    diff = svc.event_update(user=users["national"], evenement=ev, values=event_values(capacite=3))
    assert diff == {"capacite": (2, 3)}
    assert _etat(ev, users["region75"]) == (INSCRIT, 3)
    assert _etat(ev, users["national"]) == (ATTENTE, None)
    assert Evenement.objects.get(pk=ev.pk).sequence == 1


def test_no_capacity_means_no_limit(users, make_event):
    ev = make_event(capacite=None)
    for u in ("chef23", "pref23", "region75", "national"):
        svc.registration_register(user=users[u], evenement=ev)
    assert sorted(ev.inscriptions.values_list("place", flat=True)) == [1, 2, 3, 4]


def test_registrations_close_after_the_deadline(users, make_event, when):
    ev = make_event(date_limite=when(5))
    with pytest.raises(svc.EventError, match="date limite dépassée"):
        svc.registration_register(user=users["chef23"], evenement=ev, now=when(6))
    svc.registration_register(user=users["chef23"], evenement=ev, now=when(4))
    with pytest.raises(svc.EventError, match="déjà commencé"):
        svc.registration_register(user=users["pref23"], evenement=ev, now=when(21))


def test_cancelling_tells_everyone_and_closes_registrations(
    users, make_event, django_capture_on_commit_callbacks
):
    ev = make_event(capacite=1)
    svc.registration_register(user=users["chef23"], evenement=ev)
    svc.registration_register(user=users["pref23"], evenement=ev)  # waiting
    with django_capture_on_commit_callbacks(execute=True):
        svc.event_cancel(user=users["region75"], evenement=ev, motif="grève des transports")
    assert ev.statut == "annule" and ev.sequence == 1
    # One message each: a registrant never sees the others' addresses.
    assert sorted(m.to for m in mail.outbox) == [["chef23@x.fr"], ["pref23@x.fr"]]
    assert "annulé" in mail.outbox[0].subject and "grève des transports" in mail.outbox[0].body
    with pytest.raises(svc.EventError, match="annulé"):
        svc.registration_register(user=users["region75"], evenement=ev)
    with pytest.raises(svc.EventError, match="plus de désinscription"):
        svc.registration_cancel(user=users["chef23"], evenement=ev)


def test_drafts_and_deleted_events_take_no_registration(users, make_event):
    ev = make_event(statut="brouillon")
    with pytest.raises(svc.EventError, match="n'est pas publié"):
        svc.registration_register(user=users["chef23"], evenement=ev)
    svc.event_publish(user=users["region75"], evenement=ev)
    svc.registration_register(user=users["chef23"], evenement=ev)
    svc.event_delete(user=users["region75"], evenement=ev)
    assert ev.supprime_le is not None
    with pytest.raises(svc.EventError, match="n'est pas publié"):
        svc.registration_register(user=users["pref23"], evenement=ev)
    svc.event_restore(user=users["region75"], evenement=ev)
    assert ev.supprime_le is None and _etat(ev, users["chef23"]) == (INSCRIT, 1)


def test_every_write_is_in_the_history(users, make_event):
    ev = make_event()
    svc.registration_register(user=users["chef23"], evenement=ev)
    svc.registration_cancel(user=users["chef23"], evenement=ev)
    svc.event_delete(user=users["national"], evenement=ev)
    svc.event_restore(user=users["national"], evenement=ev)
    rows = Changement.objects.filter(objet__in=["evenement", "inscription"]).order_by("id")
    assert [(r.objet, r.action) for r in rows] == [
        ("evenement", "creation"),
        ("inscription", "modification"),
        ("inscription", "modification"),
        ("evenement", "suppression"),
        ("evenement", "modification"),
    ]
    assert rows[1].changes == {"etat": [None, "inscrit"]} and rows[1].user == users["chef23"]
    assert rows[2].changes == {"etat": ["inscrit", "desinscrit"]}
    assert rows[3].libelle.startswith("suppression de l'événement")


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"titre": " "}, "titre", "à renseigner"),
        ({"titre": "a\x00b"}, "titre", "contrôle"),
        ({"echelle": "mondial"}, "echelle", "national, régional"),
        ({"region": "99"}, "region", "code de région connu"),
        ({"echelle": "departemental", "departement": "2C"}, "departement", "département connu"),
        ({"format": "en_ligne", "lien": ""}, "lien", "à renseigner"),
        ({"format": "hybride", "lien": "javascript:alert(1)"}, "lien", "http(s)"),
        ({"lieu": ""}, "lieu", "sur place"),
        ({"capacite": 0}, "capacite", "1 ou plus"),
        ({"echelle": "national", "public": "region"}, "public", "régional ou départemental"),
    ],
)
def test_refused_values_name_their_field(users, event_values, over, field, message):
    with pytest.raises(svc.EventError) as exc:
        svc.event_create(user=users["national"], values=event_values(**over))
    assert message in exc.value.errors[field]


def test_dates_are_checked(users, event_values, when):
    with pytest.raises(svc.EventError) as exc:
        svc.event_create(user=users["national"], values=event_values(fin=when(19)))
    assert "après le début" in exc.value.errors["fin"]
    with pytest.raises(svc.EventError) as exc:
        svc.event_create(user=users["national"], values=event_values(date_limite=when(25)))
    assert "au plus tard" in exc.value.errors["date_limite"]


def test_a_departmental_event_takes_its_region(users, event_values):
    ev = svc.event_create(
        user=users["pref23"], values=event_values(echelle="departemental", departement="23")
    )
    assert (ev.region_id, ev.departement_id) == ("75", "23")


def test_the_last_seat_cannot_be_taken_twice(users, make_event, monkeypatch):
    """Two registrations that both saw the last seat free (a stale read): the seat's unique
    constraint refuses the second, which goes to the waiting list."""
    ev = make_event(capacite=2)
    svc.registration_register(user=users["chef23"], evenement=ev)
    real, stale = svc._free_seat, iter([2, 2])

    def seen_free(event):  # both registrations computed seat 2 before either wrote it
        return next(stale, None) or real(event)

    monkeypatch.setattr(svc, "_free_seat", seen_free)
    svc.registration_register(user=users["pref23"], evenement=ev)
    svc.registration_register(user=users["region75"], evenement=ev)
    assert _etat(ev, users["pref23"]) == (INSCRIT, 2)
    assert _etat(ev, users["region75"]) == (ATTENTE, None)
    assert ev.inscriptions.filter(etat=INSCRIT).count() == 2
