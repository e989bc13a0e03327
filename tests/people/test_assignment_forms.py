"""Work-history entries through the pages: from a person, from a seat, edit, end; errors on the field."""

import datetime as dt

import pytest
from django.urls import reverse

from canbo.audit.models import AuditEvent
from canbo.audit.selectors import events_for
from canbo.people.models import Assignment

from .. import factories as f


@pytest.fixture
def seat(city):
    return f.make_position(city["ward_a"], f.make_title("bi-thu", "Bí thư", rank=90))


@pytest.fixture
def person(city):
    return f.make_person(city["ward_a"], "Nguyễn Văn Đức")


def entry(**overrides) -> dict:
    data = {"kind": "appointment", "start_date": "01/10/2020", "end_date": "", "decision_number": "12-QĐ/TU",
            "decision_date": "25/09/2020", "issuing_body": "Ban Thường vụ Thành ủy", "note": ""}  # fmt: skip
    data.update(overrides)
    return data


def add_url(person):
    return reverse("people:assignment_create", kwargs={"person_id": person.pk})


def test_add_from_the_person_page(officer_client, person, seat):
    response = officer_client.post(add_url(person), entry(position=seat.pk))
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.person, assignment.position, assignment.start_date) == (
        person,
        seat,
        dt.date(2020, 10, 1),
    )
    assert assignment.decision_date == dt.date(2020, 9, 25)
    event = events_for(assignment).get()
    assert event.action == "assignment.create" and event.actor.username == "city_officer"
    history = officer_client.get(
        reverse("people:person_history", kwargs={"person_id": person.pk})
    ).content.decode()
    assert "Thêm quá trình công tác" in history and "Bí thư – Đảng ủy phường Ba Đình" in history


def test_add_from_a_seat_picks_the_person(officer_client, person, seat):
    url = reverse("people:assignment_create", kwargs={"position_id": seat.pk})
    page = officer_client.get(url).content.decode()
    assert "Hiện đang trống." in page
    response = officer_client.post(url, entry(person=person.pk))
    assert response.status_code == 302
    assert Assignment.objects.get().person == person


def test_over_filled_seat_shows_message_on_the_seat_and_saves_nothing(
    officer_client, city, person, seat
):
    holder = f.make_person(city["ward_a"], "Trần Văn Hùng")
    f.make_assignment(holder, seat, start_date=dt.date(2019, 1, 1))
    events = AuditEvent.objects.count()
    response = officer_client.post(add_url(person), entry(position=seat.pk))
    errors = response.context["form"].errors["position"]
    assert any("chỉ có 1 người" in e for e in errors), errors
    assert 'data-field-error="position"' in response.content.decode()
    assert Assignment.objects.filter(person=person).count() == 0
    assert AuditEvent.objects.count() == events


def test_over_filled_seat_from_the_seat_entry_is_shown_above_the_form(
    officer_client, city, person, seat
):
    holder = f.make_person(city["ward_a"], "Trần Văn Hùng")
    f.make_assignment(holder, seat, start_date=dt.date(2019, 1, 1))
    url = reverse("people:assignment_create", kwargs={"position_id": seat.pk})
    response = officer_client.post(url, entry(person=person.pk))
    assert any("chỉ có 1 người" in e for e in response.context["form"].non_field_errors())
    assert "Trần Văn Hùng" in response.content.decode()  # the current holder, named in the seat box
    assert not Assignment.objects.filter(person=person).exists()


def test_end_before_start_is_refused_on_the_field(officer_client, person, seat):
    response = officer_client.post(add_url(person), entry(position=seat.pk, end_date="01/01/2020"))
    assert response.context["form"].errors["end_date"] == [
        "Ngày kết thúc không được trước ngày bắt đầu."
    ]
    assert not Assignment.objects.exists()


def test_unit_not_existing_on_the_start_date_is_refused(officer_client, city, person):
    new_unit = f.make_unit(
        "Đảng ủy phường Mới", parent=city["root"], established_on=dt.date(2025, 7, 1)
    )
    seat = f.make_position(new_unit, f.make_title("bi-thu", "Bí thư"))
    response = officer_client.post(
        add_url(person), entry(position=seat.pk, start_date="01/01/2024")
    )
    assert any(
        "không tồn tại vào ngày bắt đầu" in e for e in response.context["form"].errors["start_date"]
    )
    assert not Assignment.objects.exists()


def test_bad_date_text_is_refused_in_vietnamese(officer_client, person, seat):
    response = officer_client.post(
        add_url(person), entry(position=seat.pk, start_date="2020-10-01")
    )
    assert response.context["form"].errors["start_date"] == [
        "Ngày phải ghi theo dạng dd/mm/yyyy, ví dụ 17/05/1980."
    ]


def test_edit_and_end_are_audited_and_shown(officer_client, person, seat):
    assignment = f.make_assignment(person, seat, start_date=dt.date(2020, 10, 1))
    url = reverse("people:assignment_update", kwargs={"assignment_id": assignment.pk})
    assert officer_client.post(url, entry(decision_number="99-QĐ/TU")).status_code == 302
    assignment.refresh_from_db()
    assert assignment.decision_number == "99-QĐ/TU"

    end_url = reverse("people:assignment_end", kwargs={"assignment_id": assignment.pk})
    response = officer_client.post(end_url, {"end_date": "31/12/2024", "note": "Nghỉ hưu"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.end_date, assignment.note) == (dt.date(2024, 12, 31), "Nghỉ hưu")
    assert [e.action for e in events_for(assignment).order_by("id")] == [
        "assignment.create",
        "assignment.update",
        "assignment.update",
    ]

    history = officer_client.get(reverse("people:person_history", kwargs={"person_id": person.pk}))
    actions = [e["action"] for e in history.context["entries"]]
    assert actions[:2] == ["Kết thúc công tác", "Sửa quá trình công tác"]
    ended = history.context["entries"][0]
    assert {"label": "Đến ngày", "before": "", "after": "31/12/2024"} in ended["changes"]


def test_end_before_start_from_the_end_form(officer_client, person, seat):
    assignment = f.make_assignment(person, seat, start_date=dt.date(2020, 10, 1))
    end_url = reverse("people:assignment_end", kwargs={"assignment_id": assignment.pk})
    response = officer_client.post(end_url, {"end_date": "30/09/2020", "note": ""})
    assert response.context["form"].errors["end_date"] == [
        "Ngày kết thúc không được trước ngày bắt đầu."
    ]
    assignment.refresh_from_db()
    assert assignment.end_date is None


def test_seat_chooser_lists_editable_seats_grouped_and_filters_without_diacritics(
    ward_client, city, seat
):
    f.make_position(city["cell_a"], f.make_title("bi-thu-chi-bo", "Bí thư chi bộ"))
    f.make_position(city["ward_b"], f.make_title("bi-thu", "Bí thư"))
    url = reverse("people:position_chooser")
    response = ward_client.get(url, {"tim": "bi thu"})
    names = [(p.unit.name, p.title.name) for p in response.context["positions"]]
    assert names == [
        ("Đảng ủy phường Ba Đình", "Bí thư"),
        ("Chi bộ tổ dân phố số 1", "Bí thư chi bộ"),
    ]
    html = response.content.decode()
    assert "Đảng ủy phường Hoàn Kiếm" not in html
    assert [
        p.title.name for p in ward_client.get(url, {"tim": "chi bo bi thu"}).context["positions"]
    ] == ["Bí thư chi bộ"]
    assert [p.unit.name for p in ward_client.get(url, {"tim": "ba dinh"}).context["positions"]] == [
        "Đảng ủy phường Ba Đình"
    ]


def test_person_chooser_searches_within_the_policy(ward_client, city, person):
    f.make_person(city["ward_b"], "Nguyễn Văn Đạt")
    response = ward_client.get(reverse("people:person_chooser"), {"tim": "nguyen van"})
    assert [p.full_name for p in response.context["people"]] == ["Nguyễn Văn Đức"]
