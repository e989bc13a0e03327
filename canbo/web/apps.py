from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "canbo.web"
    label = "web"
