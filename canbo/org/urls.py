"""URLs of the structure pages (the tree, units, seats)."""

from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("don-vi/", views.tree, name="tree"),
    path("don-vi/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("don-vi/<int:unit_id>/cay/", views.tree_children, name="tree_children"),
    path("don-vi/<int:unit_id>/lich-su/", views.unit_history, name="unit_history"),
    path("don-vi/<int:unit_id>/them-don-vi/", views.unit_create, name="unit_create"),
    path("don-vi/<int:unit_id>/sua/", views.unit_update, name="unit_update"),
    path("don-vi/<int:unit_id>/chuyen/", views.unit_move, name="unit_move"),
    path("don-vi/<int:unit_id>/them-vi-tri/", views.position_create, name="position_create"),
    path("vi-tri/<int:position_id>/sua/", views.position_update, name="position_update"),
]
