"""The event form (organisers). Values are checked once, by ``events.clean_values``: the form
only converts the inputs (local date and time in Europe/Paris) and shows the service's errors."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from pvd.network.models import Evenement
from pvd.territories.models import Departement, Region

E = Evenement
LOCAL = "%Y-%m-%dT%H:%M"
# The programme's towns are in mainland France and the overseas departments: the overseas
# collectivities (Clipperton, TAAF...) are left out of the region and department lists.
PROGRAMME_ZONES = ("metro", "drom")


def _when(label: str, required: bool = True, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text or "Heure de Paris.",
        input_formats=[LOCAL, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL),
    )


class EventForm(forms.Form):
    titre = forms.CharField(label="Intitulé", max_length=200)
    echelle = forms.ChoiceField(label="Échelle", choices=E.Echelle.choices)
    region = forms.ChoiceField(label="Région (événement régional)", required=False)
    departement = forms.ChoiceField(label="Département (événement départemental)", required=False)
    debut = _when("Début")
    fin = _when("Fin")
    format = forms.ChoiceField(label="Format", choices=E.Format.choices)
    lieu = forms.CharField(label="Lieu (adresse)", required=False, max_length=300)
    lien = forms.CharField(
        label="Lien de connexion", required=False, max_length=500,
        help_text="Pour un événement en ligne ou hybride : https://…",
    )  # fmt: skip
    programme_texte = forms.CharField(
        label="Programme", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    public = forms.ChoiceField(label="Public", choices=E.Public.choices)
    capacite = forms.IntegerField(
        label="Capacité (places)", required=False, min_value=1,
        help_text="Vide : sans limite. Au-delà, les inscriptions vont en liste d'attente.",
    )  # fmt: skip
    date_limite = _when("Date limite d'inscription", required=False, help_text="Heure de Paris. Vide : jusqu'au début.")  # noqa: E501
    publier = forms.BooleanField(label="Publier dès l'enregistrement", required=False)
    sans_notification = forms.BooleanField(
        label="Ne pas prévenir les inscrits", required=False,
        help_text="Pour une correction sans conséquence (une faute de frappe). Sinon, un "
        "changement de date, d'heure, de format, de lieu, de lien ou de programme est envoyé "
        "par e-mail aux inscrits et à la liste d'attente.",
    )  # fmt: skip

    def __init__(self, *args, with_publish: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "—")] + [
            (r.code, f"{r.nom} ({r.code})")
            for r in Region.objects.filter(zone__in=PROGRAMME_ZONES).order_by("nom")
        ]
        self.fields["departement"].choices = [("", "—")] + [
            (d.code, f"{d.code} – {d.nom}")
            for d in Departement.objects.filter(region__zone__in=PROGRAMME_ZONES).order_by("code")
        ]
        if with_publish:  # a new event: nobody to tell yet
            del self.fields["sans_notification"]
        else:
            del self.fields["publier"]

    @classmethod
    def initial_of(cls, ev: Evenement) -> dict:
        def local(v):
            return timezone.localtime(v) if v else None

        return {
            "titre": ev.titre, "echelle": ev.echelle, "region": ev.region_id or "",
            "departement": ev.departement_id or "", "debut": local(ev.debut), "fin": local(ev.fin),
            "format": ev.format, "lieu": ev.lieu, "lien": ev.lien,
            "programme_texte": ev.programme_texte, "public": ev.public, "capacite": ev.capacite,
            "date_limite": local(ev.date_limite),
        }  # fmt: skip

    def values(self) -> dict:
        v = dict(self.cleaned_data)
        v["statut"] = E.Statut.PUBLIE if v.pop("publier", False) else E.Statut.BROUILLON
        return v

    def add_service_errors(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            self.add_error(name if name in self.fields else None, message)
