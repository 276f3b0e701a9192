from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "pvd.projects"
    verbose_name = "Projets de territoire"

    def ready(self) -> None:
        # Declares the app's permissions in the one table (pvd.access).
        from pvd.projects import permissions

        permissions.register()
        # Which groups have a projet is kept per process (selectors.groupes_with_projet):
        # every save or delete of a projet, whatever makes it (services, admin, cascades),
        # replaces the projects' cache version.
        from django.db.models.signals import post_delete, post_save

        from pvd.projects.models import Projet

        post_save.connect(_projet_changed, sender=Projet, dispatch_uid="pvd-projet-save")
        post_delete.connect(_projet_changed, sender=Projet, dispatch_uid="pvd-projet-delete")


def _projet_changed(**kwargs) -> None:
    from pvd.caching import bump_projects_version

    bump_projects_version()
