from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "pvd.web"
    verbose_name = "Interface web"

    def ready(self) -> None:
        from django.apps import apps

        if not apps.is_installed("dsfr"):  # the read-only commands start Django without it
            return
        from django.db.models.signals import post_delete, post_save
        from dsfr.models import DsfrConfig

        # The pages read the DSFR site configuration from a per-process memo (context_processors).
        post_save.connect(_config_changed, sender=DsfrConfig, dispatch_uid="pvd-dsfr-config-save")
        post_delete.connect(
            _config_changed, sender=DsfrConfig, dispatch_uid="pvd-dsfr-config-delete"
        )


def _config_changed(**kwargs) -> None:
    from pvd.caching import bump_data_version

    bump_data_version()
