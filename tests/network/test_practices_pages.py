"""Practices' pages as users see them: sending back without a comment (form error, not a 403),
the history in French, the filters' wording, the new-practice form pre-filled from the action;
and the outcomes' group titles (one ORT, not two)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from pvd.network import practices as S


@pytest.fixture
def under_review(actions, users, actor_of):
    chef = actor_of(users["chef23"])
    p = S.practice_create(actor=chef, action=actions["a23"], values={"titre": "Boutique test"})
    S.practice_submit(actor=chef, pratique=p)
    return p


def test_send_back_without_comment_shows_the_form_error(under_review, users, client):
    client.force_login(users["region75"])
    url = f"/reseau/pratiques/{under_review.pk}/statut/"
    r = client.post(url, {"faire": "renvoyer", "commentaire": "   "})
    page = r.content.decode()
    assert r.status_code == 400
    assert "Accès refusé" not in page
    assert "fr-input-group--error" in page and "commentaire obligatoire" in page
    assert "Renvoyer en brouillon" in page  # the review form again
    under_review.refresh_from_db()
    assert under_review.statut == "relecture"
    # a comment typed is kept when the error is another one (the form is bound)
    r = client.post(url, {"faire": "renvoyer", "commentaire": "Ajoutez le coût."})
    assert r.status_code == 302
    under_review.refresh_from_db()
    assert (under_review.statut, under_review.commentaire_relecture) == (
        "brouillon",
        "Ajoutez le coût.",
    )


def test_send_back_by_someone_without_the_right_is_still_refused(under_review, users, client):
    client.force_login(users["pref23"])
    r = client.post(f"/reseau/pratiques/{under_review.pk}/statut/", {"faire": "renvoyer"})
    assert r.status_code == 403


def test_history_shows_french_labels(under_review, users, actor_of, client):
    S.practice_review(actor=actor_of(users["national"]), pratique=under_review, publish=True)
    client.force_login(users["chef23"])
    page = client.get(f"/reseau/pratiques/{under_review.pk}/").content.decode()
    history = page[page.find('id="historique"') :][:1000]
    assert "création → Brouillon" in history
    assert "Brouillon → En relecture" in history
    assert "En relecture → Publiée" in history
    assert "relecture → publiee" not in history


def test_filters_say_tous_for_masculine_names(client, groups):
    page = client.get("/reseau/pratiques/").content.decode()
    financeur = page[page.find('id="f-financeur"') :][:200]
    assert '<option value="">Tous</option>' in financeur
    region = page[page.find('id="f-region"') :][:200]
    assert '<option value="">Toutes</option>' in region
    page = client.get("/reseau/").content.decode()
    departement = page[page.find('id="f-departement"') :][:200]
    assert '<option value="">Tous</option>' in departement


def test_new_practice_prefilled_from_budget_and_cofinancing(actions, users, client):
    from pvd.projects.models import Financement, LigneBudget

    action = actions["a23"]
    inv, fonc = LigneBudget.Nature.INVESTISSEMENT, LigneBudget.Nature.FONCTIONNEMENT
    LigneBudget.objects.create(action=action, annee=2023, nature=inv, prevu=40000, realise=42000)
    LigneBudget.objects.create(action=action, annee=2024, nature=fonc, prevu=3000)
    Financement.objects.create(
        action=action,
        financeur="region",
        montant_demande=15000,
        montant_accorde=12000,
        decision=Financement.Decision.ACCORDE,
        date_decision=date(2023, 5, 2),
    )
    Financement.objects.create(
        action=action, financeur="bdt", dispositif="Ingénierie", montant_demande=8000
    )
    Financement.objects.create(
        action=action, financeur="anah", montant_demande=5000, decision=Financement.Decision.REFUSE
    )
    client.force_login(users["chef23"])
    form = client.get(f"/reseau/pratiques/nouvelle/{action.pk}/").context["form"]
    assert form.initial["titre"] == "Boutique à l'essai"
    assert form.initial["cout"] == 45000  # 42,000 realised + 3,000 planned
    assert form.initial["financeurs"] == ["bdt", "region"]  # the refused one left out
    assert form.initial["financement"] == (
        "Banque des Territoires (Ingénierie) : 8\u202f000 € demandés\n"
        "Région : 12\u202f000 € accordés"
    )
    page = client.get(f"/reseau/pratiques/nouvelle/{action.pk}/").content.decode()
    assert 'value="45000"' in page
    assert 'value="bdt" checked' in page and 'value="anah" checked' not in page


def test_new_practice_without_budget_leaves_cost_empty(actions, users, client):
    client.force_login(users["chef16"])
    form = client.get(f"/reseau/pratiques/nouvelle/{actions['a16'].pk}/").context["form"]
    assert form.initial["cout"] is None and form.initial["financeurs"] == []
    assert form.initial["financement"] == ""


def test_outcomes_group_title_names_the_ort_once():
    from pvd.domain.outcomes.analysis import ORT_LABELS, signature_labels
    from pvd.outcomes.report import label_of

    c = SimpleNamespace(
        outcomes=SimpleNamespace(labels={"ort": ORT_LABELS, "signature": signature_labels(2022)})
    )
    assert label_of(c, "ort", "signee") == "ORT signée"
    assert label_of(c, "ort", "non-signee") == "Pas d'ORT signée"
    assert label_of(c, "signature", "apres").startswith("Ancienneté de la signature de l'ORT : ")
