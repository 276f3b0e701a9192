from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "pvd.web"
    verbose_name = "Interface web"
