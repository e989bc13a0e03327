"""Login throttling (django-axes): wrong passwords lock the account and the address for the
cool-off; the refusal is a Vietnamese page; an administrator can lift it from the console.

For other tests: `client.force_login(user)` skips the password check and the throttle, and the
browser tests log in through the page. axes counts attempts by request, so `client.login()`
needs one: `client.login(request=HttpRequest(), username=…, password=…)`.
"""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.http import HttpRequest
from django.test import override_settings
from django.urls import reverse

from tests import factories as f

PASSWORD = "pw-12345678"
OFFICE = "10.1.0.7"
ELSEWHERE = "10.2.0.9"


@pytest.fixture
def users(db):
    return f.make_user("chuyenvien", password=PASSWORD), f.make_user("lanhdao", password=PASSWORD)


def log_in(client, username, password, address=OFFICE, **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def fail_until_locked(client, username, address=OFFICE):
    statuses = [log_in(client, username, "sai-mat-khau", address).status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    # The form again after each failure, and the lockout page at the last one.
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_right_password_logs_in_and_a_wrong_one_shows_the_form_again(client, users):
    wrong = log_in(client, "chuyenvien", "sai-mat-khau")
    assert wrong.status_code == 200 and "Tên đăng nhập hoặc mật khẩu không đúng." in wrong.content.decode()
    assert log_in(client, "chuyenvien", PASSWORD).status_code == 302 and is_logged_in(client)


def test_after_the_failure_limit_even_the_right_password_is_refused_in_vietnamese(client, users):
    assert settings.AXES_FAILURE_LIMIT == 5
    fail_until_locked(client, "chuyenvien")
    response = log_in(client, "chuyenvien", PASSWORD)
    assert response.status_code == 429 and not is_logged_in(client)
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Mật khẩu đã bị nhập sai 5 lần" in html and "hãy thử lại sau 15 phút" in html
    assert "liên hệ quản trị viên hệ thống để được mở khóa" in html
    assert "Account locked" not in html


def test_a_locked_account_is_refused_from_every_address(client, users):
    fail_until_locked(client, "chuyenvien", OFFICE)
    assert log_in(client, "chuyenvien", PASSWORD, ELSEWHERE).status_code == 429


def test_a_locked_address_is_refused_for_every_account(client, users):
    # Spraying guesses over many accounts from one machine stops too.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, f"khong-co-{_}", "sai-mat-khau", OFFICE)
    assert log_in(client, "lanhdao", PASSWORD, OFFICE).status_code == 429
    # Other accounts on other machines are not affected.
    assert log_in(client, "lanhdao", PASSWORD, ELSEWHERE).status_code == 302 and is_logged_in(client)


def test_the_lock_lifts_after_the_cool_off(client, users):
    fail_until_locked(client, "chuyenvien")
    assert log_in(client, "chuyenvien", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - settings.AXES_COOLOFF_TIME - dt.timedelta(minutes=1))
    assert log_in(client, "chuyenvien", PASSWORD).status_code == 302 and is_logged_in(client)


def test_an_administrator_unlocks_an_account_from_the_console(client, users):
    fail_until_locked(client, "chuyenvien")
    call_command("axes_reset_username", "chuyenvien")
    assert log_in(client, "chuyenvien", PASSWORD).status_code == 302


def test_the_django_admin_login_is_throttled_too(client, db):
    f.make_user("quantri", superuser=True, password=PASSWORD)
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "quantri", "password": "sai-mat-khau"}, REMOTE_ADDR=OFFICE)
    response = client.post(url, {"username": "quantri", "password": PASSWORD}, REMOTE_ADDR=OFFICE)
    assert response.status_code == 429 and not is_logged_in(client)


@override_settings(CANBO_PROXY_COUNT=1)
def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(client, users):
    # Every request comes from the proxy (127.0.0.1); nginx appends the client's address.
    proxy = "127.0.0.1"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, f"khong-co-{_}", "sai", proxy, HTTP_X_FORWARDED_FOR=OFFICE)
    # Another machine behind the same proxy is not locked out with the first one …
    assert log_in(client, "lanhdao", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE).status_code == 302
    # … and the locked machine cannot escape by writing its own X-Forwarded-For.
    spoofed = f"{ELSEWHERE}, {OFFICE}"
    assert log_in(client, "chuyenvien", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=spoofed).status_code == 429


def test_the_test_clients_login_works_when_given_a_request(client, users):
    assert client.login(request=HttpRequest(), username="chuyenvien", password=PASSWORD)
    assert not client.login(request=HttpRequest(), username="chuyenvien", password="sai")
