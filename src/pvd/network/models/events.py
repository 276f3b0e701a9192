"""The club's meetings (issue 15): events, registrations with a waiting list, reminders sent.

- ``Evenement``: a national, regional or departmental meeting of the programme's club, created
  by programme staff within their scope (:mod:`pvd.network.permissions_events`). Times are
  stored in UTC and shown in Europe/Paris. Never deleted outright: ``supprime_le`` hides it
  (restorable) and a cancellation keeps it listed as "annulé".
- ``Inscription``: one member's registration. A confirmed registration holds a seat number
  (``place``, 1..capacity) unique within its event: two registrations can never take the same
  last seat, whatever the database's locking (the services also lock the event row).
- ``RappelEvenement``: a reminder e-mail sent (J-7, J-1) to one registration: never sent twice.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from pvd.territories.models import Departement, Region


class Evenement(models.Model):
    class Echelle(models.TextChoices):
        NATIONAL = "national", "National"
        REGIONAL = "regional", "Régional"
        DEPARTEMENTAL = "departemental", "Départemental"

    class Format(models.TextChoices):
        PRESENTIEL = "presentiel", "En présentiel"
        EN_LIGNE = "en_ligne", "En ligne"
        HYBRIDE = "hybride", "Hybride (sur place et en ligne)"

    class Public(models.TextChoices):
        TOUS = "tous", "Tous les membres du réseau"
        CHEFS = "chefs", "Chefs de projet (équipes projet)"
        REGION = "region", "Membres de la région"

    class Statut(models.TextChoices):
        BROUILLON = "brouillon", "Brouillon"
        PUBLIE = "publie", "Publié"
        ANNULE = "annule", "Annulé"

    # The iCalendar UID: stable across edits, so a calendar updates the event, never duplicates it.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    titre = models.CharField("intitulé", max_length=200)
    echelle = models.CharField("échelle", max_length=14, choices=Echelle.choices)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    departement = models.ForeignKey(
        Departement, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    debut = models.DateTimeField("début")
    fin = models.DateTimeField("fin")
    format = models.CharField(max_length=10, choices=Format.choices)
    lieu = models.CharField("lieu", max_length=300, blank=True)
    lien = models.URLField("lien de connexion", max_length=500, blank=True)
    programme_texte = models.TextField("programme", blank=True)
    public = models.CharField(max_length=6, choices=Public.choices, default=Public.TOUS)
    # None: no limit.
    capacite = models.PositiveIntegerField("capacité", null=True, blank=True)
    date_limite = models.DateTimeField("date limite d'inscription", null=True, blank=True)
    statut = models.CharField(max_length=10, choices=Statut.choices, default=Statut.BROUILLON)
    motif_annulation = models.CharField(max_length=300, blank=True)
    # iCalendar SEQUENCE: raised on every change that a calendar must pick up.
    sequence = models.PositiveIntegerField(default=0)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)
    supprime_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["debut", "id"]
        verbose_name = "événement du réseau"
        verbose_name_plural = "événements du réseau"
        indexes = [
            models.Index(fields=["statut", "debut"], name="evenement_statut_debut"),
            models.Index(fields=["region", "debut"], name="evenement_region_debut"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(echelle="national", region=None, departement=None)
                    | models.Q(echelle="regional", region__isnull=False, departement=None)
                    | models.Q(
                        echelle="departemental", region__isnull=False, departement__isnull=False
                    )
                ),
                name="evenement_echelle_coherente",
            ),
            models.CheckConstraint(
                condition=models.Q(fin__gt=models.F("debut")), name="evenement_fin_apres_debut"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.titre} ({self.debut:%d/%m/%Y})"


class Inscription(models.Model):
    class Etat(models.TextChoices):
        INSCRIT = "inscrit", "Inscrit"
        ATTENTE = "attente", "Liste d'attente"
        DESINSCRIT = "desinscrit", "Désinscrit"

    evenement = models.ForeignKey(Evenement, on_delete=models.CASCADE, related_name="inscriptions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inscriptions_reseau"
    )
    etat = models.CharField(max_length=10, choices=Etat.choices)
    # Seat number of a confirmed registration (1..capacity, or beyond without a capacity).
    place = models.PositiveIntegerField(null=True, blank=True)
    # When the member (last) asked for a seat: the waiting list's order.
    demande_le = models.DateTimeField()
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["demande_le", "id"]
        constraints = [
            models.UniqueConstraint(fields=["evenement", "user"], name="inscription_unique"),
            models.UniqueConstraint(fields=["evenement", "place"], name="inscription_place_unique"),
            models.CheckConstraint(
                condition=models.Q(etat="inscrit", place__isnull=False)
                | (~models.Q(etat="inscrit") & models.Q(place=None)),
                name="inscription_place_si_inscrit",
            ),
        ]
        indexes = [models.Index(fields=["evenement", "etat", "demande_le"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.evenement} ({self.get_etat_display()})"


class RappelEvenement(models.Model):
    """A reminder sent to a registered member (key: event, user, kind, event start)."""

    cle = models.CharField(max_length=160, unique=True)
    evenement = models.ForeignKey(Evenement, on_delete=models.CASCADE, related_name="rappels")
    destinataire = models.EmailField()
    envoye_le = models.DateTimeField()

    class Meta:
        ordering = ["-envoye_le", "-id"]
        verbose_name = "rappel d'événement envoyé"
