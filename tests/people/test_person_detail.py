"""The résumé page: 2C sections, work history newest first with the as-of highlight, constant queries."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canbo.people import services as people_services

from .. import factories as f


def detail_url(person, **params):
    url = reverse("people:person_detail", kwargs={"person_id": person.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_resume_sections_and_fields(officer_client, city):
    person = f.make_person(
        city["ward_a"],
        "Nguyễn Văn Đức",
        birth_date=dt.date(1980, 1, 1),
        birth_date_precision="year",
        other_names="Đức Béo",
        party_joined_on=dt.date(2005, 3, 2),
        party_official_on=dt.date(2006, 3, 2),
        party_card_number="12345678",
        political_theory=3,
        foreign_language="Tiếng Anh B1",
        degrees=[
            {
                "level": 4,
                "field": "Luật kinh tế",
                "institution": "Đại học Luật Hà Nội",
                "year": 2008,
            }
        ],
    )
    html = officer_client.get(detail_url(person)).content.decode()
    for text in (
        "I. Sơ yếu lý lịch", "II. Đảng", "III. Trình độ", "Đức Béo", "02/03/2005", "02/03/2006", "12345678",
        "Cao cấp", "Thạc sĩ", "Luật kinh tế", "Đại học Luật Hà Nội", "Tiếng Anh B1", person.citizen_id,
    ):  # fmt: skip
        assert text in html, text
    # Only the year is known: the page must not invent a day and month.
    assert "01/01/1980" not in html
    assert "1980" in html


def test_work_history_newest_first_with_open_end_and_decision(officer_client, city):
    person = f.make_person(city["ward_a"], "Trần Văn Hùng")
    old_seat = f.make_position(city["cell_a"], f.make_title("bi-thu-chi-bo", "Bí thư chi bộ"))
    new_seat = f.make_position(city["ward_a"], f.make_title("pho-bi-thu", "Phó Bí thư"))
    f.make_assignment(
        person, old_seat, start_date=dt.date(2015, 3, 1), end_date=dt.date(2020, 9, 30)
    )
    f.make_assignment(
        person,
        new_seat,
        start_date=dt.date(2020, 10, 1),
        decision_number="123-QĐ/TU",
        decision_date=dt.date(2020, 9, 25),
        issuing_body="Ban Thường vụ Thành ủy",
    )
    response = officer_client.get(detail_url(person))
    html = response.content.decode()
    assert [a.position.title.name for a in response.context["history"]] == [
        "Phó Bí thư",
        "Bí thư chi bộ",
    ]
    assert "01/10/2020 – nay" in html
    assert "01/03/2015 – 30/09/2020" in html
    assert "123-QĐ/TU" in html and "25/09/2020" in html and "Ban Thường vụ Thành ủy" in html
    # The unit is a link (the officer sees it) to the unit's page.
    assert reverse("org:unit_detail", kwargs={"unit_id": city["ward_a"].pk}) in html


def test_as_of_date_highlights_what_was_held_then(officer_client, city):
    person = f.make_person(city["ward_a"], "Trần Văn Hùng")
    old_seat = f.make_position(city["cell_a"], f.make_title("bi-thu-chi-bo", "Bí thư chi bộ"))
    new_seat = f.make_position(city["ward_a"], f.make_title("pho-bi-thu", "Phó Bí thư"))
    f.make_assignment(
        person, old_seat, start_date=dt.date(2015, 3, 1), end_date=dt.date(2020, 9, 30)
    )
    f.make_assignment(person, new_seat, start_date=dt.date(2020, 10, 1))

    then = officer_client.get(detail_url(person, ngay="01/06/2018"))
    assert [a.position.title.name for a in then.context["held_on_as_of"]] == ["Bí thư chi bộ"]
    assert then.content.decode().count('data-held="1"') == 1
    assert "Chức vụ tại ngày 01/06/2018" in then.content.decode()

    before_any = officer_client.get(detail_url(person, ngay="01/01/2010"))
    assert before_any.context["held_on_as_of"] == []
    assert "Không đảm nhiệm vị trí nào." in before_any.content.decode()

    bad = officer_client.get(detail_url(person, ngay="31/02/2020"))
    assert "không hợp lệ" in bad.content.decode()


def test_unit_outside_the_policy_is_shown_without_link(ward_client, city):
    person = f.make_person(city["ward_a"], "Lê Văn Tám")
    seat_b = f.make_position(city["ward_b"], f.make_title("uy-vien", "Ủy viên"))
    f.make_assignment(person, seat_b, start_date=dt.date(2016, 1, 1), end_date=dt.date(2018, 1, 1))
    html = ward_client.get(detail_url(person)).content.decode()
    assert "Đảng ủy phường Hoàn Kiếm" in html
    assert reverse("org:unit_detail", kwargs={"unit_id": city["ward_b"].pk}) not in html
    # Nor may the ward officer edit an entry of another ward's seat.
    assignment = person.assignments.get()
    assert reverse("people:assignment_update", kwargs={"assignment_id": assignment.pk}) not in html


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_detail_query_count_is_constant(officer_client, city, django_assert_max_num_queries):
    person = f.make_person(
        city["ward_a"],
        "Nguyễn Văn Đức",
        degrees=[{"level": 3, "field": "Luật", "institution": "", "year": 2003}],
    )
    seats = [
        f.make_position(unit, f.make_title(f"t{n}", f"Chức danh {n}"))
        for n, unit in enumerate(city.values())
    ]
    f.make_assignment(
        person, seats[0], start_date=dt.date(2000, 1, 1), end_date=dt.date(2001, 12, 31)
    )
    few = queries_for(officer_client, detail_url(person))
    for n, seat in enumerate(seats[1:], start=1):
        f.make_assignment(
            person,
            seat,
            start_date=dt.date(2000 + 2 * n, 1, 1),
            end_date=dt.date(2001 + 2 * n, 12, 31),
        )
    people_services.person_update(
        actor=None,
        person=person,
        degrees=[
            {"level": level, "field": f"Ngành {level}", "institution": "", "year": 2000 + level}
            for level in (1, 3, 4, 5)
        ],
    )
    assert queries_for(officer_client, detail_url(person)) == few
    with django_assert_max_num_queries(6):
        officer_client.get(detail_url(person))
