"""URLs of the people pages: /can-bo/ (list, résumé, forms, history), seats' appointment entry, choosers."""

from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("can-bo/", views.person_list, name="person_list"),
    path("can-bo/them/", views.person_create, name="person_create"),
    path("can-bo/<int:person_id>/", views.person_detail, name="person_detail"),
    path("can-bo/<int:person_id>/sua/", views.person_update, name="person_update"),
    path("can-bo/<int:person_id>/lich-su/", views.person_history, name="person_history"),
    path(
        "can-bo/<int:person_id>/them-cong-tac/", views.assignment_create, name="assignment_create"
    ),
    path("vi-tri/<int:position_id>/bo-nhiem/", views.assignment_create, name="assignment_create"),
    path("cong-tac/<int:assignment_id>/sua/", views.assignment_update, name="assignment_update"),
    path("cong-tac/<int:assignment_id>/ket-thuc/", views.assignment_end, name="assignment_end"),
    path("can-bo/chon/don-vi/", views.unit_chooser, name="unit_chooser"),
    path("can-bo/chon/vi-tri/", views.position_chooser, name="position_chooser"),
    path("can-bo/chon/can-bo/", views.person_chooser, name="person_chooser"),
]
