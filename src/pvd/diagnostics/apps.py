from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "pvd.diagnostics"
    verbose_name = "Portraits de ville (diagnostics)"
    default_auto_field = "django.db.models.BigAutoField"
