"""Reminder e-mails (`pvd projets rappels`): a milestone due within 15 days or overdue, to the
action's responsable (else the managers); a weekly digest per project to its team; never twice
the same reminder; dry run; PVD_REMINDERS=0 disables. Django's locmem mail backend."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from pvd.cli import main
from pvd.programme.models import Laureat
from pvd.programme.services import laureate_update
from pvd.projects import services
from pvd.projects.models import RappelEnvoye
from pvd.projects.reminders import reminders_send

DAY = date(2026, 3, 2)  # a Monday (ISO week 2026-S10)


@pytest.fixture
def plan(projet23, users, make_user, groups):
    chef = users["chef23"]
    chef.email = "chef@souterraine.fr"
    chef.save()
    lead = make_user("lead23")
    lead.email = "lead@souterraine.fr"
    lead.save()
    services.member_add(groupe=groups["g23"], user=lead, role="contributeur")
    led = services.action_create(
        projet=projet23,
        user=chef,
        values={
            "titre": "Halle",
            "axe": "commerces",
            "statut": "en_cours",
            "date_fin_prevue": date(2027, 6, 30),
            "responsable": lead,
        },
    )
    orphan = services.action_create(
        projet=projet23,
        user=chef,
        values={"titre": "Voie verte", "axe": "mobilite", "date_debut": date(2026, 9, 1)},
    )
    add = lambda a, label, when, done=None: services.line_save(  # noqa: E731
        action=a,
        kind="jalon",
        user=chef,
        values={"libelle": label, "date_prevue": when, "date_reelle": done},
    )
    return {
        "soon": add(led, "Dépôt du permis", date(2026, 3, 12)),  # in 10 days
        "late": add(orphan, "Étude de tracé", date(2026, 2, 20)),  # 10 days late
        "far": add(led, "Livraison", date(2026, 5, 1)),
        "done": add(led, "Esquisse", date(2026, 2, 1), date(2026, 1, 30)),
    }


def _by_subject(mailoutbox, word):
    return [m for m in mailoutbox if word in m.subject]


def test_milestones_due_soon_or_overdue_and_the_weekly_digest(plan, mailoutbox):
    report = reminders_send(day=DAY)
    assert len(report.sent) == 3 and report.already_sent == 0
    soon = _by_subject(mailoutbox, "Dépôt du permis")
    assert len(soon) == 1 and soon[0].to == ["lead@souterraine.fr"]  # the action's responsable
    assert "prévu le 12/03/2026, dans 10 jours" in soon[0].body and "à venir" in soon[0].subject
    late = _by_subject(mailoutbox, "Étude de tracé")
    assert len(late) == 1 and late[0].to == ["chef@souterraine.fr"]  # no responsable: managers
    assert "en retard de 10 jours" in late[0].body
    assert not _by_subject(mailoutbox, "Livraison") and not _by_subject(mailoutbox, "Esquisse")
    digest = _by_subject(mailoutbox, "synthèse de la semaine 2026-S10")
    assert len(digest) == 1
    assert digest[0].to == ["chef@souterraine.fr", "lead@souterraine.fr"]
    body = digest[0].body
    assert "2 actions en cours de suivi, 1 en retard, 0 bloquée." in body
    assert (
        "Actions en retard :\n- Voie verte (jalon « Étude de tracé » prévu le 20/02/2026, "
        "non atteint (10 jours))" in body
    )
    assert "Jalons des 15 prochains jours :\n- Halle : « Dépôt du permis »" in body
    assert "http://127.0.0.1:8000/projets/pvd/pvd-75-23-1/" in body


def test_never_twice_the_same_reminder(plan, mailoutbox):
    reminders_send(day=DAY)
    n = len(mailoutbox)
    again = reminders_send(day=DAY)
    assert len(mailoutbox) == n and again.sent == [] and again.already_sent == 3
    # Later the same week: no new digest, the same milestones are not recalled again.
    later = reminders_send(day=date(2026, 3, 4))
    assert later.sent == [] and len(mailoutbox) == n
    # The next week: a new digest; the milestone now overdue is a new reminder.
    next_week = reminders_send(day=date(2026, 3, 13))
    subjects = sorted(r.subject for r in next_week.sent)
    assert any("2026-S11" in s for s in subjects)
    assert any("en retard : Dépôt du permis" in s for s in subjects)
    assert RappelEnvoye.objects.count() == 3 + len(next_week.sent)


def test_a_moved_milestone_is_recalled_for_its_new_date(plan, users, mailoutbox):
    reminders_send(day=DAY)
    j = plan["soon"]
    services.line_save(
        action=j.action,
        kind="jalon",
        user=users["chef23"],
        line_id=j.pk,
        values={"date_prevue": date(2026, 3, 14)},
    )
    report = reminders_send(day=DAY)
    assert [r.subject for r in report.sent] == ["Jalon à venir : Dépôt du permis (Halle)"]


def test_dry_run_sends_and_records_nothing(plan, mailoutbox):
    report = reminders_send(day=DAY, dry_run=True)
    assert len(report.sent) == 3 and mailoutbox == [] and not RappelEnvoye.objects.exists()


def test_disabled_by_setting(plan, mailoutbox, settings):
    settings.REMINDERS_ENABLED = False
    report = reminders_send(day=DAY)
    assert report.disabled and mailoutbox == [] and not RappelEnvoye.objects.exists()


def test_no_recipient_is_reported_not_sent(plan, users, mailoutbox):
    users["chef23"].email = ""
    users["chef23"].save()
    report = reminders_send(day=DAY)
    assert any("Étude de tracé" in line for line in report.without_recipient)
    assert not _by_subject(mailoutbox, "Étude de tracé")


def test_read_only_projects_get_no_reminder(plan, users, mailoutbox):
    laureate_update(
        laureat=Laureat.objects.get(commune__code="23176"),
        user=users["admin"],
        values={"statut": "sorti"},
    )
    assert reminders_send(day=DAY).sent == [] and mailoutbox == []


def test_command(plan, mailoutbox, settings):
    runner = CliRunner()
    r = runner.invoke(main, ["projets", "rappels", "--date", "2026-03-02", "--dry-run"])
    assert r.exit_code == 0, r.output
    assert "Rappels du 02/03/2026 : 3 à envoyer, 0 déjà envoyé(s)." in r.output
    assert mailoutbox == []
    r = runner.invoke(main, ["projets", "rappels", "--date", "2026-03-02"])
    assert r.exit_code == 0 and "3 envoyé(s)" in r.output and len(mailoutbox) == 3
    r = runner.invoke(main, ["projets", "rappels", "--date", "2026-03-02"])
    assert "0 envoyé(s), 3 déjà envoyé(s)" in r.output and len(mailoutbox) == 3
    r = runner.invoke(main, ["projets", "rappels", "--date", "02/03/2026"])
    assert r.exit_code == 2 and "AAAA-MM-JJ" in r.output
    settings.REMINDERS_ENABLED = False
    r = runner.invoke(main, ["projets", "rappels"])
    assert r.exit_code == 0 and "désactivés" in r.output
