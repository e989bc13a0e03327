"""URLs of the quota dashboard and reports: /bao-cao/… and the résumé PDF under /can-bo/."""

from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("bao-cao/", views.home, name="home"),
    path("bao-cao/<int:unit_id>/", views.unit_dashboard, name="unit"),
    path("bao-cao/<int:unit_id>/danh-sach/", views.drilldown, name="drilldown"),
    path("bao-cao/<int:unit_id>/xuat-excel/", views.export_quotas, name="export_quotas"),
    path("bao-cao/<int:unit_id>/xuat-danh-sach/", views.export_people, name="export_people"),
    path("can-bo/<int:person_id>/so-yeu-ly-lich.pdf", views.resume_pdf, name="resume_pdf"),
]
