"""In a real browser (Debian's Chromium via Playwright): a person's eligibility for a seat, picked
with the chooser, and a unit's compliance page with its drill-down."""

import os

import pytest
from django.test import Client

from canbo.people import services as people_services

from .. import factories as f

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(world, live_server, browser):
    client = Client()
    client.force_login(f.make_user("browser_officer", grants=[(world.units["city"], "officer")]))
    context = browser.new_context(locale="vi-VN")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_eligibility_of_a_person_for_a_seat_picked_in_the_chooser(world, live_server, page):
    world.position("pho-truong-phong", "phong")
    person = world.people["Phạm Văn Khải"]
    page.goto(f"{live_server.url}/can-bo/{person.pk}/quy-dinh/?ngay=02/08/2025")
    assert page.inner_text("[data-testid=retirement-month]") == "08/2026"
    page.select_option("#id_hanh_dong", "appoint")
    page.fill("#id_vi_tri", "pho truong phong")
    suggestion = page.locator(".chooser-results [data-chooser-pick]").first
    suggestion.wait_for()
    suggestion.click()
    page.fill("#id_ngay_xet", "02/08/2025")
    page.click("#eligibility-form button[type=submit]")
    page.wait_for_selector("[data-testid=decision]")
    assert "Không đủ điều kiện" in page.inner_text("[data-testid=decision]")
    row = page.locator('tr[data-rule="service_left.appointment"]')
    assert row.get_attribute("data-status") == "fail"
    assert "Quy định 80-QĐ/TW" in row.inner_text()


def test_compliance_page_and_drill_down(world, live_server, page):
    people_services.relation_create(actor=None, person=world.people["Trần Văn Bình"], relative=world.people["Lê Thị Hoa"], kind="spouse")
    page.goto(f"{live_server.url}/don-vi/{world.units['city'].pk}/tuan-thu/?ngay=01/01/2026")
    kinship = page.locator('[data-testid=rule-counts] tr[data-rule="compliance.kinship"]')
    assert kinship.locator("[data-count]").inner_text() == "1"
    kinship.locator("a").click()
    page.wait_for_selector("[data-testid=drilldown]")
    text = page.inner_text("[data-testid=drilldown]")
    assert "Trần Văn Bình" in text and "Lê Thị Hoa" in text
