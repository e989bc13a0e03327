"""Users see the Vietnamese error pages, never Django's English ones or its debug pages."""

import pytest
from django.test import Client, override_settings
from django.urls import include, path, reverse

from tests import factories as f


def _broken_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("hong/", _broken_view), path("", include("canbo.urls"))]


def vietnamese(response) -> str:
    html = response.content.decode()
    assert '<html lang="vi">' in html, html[:300]
    for english in ("Not Found", "Server Error", "Bad Request", "Forbidden", "Traceback", "DEBUG"):
        assert english not in html, english
    return html


@pytest.mark.parametrize("logged_in", [False, True])
def test_an_unknown_address_answers_the_vietnamese_404_page(client, db, logged_in):
    if logged_in:
        client.force_login(f.make_user("chuyenvien"))
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang hoặc hồ sơ" in vietnamese(response)


@override_settings(ROOT_URLCONF=__name__)
def test_a_bug_answers_the_standalone_vietnamese_500_page(db):
    client = Client(raise_request_exception=False)
    client.force_login(f.make_user("chuyenvien"))
    response = client.get("/hong/")
    assert response.status_code == 500
    html = vietnamese(response)
    assert "Hệ thống gặp lỗi khi xử lý yêu cầu này" in html and "a bug" not in html


@override_settings(ROOT_URLCONF=__name__)
def test_the_500_page_follows_the_chosen_language(db):
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = "en"
    response = client.get("/hong/")
    html = response.content.decode()
    assert response.status_code == 500 and '<html lang="en">' in html and "Cadre work" in html


def test_an_unknown_host_answers_the_vietnamese_400_page(client):
    response = client.get(reverse("login"), HTTP_HOST="ke-gian.example.com")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in vietnamese(response)


def test_a_form_without_its_csrf_token_answers_in_vietnamese(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn hoặc biểu mẫu đã cũ" in vietnamese(response)
