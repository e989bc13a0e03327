"""Importing people from real-world files: the messy file, all or nothing, idempotence, corrections."""

import datetime as dt
import unicodedata

import pytest

from canbo.audit.models import AuditEvent
from canbo.people.models import Person

from .conftest import cid, do_import, people_rows, workbook_bytes

HEADER_ROW = 4


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def messy_file(*, bad_row: bool = True):
    """A file as offices send them: title rows, NFD text, stray spaces, a serial date in a General
    cell, numbers stored as text, a numbering column, a hidden unknown column, a hidden known
    column, an unknown visible column, an empty row, and (optionally) a citizen ID typed as a number."""
    ids = {"an": cid(1980), "binh": cid(1985, female=True), "dung": cid(1975)}
    header = ["STT", "Số CCCD", nfd("  Họ và tên * "), "Giới tính", "Ngày sinh", "Mã đơn vị quản lý hồ sơ",
              "Dân tộc", "Ngày vào Đảng", "Lý luận chính trị", "Ghi chú nội bộ", "Mã nội bộ", "Tôn giáo"]  # fmt: skip
    rows = [
        header,
        [1, f" {ids['an']} ", nfd("Nguyễn  Văn An "), "nam", 29358, " HN-BADINH-CB1 ", "kinh", "17/05/2005", "2", "x", "K1", nfd("Phật giáo")],
        [2, 79080012345, "Lê Văn Cường", "Nam", "03/02/1980", "HN-BADINH", "", "", "", "", "K2", ""],
        [3, ids["binh"], nfd("Trần Thị Bình"), nfd("Nữ"), dt.datetime(1985, 2, 3), "HN-BADINH", nfd("Tày"), None, nfd("Cao cấp"), None, "K3", None],
        [None] * 12,
        [4, ids["dung"], "Phạm Văn Dũng", "NAM", "05/1975", "HN-BADINH-CB1", None, dt.date(2000, 1, 1), 3, None, "K4", None],
    ]
    if not bad_row:
        del rows[2]

    def setup(ws):
        ws.merge_cells("A1:L1")
        ws["E5"].number_format = "General"  # the serial stays a number, as when a date is pasted as a value

    before = [["DANH SÁCH CÁN BỘ ĐẢNG ỦY PHƯỜNG BA ĐÌNH"], ["(Kèm theo Công văn số 12-CV/ĐU ngày 03/01/2025)"], []]
    return workbook_bytes(rows, before=before, hidden={"K", "L"}, setup=setup), ids


def test_messy_file_gives_the_exact_error_report(city):
    data, _ids = messy_file()
    report = do_import(data)
    assert report.header_row == HEADER_ROW
    assert [e.as_dict() for e in report.errors] == [
        {
            "row": 6,
            "column": "Số CCCD",
            "cell": "B6",
            "message": "Số định danh «79080012345» chỉ có 11 chữ số: có lẽ Excel đã bỏ chữ số 0 ở đầu vì ô được "
            "định dạng kiểu số. Hãy định dạng cột này là Văn bản (Text) và ghi đủ 12 chữ số.",
        }
    ]
    # The hidden unknown column (K) is ignored silently; the hidden known one (L) is used.
    assert [w.as_dict() for w in report.warnings] == [
        {"row": 4, "column": "Ghi chú nội bộ", "cell": "J4", "message": "Cột «Ghi chú nội bộ» không có trong mẫu nên được bỏ qua."}
    ]
    assert (report.total_rows, report.created, report.updated, report.unchanged) == (4, 3, 0, 0)
    assert [p["row"] for p in report.preview] == [5, 7, 9]
    assert report.preview[0]["label"].endswith("Nguyễn Văn An")


def test_a_bad_row_means_nothing_is_saved(city):
    data, _ids = messy_file()
    people, events = Person.objects.count(), AuditEvent.objects.count()
    report = do_import(data, commit=True)
    assert not report.committed and report.error_total == 1
    assert (Person.objects.count(), AuditEvent.objects.count()) == (people, events)


def test_the_cleaned_file_commits_normalized_values(city):
    data, ids = messy_file(bad_row=False)
    report = do_import(data, commit=True)
    assert report.committed and report.created == 3, report.as_dict()
    an = Person.objects.get(citizen_id=ids["an"])
    assert an.full_name == "Nguyễn Văn An" and unicodedata.is_normalized("NFC", an.full_name)
    assert an.search_name == "nguyen van an"
    assert (an.sex, an.birth_date, an.birth_date_precision) == ("M", dt.date(1980, 5, 17), "day")
    assert an.unit == city["cell_a"]
    assert (an.ethnicity, an.religion, an.party_joined_on, an.political_theory) == ("01", "buddhism", dt.date(2005, 5, 17), 2)
    binh = Person.objects.get(citizen_id=ids["binh"])
    assert (binh.full_name, binh.sex, binh.birth_date, binh.ethnicity, binh.political_theory) == (
        "Trần Thị Bình", "F", dt.date(1985, 2, 3), "02", 3,
    )  # fmt: skip
    dung = Person.objects.get(citizen_id=ids["dung"])
    assert (dung.birth_date, dung.birth_date_precision, dung.political_theory) == (dt.date(1975, 5, 1), "month", 3)
    events = AuditEvent.objects.filter(action="person.create", object_id__in=[an.pk, binh.pk, dung.pk])
    assert events.count() == 3
    assert set(events.values_list("source", flat=True)) == {AuditEvent.Source.IMPORT}
    event = events.get(object_id=an.pk)
    assert event.unit_id == city["cell_a"].pk and event.before is None
    assert event.after["full_name"] == "Nguyễn Văn An" and event.after["degrees"] == []
    assert event.actor_label == "hệ thống"


def test_bulk_audit_rows_match_the_service(city):
    """The bulk path writes the same audit snapshot as people.services.person_create."""
    from canbo.people import services

    number = cid(1990, female=True)
    data = workbook_bytes(people_rows([number, "Hoàng Thị Em", "Nữ", "01/02/1990", "HN-BADINH"]))
    assert do_import(data, commit=True).committed
    bulk_event = AuditEvent.objects.get(action="person.create", object_id=Person.objects.get(citizen_id=number).pk)
    other = services.person_create(
        actor=None, unit=city["ward_a"], full_name="Hoàng Thị Em", sex="F", birth_date=dt.date(1990, 2, 1),
        citizen_id=cid(1990, female=True), source=AuditEvent.Source.IMPORT,
    )  # fmt: skip
    service_event = AuditEvent.objects.get(action="person.create", object_id=other.pk)
    assert set(bulk_event.after) == set(service_event.after)
    differing = {k for k in bulk_event.after if bulk_event.after[k] != service_event.after[k]}
    assert differing == {"citizen_id"}
    assert (bulk_event.object_repr, bulk_event.source, bulk_event.unit_id) == (
        service_event.object_repr, service_event.source, service_event.unit_id,
    )  # fmt: skip


def test_importing_the_same_file_twice_changes_nothing(city):
    data, _ids = messy_file(bad_row=False)
    assert do_import(data, commit=True).committed
    people, events = Person.objects.count(), AuditEvent.objects.count()
    again = do_import(data, commit=True)
    assert again.committed
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert again.preview == []
    assert (Person.objects.count(), AuditEvent.objects.count()) == (people, events)


def test_a_corrected_file_updates_and_audits(city, admin):
    number = cid(1980)
    first = workbook_bytes(people_rows([number, "Nguyễn Văn Ann", "Nam", "17/05/1980", "HN-BADINH"]))
    assert do_import(first, commit=True).committed
    corrected = workbook_bytes(people_rows([number, "Nguyễn Văn An", "Nam", "17/05/1980", "HN-BADINH-CB1"]))
    preview = do_import(corrected, user=admin)
    assert (preview.created, preview.updated) == (0, 1)
    assert preview.preview[0]["changes"] == [
        ["Họ và tên", "Nguyễn Văn Ann", "Nguyễn Văn An"],
        ["Mã đơn vị quản lý hồ sơ", "HN-BADINH", "HN-BADINH-CB1"],
    ]
    assert Person.objects.get(citizen_id=number).full_name == "Nguyễn Văn Ann"  # a dry run writes nothing
    report = do_import(corrected, user=admin, commit=True)
    assert report.committed and report.updated == 1
    person = Person.objects.get(citizen_id=number)
    assert (person.full_name, person.unit, person.search_name) == ("Nguyễn Văn An", city["cell_a"], "nguyen van an")
    event = AuditEvent.objects.get(action="person.update", object_id=person.pk)
    assert (event.actor, event.source) == (admin, AuditEvent.Source.IMPORT)
    assert event.before["full_name"] == "Nguyễn Văn Ann" and event.after["full_name"] == "Nguyễn Văn An"
    assert event.before["unit_id"] == city["ward_a"].pk and event.after["unit_id"] == city["cell_a"].pk


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("1980", None),
        ("05/1980", None),
        ("17/05/80", "Ngày «17/05/80» ghi năm bằng hai chữ số; hãy ghi đủ bốn chữ số, ví dụ 17/05/1980."),
        ("31/02/1980", "Ngày «31/02/1980» không tồn tại (kiểm tra ngày và tháng)."),
        ("hôm qua", "Ngày «hôm qua» không hợp lệ; ghi theo dạng dd/mm/yyyy, ví dụ 17/05/1980."),
    ],
)
def test_birth_dates_in_their_forms(city, cell, message):
    data = workbook_bytes(people_rows([cid(1980), "Nguyễn Văn An", "Nam", cell, "HN-BADINH"]))
    report = do_import(data)
    assert [e.message for e in report.errors] == ([message] if message else [])


def test_row_errors_name_their_columns(city):
    existing = cid(1980)
    data = workbook_bytes(
        people_rows(
            [existing, "Nguyễn Văn An", "Nam", "17/05/1980", "HN-BADINH"],
            [existing, "Nguyễn Văn Bình", "Nam", "17/05/1980", "HN-BADINH"],
            [cid(1980), "", "Khác", "17/05/1980", "KHONG-CO"],
            [cid(1980), "Trần Văn Cả", "Nữ", "17/05/2090", "HN-BADINH"],
        )
    )
    errors = [(e.row, e.column, e.message) for e in do_import(data).errors]
    assert errors[0] == (3, "Số định danh cá nhân", "Số định danh trùng với dòng 2.")
    assert (4, "Họ và tên", "Thiếu «Họ và tên».") in errors
    assert (4, "Giới tính", "«Khác» không có trong danh sách giá trị; giá trị hợp lệ: «Nam», «Nữ».") in errors
    assert (4, "Mã đơn vị quản lý hồ sơ", "Không có đơn vị mã «KHONG-CO».") in errors
    assert (5, "Ngày sinh", "Ngày sinh không được ở tương lai.") in errors
    assert (5, "Số định danh cá nhân", "Chữ số thứ 4 của số định danh không khớp với giới tính.") in errors


def test_a_missing_required_column_refuses_the_file(city):
    data = workbook_bytes([["Số định danh cá nhân", "Họ và tên", "Giới tính"], [cid(), "A", "Nam"]])
    report = do_import(data)
    assert report.refused == (
        "Thiếu cột bắt buộc: «Ngày sinh», «Mã đơn vị quản lý hồ sơ». Hãy dùng tệp mẫu tải về từ hệ thống."
    )
    assert [(e.row, e.column) for e in report.errors] == [(1, "Ngày sinh"), (1, "Mã đơn vị quản lý hồ sơ")]


def test_general_education_that_excel_turned_into_a_date(city):
    """"12/12" typed into a General cell becomes 12 December; it is read back as 12/12."""
    number = cid(1980)
    data = workbook_bytes(
        [[*people_rows()[0], "Giáo dục phổ thông"], [number, "Nguyễn Văn An", "Nam", "17/05/1980", "HN-BADINH", dt.datetime(2024, 12, 12)]]
    )
    assert do_import(data, commit=True).committed
    assert Person.objects.get(citizen_id=number).general_education == "12/12"
