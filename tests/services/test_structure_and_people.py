"""Services of the registry: validation across rows, audit in the same transaction."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from canbo.audit.models import AuditEvent
from canbo.audit.selectors import events_for
from canbo.org import services as org_services
from canbo.people import services as people_services
from canbo.people.models import Assignment, Person

from .. import factories as f


def test_unit_create_records_audit_with_parent(city):
    event = events_for(city["ward_a"]).get()
    assert event.action == "unit.create"
    assert event.before is None
    assert event.after["parent_id"] == city["root"].pk
    assert event.after["name"] == "Đảng ủy phường Ba Đình"


def test_unit_cannot_move_under_its_own_descendant(city):
    with pytest.raises(ValidationError) as exc:
        org_services.unit_move(actor=None, unit=city["ward_a"], new_parent=city["cell_a"])
    assert "parent" in exc.value.message_dict
    city["cell_a"].refresh_from_db()
    assert city["cell_a"].path.startswith(city["ward_a"].path)


def test_unit_move_carries_subtree_and_is_audited(city):
    org_services.unit_move(actor=None, unit=city["ward_a"], new_parent=city["ward_b"])
    city["cell_a"].refresh_from_db()
    city["ward_b"].refresh_from_db()
    assert city["cell_a"].path.startswith(city["ward_b"].path)
    event = events_for(city["ward_a"]).filter(action="unit.move").get()
    assert (event.before["parent_id"], event.after["parent_id"]) == (city["root"].pk, city["ward_b"].pk)


def test_seat_never_holds_more_than_its_count(city):
    seat = f.make_position(city["ward_a"], seat_count=1)
    first = f.make_person(city["ward_a"], "Nguyễn Văn An")
    second = f.make_person(city["ward_a"], "Trần Thị Bình", sex="F")
    f.make_assignment(first, seat, start_date=dt.date(2020, 1, 1), end_date=dt.date(2022, 12, 31))
    with pytest.raises(ValidationError) as exc:
        f.make_assignment(second, seat, start_date=dt.date(2022, 6, 1))
    assert "position" in exc.value.message_dict
    assert Assignment.objects.filter(person=second).count() == 0
    # The day after the first holder leaves, the seat is free again.
    f.make_assignment(second, seat, start_date=dt.date(2023, 1, 1))


def test_seat_with_two_places_takes_two_but_not_three(city):
    deputy = f.make_title("pho-bi-thu", "Phó Bí thư")
    seat = f.make_position(city["ward_a"], deputy, seat_count=2)
    people = [f.make_person(city["ward_a"], f"Lê Văn {n}") for n in ("An", "Bình", "Cường")]
    f.make_assignment(people[0], seat, start_date=dt.date(2021, 1, 1))
    f.make_assignment(people[1], seat, start_date=dt.date(2021, 3, 1))
    with pytest.raises(ValidationError):
        f.make_assignment(people[2], seat, start_date=dt.date(2024, 1, 1))


def test_end_before_start_is_refused_and_nothing_saved(city):
    seat = f.make_position(city["ward_a"])
    person = f.make_person(city["ward_a"])
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        f.make_assignment(person, seat, start_date=dt.date(2022, 1, 1), end_date=dt.date(2021, 1, 1))
    assert "end_date" in exc.value.message_dict
    assert AuditEvent.objects.count() == before
    assert not Assignment.objects.exists()


@pytest.mark.parametrize(
    ("citizen_id", "fragment"),
    [
        ("12345", "12 chữ số"),
        ("0010800001AB", "12 chữ số"),
        ("003080000001", "mã tỉnh"),
        ("001180000001", "giới tính"),
        ("001090000001", "năm sinh"),
    ],
)
def test_invalid_citizen_id_is_refused_naming_the_field(city, citizen_id, fragment):
    with pytest.raises(ValidationError) as exc:
        f.make_person(city["ward_a"], citizen_id=citizen_id, birth_date=dt.date(1980, 1, 1))
    assert any(fragment in m for m in exc.value.message_dict["citizen_id"])
    assert not Person.objects.exists()


def test_future_birth_date_is_refused(city):
    with pytest.raises(ValidationError) as exc:
        f.make_person(city["ward_a"], birth_date=dt.date.today() + dt.timedelta(days=1), citizen_id="001080000001")
    assert "birth_date" in exc.value.message_dict


def test_person_update_records_before_and_after_and_degrees(city):
    person = f.make_person(city["ward_a"], "Nguyễn Văn An")
    people_services.person_update(
        actor=None,
        person=person,
        full_name="Nguyễn Văn Ân",
        degrees=[{"level": 3, "field": "Luật", "institution": "Đại học Luật Hà Nội", "year": 2003}],
    )
    event = events_for(person).filter(action="person.update").get()
    assert event.before["full_name"] == "Nguyễn Văn An"
    assert event.after["full_name"] == "Nguyễn Văn Ân"
    assert event.after["degrees"] == [{"level": 3, "field": "Luật", "institution": "Đại học Luật Hà Nội", "year": 2003}]
    assert ("full_name", "Nguyễn Văn An", "Nguyễn Văn Ân") in event.changed_fields()


def test_names_are_stored_nfc_and_folded_for_search(city):
    nfd = "Nguye\u0302\u0303n Va\u0306n \u0110u\u031b\u0301c"
    person = f.make_person(city["ward_a"], "  " + nfd + "  ")
    assert person.full_name == "Nguyễn Văn Đức"
    assert person.search_name == "nguyen van duc"


@pytest.mark.django_db(transaction=True)
def test_audit_rows_cannot_be_updated_in_the_database(city):
    event = AuditEvent.objects.first()
    event.action = "tampered"
    with pytest.raises(Exception, match="append-only"):
        with transaction.atomic():
            event.save()


def test_assignment_check_constraint_holds_at_database_level(city):
    seat = f.make_position(city["ward_a"])
    person = f.make_person(city["ward_a"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            person=person, position=seat, kind="appointment", start_date=dt.date(2022, 1, 1), end_date=dt.date(2021, 1, 1)
        )
