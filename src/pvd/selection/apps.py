from django.apps import AppConfig


class SelectionConfig(AppConfig):
    name = "pvd.selection"
    verbose_name = "Modèle de sélection (centralité, fragilité, éligibilité)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Declares the app's permissions in the one table (pvd.access).
        from pvd.selection import permissions

        permissions.register()
        # Adds the commune's typologies to its portrait (diagnostics do not import this app: the
        # selection reads their indicators, issue 19).
        from pvd.diagnostics import portrait_extras

        portrait_extras.register_typologies(_typologies_of_commune)


def _typologies_of_commune(code: str) -> list:
    # Imported when a portrait is drawn, not at start (its models and stored frames' readers).
    from pvd.selection import typologies

    return typologies.of_commune(code)
