"""Words of published figures: measures, units, qualifiers and verdicts (pure Python).

Every keyword is written folded (lower case, no accents, one space between words), as
:func:`pvd.domain.claims.text.fold_keep` writes the text it searches.
"""

from __future__ import annotations

COMMUNES = "communes"
GROUPES = "groupes"
POPULATION = "population"
EPCI = "epci"
ADHESION = "adhesion"
CHEF_PROJET = "chef_projet"
CADRE = "cadre"

MEASURE_LABELS = {
    COMMUNES: "communes lauréates",
    GROUPES: "groupes (collectivités accompagnées)",
    POPULATION: "habitants des communes lauréates",
    EPCI: "intercommunalités (EPCI) des communes lauréates",
    ADHESION: "conventions d'adhésion signées",
    CHEF_PROJET: "chefs de projet recrutés",
    CADRE: "conventions-cadres (ORT) signées",
}

MEASURE_LABELS_ONE = {
    COMMUNES: "commune lauréate",
    GROUPES: "groupe (collectivité accompagnée)",
    POPULATION: "habitant des communes lauréates",
    EPCI: "intercommunalité (EPCI) des communes lauréates",
    ADHESION: "convention d'adhésion signée",
    CHEF_PROJET: "chef de projet recruté",
    CADRE: "convention-cadre (ORT) signée",
}


def measure_label(measure: str, value: float) -> str:
    """The measure's words agreeing with the figure ("1 commune lauréate", "0 commune...")."""
    return (MEASURE_LABELS_ONE if abs(value) < 2 else MEASURE_LABELS)[measure]


# Stages of the life cycle: a count of them says which communes, so a specific word anywhere
# in the clause after the number wins over a generic "communes" ("32 communes ont signé leur
# convention d'adhésion").
STAGE_MEASURES = (ADHESION, CADRE, CHEF_PROJET)

# Folded keywords, most specific first.
MEASURE_WORDS: list[tuple[str, tuple[str, ...]]] = [
    (ADHESION, ("convention d adhesion", "conventions d adhesion", "adhesion")),
    (
        CADRE,
        (
            "convention cadre",
            "conventions cadres",
            "conventions cadre",
            "ort",
            "framework agreement",
            "framework agreements",
            "revitalisation",
        ),
    ),
    (
        CHEF_PROJET,
        (
            "chef de projet",
            "chefs de projet",
            "cheffe de projet",
            "project manager",
            "project managers",
        ),
    ),
    (
        EPCI,
        (
            "intercommunalite",
            "intercommunalites",
            "intercommunality",
            "intercommunalities",
            "epci",
        ),
    ),
    (
        GROUPES,
        ("groupe", "groupes", "group", "groups", "collectivite", "collectivites", "binomes"),
    ),
    (
        POPULATION,
        ("habitant", "habitants", "inhabitant", "inhabitants", "residents", "people", "population"),
    ),
    (
        COMMUNES,
        (
            "commune",
            "communes",
            "ville",
            "villes",
            "town",
            "towns",
            "laureat",
            "laureats",
            "laureate",
            "laureates",
            "laureates",
            "municipalities",
            "petites villes",
        ),
    ),
]

# Words allowed between a number and its unit ("22 petites communes", "180 des communes").
FILLERS = frozenset(
    "de d des du les la le l petites petits nouvelles nouveaux autres premieres premiers".split()
)

# Qualifiers before a number, folded. ABOUT: the stated tolerance; MORE/LESS: bounds.
ABOUT = (
    "pres de",
    "environ",
    "quelque",
    "presque",
    "approximativement",
    "autour de",
    "a peu pres",
    "about",
    "around",
    "approximately",
    "nearly",
    "roughly",
    "some",
)
MORE_STRICT = ("plus de", "more than", "over", "superieur a", "superieure a")
MORE_INCLUSIVE = ("au moins", "at least")
LESS_STRICT = ("moins de", "fewer than", "less than", "under", "inferieur a", "inferieure a")
LESS_INCLUSIVE = ("au plus", "at most", "jusqu a")

# "près de", "environ"...: the registry's figure may differ by this share of the stated one
# (or by half the last written digit when that is larger: "environ 9,3 millions").
ABOUT_TOLERANCE = 0.05

# Words opening the parts of a total ("201 ..., dont 22 dans la Creuse, 20 ...").
PARTS_OPENERS = ("dont", "parmi lesquelles", "parmi lesquels", "including", "of which")

MONTHS = (
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre "
    "january february march april may june july august september october november december"
).split()

CONFIRMED = "confirmé"
CONTRADICTED = "contredit"
NOT_UNDERSTOOD = "incompris"
NOT_VERIFIABLE = "non vérifiable"

STATUS_LABELS = {
    CONFIRMED: "Confirmé",
    CONTRADICTED: "Contredit",
    NOT_VERIFIABLE: "Non vérifiable",
    NOT_UNDERSTOOD: "Non compris",
}
# CSS class suffixes of the highlighted text.
STATUS_SLUGS = {
    CONFIRMED: "confirme",
    CONTRADICTED: "contredit",
    NOT_VERIFIABLE: "non-verifiable",
    NOT_UNDERSTOOD: "incompris",
}
BADGES = {
    CONFIRMED: "fr-badge--success",
    CONTRADICTED: "fr-badge--error",
    NOT_VERIFIABLE: "fr-badge--info",
    NOT_UNDERSTOOD: "fr-badge--warning",
}
# Worst first: the verdict of a number shared by several claims.
SEVERITY = (CONTRADICTED, NOT_UNDERSTOOD, NOT_VERIFIABLE, CONFIRMED)
