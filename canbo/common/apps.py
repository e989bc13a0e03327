from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "canbo.common"
    label = "common"
