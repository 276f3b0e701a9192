"""The programme registry endpoints' schemas (answers and bodies): :mod:`pvd.api.programme`."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema

from pvd.api.territories_schemas import SourceOut


class ProgrammeOut(Schema):
    slug: str
    nom: str
    description: str
    date_lancement: date | None
    url: str
    avec_groupes: bool
    nb_laureats: int
    source: SourceOut | None


class GroupeRefOut(Schema):
    code: str
    epci_siren: str | None
    epci_nom: str | None


class LaureatOut(Schema):
    code: str
    nom: str
    departement: str
    region: str
    population: int | None
    epci_siren: str | None
    groupe: str | None
    statut: str
    etape: str
    etape_libelle: str
    date_selection: date | None
    date_convention_adhesion: date | None
    date_chef_projet: date | None
    date_convention_cadre: date | None


class LaureatsPageOut(Schema):
    couvert: bool = Field(
        description="Faux quand le territoire filtré n'est couvert par aucune liste chargée : "
        "une liste vide y signifie « donnée non disponible », pas « aucun lauréat »."
    )
    total: int | None = Field(
        description="Nombre de lauréates ; null quand le territoire filtré n'est pas couvert."
    )
    couverture: str = Field("", description="« non couvert par les listes chargées » ou vide.")
    offset: int
    limit: int
    items: list[LaureatOut]
    sources: list[SourceOut]


class GroupeOut(Schema):
    code: str
    epci_siren: str | None
    epci_nom: str | None
    departement: str
    region: str
    nb_communes: int
    population: int | None
    communes: list[str] | None = None


class StageOut(Schema):
    communes: int | None = Field(
        description="null quand aucune source chargée ne porte cette étape sur le territoire "
        "(chefs de projet ; conventions-cadres hors tableau ORT)"
    )
    part: float | None
    source: str = Field("", description="D'où vient le chiffre, ou pourquoi il manque.")


class CycleOut(Schema):
    convention_adhesion: StageOut
    chef_projet: StageOut
    convention_cadre: StageOut
    delai_median_selection_adhesion_jours: float | None
    delai_median_adhesion_chef_projet_jours: float | None
    delai_median_adhesion_convention_cadre_jours: float | None


class TerritoireOut(Schema):
    code: str
    nom: str
    couvert: bool = Field(
        description="Faux quand aucune liste chargée ne couvre le territoire : les chiffres "
        "sont alors null (donnée non disponible), jamais 0."
    )
    communes_laureates: int | None
    groupes: int | None
    population_couverte: int | None
    population_territoire: int | None
    part_population: float | None
    conventions_adhesion: int | None
    chefs_de_projet: int | None
    conventions_cadres: int | None


class AlerteOut(Schema):
    code: str
    nom: str
    departement: str
    type: str
    message: str
    echeance: date
    retard_jours: int


class CouvertureOut(Schema):
    regions: list[str]
    departements: list[str]
    national: bool
    regions_non_couvertes: list[str]
    mention: str = Field(description="Ce que les totaux France laissent de côté (vide sinon).")


class TableauDeBordOut(Schema):
    programme: str
    niveau: str
    code: str | None
    nom: str
    couvert: bool = Field(
        description="Faux quand aucune liste chargée ne couvre le territoire : chiffres null."
    )
    couverture: CouvertureOut
    communes_laureates: int | None
    groupes: int | None
    epci: int | None
    population_couverte: int | None
    population_territoire: int
    part_population: float | None
    cycle: CycleOut | None
    alertes: list[AlerteOut]
    detail: list[TerritoireOut]
    sources: list[SourceOut]


class CheckIn(Schema):
    enonces: list[str]


class StatutCommuneOut(Schema):
    code: str
    nom: str
    programme: str
    statut: str = Field(description="laureat, sorti, non_laureat ou non_couvert")
    couvert: bool = Field(
        description="Faux quand aucune liste chargée ne couvre la commune : le registre ne "
        "sait pas si elle est lauréate."
    )
    libelle: str


class TextCheckIn(Schema):
    texte: str = Field(..., min_length=1, max_length=5000)


TEXT_CHECK_DESCRIPTION = (
    "Un texte en français (article, communiqué) lu chiffre par chiffre : chaque affirmation "
    "(nombre, unité, qualificatif et tolérance, territoire, position dans le texte) est "
    "confirmée, contredite, non vérifiable (territoire qu'aucune liste chargée ne couvre) ou "
    "non comprise, avec le chiffre du registre, les communes qui le composent et, quand "
    "plusieurs millésimes de la liste sont chargés, ceux auxquels elle est conforme ; les "
    "totaux et leurs parties sont confrontés entre eux (« coherence »). Même JSON que "
    "`pvd programme check --json` et que la page (`?format=json`). Lecture seule."
)
