from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "pvd.outcomes"
    label = "outcomes"
    verbose_name = "Résultats des villes lauréates"
    default_auto_field = "django.db.models.BigAutoField"
