"""Checks across the fields of a résumé and of an assignment, and every error reported in one pass.

The Party Charter's dates are dated parameters (`party.min_admission_age`,
`party.probation_months`): read as of the day of joining, not checked before the text existed.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from canbo.people.models import Person
from canbo.regulations.params import ParameterNotInForce, default_parameters

from .. import factories as f
from .test_person_forms import CREATE, field_errors, management, person_post

BORN = dt.date(2000, 3, 1)


def young_member_post(unit, **overrides) -> dict:
    fields = {
        "birth_date": "01/03/2000",
        "citizen_id": f.citizen_id_for(birth_year=2000, female=True),
        "party_joined_on": "01/06/2015",  # aged 15
        "party_official_on": "01/01/2015",  # before joining
    }
    return person_post(unit, **{**fields, **overrides})


def test_the_minimum_age_of_joining_is_a_dated_parameter():
    params = default_parameters()
    value = params.at("party.min_admission_age", dt.date(2020, 1, 1))
    assert value.value == 18 and value.unit == "year" and not value.to_confirm
    assert value.since == dt.date(2011, 1, 19)
    assert "Điều lệ Đảng" in str(value.references[0]) and "Điều 1" in str(value.references[0])
    with pytest.raises(ParameterNotInForce):
        params.at("party.min_admission_age", dt.date(2010, 12, 31))


def test_a_format_error_and_the_checks_across_fields_show_in_one_pass(officer_client, city):
    response = officer_client.post(CREATE, young_member_post(city["ward_a"], residence_since="31/02/2020"))
    assert response.status_code == 200
    assert any("dd/mm/yyyy" in m for m in field_errors(response, "residence_since"))
    assert any("Chưa đủ 18 tuổi" in m and "01/03/2018" in m for m in field_errors(response, "party_joined_on"))
    assert any("không được trước ngày vào Đảng" in m for m in field_errors(response, "party_official_on"))
    html = response.content.decode()
    for field in ("residence_since", "party_joined_on", "party_official_on"):
        assert f'data-field-error="{field}"' in html
    assert "Chưa lưu" in html
    assert not Person.objects.exists()


def test_an_unreadable_date_is_not_also_reported_as_missing_or_compared(officer_client, city):
    """The joining date cannot be read: no "needs a joining date" beside its format error."""
    response = officer_client.post(
        CREATE, person_post(city["ward_a"], party_joined_on="2010-03-02", party_official_on="02/03/2011")
    )
    assert field_errors(response, "party_joined_on") == ["Ngày phải ghi theo dạng dd/mm/yyyy, ví dụ 17/05/1980."]
    assert field_errors(response, "party_official_on") == []


def test_the_edit_form_reports_every_error_at_once_too(officer_client, city):
    person = f.make_person(city["ward_a"], "Nguyễn Thị Mai", sex="F", birth_date=BORN,
                           citizen_id=f.citizen_id_for(birth_year=2000, female=True))  # fmt: skip
    data = young_member_post(city["ward_a"], citizen_id=person.citizen_id, birth_date="1/3/2000x")
    response = officer_client.post(reverse("people:person_update", kwargs={"person_id": person.pk}), data)
    assert any("dd/mm/yyyy" in m for m in field_errors(response, "birth_date"))
    # Without a birth date the age cannot be checked; the order of the two dates still can.
    assert field_errors(response, "party_joined_on") == []
    assert any("không được trước ngày vào Đảng" in m for m in field_errors(response, "party_official_on"))
    person.refresh_from_db()
    assert person.party_joined_on is None


def test_a_degree_older_than_the_person_is_refused_with_the_other_errors(officer_client, city):
    data = young_member_post(city["ward_a"], residence_since="xx", **management(total=1))
    data.update({"degrees-0-level": "3", "degrees-0-field": "Luật", "degrees-0-institution": "", "degrees-0-year": "1998"})
    response = officer_client.post(CREATE, data)
    assert any("Văn bằng thứ 1" in m and "trước năm sinh (2000)" in m for m in response.context["formset"].non_form_errors())
    assert field_errors(response, "party_joined_on") and field_errors(response, "residence_since")
    assert not Person.objects.exists()


def test_the_service_reports_every_error_at_once(city):
    with pytest.raises(ValidationError) as caught:
        f.make_person(
            city["ward_a"],
            "Trần Thị Trẻ",
            sex="F",
            birth_date=BORN,
            party_joined_on=dt.date(2016, 1, 1),
            party_official_on=dt.date(2016, 6, 1),  # six months of probation
            residence_since=dt.date(1999, 1, 1),
            degrees=[{"level": 3, "field": "Luật", "institution": "", "year": 1999}],
        )
    errors = caught.value.message_dict
    assert set(errors) == {"party_joined_on", "party_official_on", "residence_since", "degrees"}
    assert "Chưa đủ 18 tuổi" in errors["party_joined_on"][0] and "Điều lệ Đảng" in errors["party_joined_on"][0]
    assert "Chưa hết 12 tháng dự bị" in errors["party_official_on"][0] and "01/01/2017" in errors["party_official_on"][0]
    assert errors["residence_since"] == ["Ngày không được trước ngày sinh."]
    assert errors["degrees"] == ["Văn bằng thứ 1: Năm tốt nghiệp không được trước năm sinh (2000)."]
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("joined", "official", "accepted"),
    [
        (dt.date(2018, 3, 1), dt.date(2019, 3, 1), True),  # the 18th birthday, twelve months of probation
        (dt.date(2018, 2, 28), None, False),  # the day before
        (dt.date(2018, 3, 1), dt.date(2019, 2, 28), False),  # official a day early
    ],
)
def test_the_charter_dates_at_their_boundaries(city, joined, official, accepted):
    fields = {"party_joined_on": joined, "party_official_on": official}
    if accepted:
        f.make_person(city["ward_a"], "Lê Văn Đúng Hạn", birth_date=BORN, **fields)
    else:
        with pytest.raises(ValidationError):
            f.make_person(city["ward_a"], "Lê Văn Sớm", birth_date=BORN, **fields)


def test_joining_before_the_2011_charter_is_not_checked_against_it(city):
    """No value of the parameter before 19/01/2011: the older texts are not encoded."""
    person = f.make_person(city["ward_a"], "Phạm Văn Xưa", birth_date=dt.date(1975, 6, 1),
                           party_joined_on=dt.date(1992, 1, 1), party_official_on=dt.date(1992, 6, 1))  # fmt: skip
    assert person.party_joined_on == dt.date(1992, 1, 1)


def test_the_assignment_service_reports_every_error_at_once(city):
    person = f.make_person(city["ward_a"], birth_date=dt.date(1980, 5, 17))
    legacy = f.make_unit("Đảng ủy phường Cũ", parent=city["root"], code="HN-CU", dissolved_on=dt.date(2025, 6, 30))
    seat = f.make_position(legacy)
    with pytest.raises(ValidationError) as caught:
        f.make_assignment(person, seat, start_date=dt.date(1979, 1, 1), decision_date=dt.date(1978, 12, 1))
    errors = caught.value.message_dict
    assert set(errors) == {"start_date", "decision_date", "end_date"}
    assert "trước ngày sinh" in errors["start_date"][0]
    assert errors["decision_date"] == ["Ngày quyết định không được trước ngày sinh của cán bộ."]
    assert "giải thể ngày 30/06/2025" in errors["end_date"][0]


def test_the_assignment_form_shows_a_format_error_with_the_seat_being_full(officer_client, city):
    person = f.make_person(city["ward_a"], "Nguyễn Văn Đức", birth_date=dt.date(1980, 5, 17))
    holder = f.make_person(city["ward_a"], "Trần Văn Hùng")
    seat = f.make_position(city["ward_a"], f.make_title("bi-thu", "Bí thư", rank=90))
    f.make_assignment(holder, seat, start_date=dt.date(2019, 1, 1))
    url = reverse("people:assignment_create", kwargs={"person_id": person.pk})
    data = {"position": seat.pk, "kind": "appointment", "start_date": "01/10/2020", "end_date": "",
            "decision_number": "", "decision_date": "2020-09-25", "issuing_body": "", "note": ""}  # fmt: skip
    response = officer_client.post(url, data)
    errors = response.context["form"].errors
    assert any("dd/mm/yyyy" in m for m in errors["decision_date"])
    assert any("chỉ có 1 người" in m for m in errors["position"])
    assert not person.assignments.exists()
