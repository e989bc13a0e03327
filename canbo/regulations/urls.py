"""URLs of the regulations pages."""

from django.urls import path

from . import views

app_name = "regulations"
urlpatterns = [
    path("can-bo/<int:person_id>/quy-dinh/", views.person_rules, name="person_rules"),
    path("can-bo/<int:person_id>/quy-dinh/quan-he/", views.person_relations, name="person_relations"),
    path("don-vi/<int:unit_id>/thoi-han/", views.deadlines, name="deadlines"),
    path("don-vi/<int:unit_id>/tuan-thu/", views.compliance, name="compliance"),
    path("don-vi/<int:unit_id>/chi-tieu/", views.targets, name="targets"),
    path("quy-dinh/tham-so/", views.parameters, name="parameters"),
    path("quy-dinh/vi-tri-chuyen-doi/", views.listed_posts, name="listed_posts"),
    path("quy-dinh/chon/vi-tri/", views.position_chooser, name="position_chooser"),
]
