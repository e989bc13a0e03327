"""URLs of the areas app: the autocomplete search endpoint."""

from django.urls import path

from . import views

app_name = "areas"
urlpatterns = [
    path("dia-ban/tim/", views.search, name="search"),
]
