from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "canbo.areas"
    label = "areas"
    verbose_name = "Đơn vị hành chính"
