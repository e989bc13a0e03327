from django.apps import AppConfig


class RegulationsConfig(AppConfig):
    name = "canbo.regulations"
    label = "regulations"
    verbose_name = "Quy định"
