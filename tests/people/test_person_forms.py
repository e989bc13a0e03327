"""Creating and editing a résumé through the pages: service errors on the right field, audit rows, nothing half-saved."""

import datetime as dt

import pytest
from django.urls import reverse

from canbo.audit.models import AuditEvent
from canbo.audit.selectors import events_for
from canbo.people.models import Degree, Person

from .. import factories as f

CREATE = reverse("people:person_create")


def management(prefix="degrees", total=0, initial=0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def person_post(unit, **overrides) -> dict:
    data = {
        "unit": unit.pk,
        "full_name": "Nguyễn Thị Mai",
        "other_names": "",
        "sex": "F",
        "birth_date": "17/05/1985",
        "birth_date_precision": "day",
        "citizen_id": f.citizen_id_for(birth_year=1985, female=True),
        "ethnicity": "01",
        "religion": "none",
        "category": "civil_servant",
        "party_joined_on": "02/03/2010",
        "party_official_on": "02/03/2011",
        "party_card_number": "",
        "general_education": "12/12",
        "political_theory": "2",
        "state_management": "1",
        "foreign_language": "Tiếng Anh B1",
        "it_skill": "",
        "academic_title": "",
        "residence_detail": "",
        "residence_since": "",
        **management(),
    }
    data.update(overrides)
    return data


def field_errors(response, name) -> list[str]:
    return response.context["form"].errors.get(name, [])


def test_create_with_degrees_writes_audit_and_shows_it(officer_client, city):
    data = person_post(city["ward_a"], **management(total=2))
    data.update({
        "degrees-0-level": "3", "degrees-0-field": "Luật", "degrees-0-institution": "Đại học Luật Hà Nội", "degrees-0-year": "2007",
        "degrees-1-level": "4", "degrees-1-field": "Quản lý công", "degrees-1-institution": "", "degrees-1-year": "2014",
    })  # fmt: skip
    response = officer_client.post(CREATE, data)
    person = Person.objects.get(full_name="Nguyễn Thị Mai")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_detail", kwargs={"person_id": person.pk})
    assert person.birth_date == dt.date(1985, 5, 17)
    assert person.party_official_on == dt.date(2011, 3, 2)
    assert sorted(person.degrees.values_list("field", flat=True)) == ["Luật", "Quản lý công"]
    event = events_for(person).get()
    assert (event.action, event.before, event.actor.username) == (
        "person.create",
        None,
        "city_officer",
    )
    assert event.after["full_name"] == "Nguyễn Thị Mai"
    assert len(event.after["degrees"]) == 2
    history = officer_client.get(
        reverse("people:person_history", kwargs={"person_id": person.pk})
    ).content.decode()
    assert "Tạo hồ sơ" in history and "city_officer" in history and "Quản lý công" in history


def test_create_page_preselects_the_unit_from_the_query(officer_client, city):
    response = officer_client.get(CREATE, {"don_vi": city["cell_a"].pk})
    assert response.context["form"].initial["unit"] == city["cell_a"].pk
    assert "Chi bộ tổ dân phố số 1" in response.content.decode()


def test_edit_records_before_and_after_and_history_shows_labels(officer_client, city):
    person = f.make_person(city["ward_a"], "Nguyễn Văn An", birth_date=dt.date(1980, 5, 17), political_theory=1,
                           degrees=[{"level": 3, "field": "Kinh tế", "institution": "", "year": 2002}])  # fmt: skip
    data = person_post(
        city["cell_a"],
        full_name="Nguyễn Văn Ân",
        sex="M",
        birth_date="17/05/1980",
        citizen_id=person.citizen_id,
        political_theory="3",
        **management(total=2, initial=1),
    )
    data.update({
        "degrees-0-level": "3", "degrees-0-field": "Kinh tế", "degrees-0-institution": "", "degrees-0-year": "2002", "degrees-0-DELETE": "on",
        "degrees-1-level": "5", "degrees-1-field": "Kinh tế chính trị", "degrees-1-institution": "Học viện Chính trị", "degrees-1-year": "2015",
    })  # fmt: skip
    response = officer_client.post(
        reverse("people:person_update", kwargs={"person_id": person.pk}), data
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.unit, person.political_theory) == (
        "Nguyễn Văn Ân",
        city["cell_a"],
        3,
    )
    assert list(person.degrees.values_list("field", flat=True)) == ["Kinh tế chính trị"]
    event = events_for(person).get(action="person.update")
    assert (
        event.before["full_name"] == "Nguyễn Văn An" and event.after["full_name"] == "Nguyễn Văn Ân"
    )
    assert (
        event.before["unit_id"] == city["ward_a"].pk and event.after["unit_id"] == city["cell_a"].pk
    )

    history = officer_client.get(reverse("people:person_history", kwargs={"person_id": person.pk}))
    html = history.content.decode()
    update = next(e for e in history.context["entries"] if e["event"].action == "person.update")
    changes = {c["label"]: (c["before"], c["after"]) for c in update["changes"]}
    assert changes["Họ và tên"] == ("Nguyễn Văn An", "Nguyễn Văn Ân")
    # Related ids and choices are shown by name, in Vietnamese.
    assert changes["Đơn vị quản lý hồ sơ"] == ("Đảng ủy phường Ba Đình", "Chi bộ tổ dân phố số 1")
    assert changes["Lý luận chính trị"] == ("Sơ cấp", "Cao cấp")
    assert "Tiến sĩ – Kinh tế chính trị – Học viện Chính trị – 2015" in changes["Văn bằng"][1]
    assert "Cập nhật hồ sơ" in html


def test_saving_an_unchanged_form_writes_no_event(officer_client, city):
    person = f.make_person(city["ward_a"], "Nguyễn Thị Mai", sex="F", birth_date=dt.date(1985, 5, 17),
                           political_theory=2, state_management=1, foreign_language="Tiếng Anh B1",
                           party_joined_on=dt.date(2010, 3, 2), party_official_on=dt.date(2011, 3, 2))  # fmt: skip
    data = person_post(city["ward_a"], citizen_id=person.citizen_id)
    response = officer_client.post(
        reverse("people:person_update", kwargs={"person_id": person.pk}), data, follow=True
    )
    assert "Không có thay đổi nào để lưu." in response.content.decode()
    assert not events_for(person).filter(action="person.update").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"citizen_id": "12345"}, "citizen_id", "12 chữ số"),
        ({"citizen_id": "003185000001"}, "citizen_id", "mã tỉnh"),
        ({"citizen_id": "001085000001"}, "citizen_id", "giới tính"),
        ({"citizen_id": "001190000001"}, "citizen_id", "năm sinh"),
        (
            {"birth_date": (dt.date.today() + dt.timedelta(days=2)).strftime("%d/%m/%Y")},
            "birth_date",
            "tương lai",
        ),
        ({"birth_date": "1985-05-17"}, "birth_date", "dd/mm/yyyy"),
        ({"birth_date": "17/05/1985", "birth_date_precision": "year"}, "birth_date", "ghi ngày 01"),
        (
            {"party_joined_on": "", "party_official_on": "02/03/2011"},
            "party_joined_on",
            "Cần ngày vào Đảng",
        ),
        ({"full_name": ""}, "full_name", "bắt buộc"),
    ],
)
def test_bad_input_shows_vietnamese_message_on_the_field_and_saves_nothing(
    officer_client, city, overrides, field, fragment
):
    events = AuditEvent.objects.count()
    response = officer_client.post(CREATE, person_post(city["ward_a"], **overrides))
    assert response.status_code == 200
    messages = field_errors(response, field)
    assert any(fragment in m for m in messages), messages
    html = response.content.decode()
    assert f'data-field-error="{field}"' in html
    assert "Chưa lưu" in html
    assert not Person.objects.exists()
    assert AuditEvent.objects.count() == events


def test_duplicate_citizen_id_is_named_on_the_field(officer_client, city):
    other = f.make_person(city["ward_b"], "Trần Thị Bình", sex="F", birth_date=dt.date(1985, 1, 1))
    response = officer_client.post(CREATE, person_post(city["ward_a"], citizen_id=other.citizen_id))
    assert field_errors(response, "citizen_id") == [
        "Số định danh cá nhân này đã có trong hồ sơ của một cán bộ khác."
    ]
    assert Person.objects.count() == 1


def test_bad_degree_row_is_named_and_nothing_is_saved(officer_client, city):
    data = person_post(city["ward_a"], **management(total=1))
    data.update(
        {
            "degrees-0-level": "3",
            "degrees-0-field": "",
            "degrees-0-institution": "X",
            "degrees-0-year": "2007",
        }
    )
    response = officer_client.post(CREATE, data)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["field"]
    assert not Person.objects.exists() and not Degree.objects.exists()


def test_edit_keeps_degrees_untouched_when_the_person_update_fails(officer_client, city):
    person = f.make_person(
        city["ward_a"],
        "Nguyễn Văn An",
        degrees=[{"level": 3, "field": "Kinh tế", "institution": "", "year": 2002}],
    )
    data = person_post(city["ward_a"], full_name="Nguyễn Văn An", sex="M", birth_date="17/05/1980",
                       citizen_id="001090000001", **management(total=1, initial=1))  # fmt: skip
    data.update(
        {
            "degrees-0-level": "5",
            "degrees-0-field": "Kinh tế",
            "degrees-0-institution": "",
            "degrees-0-year": "2002",
        }
    )
    response = officer_client.post(
        reverse("people:person_update", kwargs={"person_id": person.pk}), data
    )
    assert any("năm sinh" in m for m in field_errors(response, "citizen_id"))
    assert list(person.degrees.values_list("level", flat=True)) == [3]
    assert not events_for(person).filter(action="person.update").exists()


def test_record_unit_must_be_one_the_user_can_edit(ward_client, city):
    response = ward_client.post(CREATE, person_post(city["ward_b"]))
    assert field_errors(response, "unit") == [
        "Chỉ được chọn đơn vị thuộc phạm vi bạn được cập nhật."
    ]
    assert not Person.objects.exists()
    # Preselecting another ward's unit through the query is a 404, as for any unit outside the policy.
    assert ward_client.get(CREATE, {"don_vi": city["ward_b"].pk}).status_code == 404


def test_reader_cannot_open_the_forms(client, reader, city):
    person = f.make_person(city["ward_a"])
    client.force_login(reader)
    assert client.get(CREATE).status_code == 403
    assert (
        client.get(reverse("people:person_update", kwargs={"person_id": person.pk})).status_code
        == 404
    )
    assert (
        "Sửa hồ sơ"
        not in client.get(
            reverse("people:person_detail", kwargs={"person_id": person.pk})
        ).content.decode()
    )
