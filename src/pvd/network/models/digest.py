"""The weekly digest's ledger: ``LettreEnvoyee``, one digest sent to one member for one ISO week
(key ``lettre:<user>:<week>``): never sent twice (:func:`pvd.mail.send_once`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LettreEnvoyee(models.Model):
    cle = models.CharField(max_length=80, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lettres_reseau"
    )
    semaine = models.CharField(max_length=8)  # ISO week, "2026-W48"
    destinataire = models.EmailField()
    nb_pratiques = models.PositiveIntegerField(default=0)
    nb_evenements = models.PositiveIntegerField(default=0)
    envoye_le = models.DateTimeField()

    class Meta:
        ordering = ["-envoye_le", "-id"]
        verbose_name = "lettre du réseau envoyée"
        verbose_name_plural = "lettres du réseau envoyées"

    def __str__(self) -> str:
        return f"Lettre {self.semaine} → {self.destinataire}"
