"""Found in the review of issue 15 as a new user: the club's meetings were reachable by typed
address only (no link from the network's pages), and their pages lacked the network's menu."""

from __future__ import annotations

import re


def _nav(page: str) -> str:
    return re.search(r'<nav class="fr-nav[^"]*"[^>]*aria-label="Réseau des villes">(.*?)</nav>', page, re.S).group(1)


def test_the_network_menu_links_to_the_meetings(client, db):
    for url in ("/reseau/", "/reseau/pratiques/"):
        assert 'href="/reseau/evenements/">Rencontres</a>' in _nav(client.get(url).content.decode())


def test_the_meetings_pages_carry_the_network_menu(client, make_event):
    ev = make_event()
    listing = _nav(client.get("/reseau/evenements/").content.decode())
    assert 'href="/reseau/evenements/" aria-current="page">Rencontres</a>' in listing
    assert 'href="/reseau/">Annuaire</a>' in listing
    detail = _nav(client.get(f"/reseau/evenements/{ev.pk}/").content.decode())
    assert 'href="/reseau/pratiques/">Fiches expériences</a>' in detail


def test_region_lists_hold_the_programme_regions_only(client, users):
    """The filter and the organiser's form listed Clipperton, the TAAF, New Caledonia..."""
    listing = client.get("/reseau/evenements/").content.decode()
    assert ">Nouvelle-Aquitaine</option>" in listing and ">La Réunion</option>" in listing
    assert "Clipperton" not in listing and "Terres australes" not in listing
    client.force_login(users["region75"])
    form = client.get("/reseau/evenements/nouveau/").content.decode()
    assert "Nouvelle-Aquitaine (75)" in form and "974 – La Réunion" in form
    assert "Clipperton" not in form and "975 – " not in form


def test_attendance_page_dates_are_french(client, users, make_event):
    """The organiser's list showed « 2026-12-04 17:57 » (the CSV's form) in the page."""
    from django.utils import timezone

    ev = make_event()
    client.force_login(users["chef23"])
    client.post(f"/reseau/evenements/{ev.pk}/inscription/")
    client.force_login(users["region75"])
    page = client.get(f"/reseau/evenements/{ev.pk}/").content.decode()
    asked = timezone.localtime(ev.inscriptions.get().demande_le)
    assert f'<td data-label="Demandé le">{asked:%d/%m/%Y %H:%M}</td>' in page
    csv = client.get(f"/reseau/evenements/{ev.pk}/participants.csv").content.decode("utf-8-sig")
    assert f"{asked:%Y-%m-%d %H:%M}" in csv  # the export keeps its sortable form
