"""The directory's own table: what a project manager chooses to show of herself.

``ProfilReseau``: the public contact (e-mail, phone) a member of a project team agrees to show in
the directory, set by herself on « Mon profil réseau ». Nothing of it is shown without
``consentement``; names and functions come from the project team (``projects.Membre``) and are
shown to logged-in programme members only. ``lettre_hebdo``: whether she receives the network's
weekly digest (:mod:`pvd.network.digest`; no profile means yes).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ProfilReseau(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profil_reseau"
    )
    consentement = models.BooleanField(
        "j'accepte que mes coordonnées figurent dans l'annuaire public", default=False
    )
    email_public = models.EmailField("adresse électronique publique", blank=True)
    telephone_public = models.CharField("téléphone public", max_length=20, blank=True)
    presentation = models.CharField("présentation", max_length=300, blank=True)
    lettre_hebdo = models.BooleanField("je reçois la lettre hebdomadaire du réseau", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "profil réseau"
        verbose_name_plural = "profils réseau"

    def __str__(self) -> str:
        return f"Profil réseau de {self.user}"
