"""A ward officer stays inside their ward: 404 for another ward's people and entries, and no way to pick them."""

import datetime as dt

import pytest
from django.urls import reverse

from canbo.people.models import Assignment, Person

from .. import factories as f
from .test_assignment_forms import entry
from .test_person_forms import person_post


@pytest.fixture
def other_ward(city):
    """A person, seat and assignment of ward B, which the ward A officer must not reach."""
    person = f.make_person(city["ward_b"], "Hoàng Thị Em", sex="F", birth_date=dt.date(1975, 2, 3))
    seat = f.make_position(city["ward_b"], f.make_title("bi-thu", "Bí thư"))
    assignment = f.make_assignment(person, seat, start_date=dt.date(2021, 1, 1))
    return {"person": person, "seat": seat, "assignment": assignment}


@pytest.mark.parametrize(
    ("name", "kwarg", "key"),
    [
        ("people:person_detail", "person_id", "person"),
        ("people:person_update", "person_id", "person"),
        ("people:person_history", "person_id", "person"),
        ("people:assignment_create", "person_id", "person"),
        ("people:assignment_create", "position_id", "seat"),
        ("people:assignment_update", "assignment_id", "assignment"),
        ("people:assignment_end", "assignment_id", "assignment"),
    ],
)
def test_other_ward_answers_404_like_a_missing_id(ward_client, other_ward, name, kwarg, key):
    url = reverse(name, kwargs={kwarg: other_ward[key].pk})
    assert ward_client.get(url).status_code == 404
    assert ward_client.post(url, {}).status_code == 404
    assert ward_client.get(reverse(name, kwargs={kwarg: 999999})).status_code == 404


def test_the_same_pages_open_for_the_city_officer(officer_client, other_ward):
    assert (
        officer_client.get(
            reverse("people:person_detail", kwargs={"person_id": other_ward["person"].pk})
        ).status_code
        == 200
    )
    assert (
        officer_client.get(
            reverse("people:assignment_end", kwargs={"assignment_id": other_ward["assignment"].pk})
        ).status_code
        == 200
    )


def test_cannot_pick_another_wards_seat(ward_client, city, other_ward):
    mine = f.make_person(city["ward_a"], "Nguyễn Văn Đức")
    url = reverse("people:assignment_create", kwargs={"person_id": mine.pk})
    response = ward_client.post(url, entry(position=other_ward["seat"].pk))
    assert response.context["form"].errors["position"] == [
        "Chỉ được chọn vị trí thuộc đơn vị bạn được cập nhật."
    ]
    assert not Assignment.objects.filter(person=mine).exists()
    chooser = ward_client.get(
        reverse("people:position_chooser"), {"tim": "bi thu"}
    ).content.decode()
    assert "Hoàn Kiếm" not in chooser


def test_cannot_pick_another_wards_person_from_a_seat(ward_client, city, other_ward):
    seat = f.make_position(city["ward_a"], f.make_title("pho-bi-thu", "Phó Bí thư"))
    url = reverse("people:assignment_create", kwargs={"position_id": seat.pk})
    response = ward_client.post(url, entry(person=other_ward["person"].pk))
    assert response.context["form"].errors["person"] == [
        "Không tìm thấy cán bộ này trong phạm vi bạn được xem."
    ]
    assert not Assignment.objects.filter(position=seat).exists()
    chooser = ward_client.get(reverse("people:person_chooser"), {"tim": "hoang"}).content.decode()
    assert "Hoàng Thị Em" not in chooser


def test_cannot_pick_another_wards_unit(ward_client, city, other_ward):
    chooser = ward_client.get(reverse("people:unit_chooser"), {"tim": "phuong", "quyen": "edit"})
    assert [u.name for u in chooser.context["units"]] == ["Đảng ủy phường Ba Đình"]
    person = f.make_person(city["ward_a"], "Nguyễn Văn Đức")
    data = person_post(
        city["committee_b"],
        full_name="Nguyễn Văn Đức",
        sex="M",
        birth_date="17/05/1980",
        citizen_id=person.citizen_id,
    )
    response = ward_client.post(
        reverse("people:person_update", kwargs={"person_id": person.pk}), data
    )
    assert "unit" in response.context["form"].errors
    person.refresh_from_db()
    assert person.unit == city["ward_a"]
    assert Person.objects.filter(unit=city["committee_b"]).count() == 0


def test_a_holder_of_a_seat_in_my_ward_is_visible_but_not_editable(ward_client, city, other_ward):
    """Someone whose record is kept in ward B but who sits in ward A today: readable, not editable."""
    seat = f.make_position(city["ward_a"], f.make_title("uy-vien", "Ủy viên"), seat_count=3)
    f.make_assignment(other_ward["person"], seat, start_date=dt.date(2022, 1, 1))
    assert (
        ward_client.get(
            reverse("people:person_detail", kwargs={"person_id": other_ward["person"].pk})
        ).status_code
        == 200
    )
    assert (
        ward_client.get(
            reverse("people:person_update", kwargs={"person_id": other_ward["person"].pk})
        ).status_code
        == 404
    )


def test_anonymous_users_are_sent_to_login(client, other_ward):
    response = client.get(reverse("people:person_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    response = client.get(reverse("people:person_chooser"), {"tim": "hoang"})
    assert response.status_code == 302
