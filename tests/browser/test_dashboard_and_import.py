"""Issue 4 in real Chromium: the dashboard, a drill-down from a figure to the people behind it,
an Excel report downloaded, and an import with one bad row showing its error report."""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from canbo.access.models import Role
from canbo.org.models import UnitKind

from .. import factories as f

PASSWORD = "pw-12345678"


@pytest.fixture
def city(transactional_db):
    root = f.make_unit("Đảng bộ Thành phố Hà Nội", kind=UnitKind.PROVINCIAL_COMMITTEE, code="HN")
    ward = f.make_unit("Đảng ủy phường Ba Đình", parent=root, code="HN-BADINH")
    staff = f.make_position(ward, f.make_title("chuyen-vien", "Chuyên viên", is_leadership=False), seat_count=10)
    people = [
        ("Nguyễn Thị Lan", "F", dt.date(1990, 4, 2)),
        ("Trần Thị Mai", "F", dt.date(1975, 8, 30)),
        ("Lê Văn Nam", "M", dt.date(1982, 1, 15)),
    ]
    for name, sex, born in people:
        person = f.make_person(ward, name, sex=sex, birth_date=born)
        f.make_assignment(person, staff, start_date=dt.date(2024, 1, 1))
    f.make_user("chuyenvien", grants=[(root, Role.OFFICER)], password=PASSWORD)
    return {"root": root, "ward": ward}


def log_in(page, live_server):
    page.goto(live_server.url + "/dang-nhap/")
    page.fill("#id_username", "chuyenvien")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/don-vi/"))


def people_file(tmp_path) -> str:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Số định danh cá nhân", "Họ và tên", "Giới tính", "Ngày sinh", "Mã đơn vị quản lý hồ sơ"])
    sheet.append([f.citizen_id_for(birth_year=1988, female=True), "Phạm Thị Hoa", "Nữ", "12/03/1988", "HN-BADINH"])
    sheet.append(["12345", "Đỗ Văn Sai", "Nam", "01/01/1985", "HN-BADINH"])  # row 3: a bad citizen ID
    path = tmp_path / "can-bo.xlsx"
    book.save(path)
    return str(path)


def test_dashboard_drilldown_excel_and_import_with_a_bad_row(page, live_server, city, tmp_path):
    log_in(page, live_server)

    # The dashboard of the city: two women among three people, a link to the list behind it.
    page.goto(f"{live_server.url}/bao-cao/{city['root'].pk}/")
    expect(page.get_by_role("heading", name=re.compile("Đảng bộ Thành phố Hà Nội"))).to_be_visible()
    women = page.locator('a[data-figure="women"]').first
    expect(women).to_have_text("2")
    women.click()
    expect(page.locator("[data-count]")).to_have_text("2")
    expect(page.locator("body")).to_contain_text("Nguyễn Thị Lan")
    expect(page.locator("body")).to_contain_text("Trần Thị Mai")
    expect(page.locator("body")).not_to_contain_text("Lê Văn Nam")

    # The statistical table as Excel, read back.
    page.goto(f"{live_server.url}/bao-cao/{city['root'].pk}/")
    with page.expect_download() as download_info:
        page.locator('a[data-export="quotas"]').click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    cells = [str(c.value) for row in book.active.iter_rows() for c in row if c.value is not None]
    assert any("Đảng ủy phường Ba Đình" in c for c in cells)

    # An import with one bad row: the dry run names the row and the column; nothing is saved.
    page.get_by_role("link", name="Nhập, xuất Excel").click()
    form = page.get_by_test_id("upload-form")
    form.locator('select[name="loai"]').select_option("people")
    form.locator('input[type="file"]').set_input_files(people_file(tmp_path))
    form.get_by_role("button", name="Tải lên và kiểm tra").click()
    # Every import is checked by the background worker: the page shows its progress until it has run.
    expect(page.get_by_test_id("progress")).to_be_visible()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    errors = page.get_by_test_id("errors")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text("3")
    expect(errors).to_contain_text("Số định danh cá nhân")
    expect(errors).to_contain_text("12 chữ số")
    expect(page.get_by_test_id("commit-form")).to_have_count(0)
    with page.expect_download() as report_info:
        page.get_by_test_id("error-report").click()
    assert report_info.value.suggested_filename.endswith(".xlsx")
    page.goto(f"{live_server.url}/can-bo/?q=pham+thi+hoa")
    expect(page.locator("body")).not_to_contain_text("Phạm Thị Hoa")
