"""Forms of the programme pages (French labels; rendered with DSFR markup)."""

from __future__ import annotations

from django import forms

from pvd.programme.models import Laureat
from pvd.programme.services import EDITABLE


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class LaureatForm(forms.ModelForm):
    class Meta:
        model = Laureat
        fields = EDITABLE  # what laureate_update accepts: one list
        labels = {
            "statut": "Statut",
            "date_selection": "Date de sélection",
            "date_convention_adhesion": "Signature de la convention d'adhésion",
            "date_chef_projet": "Recrutement du chef de projet",
            "date_convention_cadre": "Signature de la convention-cadre valant ORT",
            "notes": "Notes",
        }
        help_texts = {
            "date_selection": "Format attendu : JJ/MM/AAAA.",
            "date_convention_adhesion": "Format attendu : JJ/MM/AAAA.",
            "date_chef_projet": "Format attendu : JJ/MM/AAAA.",
            "date_convention_cadre": "Format attendu : JJ/MM/AAAA. Là où un tableau national "
            "des ORT est chargé, cette date est reprise du tableau à chaque import.",
            "notes": "Texte libre, visible des agents dont le périmètre couvre la commune et de l'équipe du projet.",
        }
        widgets = {
            "date_selection": DateInput(),
            "date_convention_adhesion": DateInput(),
            "date_chef_projet": DateInput(),
            "date_convention_cadre": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 5}),
        }

    def clean(self):
        data = super().clean()
        order = [
            ("date_selection", "la sélection"),
            ("date_convention_adhesion", "la convention d'adhésion"),
            ("date_convention_cadre", "la convention-cadre"),
        ]
        previous = None
        for name, label in order:
            value = data.get(name)
            if value and previous and value < previous[1]:
                self.add_error(name, f"Cette date précède celle de {previous[0]}.")
            if value:
                previous = (label, value)
        return data


class ChecksForm(forms.Form):
    enonces = forms.CharField(
        label="Texte à vérifier",
        help_text="Collez un paragraphe de presse ou des énoncés, par exemple : « 201 communes "
        "de Nouvelle-Aquitaine, dont 22 dans la Creuse », « près de 1 000 collectivités », "
        "« 9,3 millions d'habitants ». 5 000 caractères au plus.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
    )
