"""The autocomplete in a real browser (Debian's Chromium via Playwright): type, pick, submit."""

import os

import pytest
from django.test import Client

from .. import factories as f

# Playwright's sync API runs an event loop in the test thread; the ORM calls here stay synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.urls("tests.areas.widget_page")]


def test_type_without_diacritics_pick_a_suggestion_and_submit(hanoi_areas, live_server, browser):
    client = Client()
    client.force_login(f.make_user())
    context = browser.new_context(locale="vi-VN")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10000)
    try:
        page.goto(f"{live_server.url}/thu-dia-ban/")
        page.fill("#id_residence", "ba dinh")
        suggestions = page.locator(".area-suggestions [data-area-id]")
        suggestions.first.wait_for()
        # The field accepts 2025 areas only, so the legacy Quận Ba Đình is not offered.
        assert suggestions.all_inner_texts() == ["Phường Ba Đình, Thành phố Hà Nội"]
        suggestions.first.click()
        assert page.input_value("#id_residence_value") == str(hanoi_areas["ba_dinh"].pk)
        assert page.input_value("#id_residence") == "Phường Ba Đình, Thành phố Hà Nội"
        assert suggestions.count() == 0

        # Typing again drops the chosen id: only a picked area is accepted.
        page.type("#id_residence", " x")
        assert page.input_value("#id_residence_value") == ""
        page.fill("#id_residence", "hoan kiem")
        suggestions.first.wait_for()
        suggestions.first.click()
        page.click("button[type=submit]")
        page.wait_for_load_state()
        assert page.inner_text("#result") == "Phường Hoàn Kiếm, Thành phố Hà Nội"
        # The page after the POST shows the picked area again (as when editing).
        assert page.input_value("#id_residence") == "Phường Hoàn Kiếm, Thành phố Hà Nội"
    finally:
        context.close()
