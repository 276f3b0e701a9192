"""The two national programmes the platform knows from the start (PVD, ACV)."""

import datetime

from django.db import migrations

PROGRAMMES = [
    {
        "slug": "pvd",
        "nom": "Petites villes de demain",
        "description": "Programme de revitalisation des communes de moins de 20 000 habitants "
        "exerçant des fonctions de centralité et présentant des signes de fragilité, piloté "
        "par l'Agence nationale de la cohésion des territoires (ANCT).",
        "date_lancement": datetime.date(2020, 10, 1),
        "url": "https://agence-cohesion-territoires.gouv.fr/petites-villes-de-demain-45",
        "avec_groupes": True,
    },
    {
        "slug": "acv",
        "nom": "Action Cœur de Ville",
        "description": "Programme de revitalisation des centres des villes moyennes (2018).",
        "date_lancement": datetime.date(2018, 3, 27),
        "url": "https://agence-cohesion-territoires.gouv.fr/action-coeur-de-ville-42",
        "avec_groupes": False,
    },
]


def create(apps, schema_editor):
    Programme = apps.get_model("programme", "Programme")
    for values in PROGRAMMES:
        Programme.objects.get_or_create(slug=values["slug"], defaults=values)


class Migration(migrations.Migration):
    dependencies = [("programme", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
