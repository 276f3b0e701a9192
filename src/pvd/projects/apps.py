from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "pvd.projects"
    verbose_name = "Projets de territoire"
