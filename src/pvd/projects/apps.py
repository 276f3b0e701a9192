from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "pvd.projects"
    verbose_name = "Projets de territoire"

    def ready(self) -> None:
        # Declares the app's permissions in the one table (pvd.access).
        from pvd.projects import permissions

        permissions.register()
