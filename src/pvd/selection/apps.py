from django.apps import AppConfig


class SelectionConfig(AppConfig):
    name = "pvd.selection"
    verbose_name = "Modèle de sélection (centralité, fragilité, éligibilité)"
    default_auto_field = "django.db.models.BigAutoField"
