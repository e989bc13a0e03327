from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", include("canbo.web.urls")),
    path("", include("canbo.org.urls")),
    path("", include("canbo.people.urls")),
    path("", include("canbo.areas.urls")),
    path("", include("canbo.regulations.urls")),
    path("", include("canbo.dashboard.urls")),
    path("", include("canbo.exchange.urls")),
    path("api/", include("canbo.api.urls")),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
]
