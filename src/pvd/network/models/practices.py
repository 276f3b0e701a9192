"""Practices (« fiches expériences »): what a town did on one of its actions, told for others.

- ``Pratique``: written from one action of a projet de territoire by its team, reviewed by a
  programme team member (national or the region's scope) before it is public:
  draft → review → published, or back to draft with a comment. Deleting only marks it
  (``supprime_le``): it stays recoverable.
- ``IndicateurPratique``: a result with its value and unit.
- ``PieceJointe``: an image or PDF, checked by its content (:mod:`pvd.network.uploads`), stored in
  the database (atomic with its practice, saved by the backups), always served as a download.
- ``EtapePratique``: the workflow's history (who moved it, from what to what, with what comment).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from pvd.programme.models import Groupe
from pvd.projects.models import Action
from pvd.territories.models import Commune, Departement, Region


class StatutPratique(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    RELECTURE = "relecture", "En relecture"
    PUBLIEE = "publiee", "Publiée"


class Pratique(models.Model):
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="pratiques")
    groupe = models.ForeignKey(Groupe, on_delete=models.PROTECT, related_name="pratiques")
    # The town it tells about (the group's main laureate), its department and region: filters.
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="pratiques")
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    titre = models.CharField(max_length=200)
    axe = models.CharField(max_length=20)  # the action's axe (``projects.Axe``) when written
    contexte = models.TextField(blank=True)
    realisation = models.TextField("ce qui a été fait", blank=True)
    cout = models.PositiveBigIntegerField("coût total (€)", null=True, blank=True)
    financement = models.TextField("plan de financement", blank=True)
    # Funders' codes (``projects.Financeur``) between commas (",anct,bdt,"): one indexed text
    # filter on every database.
    financeurs = models.CharField(max_length=200, blank=True)
    resultats = models.TextField("résultats", blank=True)
    contacts = models.TextField(blank=True)
    statut = models.CharField(
        max_length=10, choices=StatutPratique.choices, default=StatutPratique.BROUILLON
    )
    commentaire_relecture = models.TextField(blank=True)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    publiee_le = models.DateTimeField(null=True, blank=True, db_index=True)
    supprime_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-publiee_le", "-id"]
        verbose_name = "fiche expérience"
        verbose_name_plural = "fiches expériences"
        indexes = [models.Index(fields=["statut", "supprime_le"])]

    def __str__(self) -> str:
        return self.titre

    @property
    def financeurs_list(self) -> list[str]:
        return [f for f in self.financeurs.split(",") if f]


class IndicateurPratique(models.Model):
    pratique = models.ForeignKey(Pratique, on_delete=models.CASCADE, related_name="indicateurs")
    libelle = models.CharField("libellé", max_length=200)
    valeur = models.FloatField(null=True, blank=True)
    unite = models.CharField("unité", max_length=30, blank=True)

    class Meta:
        ordering = ["id"]


class PieceJointe(models.Model):
    pratique = models.ForeignKey(Pratique, on_delete=models.CASCADE, related_name="pieces")
    nom = models.CharField(max_length=150)
    type_mime = models.CharField(max_length=50)
    taille = models.PositiveIntegerField()
    contenu = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class EtapePratique(models.Model):
    pratique = models.ForeignKey(Pratique, on_delete=models.CASCADE, related_name="etapes")
    at = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    de = models.CharField(max_length=10, blank=True)
    vers = models.CharField(max_length=10)
    commentaire = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    @property
    def de_label(self) -> str:
        """The French label of the status left ("" at the creation)."""
        return StatutPratique(self.de).label if self.de in StatutPratique.values else self.de

    @property
    def vers_label(self) -> str:
        return StatutPratique(self.vers).label if self.vers in StatutPratique.values else self.vers
