from django.apps import AppConfig


class DisciplineConfig(AppConfig):
    name = "canbo.discipline"
    label = "discipline"
    verbose_name = "Kỷ luật"
