"""Projets de territoire and their actions, steered by each programme group.

- ``Projet``: the *projet de territoire* of one programme group (``programme.Groupe``), with its
  strategic orientations and the axes of the programme's offer it works along.
- ``Organisation``: a lead or partner of actions (commune, EPCI, State, agency, company...).
- ``Action``: one action of the project (phase, stored status, dates, priority, communes, lead
  and partners). Deleting an action only marks it (``supprime_le``): it stays recoverable.
- ``LigneBudget`` (forecast and actual per year, investment or operating), ``Financement``
  (co-financing line), ``Jalon`` (milestone), ``Indicateur`` and ``Mesure`` (values over time).
- ``Commentaire``: remarks of the project team and of State staff reading the project.
- ``Membre``: a user of the project team with a role (manager, contributor, reader).
- ``VueEnregistree``: a saved set of filters of the action table.
- ``RappelEnvoye``: a reminder e-mail sent (milestone, weekly digest), never sent twice.

Reading scopes reuse ``programme.Perimetre`` (national, region, department); every write leaves
a ``programme.Changement`` row.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from pvd.domain import steering
from pvd.programme.models import Groupe
from pvd.territories.models import Commune


class Axe(models.TextChoices):
    """Axes of the programme's offer of services along which a projet de territoire is built."""

    HABITAT = "habitat", "Habitat et rénovation"
    COMMERCES = "commerces", "Commerces et services"
    TRANSITION = "transition", "Transition écologique"
    PATRIMOINE = "patrimoine", "Patrimoine et cadre de vie"
    INNOVATION = "innovation", "Innovation"
    MOBILITE = "mobilite", "Mobilité"
    SERVICES_PUBLICS = "services_publics", "Services publics"
    ESPACES_PUBLICS = "espaces_publics", "Espaces publics"
    ECONOMIE = "economie", "Développement économique"
    AUTRE = "autre", "Autre"


class Phase(models.TextChoices):
    IDEE = "idee", "Idée"
    ETUDE = "etude", "Étude"
    OPERATION = "operation", "Opération"


class Statut(models.TextChoices):
    """Stored statuses; « en retard » is computed from the dates (``pvd.domain.steering``)."""

    A_LANCER = steering.TO_START, "À lancer"
    EN_COURS = steering.IN_PROGRESS, "En cours"
    LIVREE = steering.DELIVERED, "Livrée"
    EN_PAUSE = steering.PAUSED, "En pause"
    BLOQUEE = steering.BLOCKED, "Bloquée"
    ABANDONNEE = steering.ABANDONED, "Abandonnée"


class Priorite(models.IntegerChoices):
    HAUTE = 1, "Haute"
    MOYENNE = 2, "Moyenne"
    BASSE = 3, "Basse"


class Financeur(models.TextChoices):
    ANCT = "anct", "ANCT"
    BDT = "bdt", "Banque des Territoires"
    ANAH = "anah", "Anah"
    DETR = "detr", "DETR"
    DSIL = "dsil", "DSIL"
    FONDS_VERT = "fonds_vert", "Fonds vert"
    ADEME = "ademe", "Ademe"
    CEREMA = "cerema", "Cerema"
    EUROPE = "europe", "Fonds européens"
    REGION = "region", "Région"
    DEPARTEMENT = "departement", "Département"
    EPCI = "epci", "Intercommunalité"
    AUTRE = "autre", "Autre"


class Projet(models.Model):
    # PROTECT: a projet de territoire is never deleted with its group (an import keeps the group).
    groupe = models.OneToOneField(Groupe, on_delete=models.PROTECT, related_name="projet")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    nom = models.CharField(max_length=200)
    orientations = models.TextField(
        "orientations stratégiques", blank=True, help_text="Une orientation par ligne."
    )
    axes = models.JSONField(default=list, blank=True)  # codes of ``Axe``
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["groupe__code"]
        verbose_name = "projet de territoire"
        verbose_name_plural = "projets de territoire"

    def __str__(self) -> str:
        return self.nom

    @property
    def orientations_list(self) -> list[str]:
        return [line.strip() for line in self.orientations.splitlines() if line.strip()]

    def axes_labels(self) -> list[str]:
        labels = dict(Axe.choices)
        return [labels.get(a, a) for a in self.axes]


class Organisation(models.Model):
    nom = models.CharField(max_length=200, unique=True)
    siret = models.CharField(max_length=14, blank=True)

    class Meta:
        ordering = ["nom"]

    def __str__(self) -> str:
        return self.nom


class ActionQuerySet(models.QuerySet):
    def vivantes(self):
        return self.filter(supprime_le__isnull=True)


class Action(models.Model):
    projet = models.ForeignKey(Projet, on_delete=models.CASCADE, related_name="actions")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    titre = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    axe = models.CharField(max_length=20, choices=Axe.choices)
    communes = models.ManyToManyField(Commune, blank=True, related_name="actions_projet")
    porteur = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="portees"
    )
    partenaires = models.ManyToManyField(Organisation, blank=True, related_name="partenariats")
    # The person of the project team who leads the action: receives its milestone reminders.
    responsable = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions_pilotees",
    )
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.IDEE)
    statut = models.CharField(max_length=12, choices=Statut.choices, default=Statut.A_LANCER)
    priorite = models.PositiveSmallIntegerField(choices=Priorite.choices, default=Priorite.MOYENNE)
    date_debut = models.DateField("date de début", null=True, blank=True)
    date_fin_prevue = models.DateField("date de fin prévue", null=True, blank=True)
    date_fin_reelle = models.DateField("date de fin réelle", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    supprime_le = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["priorite", "date_fin_prevue", "id"]
        indexes = [models.Index(fields=["projet", "supprime_le"])]

    def __str__(self) -> str:
        return self.titre


class LigneBudget(models.Model):
    class Nature(models.TextChoices):
        INVESTISSEMENT = steering.INVESTMENT, "Investissement"
        FONCTIONNEMENT = steering.OPERATING, "Fonctionnement"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="budget")
    annee = models.PositiveSmallIntegerField("année")
    nature = models.CharField(max_length=15, choices=Nature.choices)
    prevu = models.PositiveBigIntegerField("prévu (€)", default=0)
    realise = models.PositiveBigIntegerField("réalisé (€)", null=True, blank=True)

    class Meta:
        ordering = ["annee", "nature"]
        constraints = [
            models.UniqueConstraint(fields=["action", "annee", "nature"], name="budget_unique")
        ]


class Financement(models.Model):
    class Decision(models.TextChoices):
        """Where the request stands: a decision is recorded with its date and amount granted."""

        EN_ATTENTE = "en_attente", "En attente de décision"
        ACCORDE = "accorde", "Accordé"
        REFUSE = "refuse", "Refusé"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="financements")
    decision = models.CharField(
        "décision", max_length=12, choices=Decision.choices, default=Decision.EN_ATTENTE
    )
    financeur = models.CharField(max_length=15, choices=Financeur.choices)
    dispositif = models.CharField(max_length=200, blank=True)
    montant_demande = models.PositiveBigIntegerField("montant demandé (€)", default=0)
    montant_accorde = models.PositiveBigIntegerField("montant accordé (€)", null=True, blank=True)
    montant_verse = models.PositiveBigIntegerField("montant versé (€)", null=True, blank=True)
    date_demande = models.DateField("date de demande", null=True, blank=True)
    date_decision = models.DateField("date de décision", null=True, blank=True)
    date_versement = models.DateField("date de versement", null=True, blank=True)

    class Meta:
        ordering = ["financeur", "id"]

    @property
    def annee(self) -> int | None:
        d = self.date_demande or self.date_decision
        return d.year if d else None


class Jalon(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="jalons")
    libelle = models.CharField("libellé", max_length=200)
    date_prevue = models.DateField("date prévue")
    date_reelle = models.DateField("date réelle", null=True, blank=True)

    class Meta:
        ordering = ["date_prevue", "id"]

    def __str__(self) -> str:
        return self.libelle


class Indicateur(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicateurs")
    libelle = models.CharField("libellé", max_length=200)
    unite = models.CharField("unité", max_length=30, blank=True)
    valeur_initiale = models.FloatField("valeur initiale", null=True, blank=True)
    date_initiale = models.DateField(null=True, blank=True)
    cible = models.FloatField(null=True, blank=True)
    date_cible = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.libelle


class Mesure(models.Model):
    indicateur = models.ForeignKey(Indicateur, on_delete=models.CASCADE, related_name="mesures")
    date = models.DateField()
    valeur = models.FloatField()

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["indicateur", "date"], name="mesure_unique")]


class Commentaire(models.Model):
    projet = models.ForeignKey(Projet, on_delete=models.CASCADE, related_name="commentaires")
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.CASCADE, related_name="commentaires"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    texte = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]


class Membre(models.Model):
    """A member of a group's project team (e.g. its chef de projet): may edit its project."""

    groupe = models.ForeignKey(Groupe, on_delete=models.PROTECT, related_name="membres_projet")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="equipes_projet"
    )
    class Role(models.TextChoices):
        """What a member may do: a manager also manages the team (a project keeps at least one
        manager); a contributor edits the project; a reader reads and comments."""

        GESTIONNAIRE = "gestionnaire", "Gestionnaire (modifie le projet et gère l'équipe)"
        CONTRIBUTEUR = "contributeur", "Contributeur (modifie le projet)"
        LECTEUR = "lecteur", "Lecteur (consulte et commente)"

    fonction = models.CharField(max_length=100, blank=True, default="Chef de projet")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.GESTIONNAIRE)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["groupe", "user"], name="membre_unique")]

    @property
    def role_court(self) -> str:
        return self.get_role_display().split(" (")[0]


class VueEnregistree(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vues_actions"
    )
    projet = models.ForeignKey(Projet, on_delete=models.CASCADE, related_name="vues")
    nom = models.CharField(max_length=100)
    query = models.CharField(max_length=500)  # the table's query string

    class Meta:
        ordering = ["nom"]
        constraints = [models.UniqueConstraint(fields=["user", "projet", "nom"], name="vue_unique")]


class RappelEnvoye(models.Model):
    """A reminder e-mail sent (milestone due soon or overdue, weekly digest): its key makes the
    ``pvd projets rappels`` command idempotent (never twice the same reminder)."""

    cle = models.CharField(max_length=120, unique=True)
    projet = models.ForeignKey(Projet, on_delete=models.CASCADE, related_name="rappels")
    jalon = models.ForeignKey(
        Jalon, null=True, blank=True, on_delete=models.SET_NULL, related_name="rappels"
    )
    destinataires = models.TextField()  # comma-separated e-mail addresses
    envoye_le = models.DateTimeField()

    class Meta:
        ordering = ["-envoye_le", "-id"]
        verbose_name = "rappel envoyé"
        verbose_name_plural = "rappels envoyés"
