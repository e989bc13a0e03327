"""The change history page: events of the person and their assignments, and the résumé as of a date."""

import datetime as dt
import zoneinfo
from unittest import mock

from django.urls import reverse

from canbo.people import services as people_services

from .. import factories as f

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args):
    """Record what happens inside as if it happened at that local time."""
    return mock.patch("django.utils.timezone.now", return_value=dt.datetime(*args, tzinfo=HANOI))


def history_url(person, **params):
    url = reverse("people:person_history", kwargs={"person_id": person.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_events_newest_first_with_actor_time_and_labels(officer_client, city_officer, city):
    with at(2024, 1, 10, 9, 30):
        person = f.make_person(city["ward_a"], "Nguyễn Văn An", actor=city_officer)
    seat = f.make_position(city["ward_a"], f.make_title("bi-thu", "Bí thư"))
    with at(2024, 2, 1, 14, 5):
        f.make_assignment(
            person, seat, actor=city_officer, start_date=dt.date(2024, 2, 1), kind="election"
        )
    with at(2024, 6, 1, 8, 0):
        people_services.person_update(actor=city_officer, person=person, full_name="Nguyễn Văn Ân", sex="F",
                                      citizen_id=f.citizen_id_for(birth_year=1980, female=True))  # fmt: skip
    response = officer_client.get(history_url(person))
    entries = response.context["entries"]
    assert [e["action"] for e in entries] == [
        "Cập nhật hồ sơ",
        "Thêm quá trình công tác",
        "Tạo hồ sơ",
    ]
    html = response.content.decode()
    assert "01/06/2024 08:00" in html and "01/02/2024 14:05" in html and "10/01/2024 09:30" in html
    changes = {c["label"]: (c["before"], c["after"]) for c in entries[0]["changes"]}
    assert changes["Giới tính"] == ("Nam", "Nữ")
    assignment_changes = {c["label"]: c["after"] for c in entries[1]["changes"]}
    assert assignment_changes["Hình thức"] == "Bầu cử"
    assert assignment_changes["Từ ngày"] == "01/02/2024"
    assert entries[1]["seat"] == "Bí thư – Đảng ủy phường Ba Đình"


def test_state_as_of_a_date(officer_client, city):
    with at(2024, 1, 10, 9, 30):
        person = f.make_person(city["ward_a"], "Nguyễn Văn An", political_theory=1)
    with at(2024, 6, 1, 23, 50):
        people_services.person_update(
            actor=None, person=person, full_name="Nguyễn Văn Ân", political_theory=3
        )

    before_change = officer_client.get(history_url(person, ngay="31/05/2024"))
    rows = {r["label"]: r["value"] for r in before_change.context["state_rows"]}
    assert rows["Họ và tên"] == "Nguyễn Văn An"
    assert rows["Lý luận chính trị"] == "Sơ cấp"
    assert rows["Đơn vị quản lý hồ sơ"] == "Đảng ủy phường Ba Đình"

    # The end of the chosen day, local time, includes a change at 23:50.
    same_day = officer_client.get(history_url(person, ngay="01/06/2024"))
    rows = {r["label"]: r["value"] for r in same_day.context["state_rows"]}
    assert (rows["Họ và tên"], rows["Lý luận chính trị"]) == ("Nguyễn Văn Ân", "Cao cấp")

    too_early = officer_client.get(history_url(person, ngay="09/01/2024"))
    html = too_early.content.decode()
    assert too_early.context["state_event"] is None
    assert "Chưa có bản ghi nào của hồ sơ này vào ngày 09/01/2024." in html
    assert "10/01/2024 09:30" in html


def test_history_needs_the_audit_permission(client, reader, city):
    person = f.make_person(city["ward_a"])
    client.force_login(reader)
    assert client.get(history_url(person)).status_code == 403
    assert (
        "Lịch sử thay đổi"
        not in client.get(
            reverse("people:person_detail", kwargs={"person_id": person.pk})
        ).content.decode()
    )


def test_history_does_not_name_a_unit_outside_the_viewers_scope(ward_client, city):
    # Transferred in from ward B: ward A's officer sees the move but not ward B's name.
    person = f.make_person(city["ward_b"], "Lê Thị Chuyển", sex="F")
    people_services.person_update(actor=None, person=person, unit=city["ward_a"])
    html = ward_client.get(history_url(person)).content.decode()
    assert "Đảng ủy phường Ba Đình" in html
    assert "Hoàn Kiếm" not in html
    assert f"#{city['ward_b'].pk}" in html
