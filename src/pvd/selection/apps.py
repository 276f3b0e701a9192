from django.apps import AppConfig


class SelectionConfig(AppConfig):
    name = "pvd.selection"
    verbose_name = "Modèle de sélection (centralité, fragilité, éligibilité)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Declares the app's permissions in the one table (pvd.access).
        from pvd.selection import permissions

        permissions.register()
