"""Selectors of the tree: counts checked against an independent count done row by row in Python."""

import datetime as dt

import pytest

from canbo.access.policy import AccessPolicy
from canbo.org import selectors
from canbo.org.models import Position, Unit, UnitKind
from canbo.people.models import Assignment, Person

from .. import factories as f
from .conftest import LAST_LEGACY_DAY, REFORM

TODAY = dt.date(2026, 1, 15)


def expected_counts(unit: Unit, day: dt.date) -> selectors.SubtreeCounts:
    """Counted the slow way: every row looked at in Python, no aggregation in the database.

    Records are where they are kept now, in any unit of the subtree (also one since dissolved);
    holders, seats and vacancies are those of the units of the subtree that exist on the day.
    """
    everything = [u for u in Unit.objects.all() if u.path.startswith(unit.path)]
    in_subtree = [u for u in everything if u.exists_on(day)]
    ids = {u.pk for u in in_subtree}
    records = sum(1 for p in Person.objects.all() if p.unit_id in {u.pk for u in everything})
    seats = vacancies = 0
    holders = set()
    for position in Position.objects.all():
        if position.unit_id not in ids:
            continue
        current = [a for a in Assignment.objects.filter(position=position) if a.is_current_on(day)]
        holders |= {a.person_id for a in current}
        seats += position.seat_count
        vacancies += max(position.seat_count - len(current), 0)
    children = sum(1 for u in in_subtree if u.depth == unit.depth + 1)
    return selectors.SubtreeCounts(
        records=records, holders=len(holders), seats=seats, vacancies=vacancies, children=children
    )


@pytest.mark.parametrize("day", [dt.date(2024, 3, 1), LAST_LEGACY_DAY, REFORM, TODAY])
def test_children_counts_match_an_independent_count(hn, day):
    policy = AccessPolicy(hn.admin)
    children = list(selectors.children_on(hn.root, day, policy))
    counts = selectors.subtree_counts(children, day, policy)
    assert counts == {child.pk: expected_counts(child, day) for child in children}
    own = selectors.subtree_counts([hn.root], day, policy)[hn.root.pk]
    assert own == expected_counts(hn.root, day)


def test_counts_of_the_city_today_by_hand(hn):
    own = selectors.subtree_counts([hn.root], TODAY, AccessPolicy(hn.admin))[hn.root.pk]
    # Six records, the district secretary's still kept in the dissolved district (the people list
    # of the city lists it too). Four people hold a seat: the city's secretary and ward A's and
    # B's; the legacy district's seat is gone; ward A deputy seat has 2 places, 1 held; the
    # cell's seat is empty.
    assert own == selectors.SubtreeCounts(records=6, holders=4, seats=6, vacancies=2, children=2)
    before = selectors.subtree_counts([hn.root], dt.date(2025, 1, 1), AccessPolicy(hn.admin))[hn.root.pk]
    # Records are not dated; the seats, and their holders (the city's and the district's
    # secretaries), are those of 1 January 2025.
    assert before == selectors.SubtreeCounts(records=6, holders=2, seats=2, vacancies=0, children=1)


def test_children_on_follows_the_reform(hn):
    policy = AccessPolicy(hn.admin)
    assert list(selectors.children_on(hn.root, LAST_LEGACY_DAY, policy)) == [hn.district]
    assert list(selectors.children_on(hn.root, REFORM, policy)) == [hn.ward_a, hn.ward_b]


def test_child_counts_cost_four_queries_whatever_the_number_of_children(hn, django_assert_num_queries):
    policy = AccessPolicy(hn.admin)
    policy.prefixes()  # grants are read once per request, not per count
    for n in range(12):
        ward = f.make_unit(f"Đảng ủy xã Thử {n}", parent=hn.root, code=f"HN-X{n}", established_on=REFORM)
        seat = f.make_position(ward, hn.secretary, seat_count=2)
        f.make_assignment(f.make_person(ward, f"Đỗ Văn Số {n}"), seat, start_date=REFORM)
    children = list(selectors.children_on(hn.root, TODAY, policy))
    assert len(children) == 14
    with django_assert_num_queries(4):
        counts = selectors.subtree_counts(children, TODAY, policy)
    assert all(counts[c.pk] == expected_counts(c, TODAY) for c in children)


def test_counts_are_limited_to_the_users_scope(hn):
    # An officer of ward A asking about the whole city only gets figures from ward A's subtree.
    counts = selectors.subtree_counts([hn.root], TODAY, AccessPolicy(hn.officer_a))[hn.root.pk]
    ward = expected_counts(hn.ward_a, TODAY)
    assert (counts.records, counts.holders, counts.seats, counts.vacancies) == (
        ward.records, ward.holders, ward.seats, ward.vacancies
    ) == (3, 2, 4, 2)
    assert counts.children == 1  # ward B is not counted


def test_visible_ancestors_hide_what_the_user_may_not_see(hn):
    assert selectors.visible_ancestors_map([hn.cell_a], AccessPolicy(hn.officer_a))[hn.cell_a.pk] == [hn.ward_a]
    assert selectors.visible_ancestors_map([hn.cell_a], AccessPolicy(hn.admin))[hn.cell_a.pk] == [hn.root, hn.ward_a]


def test_search_ignores_diacritics_and_stays_in_scope(hn):
    found = selectors.search_units("hoan kiem", TODAY, AccessPolicy(hn.admin))
    assert [n.unit for n in found] == [hn.ward_b]
    assert found[0].ancestors == [hn.root]
    assert selectors.search_units("hoan kiem", TODAY, AccessPolicy(hn.officer_a)) == []
    assert selectors.search_units("LÊ ĐẠI HÀNH", TODAY, AccessPolicy(hn.admin)) == []  # dissolved by then
    assert [n.unit for n in selectors.search_units("le dai hanh", dt.date(2024, 1, 1), AccessPolicy(hn.admin))] == [
        hn.old_commune
    ]


def test_title_choices_skip_taken_titles_and_other_kinds(hn):
    cell_title = f.make_title("bi-thu-chi-bo", "Bí thư chi bộ", unit_kinds=[UnitKind.PARTY_CELL])
    choices = set(selectors.title_choices_for(hn.ward_a))
    assert hn.secretary not in choices and hn.deputy not in choices  # already seats of ward A
    assert cell_title not in choices
    assert cell_title in set(selectors.title_choices_for(hn.cell_a))
