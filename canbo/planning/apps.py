from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "canbo.planning"
    label = "planning"
    verbose_name = "Quy hoạch cán bộ"
