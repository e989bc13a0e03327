"""The quota dashboard and reports: figures rolled up the unit tree, drill-down lists, Excel and PDF."""

from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "canbo.dashboard"
    label = "dashboard"
