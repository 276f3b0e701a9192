from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "pvd.programme"
    verbose_name = "Programmes"
