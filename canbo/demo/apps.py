from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "canbo.demo"
    label = "demo"
