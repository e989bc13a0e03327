from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "canbo.access"
    label = "access"
    verbose_name = "Phân quyền"
