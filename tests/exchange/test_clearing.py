"""Issue 8, point 1: an import never empties a field unless the file says so with «[xóa]».

An absent column never changes a field; an empty cell leaves the stored value as it is; a cell
holding exactly the clearing marker empties the field, and the dry run lists every field it
would empty, for every kind of import.
"""

import datetime as dt
import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.urls import reverse

from canbo.audit.models import AuditEvent
from canbo.cli import main
from canbo.exchange.importers import registered
from canbo.exchange.models import ImportJob
from canbo.exchange.workbooks import NOTES_SHEET, write_table_workbook
from canbo.org.models import Unit
from canbo.people.models import Assignment

from .. import factories as f
from .conftest import PEOPLE_HEADERS, do_import, export_bytes, read_sheet, workbook_bytes

PARTY_JOINED, PARTY_OFFICIAL = dt.date(2005, 5, 17), dt.date(2006, 5, 17)


@pytest.fixture
def member(city, hanoi_areas):
    """A party member with every optional field the report names filled in."""
    return f.make_person(
        city["ward_a"],
        "Nguyễn Văn An",
        party_joined_on=PARTY_JOINED,
        party_official_on=PARTY_OFFICIAL,
        party_card_number="12345678",
        birthplace=hanoi_areas["ba_dinh"],
        other_names="Ba An",
        political_theory=3,
    )


def required_only(person) -> list:
    return [person.citizen_id, person.full_name, "Nam", "17/05/1980", "HN-BADINH"]


def snapshot(person) -> tuple:
    person.refresh_from_db()
    return (person.party_joined_on, person.party_official_on, person.party_card_number, person.birthplace_id,
            person.other_names, person.political_theory)  # fmt: skip


def test_only_the_required_columns_change_nothing(member):
    before, events = snapshot(member), AuditEvent.objects.count()
    report = do_import(workbook_bytes([PEOPLE_HEADERS, required_only(member)]), commit=True)
    assert report.committed and (report.updated, report.unchanged) == (0, 1)
    assert snapshot(member) == before and AuditEvent.objects.count() == events


def test_the_template_with_only_required_cells_filled_changes_nothing(member):
    """Every column of the template present, the optional cells left empty."""
    headers = read_sheet(export_bytes("people", member.unit))[0]
    row = required_only(member) + [None] * (len(headers) - len(PEOPLE_HEADERS))
    assert [h.rstrip(" *") for h in headers[:5]] == PEOPLE_HEADERS
    before, events = snapshot(member), AuditEvent.objects.count()
    dry = do_import(workbook_bytes([list(headers), row]))
    assert (dry.updated, dry.unchanged, dry.preview) == (0, 1, [])
    assert do_import(workbook_bytes([list(headers), row]), commit=True).committed
    assert snapshot(member) == before and AuditEvent.objects.count() == events


def test_an_empty_cell_leaves_the_value(member):
    data = workbook_bytes([[*PEOPLE_HEADERS, "Ngày vào Đảng", "Số thẻ đảng viên", "Nơi sinh", "Tên gọi khác"],
                           [*required_only(member), None, "  ", "", None]])  # fmt: skip
    before = snapshot(member)
    assert do_import(data, commit=True).unchanged == 1
    assert snapshot(member) == before


@pytest.mark.parametrize("marker", ["[xóa]", " [XÓA] ", "[xoá]", "[xoa]"])
def test_the_marker_clears_and_the_dry_run_lists_what_it_clears(member, marker):
    headers = [*PEOPLE_HEADERS, "Ngày vào Đảng", "Ngày chính thức", "Số thẻ đảng viên", "Nơi sinh", "Tên gọi khác"]
    data = workbook_bytes([headers, [*required_only(member), marker, marker, marker, marker, None]])
    dry = do_import(data)
    assert (dry.updated, dry.error_total) == (1, 0)
    cleared = ["Nơi sinh", "Ngày vào Đảng", "Ngày chính thức", "Số thẻ đảng viên"]
    assert dry.preview[0]["cleared"] == cleared
    assert dry.cleared == [{"row": 2, "label": dry.preview[0]["label"], "fields": cleared}]
    assert dry.as_dict()["cleared"] == dry.cleared and dry.as_dict()["cleared_rows"] == 1
    assert snapshot(member)[0] == PARTY_JOINED  # a dry run writes nothing

    report = do_import(data, commit=True)
    assert report.committed
    member.refresh_from_db()
    assert (member.party_joined_on, member.party_official_on, member.party_card_number, member.birthplace_id) == (
        None, None, "", None,
    )  # fmt: skip
    assert member.other_names == "Ba An"
    event = AuditEvent.objects.get(action="person.update", object_id=member.pk)
    assert event.before["party_joined_on"] == "2005-05-17" and event.after["party_joined_on"] is None


def test_the_marker_in_a_required_or_unclearable_column_is_a_row_error(member):
    data = workbook_bytes([[*PEOPLE_HEADERS, "Dân tộc"], [member.citizen_id, "[xóa]", "Nam", "17/05/1980", "HN-BADINH", "[xóa]"]])
    errors = [(e.column, e.message) for e in do_import(data).errors]
    assert errors == [
        ("Họ và tên", "Cột bắt buộc «Họ và tên» không xóa được."),
        ("Dân tộc", "Cột «Dân tộc» không xóa được bằng «[xóa]»: hãy chọn một giá trị trong danh sách."),
    ]


@pytest.fixture
def keep_the_test_connection(monkeypatch):
    monkeypatch.setattr(connections, "close_all", lambda: None)


def test_the_command_dry_run_json_lists_the_cleared_fields(member, tmp_path, capsys, keep_the_test_connection):
    path = tmp_path / "can-bo.xlsx"
    path.write_bytes(workbook_bytes([[*PEOPLE_HEADERS, "Ngày vào Đảng", "Ngày chính thức"], [*required_only(member), "[xóa]", "[xóa]"]]))
    try:
        main(["import", str(path), "--kind", "people", "--dry-run", "--json"])
    except SystemExit as exc:
        assert exc.code == 0
    result = json.loads(capsys.readouterr().out)
    assert result["cleared"] == [{"row": 2, "label": result["preview"][0]["label"], "fields": ["Ngày vào Đảng", "Ngày chính thức"]}]
    assert result["cleared_rows"] == 1


def test_the_command_dry_run_text_warns_of_cleared_fields(member, tmp_path, capsys, keep_the_test_connection):
    path = tmp_path / "can-bo.xlsx"
    path.write_bytes(workbook_bytes([[*PEOPLE_HEADERS, "Số thẻ đảng viên", "Tên gọi khác"], [*required_only(member), "[xóa]", "[xóa]"]]))
    try:
        main(["import", str(path), "--kind", "people", "--dry-run"])
    except SystemExit as exc:
        assert exc.code == 0
    out = capsys.readouterr().out
    assert "Dòng 2 sẽ XÓA giá trị của: Tên gọi khác, Số thẻ đảng viên." in out


# Units and assignments ----------------------------------------------------------------------

UNIT_HEADERS = ["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Loại đơn vị", "Tên viết tắt", "Ngày thành lập", "Ghi chú"]


def test_units_keep_values_of_empty_cells_and_clear_marked_ones(city, admin):
    ward = city["ward_a"]
    Unit.objects.filter(pk=ward.pk).update(short_name="BĐ", established_on=dt.date(2025, 7, 1), note="Ghi chú cũ")
    empty = workbook_bytes([UNIT_HEADERS, ["HN-BADINH", "Đảng ủy phường Ba Đình", None, "Đảng bộ trực thuộc", None, None, ""]])
    events = AuditEvent.objects.count()
    report = do_import(empty, "units", user=admin, commit=True)
    assert report.committed and report.unchanged == 1, report.as_dict()
    ward.refresh_from_db()
    assert (ward.short_name, ward.established_on, ward.note) == ("BĐ", dt.date(2025, 7, 1), "Ghi chú cũ")
    assert Unit.objects.get_parent(ward).code == "HN" and AuditEvent.objects.count() == events

    marked = workbook_bytes([UNIT_HEADERS, ["HN-BADINH", "Đảng ủy phường Ba Đình", "", "Đảng bộ trực thuộc", "[xóa]", "[xóa]", None]])
    dry = do_import(marked, "units", user=admin)
    assert dry.cleared == [{"row": 2, "label": dry.preview[0]["label"], "fields": ["Tên viết tắt", "Ngày thành lập"]}]
    assert do_import(marked, "units", user=admin, commit=True).committed
    ward.refresh_from_db()
    assert (ward.short_name, ward.established_on, ward.note) == ("", None, "Ghi chú cũ")


ASSIGNMENT_HEADERS = ["Số định danh cá nhân", "Mã đơn vị", "Mã chức danh", "Hình thức", "Từ ngày", "Đến ngày", "Số quyết định"]


def test_assignments_keep_values_of_empty_cells_and_clear_marked_ones(city, seat_a, admin):
    person = f.make_person(city["ward_a"], "Nguyễn Văn An")
    held = f.make_assignment(person, seat_a, start_date=dt.date(2021, 1, 1), end_date=dt.date(2023, 1, 1), decision_number="12-QĐ/TU")
    row = [person.citizen_id, "HN-BADINH", "bi-thu", "Bổ nhiệm", "01/01/2021"]
    events = AuditEvent.objects.count()
    report = do_import(workbook_bytes([ASSIGNMENT_HEADERS, [*row, None, ""]]), "assignments", user=admin, commit=True)
    assert report.committed and report.unchanged == 1, report.as_dict()
    held.refresh_from_db()
    assert (held.end_date, held.decision_number) == (dt.date(2023, 1, 1), "12-QĐ/TU")
    assert AuditEvent.objects.count() == events

    marked = workbook_bytes([ASSIGNMENT_HEADERS, [*row, "[xóa]", None]])
    dry = do_import(marked, "assignments", user=admin)
    assert dry.cleared == [{"row": 2, "label": dry.preview[0]["label"], "fields": ["Đến ngày"]}]
    assert do_import(marked, "assignments", user=admin, commit=True).committed
    held.refresh_from_db()
    assert (held.end_date, held.decision_number) == (None, "12-QĐ/TU")
    assert Assignment.objects.filter(person=person).count() == 1


def test_the_template_notes_explain_the_marker(db):
    for importer in registered():
        out = io.BytesIO()
        write_table_workbook(importer, [], out)
        notes = openpyxl.load_workbook(io.BytesIO(out.getvalue()))[NOTES_SHEET]
        text = " ".join(str(c.value) for row in notes.iter_rows() for c in row if c.value)
        assert "Ô để trống giữ nguyên giá trị đang có" in text and "«[xóa]»" in text


def test_the_job_page_lists_the_clearing_and_the_commit_needs_a_confirmation(client, officer_a, member, worker):
    data = workbook_bytes([[*PEOPLE_HEADERS, "Ngày vào Đảng", "Ngày chính thức", "Tên gọi khác"], [*required_only(member), "[xóa]", "[xóa]", None]])
    client.force_login(officer_a)
    worker(client.post, reverse("exchange:upload"), {"loai": "people", "tep": SimpleUploadedFile("a.xlsx", data)})
    job = ImportJob.objects.get()
    assert (job.status, job.cleared_count, job.cleared) == (
        ImportJob.Status.CHECKED, 1, [{"row": 2, "label": job.preview[0]["label"], "fields": ["Ngày vào Đảng", "Ngày chính thức"]}],
    )  # fmt: skip
    url = f"{reverse('exchange:job')}?luot={job.pk}"
    html = client.get(url).content.decode()
    alert = html.split('data-testid="cleared"', 1)[1].split("</div>", 1)[0]
    assert "Tệp này sẽ XÓA giá trị của một số trường ở 1 dòng" in alert and "Ngày vào Đảng, Ngày chính thức" in alert
    assert html.count('data-testid="cleared-change"') == 2 and 'name="xac_nhan_xoa"' in html

    response = worker(client.post, reverse("exchange:job_commit"), {"luot": job.pk}, follow=True)
    assert "hãy xem danh sách và đánh dấu xác nhận trước khi ghi" in response.content.decode()
    assert ImportJob.objects.get().status == ImportJob.Status.CHECKED and snapshot(member)[0] == PARTY_JOINED

    worker(client.post, reverse("exchange:job_commit"), {"luot": job.pk, "xac_nhan_xoa": "1"})
    assert ImportJob.objects.get().status == ImportJob.Status.COMMITTED
    assert snapshot(member)[:2] == (None, None) and member.other_names == "Ba An"
