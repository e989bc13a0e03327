"""The planner refuses what the services refuse, and writes the tree paths treebeard would."""

import datetime as dt

import pytest

from canbo.demo.builder import assign_tree_paths
from canbo.demo.people import PlannedPerson
from canbo.demo.plan import DemoError, Plan, PlannedSeat, PlannedUnit, peak_holders
from canbo.org.models import ManagingBody, Title, Unit, UnitKind
from canbo.org.services import unit_create

D = dt.date


def _person(key: int) -> PlannedPerson:
    return PlannedPerson(
        key=key, full_name=f"Nguyễn Văn {key}", sex="M", birth_date=D(1980, 1, 1), birth_date_precision="day",
        birthplace_id=None, hometown_id=None, residence_id=None, residence_detail="", residence_since=None,
        ethnicity="01", religion="none", citizen_id=f"001080{key:06d}", category="cadre", party_joined_on=None,
        party_official_on=None, party_card_number="", general_education="12/12", political_theory=0,
        state_management=0, foreign_language="", it_skill="", academic_title="",
    )  # fmt: skip


def _seat(seat_count=1, **unit_fields) -> tuple[Plan, PlannedSeat]:
    plan = Plan(scale=1, seed=1, as_of=D(2026, 1, 1))
    unit = plan.unit(None, "Quận ủy Thử", "Q", UnitKind.DISTRICT_COMMITTEE, **unit_fields)
    title = Title(code="bi-thu", name="Bí thư", managing_body=ManagingBody.PROVINCIAL_STANDING, unit_kinds=["district_committee"])
    seat = PlannedSeat(unit=unit, title=title, seat_count=seat_count, is_key_post=True, staff=False)
    plan.seats.append(seat)
    return plan, seat


def test_peak_counts_inclusive_ends():
    class B:
        def __init__(self, start, end):
            self.start, self.end = start, end

    assert peak_holders([B(D(2020, 1, 1), D(2020, 1, 10)), B(D(2020, 1, 10), None)]) == 2
    assert peak_holders([B(D(2020, 1, 1), D(2020, 1, 10)), B(D(2020, 1, 11), None)]) == 1
    assert peak_holders([B(D(2020, 1, 1), D(2020, 1, 10)), B(D(2020, 1, 11), None)], D(2020, 1, 5), D(2020, 1, 20)) == 1


def test_book_refuses_an_overfilled_seat_and_accepts_the_next_day():
    plan, seat = _seat()
    plan.book(_person(1), seat, D(2020, 1, 1), D(2022, 12, 31), "appointment", main=True)
    with pytest.raises(DemoError):
        plan.book(_person(2), seat, D(2022, 6, 1), None, "appointment", main=True)
    plan.book(_person(2), seat, D(2023, 1, 1), None, "appointment", main=True)
    assert [a.person.key for a in seat.bookings] == [1, 2]


def test_book_refuses_the_same_person_twice_at_once_even_with_room():
    plan, seat = _seat(seat_count=3)
    person = _person(1)
    plan.book(person, seat, D(2020, 1, 1), None, "appointment", main=True)
    with pytest.raises(DemoError):
        plan.book(person, seat, D(2021, 1, 1), None, "appointment", main=True)


def test_book_respects_establishment_dissolution_and_the_future():
    plan, seat = _seat(established_on=D(2014, 4, 1), dissolved_on=D(2025, 6, 30))
    assert not plan.can_book(seat, D(2014, 3, 31), D(2015, 1, 1))
    assert not plan.can_book(seat, D(2020, 1, 1), None)  # must end by the dissolution
    assert not plan.can_book(seat, D(2020, 1, 1), D(2025, 7, 1))
    assert plan.can_book(seat, D(2020, 1, 1), D(2025, 6, 30))
    future_plan, future_seat = _seat()
    assert not future_plan.can_book(future_seat, D(2026, 1, 2), None)  # after the data date


@pytest.mark.django_db
def test_tree_paths_match_what_treebeard_writes():
    root = unit_create(actor=None, parent=None, name="Gốc", code="R", kind=UnitKind.PROVINCIAL_COMMITTEE)
    first = unit_create(actor=None, parent=root, name="Một", code="A", kind=UnitKind.AFFILIATED_COMMITTEE)
    second = unit_create(actor=None, parent=root, name="Hai", code="B", kind=UnitKind.AFFILIATED_COMMITTEE)
    grandchild = unit_create(actor=None, parent=first, name="Chi bộ", code="C", kind=UnitKind.PARTY_CELL)
    planned_root = PlannedUnit("Gốc", "R", UnitKind.PROVINCIAL_COMMITTEE, None)
    planned_first = PlannedUnit("Một", "A", UnitKind.AFFILIATED_COMMITTEE, planned_root)
    planned_second = PlannedUnit("Hai", "B", UnitKind.AFFILIATED_COMMITTEE, planned_root)
    planned_grandchild = PlannedUnit("Chi bộ", "C", UnitKind.PARTY_CELL, planned_first)
    assign_tree_paths([planned_root, planned_first, planned_second, planned_grandchild])
    for real, planned in ((root, planned_root), (first, planned_first), (second, planned_second),
                          (grandchild, planned_grandchild)):  # fmt: skip
        real = Unit.objects.get(pk=real.pk)
        assert (planned.path, planned.depth, planned.numchild) == (real.path, real.depth, real.numchild)
