from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "pvd.territories"
    verbose_name = "Territoires"
