from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "pvd.network"
    label = "network"
    verbose_name = "Réseau des villes du programme"
    default_auto_field = "django.db.models.BigAutoField"
