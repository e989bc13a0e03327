"""URLs of Excel exchange: /trao-doi/ (templates, uploads and their jobs, exports).

A job is named by the query parameter ?luot=<id> rather than a path kwarg: jobs belong to
their user, not to a unit, and the access test's kwargs are unit-scoped ones.
"""

from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("trao-doi/", views.home, name="home"),
    path("trao-doi/mau/", views.template_download, name="template"),
    path("trao-doi/nhap/", views.upload, name="upload"),
    path("trao-doi/nhap/ket-qua/", views.job_detail, name="job"),
    path("trao-doi/nhap/tien-do/", views.job_progress, name="job_progress"),
    path("trao-doi/nhap/ghi/", views.job_commit, name="job_commit"),
    path("trao-doi/nhap/chay-lai/", views.job_retry, name="job_retry"),
    path("trao-doi/nhap/huy/", views.job_cancel, name="job_cancel"),
    path("trao-doi/nhap/bao-cao-loi/", views.job_errors, name="job_errors"),
    path("trao-doi/xuat/", views.export, name="export"),
]
