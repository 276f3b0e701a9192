"""Forms of the project pages (French labels; rendered with DSFR markup by
``projects/includes/field.html``)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from pvd.projects.actions import ACTION_FIELDS
from pvd.projects.models import (
    Action,
    Axe,
    Financement,
    Indicateur,
    Jalon,
    LigneBudget,
    Projet,
)
from pvd.projects.validation import FormRules
from pvd.territories.models import Commune


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


DATE_HELP = "Format attendu : JJ/MM/AAAA."


def person_label(user) -> str:
    """How a person is named in the pages: full name, else e-mail, else user name."""
    return user.get_full_name() or user.email or user.get_username()


class ProjetForm(FormRules, forms.ModelForm):
    rules_kind = "projet"
    axes = forms.MultipleChoiceField(
        label="Axes de l'offre de services",
        choices=Axe.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Projet
        fields = ("nom", "orientations", "axes")
        labels = {"nom": "Nom du projet", "orientations": "Orientations stratégiques"}
        widgets = {"orientations": forms.Textarea(attrs={"rows": 5})}


class ActionForm(FormRules, forms.ModelForm):
    rules_kind = "action"
    porteur = forms.CharField(
        label="Porteur",
        required=False,
        max_length=200,
        help_text="Organisation qui porte l'action.",
    )
    partenaires = forms.CharField(
        label="Partenaires",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Un partenaire par ligne.",
    )
    communes = forms.ModelMultipleChoiceField(
        label="Communes concernées",
        queryset=Commune.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Action
        fields = ACTION_FIELDS  # the fields the service writes and audits
        labels = {
            "responsable": "Responsable de l'action",
            "titre": "Intitulé",
            "description": "Description",
            "axe": "Axe",
            "phase": "Phase",
            "statut": "Statut",
            "priorite": "Priorité",
            "date_debut": "Date de début",
            "date_fin_prevue": "Date de fin prévue",
            "date_fin_reelle": "Date de fin réelle",
        }
        help_texts = {
            "responsable": "Membre de l'équipe qui reçoit les rappels des jalons de l'action.",
            "statut": "« En retard » est calculé à partir des dates et des jalons.",
            "date_debut": DATE_HELP,
            "date_fin_prevue": DATE_HELP,
            "date_fin_reelle": DATE_HELP,
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "date_debut": DateInput(),
            "date_fin_prevue": DateInput(),
            "date_fin_reelle": DateInput(),
        }

    def __init__(self, *args, groupe=None, **kwargs):
        super().__init__(*args, **kwargs)
        team = get_user_model().objects.none()
        if groupe is not None:
            self.fields["communes"].queryset = Commune.objects.filter(
                laureats__groupe=groupe
            ).order_by("nom")
            team = get_user_model().objects.filter(equipes_projet__groupe=groupe)
        self.fields["responsable"].queryset = team.order_by("username")
        self.fields["responsable"].label_from_instance = person_label
        self.fields["responsable"].empty_label = "Aucun (les gestionnaires reçoivent les rappels)"
        if self.instance.pk:
            self.initial["porteur"] = self.instance.porteur.nom if self.instance.porteur else ""
            self.initial["partenaires"] = "\n".join(
                self.instance.partenaires.values_list("nom", flat=True)
            )
            self.initial["communes"] = list(self.instance.communes.all())

    def clean(self):
        data = super().clean()
        start, end = data.get("date_debut"), data.get("date_fin_prevue")
        if start and end and end < start:
            self.add_error("date_fin_prevue", "La date de fin prévue précède la date de début.")
        return data

    def values(self) -> dict:
        d = self.cleaned_data
        values = {k: d[k] for k in self.Meta.fields}
        values["porteur"] = d["porteur"]
        values["partenaires"] = [p.strip() for p in d["partenaires"].splitlines() if p.strip()]
        values["communes"] = list(d["communes"])
        return values


class BudgetForm(FormRules, forms.ModelForm):
    rules_kind = "budget"

    class Meta:
        model = LigneBudget
        fields = ("annee", "nature", "prevu", "realise")
        labels = {
            "annee": "Année",
            "nature": "Nature",
            "prevu": "Montant prévu (€)",
            "realise": "Montant réalisé (€)",
        }
        help_texts = {"realise": "Laisser vide tant qu'il n'est pas connu."}


class FinancementForm(FormRules, forms.ModelForm):
    rules_kind = "financement"

    class Meta:
        model = Financement
        fields = (
            "financeur",
            "dispositif",
            "montant_demande",
            "date_demande",
            "decision",
            "date_decision",
            "montant_accorde",
            "montant_verse",
            "date_versement",
        )
        help_texts = {
            "decision": "Accordé : indiquez la date et le montant accordé ; refusé : la date."
        }
        labels = {
            "decision": "Décision",
            "financeur": "Financeur",
            "dispositif": "Dispositif",
            "montant_demande": "Montant demandé (€)",
            "montant_accorde": "Montant accordé (€)",
            "montant_verse": "Montant versé (€)",
            "date_demande": "Date de demande",
            "date_decision": "Date de décision",
            "date_versement": "Date de versement",
        }
        widgets = {
            "date_demande": DateInput(),
            "date_decision": DateInput(),
            "date_versement": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].required = False  # absent: still waiting for the decision

    def clean_decision(self):
        return self.cleaned_data.get("decision") or Financement.Decision.EN_ATTENTE

    def clean(self):
        d = super().clean()
        req, granted, paid = (
            d.get("montant_demande") or 0,
            d.get("montant_accorde"),
            d.get("montant_verse"),
        )
        if granted is not None and req and granted > req:
            self.add_error("montant_accorde", "Le montant accordé dépasse le montant demandé.")
        if paid is not None and paid > (granted or 0):
            self.add_error("montant_verse", "Le montant versé dépasse le montant accordé.")
        return d


class JalonForm(FormRules, forms.ModelForm):
    rules_kind = "jalon"

    class Meta:
        model = Jalon
        fields = ("libelle", "date_prevue", "date_reelle")
        labels = {
            "libelle": "Libellé du jalon",
            "date_prevue": "Date prévue",
            "date_reelle": "Date réelle",
        }
        help_texts = {"date_prevue": DATE_HELP, "date_reelle": DATE_HELP}
        widgets = {"date_prevue": DateInput(), "date_reelle": DateInput()}


class IndicateurForm(FormRules, forms.ModelForm):
    rules_kind = "indicateur"

    class Meta:
        model = Indicateur
        fields = ("libelle", "unite", "valeur_initiale", "date_initiale", "cible", "date_cible")
        labels = {
            "libelle": "Indicateur",
            "unite": "Unité",
            "valeur_initiale": "Valeur initiale",
            "date_initiale": "Date de la valeur initiale",
            "cible": "Cible",
            "date_cible": "Échéance de la cible",
        }
        widgets = {"date_initiale": DateInput(), "date_cible": DateInput()}


class MesureForm(FormRules, forms.Form):
    rules_kind = "mesure"
    indicateur = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=10**12)
    date = forms.DateField(label="Date de la mesure", widget=DateInput())
    valeur = forms.FloatField(label="Valeur mesurée")


class CommentaireForm(FormRules, forms.Form):
    rules_kind = "commentaire"
    texte = forms.CharField(label="Commentaire", widget=forms.Textarea(attrs={"rows": 3}))


LINE_FORMS = {
    "budget": BudgetForm,
    "financement": FinancementForm,
    "jalon": JalonForm,
    "indicateur": IndicateurForm,
}
