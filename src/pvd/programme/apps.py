from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "pvd.programme"
    verbose_name = "Programmes"

    def ready(self) -> None:
        # Declares the app's permissions in the one table (pvd.access).
        from pvd.programme import permissions

        permissions.register()
