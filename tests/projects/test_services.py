"""Services of the projects app: actions with budget, funding, milestones, indicators; audit,
soft delete, late status and aggregations on the database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pvd.domain import steering
from pvd.programme.models import Changement
from pvd.projects import selectors, services
from pvd.projects.models import Action


@pytest.fixture
def action(projet23, users):
    from pvd.territories.models import Commune

    a = services.action_create(
        projet=projet23,
        user=users["chef23"],
        values={
            "titre": "Réhabilitation de la halle",
            "axe": "commerces",
            "phase": "operation",
            "statut": "en_cours",
            "date_debut": date(2025, 1, 1),
            "date_fin_prevue": date(2099, 12, 31),
            "communes": [Commune.objects.get(code="23176", type="COM")],
            "porteur": "Commune de La Souterraine",
            "partenaires": ["Banque des Territoires", "CAUE de la Creuse"],
        },
    )
    for year, prevu, realise in ((2025, 300_000, 250_000), (2026, 500_000, None)):
        services.line_save(
            action=a,
            kind="budget",
            user=users["chef23"],
            values={"annee": year, "nature": "investissement", "prevu": prevu, "realise": realise},
        )
    services.line_save(
        action=a,
        kind="financement",
        user=users["chef23"],
        values={
            "financeur": "detr",
            "dispositif": "DETR 2025",
            "montant_demande": 200_000,
            "montant_accorde": 150_000,
            "montant_verse": 50_000,
            "date_demande": date(2025, 2, 1),
        },
    )
    services.line_save(
        action=a,
        kind="financement",
        user=users["chef23"],
        values={
            "financeur": "fonds_vert",
            "montant_demande": 100_000,
            "date_demande": date(2026, 1, 5),
        },
    )
    return a


def test_action_budget_and_audit(action, projet23):
    rows = selectors.action_rows(projet23)
    assert len(rows) == 1
    row = rows[0]
    assert row.status == steering.IN_PROGRESS
    b = row.budget
    assert (b.forecast, b.actual, b.requested, b.granted, b.paid) == (
        800_000,
        250_000,
        300_000,
        150_000,
        50_000,
    )
    assert b.remaining == 650_000
    assert row.communes == ["La Souterraine"]
    assert sorted(action.partenaires.values_list("nom", flat=True)) == [
        "Banque des Territoires",
        "CAUE de la Creuse",
    ]
    agg = selectors.totals(rows)
    assert agg.funding_by_funder["DETR"] == {
        "requested": 200_000,
        "granted": 150_000,
        "paid": 50_000,
    }
    assert set(agg.funding_by_year) == {2025, 2026}
    created = Changement.objects.filter(objet="action", objet_id=action.pk).get()
    assert created.action == "creation" and created.user.username == "chef23"
    assert created.changes["titre"] == [None, "Réhabilitation de la halle"]
    assert Changement.objects.filter(objet="financement").count() == 2


def test_update_is_audited_with_diff(action, users):
    diff = services.action_update(
        action=action,
        user=users["chef23"],
        values={"statut": "bloquee", "titre": "Réhabilitation de la halle", "partenaires": []},
    )
    assert set(diff) == {"statut", "partenaires"}
    ch = Changement.objects.filter(objet="action", action="modification").get()
    assert ch.changes["statut"] == ["en_cours", "bloquee"]
    assert ch.changes["partenaires"][1] == []
    assert (
        services.action_update(action=action, user=users["chef23"], values={"statut": "bloquee"})
        == {}
    )


def test_late_from_dates_and_milestones(projet23, users):
    chef = users["chef23"]
    past = services.action_create(
        projet=projet23,
        user=chef,
        values={
            "titre": "Étude OPAH-RU",
            "axe": "habitat",
            "statut": "en_cours",
            "date_fin_prevue": date.today() - timedelta(days=1),
        },
    )
    ms = services.action_create(
        projet=projet23,
        user=chef,
        values={
            "titre": "Maison France services",
            "axe": "services_publics",
            "statut": "en_cours",
            "date_fin_prevue": date.today() + timedelta(days=300),
        },
    )
    j = services.line_save(
        action=ms,
        kind="jalon",
        user=chef,
        values={"libelle": "Permis", "date_prevue": date.today() - timedelta(days=3)},
    )
    status = {r.action.pk: r.status for r in selectors.action_rows(projet23)}
    assert status == {past.pk: steering.LATE, ms.pk: steering.LATE}
    services.line_save(
        action=ms, kind="jalon", user=chef, line_id=j.pk, values={"date_reelle": date.today()}
    )
    services.action_update(action=past, user=chef, values={"statut": "livree"})
    status = {r.action.pk: r.status for r in selectors.action_rows(projet23)}
    assert status == {past.pk: steering.DELIVERED, ms.pk: steering.IN_PROGRESS}
    late_only = selectors.action_rows(projet23, filters={"statut": "livree"})
    assert [r.action.pk for r in late_only] == [past.pk]


def test_soft_delete_and_restore(action, users, projet23):
    services.action_delete(action=action, user=users["chef23"])
    assert selectors.action_rows(projet23) == []
    assert [r.action.pk for r in selectors.action_rows(projet23, deleted=True)] == [action.pk]
    assert Action.objects.filter(pk=action.pk).exists()
    assert selectors.scope_aggregate()["total"].actions == 0
    services.action_restore(action=action, user=users["chef23"])
    assert len(selectors.action_rows(projet23)) == 1
    actions = list(
        Changement.objects.filter(objet="action", objet_id=action.pk).values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["creation", "modification", "suppression"]


def test_validation(projet23, users, action):
    chef = users["chef23"]
    with pytest.raises(ValueError, match="précède"):
        services.action_create(
            projet=projet23,
            user=chef,
            values={
                "titre": "x",
                "axe": "habitat",
                "date_debut": date(2026, 5, 1),
                "date_fin_prevue": date(2026, 1, 1),
            },
        )
    with pytest.raises(ValueError, match="accordé"):
        services.line_save(
            action=action,
            kind="financement",
            user=chef,
            values={"financeur": "anah", "montant_demande": 10, "montant_accorde": 20},
        )
    with pytest.raises(ValueError, match="versé"):
        services.line_save(
            action=action,
            kind="financement",
            user=chef,
            values={"financeur": "anah", "montant_demande": 10, "montant_verse": 5},
        )
    from pvd.territories.models import Commune

    with pytest.raises(ValueError, match="hors du groupe"):
        services.action_update(
            action=action,
            user=chef,
            values={"communes": [Commune.objects.get(code="16005", type="COM")]},
        )
    with pytest.raises(ValueError, match="axes inconnus"):
        services.project_update(projet=projet23, user=chef, values={"axes": ["lune"]})


def test_indicator_measures(action, users):
    ind = services.line_save(
        action=action,
        kind="indicateur",
        user=users["chef23"],
        values={"libelle": "Cellules commerciales vacantes", "valeur_initiale": 12, "cible": 4},
    )
    services.measure_record(indicateur=ind, user=users["chef23"], when=date(2025, 12, 31), valeur=9)
    services.measure_record(indicateur=ind, user=users["chef23"], when=date(2025, 12, 31), valeur=8)
    assert list(ind.mesures.values_list("valeur", flat=True)) == [8]


def test_scope_aggregations(groups, users, action):
    from pvd.projects.services import project_get_or_create

    p16 = project_get_or_create(groupe=groups["g16"])
    services.action_create(
        projet=p16,
        user=users["chef16"],
        values={"titre": "Voie verte", "axe": "mobilite", "statut": "bloquee"},
    )
    p01 = project_get_or_create(groupe=groups["g01"])
    services.action_create(
        projet=p01,
        user=users["admin"],
        values={"titre": "Halle", "axe": "commerces", "statut": "livree"},
    )
    nation = selectors.scope_aggregate()
    assert nation["total"].actions == 3 and nation["key"] == "region"
    assert nation["parts"]["75"].actions == 2 and nation["parts"]["84"].delivered == 1
    assert nation["total"].blocked == 1
    assert nation["total"].investment == 800_000
    assert nation["total"].funding_by_funder["detr"]["granted"] == 150_000
    region = selectors.scope_aggregate(region="75")
    assert set(region["parts"]) == {"23", "16"}
    assert region["parts"]["23"].cofinancing["requested"] == 300_000
    dep = selectors.scope_aggregate(departement="16")
    assert dep["total"].actions == 1 and dep["total"].alerts == 1
