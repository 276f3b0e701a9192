"""The network's weekly digest: who receives what (themes, regions, audience, opt-out, no
address, nothing new), once per member and week, dry run, a failed send rolled back, the CLI."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from django.conf import settings
from django.core import mail

from pvd.domain.weeks import monday_of, week_label
from pvd.network import practices as S
from pvd.network.digest import digest_send
from pvd.network.models import LettreEnvoyee, ProfilReseau

PARIS = ZoneInfo("Europe/Paris")


def at(days: int, hour: int = 9) -> datetime:
    base = datetime.now(PARIS).replace(hour=hour, minute=0, second=0, microsecond=0)
    return base + timedelta(days=days)


MONDAY = monday_of(datetime.now(PARIS).date())  # this week: its practices are published "now"


def publish(action, chef, reviewer, actor_of, titre: str):
    p = S.practice_create(actor=actor_of(chef), action=action, values={"titre": titre})
    S.practice_submit(actor=actor_of(chef), pratique=p)
    return S.practice_review(actor=actor_of(reviewer), pratique=p, publish=True)


def event(user, titre: str, days: int, **over):
    from pvd.network.events import event_create

    values = {
        "titre": titre, "echelle": "national", "debut": at(days, 9), "fin": at(days, 17),
        "format": "en_ligne", "lien": "https://visio.example.fr/club", "public": "tous",
        "statut": "publie",
    }  # fmt: skip
    values.update(over)
    return event_create(user=user, values=values)


@pytest.fixture
def world(groups, actions, users, make_user, actor_of):
    """Practices: « commerces » in Creuse (75), « services publics » in Ain (84); events:
    national, Nouvelle-Aquitaine (75), Ain (01, region 84), chefs of region 84, one too far,
    one draft."""
    users["chef01"] = make_user("chef01", groupe=groups["g01"])
    publish(actions["a23"], users["chef23"], users["region75"], actor_of, "Boutique à l'essai")
    publish(actions["a01"], users["chef01"], users["national"], actor_of, "École rénovée")
    nat = users["national"]
    event(nat, "Club national", 10)
    event(nat, "Rencontre Nouvelle-Aquitaine", 12, echelle="regional", region="75")
    event(nat, "Rencontre de l'Ain", 15, echelle="departemental", departement="01",
          format="presentiel", lieu="Bourg-en-Bresse", lien="")  # fmt: skip
    event(nat, "Chefs de projet AURA", 20, echelle="regional", region="84", public="chefs")
    event(nat, "Trop loin", 45)
    event(nat, "Brouillon", 11, statut="brouillon")
    return users


PRACTICES, EVENTS = "Nouvelles fiches expériences", "Rencontres du club"


def by_recipient() -> dict[str, mail.EmailMessage]:
    return {m.to[0].split("@")[0]: m for m in mail.outbox}


def items(message, heading: str) -> set[str]:
    """Titles listed under ``heading`` in a digest's body ("- title — …" for a practice,
    "- date — title (where, format)" for an event)."""
    parts = message.body.split(heading, 1)
    if len(parts) == 1:
        return set()
    lines = [x[2:] for x in parts[1].split("\n\n", 1)[0].splitlines() if x.startswith("- ")]
    if heading == EVENTS:
        return {x.split(" — ", 1)[1].rsplit(" (", 1)[0] for x in lines}
    return {x.split(" — ", 1)[0] for x in lines}


def test_who_receives_what(world, mailoutbox):
    report = digest_send(week=MONDAY)
    got = by_recipient()
    # Superusers without a team or scope and users without a role are no members.
    assert set(got) == {"chef23", "lecteur23", "chef16", "chef01", "pref23", "region75",
                        "region84", "national"}  # fmt: skip
    assert report.members == 8 and len(report.sent) == 8 and report.already_sent == 0
    expected = {
        # themes of their towns' actions; their region's events and the national ones
        "chef23": ({"Boutique à l'essai"}, {"Club national", "Rencontre Nouvelle-Aquitaine"}),
        "chef16": ({"Boutique à l'essai"}, {"Club national", "Rencontre Nouvelle-Aquitaine"}),
        "chef01": (
            {"École rénovée"},
            {"Club national", "Rencontre de l'Ain", "Chefs de projet AURA"},
        ),
        # programme staff: every theme; a department scope gets its region's events, a region
        # scope its departments' ones; the chefs' meeting is for project teams only
        "pref23": (
            {"Boutique à l'essai", "École rénovée"},
            {"Club national", "Rencontre Nouvelle-Aquitaine"},
        ),
        "region84": ({"Boutique à l'essai", "École rénovée"}, {"Club national", "Rencontre de l'Ain"}),
        "national": (
            {"Boutique à l'essai", "École rénovée"},
            {"Club national", "Rencontre Nouvelle-Aquitaine", "Rencontre de l'Ain"},
        ),
    }
    for who, (practices, events) in expected.items():
        m = got[who]
        assert items(m, PRACTICES) == practices, who
        assert items(m, EVENTS) == events, who
    m = got["chef23"]
    sunday = MONDAY + timedelta(days=6)
    assert m.subject == (  # review of issue 15: the dates, not the ISO week "2026-W49"
        f"Réseau Petites villes de demain — semaine du {MONDAY:%d/%m} au {sunday:%d/%m/%Y} : "
        "1 fiche, 2 rencontres"
    )
    assert "vos thèmes : Commerces et services" in m.body
    assert "Trop loin" not in m.body and "Brouillon" not in m.body
    # every link is absolute, from the site's address
    links = [w for w in m.body.split() if "://" in w and "visio" not in w]
    assert links and all(w.startswith(settings.SITE_URL + "/reseau/") for w in links)
    row = LettreEnvoyee.objects.get(user=world["chef23"])
    assert (row.cle, row.semaine, row.destinataire, row.nb_pratiques, row.nb_evenements) == (
        f"lettre:{world['chef23'].pk}:{week_label(MONDAY)}", week_label(MONDAY),
        "chef23@mairie.fr", 1, 2,
    )  # fmt: skip


def test_unsubscribe_headers(world, mailoutbox):
    digest_send(week=MONDAY)
    m = by_recipient()["chef23"]
    link = m.extra_headers["List-Unsubscribe"]
    assert link.startswith(f"<{settings.SITE_URL}/reseau/lettre/desabonnement/") and link.endswith("/>")
    assert m.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link[1:-1] in m.body
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in m.message().as_string()


def test_opt_out_no_address_and_nothing_new(world, mailoutbox):
    from pvd.network.models import Evenement

    ProfilReseau.objects.create(user=world["chef23"], lettre_hebdo=False)
    world["chef16"].email = ""
    world["chef16"].save()
    Evenement.objects.all().delete()  # chef01's theme has no practice this week: nothing new
    LettreEnvoyee.objects.all().delete()
    from pvd.network.models import Pratique

    Pratique.objects.filter(titre="École rénovée").update(publiee_le=at(-30))
    report = digest_send(week=MONDAY)
    got = by_recipient()
    assert "chef23" not in got and report.opted_out == 1
    assert "chef16" not in got and report.without_address == ["chef16"]
    assert "chef01" not in got and report.nothing_new == 1
    assert "lecteur23" in got and "Aucune rencontre du club" in got["lecteur23"].body
    assert len(report.sent) == len(mail.outbox) == 5


def test_twice_sends_once_and_dry_run_records_nothing(world, mailoutbox):
    dry = digest_send(week=MONDAY, dry_run=True)
    assert len(dry.sent) == 8 and not mail.outbox and not LettreEnvoyee.objects.exists()
    first = digest_send(week=MONDAY)
    second = digest_send(week=MONDAY)
    assert len(first.sent) == 8 and len(mail.outbox) == 8
    assert second.sent == [] and second.already_sent == 8 and len(mail.outbox) == 8
    assert digest_send(week=MONDAY, dry_run=True).sent == []
    # the next week is another letter (its practices: none; its events: still upcoming)
    assert len(digest_send(week=MONDAY + timedelta(days=7)).sent) == 8


def test_a_failed_send_records_nothing_and_goes_next_time(world, mailoutbox, monkeypatch):
    from smtplib import SMTPException

    from pvd.mail import EmailMultiAlternatives

    real = EmailMultiAlternatives.send

    def flaky(self, *args, **kwargs):
        if self.to == ["chef16@mairie.fr"]:
            raise SMTPException("451 essayez plus tard")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky)
    with pytest.raises(SMTPException):
        digest_send(week=MONDAY)
    assert not LettreEnvoyee.objects.filter(user=world["chef16"]).exists()
    sent_before = LettreEnvoyee.objects.count()
    assert sent_before == len(mail.outbox)
    monkeypatch.setattr(EmailMultiAlternatives, "send", real)
    report = digest_send(week=MONDAY)
    assert report.already_sent == sent_before and len(mail.outbox) == 8
    assert LettreEnvoyee.objects.filter(user=world["chef16"]).count() == 1


def test_disabled_by_setting(world, mailoutbox, settings):
    settings.REMINDERS_ENABLED = False
    assert digest_send(week=MONDAY).disabled and not mail.outbox


def test_cli(world, mailoutbox):
    from pvd.cli import main as cli

    runner = CliRunner()
    week = week_label(MONDAY)
    r = runner.invoke(cli, ["network", "digest", "--semaine", week, "--dry-run"])
    assert r.exit_code == 0, r.output
    assert f"semaine {week} : 8 à envoyer, 0 déjà envoyée(s) ; 8 membre(s)" in r.output
    assert "- chef23@mairie.fr : 1 fiche(s), 2 rencontre(s)" in r.output and not mail.outbox
    r = runner.invoke(cli, ["network", "digest", "--semaine", week])
    assert r.exit_code == 0 and "8 envoyée(s)" in r.output and len(mail.outbox) == 8
    r = runner.invoke(cli, ["network", "digest", "--semaine", week])
    assert r.exit_code == 0 and "0 envoyée(s), 8 déjà envoyée(s)" in r.output
    r = runner.invoke(cli, ["network", "digest", "--semaine", "2026-W54"])
    assert r.exit_code == 2 and "semaine ISO attendue" in r.output


def test_cli_failure_exit_code(world, mailoutbox, monkeypatch):
    from pvd.cli import main as cli
    from pvd.mail import EmailMultiAlternatives

    def refused(self, *args, **kwargs):
        raise OSError("connexion SMTP refusée")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refused)
    r = CliRunner().invoke(cli, ["network", "digest", "--semaine", week_label(MONDAY)])
    assert r.exit_code == 1 and "lettre interrompue : connexion SMTP refusée" in r.output
    assert not LettreEnvoyee.objects.exists()


def test_a_letter_recorded_meanwhile_by_another_run_is_not_sent(world, mailoutbox, monkeypatch):
    """The keys are read before sending; another run recording one in between makes the INSERT
    fail on the unique key: counted as already sent, no second e-mail."""
    from pvd.mail import Ledger

    chef = world["chef23"]
    LettreEnvoyee.objects.create(
        cle=f"lettre:{chef.pk}:{week_label(MONDAY)}", user=chef, semaine=week_label(MONDAY),
        destinataire=chef.email, envoye_le=at(0),
    )  # fmt: skip
    real, calls = Ledger.recorded, []

    def stale_first(self, keys):
        calls.append(keys)
        return set() if len(calls) == 1 else real(self, keys)

    monkeypatch.setattr(Ledger, "recorded", stale_first)
    report = digest_send(week=MONDAY)
    assert report.already_sent == 1 and len(report.sent) == 7
    assert "chef23" not in by_recipient() and len(mail.outbox) == 7
    assert LettreEnvoyee.objects.filter(user=chef).count() == 1
