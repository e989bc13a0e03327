"""An officer's day in real Chromium: log in, walk the tree, open a unit and a person,
search without diacritics, edit a person and find the change in the history."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from canbo.access.models import Role
from canbo.org.models import UnitKind

from .. import factories as f

PASSWORD = "pw-12345678"


@pytest.fixture
def registry(transactional_db):
    root = f.make_unit("Đảng bộ Thành phố Hà Nội", kind=UnitKind.PROVINCIAL_COMMITTEE, code="HN")
    ward = f.make_unit("Đảng ủy phường Ba Đình", parent=root, code="HN-BADINH")
    f.make_unit("Chi bộ tổ dân phố số 1", parent=ward, kind=UnitKind.PARTY_CELL, code="HN-BADINH-CB1")
    other = f.make_unit("Đảng ủy phường Hoàn Kiếm", parent=root, code="HN-HOANKIEM")
    secretary = f.make_position(ward, f.make_title("bi-thu", "Bí thư", is_head=True, rank=10), is_key_post=True)
    duc = f.make_person(ward, "Nguyễn Văn Đức", birth_date=dt.date(1975, 3, 2))
    f.make_person(ward, "Nguyễn Văn Hùng", birth_date=dt.date(1982, 7, 9))
    f.make_person(other, "Trần Thị Bình", sex="F", birth_date=dt.date(1985, 1, 20))
    f.make_assignment(duc, secretary, kind="election", start_date=dt.date(2025, 7, 1))
    f.make_user("chuyenvien", grants=[(root, Role.OFFICER)], password=PASSWORD)
    return {"duc": duc, "ward": ward}


def test_officer_walks_tree_unit_person_search_and_history(page, live_server, registry):
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))
    page.fill("#id_username", "chuyenvien")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    # The tree opens on the officer's root, its children loaded lazily over HTMX.
    expect(page).to_have_url(re.compile(r"/don-vi/$"))
    ward_summary = page.locator(f"#unit-{registry['ward'].pk} > details > summary")
    expect(ward_summary).to_be_visible()
    expect(page.get_by_text("Chi bộ tổ dân phố số 1")).to_have_count(0)
    ward_summary.click()
    expect(page.get_by_role("link", name="Chi bộ tổ dân phố số 1")).to_be_visible()

    # The unit page: the seat and who holds it.
    page.get_by_role("link", name="Đảng ủy phường Ba Đình").click()
    expect(page.get_by_role("heading", name=re.compile("Đảng ủy phường Ba Đình"))).to_be_visible()
    seat_row = page.locator("tr", has_text="Bí thư").first
    expect(seat_row).to_contain_text("Nguyễn Văn Đức")

    # The person page: the résumé and the work history.
    seat_row.get_by_role("link", name="Nguyễn Văn Đức").click()
    expect(page.get_by_role("heading", name=re.compile("Nguyễn Văn Đức"))).to_be_visible()
    expect(page.get_by_text(registry["duc"].citizen_id)).to_be_visible()
    expect(page.get_by_text("Bí thư").first).to_be_visible()

    # Search without diacritics from the navigation bar.
    search = page.get_by_role("searchbox", name="Tìm cán bộ")
    search.fill("nguyen van")
    search.press("Enter")
    results = page.locator("table.person-table")
    expect(results).to_contain_text("Nguyễn Văn Đức")
    expect(results).to_contain_text("Nguyễn Văn Hùng")
    expect(results).not_to_contain_text("Trần Thị Bình")

    # Edit the person, then find the change in the history.
    results.get_by_role("link", name="Nguyễn Văn Đức").click()
    page.get_by_role("link", name="Sửa hồ sơ").click()
    page.get_by_label("Ngoại ngữ").fill("Tiếng Anh B2")
    page.get_by_role("button", name="Lưu hồ sơ").click()
    expect(page.get_by_text("Tiếng Anh B2").first).to_be_visible()
    page.get_by_role("link", name="Lịch sử thay đổi").click()
    change = page.locator("body")
    expect(change).to_contain_text("Tiếng Anh B2")
    expect(change).to_contain_text("chuyenvien")
    expect(change).to_contain_text("Ngoại ngữ")
