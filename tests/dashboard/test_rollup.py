"""The roll-ups kept in memory stay equal to figures built from scratch, whatever is written.

Each scenario builds the kept figures, writes through the real services, and compares every
unit's own and subtree figures, today and on a date before the 2025 reform, with a store that
has never seen the data before. A kept figure that missed a write fails here.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from canbo.audit.models import AuditEvent
from canbo.common.dates import today
from canbo.dashboard import rollup, selectors
from canbo.org import services as org_services
from canbo.org.models import Unit
from canbo.people import services as people_services
from canbo.people.models import Person

from .. import factories as f
from .conftest import add_crowd

OLD_DAY = dt.date(2024, 3, 15)


def _store() -> rollup.RollupStore:
    return rollup.RollupStore(compute=selectors.own_figures, fingerprint=selectors.area_fingerprint)


def _figures(store: rollup.RollupStore, day: dt.date) -> dict:
    totals = store.totals(day, selectors.build_catalogue(day))
    return {
        unit.code: (totals.own(unit), totals.subtree(unit))
        for unit in Unit.objects.order_by("path")
    }


def assert_current(store: rollup.RollupStore) -> None:
    for day in (today(), OLD_DAY):
        kept, fresh = _figures(store, day), _figures(_store(), day)
        assert kept.keys() == fresh.keys()
        for code in fresh:
            assert kept[code] == fresh[code], (day, code)


def _update(person, **fields):
    return people_services.person_update(actor=None, person=person, **fields)


def _move_record(city):
    _update(city.people["a_secretary"], unit=city.ward_b)


def _change_who_counts(city):
    person = city.people["b_secretary"]
    _update(
        person, sex="M", birth_date=dt.date(1990, 1, 1), ethnicity="02", political_theory=4,
        citizen_id=f.citizen_id_for(birth_year=1990, female=False),
    )  # fmt: skip


def _change_degrees(city):
    degree = {"level": 5, "field": "Kinh tế", "institution": "Học viện Tài chính", "year": 2015}
    _update(city.people["cell_secretary"], degrees=[degree])


def _head_recorded_elsewhere_becomes_local(city):
    # The holder's record is in ward A; the head seat is in the people's committee under ward B:
    # the committee's heads_non_local changes although nothing of the committee was written.
    director = f.make_title("giam-doc-thu", "Giám đốc", is_head=True, rank=8)
    seat = f.make_position(city.committee_b, director)
    holder = f.make_person(city.ward_a, "Người Ở Phường Khác", hometown=city.areas["ba_dinh"])
    f.make_assignment(holder, seat, start_date=dt.date(2023, 1, 1))
    return lambda: _update(holder, hometown=city.areas["hoan_kiem"])


def _end_and_start_assignments(city):
    person = city.people["b_chair"]
    assignment = person.assignments.get()
    people_services.assignment_end(
        actor=None, assignment=assignment, end_date=today() - dt.timedelta(days=1)
    )
    newcomer = f.make_person(
        city.ward_b, "Người Nhận Chức", sex="F", birth_date=dt.date(1988, 2, 2)
    )
    f.make_assignment(newcomer, city.seats["b_chair"], start_date=today())


def _move_assignment_start(city):
    assignment = city.people["a_secretary"].assignments.get()
    people_services.assignment_update(
        actor=None, assignment=assignment, start_date=dt.date(2023, 1, 1)
    )


def _change_unit_area(city):
    # The cell under ward A has no area of its own: its secretary (local by residence in Ba Đình)
    # is judged against ward A's area, now Hoàn Kiếm's.
    org_services.unit_update(actor=None, unit=city.ward_a, area=city.areas["hoan_kiem"])


def _add_unit_with_people(city):
    unit = f.make_unit("Chi bộ mới", parent=city.ward_a, code="HN-BADINH-CB9")
    person = f.make_person(unit, "Đảng Viên Chi Bộ Mới", sex="F", birth_date=dt.date(1996, 6, 6))
    f.make_assignment(
        person, f.make_position(unit, f.make_title("bi-thu")), start_date=dt.date(2022, 1, 1)
    )


def _move_unit(city):
    # The cell moves from ward A to ward B: its secretary's area becomes ward B's.
    org_services.unit_move(actor=None, unit=city.cell_a, new_parent=city.ward_b)


def _staff_title_becomes_head(city):
    staff = city.seats["staff_root"].title
    org_services.title_update(actor=None, title=staff, is_head=True)


def _crowd(city):
    add_crowd(city, 12, seed=3, prefix="Mới ")


SCENARIOS = {
    "a record moves to another unit": _move_record,
    "sex, birth date, ethnicity, theory change": _change_who_counts,
    "degrees are replaced": _change_degrees,
    "a head recorded elsewhere becomes local": _head_recorded_elsewhere_becomes_local,
    "an assignment ends, another starts": _end_and_start_assignments,
    "an assignment's start moves": _move_assignment_start,
    "a unit's area changes": _change_unit_area,
    "a unit is added with people": _add_unit_with_people,
    "a unit moves": _move_unit,
    "a title becomes a head title": _staff_title_becomes_head,
    "new people arrive": _crowd,
}


@pytest.mark.parametrize("write", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_kept_figures_follow_every_write(quota_city, write):
    store = _store()
    assert_current(store)
    follow_up = write(quota_city)
    assert_current(store)
    if callable(follow_up):  # a second write, after the figures were kept again
        follow_up()
        assert_current(store)


def test_the_scenarios_change_figures(quota_city):
    """The comparisons above mean something only if the writes change what is compared."""
    before = _figures(_store(), today())
    for write in SCENARIOS.values():
        follow_up = write(quota_city)
        if callable(follow_up):
            follow_up()
    assert _figures(_store(), today()) != before


def _event(event_id: int, action: str, obj, **snapshots) -> AuditEvent:
    return AuditEvent.objects.create(
        id=event_id,
        actor_label="thử",
        action=action,
        object_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=str(obj),
        before=snapshots.get("before"),
        after=snapshots.get("after"),
    )


def test_a_write_committed_after_a_later_one_is_not_missed(quota_city):
    """An import still running takes low ids while a later edit commits first: the skipped ids
    are watched, and the import's change counts once it commits."""
    store = _store()
    assert_current(store)
    high = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    someone = quota_city.people["b_secretary"]
    _event(high + 5, "relation.create", someone)  # the later write, seen first
    assert_current(store)
    assert store._feed.gaps[-1][:2] == (high + 1, high + 4)

    # The earlier transaction commits now: the record changes with an event inside the gap.
    Person.objects.filter(pk=someone.pk).update(sex="M")
    unit = {"unit_id": someone.unit_id}
    _event(high + 2, "person.update", someone, before=unit, after=unit)
    assert_current(store)
    # (on PostgreSQL, the ids of earlier tests' rolled-back transactions are gaps too)
    assert [gap[:2] for gap in store._feed.gaps][-2:] == [
        (high + 1, high + 1),
        (high + 3, high + 4),
    ]


def test_a_gap_open_when_the_figures_are_built_is_watched(quota_city):
    high = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    someone = quota_city.people["b_chair"]
    _event(high + 3, "relation.create", someone)
    store = _store()
    assert_current(store)
    assert [gap[:2] for gap in store._feed.gaps][-1] == (high + 1, high + 2)
    Person.objects.filter(pk=someone.pk).update(ethnicity="01")
    unit = {"unit_id": someone.unit_id}
    _event(high + 1, "person.update", someone, before=unit, after=unit)
    assert_current(store)


def test_gaps_are_forgotten_after_the_patience(quota_city, monkeypatch):
    store = _store()
    assert_current(store)
    high = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    _event(high + 3, "relation.create", quota_city.people["b_chair"])
    store.totals(today(), selectors.build_catalogue(today()))
    assert store._feed.gaps
    clock = rollup.time.monotonic() + rollup.GAP_PATIENCE.total_seconds() + 1
    monkeypatch.setattr(rollup.time, "monotonic", lambda: clock)
    store.totals(today(), selectors.build_catalogue(today()))
    assert store._feed.gaps == []


def test_a_rolled_back_write_is_taken_back(quota_city):
    store = _store()
    assert_current(store)
    with pytest.raises(RuntimeError), transaction.atomic():
        secretary = quota_city.people["city_secretary"]
        _update(
            secretary,
            sex="F",
            citizen_id=f.citizen_id_for(birth_year=secretary.birth_date.year, female=True),
        )
        store.totals(today(), selectors.build_catalogue(today()))  # applied, then rolled back
        raise RuntimeError
    assert_current(store)


def test_more_writes_than_worth_following_rebuild_everything(quota_city, monkeypatch):
    store = _store()
    assert_current(store)
    monkeypatch.setattr(rollup, "MAX_EVENTS", 3)
    _crowd(quota_city)  # 24 events: people and their assignments
    assert_current(store)
    monkeypatch.setattr(rollup, "MAX_DIRTY", 1)
    _change_unit_area(quota_city)  # the unit and its subtree: more units than allowed
    assert_current(store)


def test_areas_loaded_again_rebuild_everything(quota_city):
    store = _store()
    assert_current(store)
    from canbo.areas.models import AreaSuccession

    # The legacy commune no longer maps to Ba Đình: ward A's secretary is no longer local.
    AreaSuccession.objects.filter(old=quota_city.areas["legacy_commune"]).delete()
    assert_current(store)


def _actions_in_code() -> set[str]:
    found = set()
    for path in Path(selectors.__file__).resolve().parents[1].rglob("*.py"):
        found |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    return found


def test_every_audited_action_is_known_to_the_roll_ups():
    """A new action would make every write of its kind rebuild all figures: say what it changes."""
    actions = _actions_in_code()
    assert {"person.update", "assignment.create", "unit.move", "grant.create"} <= actions
    unknown = {
        a
        for a in actions
        if a not in rollup.WITH_FIGURES and not a.startswith(rollup.WITHOUT_FIGURES)
    }
    assert unknown == set()


def test_an_unknown_action_rebuilds_everything():
    event = rollup.Event(1, "person.merge", 1, {}, {})
    assert rollup.changes_of([event]).everything
    ignored = rollup.Event(2, "grant.create", 1, {}, {})
    assert rollup.changes_of([ignored]) == rollup.Changes()
