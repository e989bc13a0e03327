"""Mounts the API at /api/ (included by canbo/urls.py)."""

from django.urls import path

from .api import api

urlpatterns = [path("", api.urls)]
