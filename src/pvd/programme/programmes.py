"""The registry's programmes: the built-in ones (PVD, ACV) and the one of a slug, created when
missing. Read by the list imports and the services (served from :mod:`pvd.programme.services`
too)."""

from __future__ import annotations

from datetime import date

from pvd.caching import bump_data_version
from pvd.programme.models import Programme
from pvd.sources.report import SourceError

BUILTIN_PROGRAMMES = {
    "pvd": {
        "nom": "Petites villes de demain",
        "description": "Programme de revitalisation des communes de moins de 20 000 habitants "
        "exerçant des fonctions de centralité et présentant des signes de fragilité, piloté "
        "par l'Agence nationale de la cohésion des territoires (ANCT).",
        "date_lancement": date(2020, 10, 1),
        "url": "https://agence-cohesion-territoires.gouv.fr/petites-villes-de-demain-45",
        "avec_groupes": True,
    },
    "acv": {
        "nom": "Action Cœur de Ville",
        "description": "Programme de revitalisation des centres des villes moyennes (2018).",
        "date_lancement": date(2018, 3, 27),
        "url": "https://agence-cohesion-territoires.gouv.fr/action-coeur-de-ville-42",
        "avec_groupes": False,
    },
}


def programme_get(*, slug: str) -> Programme:
    """The programme; the built-in ones (pvd, acv) are created when missing (the migration
    creates them, but a flushed test database or a hand-cleaned one may lack them)."""
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None and slug in BUILTIN_PROGRAMMES:
        programme, created = Programme.objects.get_or_create(
            slug=slug, defaults=BUILTIN_PROGRAMMES[slug]
        )
        if created:
            bump_data_version()
    if programme is None:
        known = ", ".join(
            sorted({*Programme.objects.values_list("slug", flat=True), *BUILTIN_PROGRAMMES})
        )
        raise SourceError(slug, f"programme inconnu « {slug} » (programmes connus : {known})")
    return programme
