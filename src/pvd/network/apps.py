from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "pvd.network"
    label = "network"
    verbose_name = "Réseau des villes du programme"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Declares the network's permissions in the one table (pvd.access).
        from pvd.network import access_rules

        access_rules.register()
