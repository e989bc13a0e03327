"""Importing units and assignments, the access scope of imports, and exports that re-import unchanged."""

import datetime as dt

from canbo.audit.models import AuditEvent
from canbo.org.models import Unit
from canbo.people.models import Assignment, Person

from .. import factories as f
from .conftest import cid, do_import, export_bytes, people_rows, read_sheet, workbook_bytes

UNIT_HEADERS = ["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Loại đơn vị", "Ngày thành lập"]
ASSIGNMENT_HEADERS = ["Số định danh cá nhân", "Họ và tên", "Mã đơn vị", "Mã chức danh", "Hình thức", "Từ ngày", "Đến ngày"]


def test_units_are_created_under_parents_of_the_db_or_of_rows_above(city, admin):
    data = workbook_bytes(
        [
            UNIT_HEADERS,
            ["HN-BADINH-CB2", "Chi bộ tổ dân phố số 2", "HN-BADINH", "Chi bộ trực thuộc", "01/07/2025"],
            ["HN-BADINH-DU", "Đảng ủy cơ quan", "HN-BADINH", "Đảng bộ cơ sở", ""],
            ["HN-BADINH-DU-CB1", "Chi bộ cơ quan 1", "HN-BADINH-DU", "chi bo truc thuoc", ""],
            ["HN-X", "Đơn vị lạc", "KHONG-CO", "Chi bộ trực thuộc", ""],
        ]
    )
    dry = do_import(data, "units", user=admin)
    assert [(e.row, e.column, e.message) for e in dry.errors] == [
        (5, "Mã đơn vị cấp trên", "Không có đơn vị mã «KHONG-CO» trong hệ thống hay ở một dòng phía trên trong tệp.")
    ]
    assert dry.created == 3 and not Unit.objects.filter(code="HN-BADINH-DU").exists()
    fixed = workbook_bytes([UNIT_HEADERS, *[r for r in read_sheet(data)[1:4]]])
    report = do_import(fixed, "units", user=admin, commit=True)
    assert report.committed and report.created == 3
    child = Unit.objects.get(code="HN-BADINH-DU-CB1")
    assert Unit.objects.get_parent(child).code == "HN-BADINH-DU"
    assert Unit.objects.get(code="HN-BADINH-CB2").established_on == dt.date(2025, 7, 1)
    assert AuditEvent.objects.filter(action="unit.create", source=AuditEvent.Source.IMPORT, actor=admin).count() == 3
    assert do_import(fixed, "units", user=admin, commit=True).unchanged == 3


def test_changing_the_parent_code_moves_the_unit(city, admin):
    data = workbook_bytes([UNIT_HEADERS[:4], ["HN-BADINH-CB1", "Chi bộ tổ dân phố số 1", "HN-HOANKIEM", "Chi bộ trực thuộc"]])
    report = do_import(data, "units", user=admin, commit=True)
    assert report.committed and report.updated == 1
    assert report.preview[0]["changes"] == [["Mã đơn vị cấp trên", "HN-BADINH", "HN-HOANKIEM"]]
    assert Unit.objects.get_parent(Unit.objects.get(code="HN-BADINH-CB1")).code == "HN-HOANKIEM"
    assert AuditEvent.objects.filter(action="unit.move", source=AuditEvent.Source.IMPORT).count() == 1


def test_a_unit_cannot_move_under_itself(city, admin):
    data = workbook_bytes([UNIT_HEADERS[:4], ["HN-BADINH", "Đảng ủy phường Ba Đình", "HN-BADINH-CB1", "Đảng bộ trực thuộc"]])
    errors = [e.message for e in do_import(data, "units", user=admin).errors]
    assert errors == ["Không thể chuyển đơn vị vào chính nó hoặc một đơn vị cấp dưới của nó."]


# Scope ---------------------------------------------------------------------------------------


def test_an_officer_of_ward_a_cannot_import_into_ward_b(city, officer_a):
    b_person = f.make_person(city["committee_b"], "Bùi Thị Bê", sex="F", birth_date=dt.date(1982, 3, 4))
    people = workbook_bytes(
        people_rows(
            [cid(1980), "Nguyễn Văn An", "Nam", "17/05/1980", "HN-BADINH-CB1"],
            [cid(1981), "Trần Văn Bảo", "Nam", "17/05/1981", "HN-HOANKIEM-UB"],
            [b_person.citizen_id, "Bùi Thị Bê", "Nữ", "04/03/1982", "HN-BADINH"],
        )
    )
    report = do_import(people, user=officer_a, commit=True)
    assert not report.committed
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "Mã đơn vị quản lý hồ sơ", "Không có quyền: đơn vị «HN-HOANKIEM-UB» nằm ngoài phạm vi bạn được cập nhật."),
        (4, "Số định danh cá nhân", "Không có quyền: hồ sơ có số định danh này do một đơn vị ngoài phạm vi bạn được cập nhật quản lý."),
    ]
    assert not Person.objects.filter(full_name="Nguyễn Văn An").exists()
    units = workbook_bytes(
        [
            UNIT_HEADERS[:4],
            ["HN-HOANKIEM-CB9", "Chi bộ chín", "HN-HOANKIEM", "Chi bộ trực thuộc"],
            ["HN-HOANKIEM", "Đảng ủy phường Hoàn Kiếm (sửa)", "HN", "Đảng bộ trực thuộc"],
            ["HN-NEW", "Đơn vị gốc mới", "", "Đảng bộ tỉnh/thành phố"],
            ["HN-BADINH-CB3", "Chi bộ ba", "HN-BADINH", "Chi bộ trực thuộc"],
        ]
    )
    errors = [(e.row, e.message) for e in do_import(units, "units", user=officer_a).errors]
    assert errors == [
        (2, "Không có quyền: đơn vị cấp trên «HN-HOANKIEM» nằm ngoài phạm vi bạn được cập nhật."),
        (3, "Không có quyền: đơn vị «HN-HOANKIEM» nằm ngoài phạm vi bạn được cập nhật."),
        (4, "Không có quyền tạo đơn vị gốc: hãy ghi mã đơn vị cấp trên."),
    ]


# Assignments ---------------------------------------------------------------------------------


def test_assignments_create_update_and_capacity(city, admin, seat_a):
    an = f.make_person(city["cell_a"], "Nguyễn Văn An")
    binh = f.make_person(city["cell_a"], "Trần Văn Bình", birth_date=dt.date(1979, 1, 2))
    data = workbook_bytes(
        [
            ASSIGNMENT_HEADERS,
            [an.citizen_id, "Nguyễn Văn An", "HN-BADINH", "bi-thu", "Bầu cử", "01/01/2021", ""],
            [binh.citizen_id, "", "HN-BADINH", "bi-thu", "Bổ nhiệm", "01/06/2022", ""],
        ]
    )
    report = do_import(data, "assignments", user=admin, commit=True)
    # The seat has one place: the second row breaks the service's capacity rule, so nothing is saved.
    assert not report.committed
    assert [(e.row, e.column) for e in report.errors] == [(3, "Mã chức danh")]
    assert "chỉ có 1 người" in report.errors[0].message
    assert Assignment.objects.count() == 0
    # The dry run reports the same error (it runs the services in a rolled-back transaction).
    assert [e.row for e in do_import(data, "assignments", user=admin).errors] == [3]

    ending = workbook_bytes(
        [
            ASSIGNMENT_HEADERS,
            [an.citizen_id, "Nguyễn Văn An", "HN-BADINH", "bi-thu", "Bầu cử", "01/01/2021", "31/05/2022"],
            [binh.citizen_id, "", "HN-BADINH", "bi-thu", "Bổ nhiệm", "01/06/2022", ""],
        ]
    )
    report = do_import(ending, "assignments", user=admin, commit=True)
    assert report.committed and report.created == 2
    correction = workbook_bytes(
        [
            ASSIGNMENT_HEADERS + ["Số quyết định"],
            [an.citizen_id, "Nguyễn Văn An", "HN-BADINH", "bi-thu", "Bầu cử", "01/01/2021", "31/05/2022", "12-QĐ/TU"],
        ]
    )
    report = do_import(correction, "assignments", user=admin, commit=True)
    assert report.updated == 1 and report.preview[0]["changes"] == [["Số quyết định", "", "12-QĐ/TU"]]
    assert Assignment.objects.get(person=an).decision_number == "12-QĐ/TU"
    assert AuditEvent.objects.filter(action="assignment.update", source=AuditEvent.Source.IMPORT).count() == 1


def test_assignment_rows_check_names_seats_and_people(city, admin, seat_a):
    an = f.make_person(city["cell_a"], "Nguyễn Văn An")
    stranger = cid(1970)
    data = workbook_bytes(
        [
            ASSIGNMENT_HEADERS,
            [an.citizen_id, "Nguyễn Văn Ân", "HN-BADINH", "bi-thu", "Bầu cử", "01/01/2021", ""],
            [an.citizen_id, "", "HN-BADINH", "pho-bi-thu", "Bầu cử", "01/01/2021", ""],
            [an.citizen_id, "", "HN-BADINH-CB1", "bi-thu", "Bầu cử", "01/01/2021", ""],
            [stranger, "", "HN-BADINH", "bi-thu", "Bầu cử", "01/01/2021", ""],
        ]
    )
    errors = [(e.row, e.column, e.message) for e in do_import(data, "assignments", user=admin).errors]
    assert errors == [
        (2, "Họ và tên", "Họ và tên «Nguyễn Văn Ân» không khớp với hồ sơ có số định danh này («Nguyễn Văn An»)."),
        (3, "Mã chức danh", "Không có chức danh mã «pho-bi-thu» trong danh mục."),
        (4, "Mã chức danh", "Đơn vị «HN-BADINH-CB1» chưa có vị trí cho chức danh «Bí thư»."),
        (5, "Số định danh cá nhân", f"Không tìm thấy cán bộ có số định danh «{stranger}» trong phạm vi của bạn."),
    ]


# Exports -------------------------------------------------------------------------------------


def test_exports_reimport_unchanged(city, admin, seat_a, hanoi_areas):
    an = f.make_person(
        city["cell_a"], "Nguyễn Văn An", birthplace=hanoi_areas["legacy_commune"], hometown=hanoi_areas["legacy_province"],
        residence=hanoi_areas["ba_dinh"], residence_detail="Số 1 phố Đội Cấn", party_joined_on=dt.date(2005, 5, 17),
        political_theory=3, ethnicity="02", religion="buddhism", academic_title="pgs",
    )  # fmt: skip
    f.make_person(city["ward_a"], "Lê Thị Hoa", sex="F", birth_date=dt.date(1990, 1, 1), birth_date_precision="year")
    f.make_person(city["committee_b"], "Bùi Thị Bê", sex="F", birth_date=dt.date(1982, 3, 1), birth_date_precision="month")
    f.make_assignment(an, seat_a, start_date=dt.date(2021, 1, 1), decision_number="01-QĐ/ĐU", decision_date=dt.date(2020, 12, 28))
    f.make_unit("Chi bộ có địa bàn", parent=city["ward_b"], code="HN-HK-CB", area=hanoi_areas["hoan_kiem"],
                established_on=dt.date(2025, 7, 1), note="Ghi chú; có dấu chấm phẩy")  # fmt: skip
    events = AuditEvent.objects.count()
    for kind, expected_rows in (("units", 6), ("people", 3), ("assignments", 1)):
        data = export_bytes(kind, city["root"])
        report = do_import(data, kind, user=admin, commit=True)
        assert report.committed, report.as_dict()
        assert (report.total_rows, report.unchanged, report.created, report.updated) == (expected_rows, expected_rows, 0, 0), kind
        assert report.warnings == []
    assert AuditEvent.objects.count() == events
    rows = read_sheet(export_bytes("people", city["root"]))
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["Lê Thị Hoa"][3] == "1990" and by_name["Bùi Thị Bê"][3] == "03/1982"
    assert by_name["Nguyễn Văn An"][9] == "00004 - Phường Trúc Bạch, Quận Ba Đình, Thành phố Hà Nội (cũ)"
    assert by_name["Nguyễn Văn An"][10] == "01 - Thành phố Hà Nội (cũ)"
    assert by_name["Nguyễn Văn An"][11] == "00004 - Phường Ba Đình, Thành phố Hà Nội"


def test_an_export_follows_the_policy_and_the_subtree(city, officer_a):
    from canbo.access.policy import AccessPolicy

    f.make_person(city["cell_a"], "Nguyễn Văn An")
    f.make_person(city["committee_b"], "Bùi Thị Bê", sex="F", birth_date=dt.date(1982, 3, 4))
    policy = AccessPolicy(officer_a)
    names = [row[1] for row in read_sheet(export_bytes("people", city["ward_a"], policy))[1:]]
    assert names == ["Nguyễn Văn An"]
    units = [row[0] for row in read_sheet(export_bytes("units", city["ward_a"], policy))[1:]]
    assert units == ["HN-BADINH", "HN-BADINH-CB1"]
    # Ward A's row names its parent (outside the subtree) and still re-imports unchanged.
    report = do_import(export_bytes("units", city["ward_a"], policy), "units", user=officer_a, commit=True)
    assert report.committed and report.unchanged == 2
