from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "canbo.api"
    label = "api"
