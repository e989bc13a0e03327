"""The unit's history: its events and its seats', labelled in Vietnamese, and its recorded state on a day."""

import datetime as dt
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from canbo.org import services

from .. import factories as f


def at(year, month, day, hour=9, minute=30):
    moment = timezone.make_aware(dt.datetime(year, month, day, hour, minute))
    return mock.patch("django.utils.timezone.now", return_value=moment)


def history_url(unit):
    return reverse("org:unit_history", kwargs={"unit_id": unit.pk})


def test_history_lists_unit_and_seat_events_newest_first_with_labels(hn, as_user):
    services.unit_update(actor=hn.officer_a, unit=hn.ward_a, name="Đảng ủy phường Ba Đình mở rộng", established_on=dt.date(2025, 7, 2))
    services.position_update(actor=hn.officer_a, position=hn.seats["ward_a_deputy"], seat_count=3, is_key_post=True)
    response = as_user(hn.auditor).get(history_url(hn.ward_a))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r.event.action for r in rows][:2] == ["position.update", "unit.update"]
    assert {r.event.action for r in rows} >= {"unit.create", "position.create"}
    assert all(r.event.unit_id == hn.ward_a.pk for r in rows)  # nothing from other units
    seat_change = {c.label: (c.before, c.after) for c in rows[0].changes}
    assert seat_change == {"số lượng": ("2", "3"), "vị trí chủ chốt": ("Không", "Có")}
    unit_change = {c.label: (c.before, c.after) for c in rows[1].changes}
    assert unit_change == {
        "tên đơn vị": ("Đảng ủy phường Ba Đình", "Đảng ủy phường Ba Đình mở rộng"),
        "ngày thành lập": ("01/07/2025", "02/07/2025"),
    }
    body = response.content.decode()
    assert f"{timezone.localtime(rows[0].event.occurred_at):%d/%m/%Y %H:%M}" in body and "officer_a" in body
    assert "Sửa vị trí chức vụ" in body and "Cập nhật thông tin đơn vị" in body
    assert "Tên đơn vị" in body and "Số lượng" in body


def test_history_names_references_but_not_units_outside_scope(hn, as_user):
    services.unit_move(actor=hn.admin, unit=hn.cell_a, new_parent=hn.ward_b)
    services.unit_move(actor=hn.admin, unit=hn.cell_a, new_parent=hn.ward_a)
    admin_rows = as_user(hn.admin).get(history_url(hn.cell_a)).context["rows"]
    assert {c.label: c.after for c in admin_rows[1].changes}["đơn vị cấp trên"] == "Đảng ủy phường Hoàn Kiếm"
    officer_rows = as_user(hn.officer_a).get(history_url(hn.cell_a)).context["rows"]
    moved_away = {c.label: c.after for c in officer_rows[1].changes}["đơn vị cấp trên"]
    assert "Hoàn Kiếm" not in moved_away and moved_away == "(ngoài phạm vi được xem)"


def test_state_as_of_a_day_shows_the_snapshot_of_that_day(hn, as_user):
    with at(2024, 1, 10):
        unit = f.make_unit("Chi bộ Lịch Sử", parent=hn.root, kind="party_cell", code="HN-LS")
    with at(2024, 6, 1):
        services.unit_update(actor=hn.admin, unit=unit, name="Chi bộ Lịch Sử Mới")
    client = as_user(hn.auditor)

    def state(day):
        response = client.get(history_url(unit), {"ngay": day})
        return {c.label: c.after for c in response.context["state_fields"]}, response.content.decode()

    fields, body = state("15/03/2024")
    assert fields["tên đơn vị"] == "Chi bộ Lịch Sử" and fields["loại đơn vị"] == "Chi bộ trực thuộc"
    assert "10/01/2024 09:30" in body
    fields, _ = state("01/06/2024")  # the end of the day of the change
    assert fields["tên đơn vị"] == "Chi bộ Lịch Sử Mới"
    fields, body = state("09/01/2024")
    assert fields == {} and "Chưa có ghi nhận nào" in body


def test_history_needs_audit_permission(hn, as_user):
    assert as_user(hn.reader).get(history_url(hn.ward_a)).status_code == 404
    assert as_user(hn.officer_b).get(history_url(hn.ward_a)).status_code == 404
    assert as_user(hn.officer_a).get(history_url(hn.ward_a)).status_code == 200
