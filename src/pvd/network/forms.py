"""The network's forms (validation of what pages send; writes go through the services)."""

from __future__ import annotations

from django import forms

from pvd.projects.models import Financeur

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class ProfileForm(forms.Form):
    consentement = forms.BooleanField(
        label="J'accepte que mon nom, ma fonction et les coordonnées ci-dessous figurent dans "
        "l'annuaire public du réseau",
        required=False,
    )
    email_public = forms.EmailField(label="Adresse électronique publique", required=False)
    telephone_public = forms.RegexField(
        label="Téléphone public",
        regex=r"^[0-9 +().-]{6,20}$",
        required=False,
        error_messages={"invalid": "Numéro de téléphone invalide."},
    )
    presentation = forms.CharField(
        label="Présentation (une phrase)", max_length=300, required=False
    )
    lettre_hebdo = forms.BooleanField(
        label="Je reçois chaque lundi la lettre du réseau (nouvelles fiches expériences de mes "
        "thèmes, rencontres à venir de ma région)",
        required=False,
    )


class PracticeForm(forms.Form):
    titre = forms.CharField(label="Titre", max_length=200)
    contexte = forms.CharField(label="Contexte", required=False, widget=TEXTAREA)
    realisation = forms.CharField(label="Ce qui a été fait", required=False, widget=TEXTAREA)
    cout = forms.IntegerField(
        label="Coût total (€)", min_value=0, max_value=10_000_000_000, required=False
    )
    financement = forms.CharField(label="Plan de financement", required=False, widget=TEXTAREA)
    financeurs = forms.MultipleChoiceField(
        label="Financeurs",
        choices=Financeur.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    resultats = forms.CharField(label="Résultats", required=False, widget=TEXTAREA)
    indicateurs = forms.CharField(
        label="Indicateurs de résultat",
        help_text="Un par ligne : libellé ; valeur ; unité (ex. « Commerces rouverts ; 4 ; "
        "commerces »).",
        required=False,
        widget=TEXTAREA,
    )
    contacts = forms.CharField(label="Contacts", required=False, widget=TEXTAREA)

    def clean_indicateurs(self) -> list[tuple[str, float | None, str]]:
        out = []
        for n, line in enumerate(self.cleaned_data["indicateurs"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            value: float | None = None
            if len(parts) > 1 and parts[1]:
                try:
                    value = float(parts[1].replace(",", ".").replace(" ", ""))
                except ValueError as exc:
                    raise forms.ValidationError(
                        f"Ligne {n} : la valeur « {parts[1]} » n'est pas un nombre."
                    ) from exc
            out.append((parts[0], value, parts[2] if len(parts) > 2 else ""))
        return out


class ReviewForm(forms.Form):
    commentaire = forms.CharField(label="Commentaire", required=False, widget=TEXTAREA)


class UploadForm(forms.Form):
    fichier = forms.FileField(label="Pièce jointe (PNG, JPEG, WebP ou PDF, 5 Mo au plus)")
