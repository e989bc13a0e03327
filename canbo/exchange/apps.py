"""Excel exchange: import templates, imports with a dry run and background jobs, exports."""

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "canbo.exchange"
    label = "exchange"

    def ready(self):
        from . import importers  # noqa: F401  (registers the built-in import kinds)
