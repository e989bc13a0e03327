"""`canbo demo`: a plausible, deterministic, consistent synthetic Hà Nội, audited, with scoped logins."""

import datetime as dt
import io
import json
import unicodedata
from collections import Counter, defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Q
from django.http import Http404

from canbo.access.models import Permission
from canbo.access.policy import AccessPolicy
from canbo.areas.models import AdminArea
from canbo.audit.models import AuditEvent
from canbo.audit.services import snapshot
from canbo.demo.builder import overfilled_positions, record_problems, tree_problems
from canbo.demo.plan import LEGACY_END, NEW_START, Plan
from canbo.discipline.models import DisciplineRecord, DisciplineReview
from canbo.evaluation.models import AnnualGrade, ConfidenceVote
from canbo.org.models import Position, Unit, UnitKind
from canbo.org.services import _unit_snapshot
from canbo.people.citizen_id import consistency_errors, validate_citizen_id
from canbo.people.models import Assignment, Person, Relation
from canbo.people.selectors import vacancy_count
from canbo.people.services import _person_snapshot
from canbo.planning.models import SuccessionPlanEntry
from canbo.regulations.calendar import add_months
from canbo.regulations.deadlines import deadlines_in
from canbo.regulations.models import ListedPost, LocalResolution, LocalTarget

from .conftest import SCALE, SEED

pytestmark = pytest.mark.django_db


def _hanoi_communes():
    return AdminArea.objects.filter(regime="2025", level=3, parent__regime="2025", parent__code="01")


def test_the_city_has_its_126_real_communes_and_plausible_counts(demo):
    counts = demo["counts"]
    committees = Unit.objects.filter(kind=UnitKind.AFFILIATED_COMMITTEE, area__in=_hanoi_communes())
    assert committees.count() == 126
    assert set(committees.values_list("area_id", flat=True)) == set(_hanoi_communes().values_list("pk", flat=True))
    assert committees.filter(name="Đảng ủy phường Ba Đình").exists()
    assert committees.filter(name="Đảng ủy xã Sóc Sơn").exists()
    assert set(committees.values_list("established_on", flat=True)) == {NEW_START}
    # Every commune has its council, people's committee (with its three divisions) and front.
    for kind, per_commune in ((UnitKind.PEOPLES_COUNCIL, 1), (UnitKind.PEOPLES_COMMITTEE, 1), (UnitKind.FATHERLAND_FRONT, 1)):
        assert Unit.objects.filter(kind=kind, code__startswith="HN-X").count() == 126 * per_commune
    assert Unit.objects.filter(kind=UnitKind.DIVISION, code__startswith="HN-X").count() == 3 * 126
    assert Unit.objects.filter(kind=UnitKind.DEPARTMENT).count() in range(15, 21)
    # Scale 0.05 keeps every leader and thins cells and staff: a few thousand people, not twenty.
    assert 4_000 <= counts["people"] <= 10_000
    assert counts["people"] == Person.objects.count()
    assert Unit.objects.filter(kind=UnitKind.PARTY_CELL).count() >= 126
    assert Person.objects.filter(category="public_employee").exists()
    assert Person.objects.filter(category="cadre").exists()


def test_the_people_look_like_a_city_cadre_corps(demo):
    people = Person.objects.all()
    total = people.count()
    women = people.filter(sex="F").count() / total
    assert 0.30 <= women <= 0.55
    day = dt.date.fromisoformat(demo["as_of"])
    heads = people.filter(
        assignments__in=Assignment.objects.filter(
            Assignment.current_on_q(day), position__title__is_head=True, position__title__is_leadership=True
        )
    ).distinct()
    assert 0.10 <= heads.filter(sex="F").count() / heads.count() <= 0.30
    assert people.filter(ethnicity="01").count() / total >= 0.93
    assert {"06", "02"} <= set(people.values_list("ethnicity", flat=True))
    ages = [(day - born).days // 365 for born in people.values_list("birth_date", flat=True)]
    assert 24 <= min(ages) and max(ages) <= 62
    assert people.exclude(birth_date_precision="day").exists()
    assert people.filter(birth_date_precision="month", birth_date__day__gt=1).count() == 0
    # About one in five was born in another province (non-local variety).
    elsewhere = people.exclude(birthplace__parent__code="01").count() / total
    assert 0.1 <= elsewhere <= 0.3
    # Leaders are party members; membership is official twelve months after joining.
    leaders = people.filter(assignments__position__title__is_head=True).distinct()
    assert leaders.filter(party_joined_on__isnull=True).count() / leaders.count() < 0.05
    for joined, official in people.filter(party_official_on__isnull=False).values_list("party_joined_on", "party_official_on")[:500]:
        assert (official.year - joined.year, official.month) == (1, joined.month)
    names = list(people.values_list("full_name", flat=True)[:2000])
    assert all(unicodedata.is_normalized("NFC", name) and len(name.split()) >= 3 for name in names)
    assert any(" Thị " in name for name in names)


def test_same_seed_same_city_and_another_seed_another(demo):
    # Planning again with the command's seed gives exactly the city the command wrote.
    again = Plan(scale=float(SCALE), seed=SEED).build()
    assert sorted(Person.objects.values_list("full_name", "citizen_id", "birth_date")) == sorted(
        (p.full_name, p.citizen_id, p.birth_date) for p in again.people
    )
    written = Assignment.objects.values_list(
        "person__citizen_id", "position__unit__code", "position__title__code", "start_date", "end_date", "kind"
    )
    assert sorted(written) == sorted(
        (a.person.citizen_id, a.seat.unit.code, a.seat.title.code, a.start, a.end, a.kind) for a in again.assignments
    )
    # And the same records for the regulations engine.
    records = again.records
    assert sorted(Relation.objects.values_list("person__citizen_id", "relative__citizen_id", "kind")) == sorted(
        (r.person.citizen_id, r.relative.citizen_id, r.kind) for r in records.relations
    )
    assert sorted(DisciplineRecord.objects.values_list("person__citizen_id", "side", "form", "decided_on")) == sorted(
        (d.person.citizen_id, d.side, d.form, d.decided_on) for d in records.discipline
    )
    assert sorted(SuccessionPlanEntry.objects.values_list(
        "person__citizen_id", "unit__code", "title__code", "term", "approved_on", "removed_on"
    )) == sorted((e.person.citizen_id, e.unit.code, e.title.code, e.term, e.approved_on, e.removed_on)
                 for e in records.plan_entries)  # fmt: skip
    grades = AnnualGrade.objects.values_list("person__citizen_id", "unit__code", "year", "grade", "score")
    assert sorted(grades) == sorted((g.person.citizen_id, g.unit.code, g.year, g.grade, g.score) for g in records.grades)
    assert sorted(ConfidenceVote.objects.values_list("person__citizen_id", "held_on", "votes_low")) == sorted(
        (v.person.citizen_id, v.held_on, v.votes_low) for v in records.votes
    )
    other = Plan(scale=float(SCALE), seed=SEED + 1).build()
    assert [p.citizen_id for p in other.people] != [p.citizen_id for p in again.people]


def test_no_seat_ever_holds_more_people_than_its_count(demo):
    assert overfilled_positions() == []
    # The same rule, checked independently of the SQL, for every seat on every start day.
    by_seat = defaultdict(list)
    for position_id, start, end in Assignment.objects.values_list("position_id", "start_date", "end_date"):
        by_seat[position_id].append((start, end or dt.date.max))
    seats = dict(Position.objects.values_list("pk", "seat_count"))
    for position_id, spans in by_seat.items():
        for day, _end in spans:
            assert sum(1 for s, e in spans if s <= day <= e) <= seats[position_id], position_id
    # Nobody holds the same seat twice at once.
    by_person_seat = defaultdict(list)
    for person_id, position_id, start, end in Assignment.objects.values_list("person_id", "position_id", "start_date", "end_date"):
        by_person_seat[(person_id, position_id)].append((start, end or dt.date.max))
    for spans in by_person_seat.values():
        spans.sort()
        assert all(earlier[1] < later[0] for earlier, later in zip(spans, spans[1:], strict=False))


def test_about_one_leadership_place_in_twelve_is_vacant(demo):
    day = dt.date.fromisoformat(demo["as_of"])
    seats = Position.objects.filter(Unit.existing_on_q(day, "unit__"), title__is_leadership=True)
    places = sum(seats.values_list("seat_count", flat=True))
    vacant = vacancy_count(seats, day)
    assert 0.04 <= vacant / places <= 0.15
    assert (places, vacant) == (demo["counts"]["leadership_places"], demo["counts"]["leadership_vacant"])


def test_tree_paths_are_valid(demo):
    assert tree_problems() == {}
    ward = Unit.objects.get(name="Đảng ủy phường Ba Đình")
    # Treebeard's own check on a subtree, and its navigation.
    assert Unit.objects.find_problems(ward) == ([], [], [], [], [])
    assert Unit.objects.get_parent(ward).name == "Đảng bộ Thành phố Hà Nội"
    children = {u.name for u in Unit.objects.get_children(ward)}
    assert {"Hội đồng nhân dân phường Ba Đình", "Ủy ban nhân dân phường Ba Đình"} <= children
    assert Unit.objects.get_descendants(ward).filter(kind=UnitKind.PARTY_CELL).exists()
    assert Unit.objects.get_root_nodes().count() == 1


def test_citizen_ids_are_valid_unique_and_match_the_person(demo):
    rows = list(Person.objects.values_list("citizen_id", "birth_date", "sex", "birthplace__parent__code"))
    assert len({row[0] for row in rows}) == len(rows)
    for number, born, sex, province in rows:
        validate_citizen_id(number)
        assert consistency_errors(number, birth_year=born.year, female=sex == "F") == []
        if province == "01":  # born in Hà Nội: registered in Hà Nội
            assert number.startswith("001")
    assert Counter(number[:3] for number, *_ in rows).most_common(1)[0][0] == "001"
    assert len({number[:3] for number, *_ in rows}) > 5


def test_sample_rows_pass_model_validation(demo):
    for person in Person.objects.order_by("?")[:40]:
        person.full_clean()
    for assignment in Assignment.objects.select_related("person", "position__unit").order_by("?")[:40]:
        assignment.full_clean()
        assert assignment.start_date >= assignment.person.birth_date
        assert assignment.position.unit.exists_on(assignment.start_date)
    for unit in Unit.objects.order_by("?")[:40]:
        unit.full_clean()


def test_legacy_districts_end_on_30_june_2025_and_leaders_carry_on(demo):
    districts = Unit.objects.filter(kind=UnitKind.DISTRICT_COMMITTEE)
    assert districts.count() == 30
    assert {"Quận ủy Ba Đình", "Huyện ủy Sóc Sơn", "Thị ủy Sơn Tây"} <= set(districts.values_list("name", flat=True))
    assert set(districts.values_list("dissolved_on", flat=True)) == {LEGACY_END}
    assert set(districts.values_list("area__regime", "area__level", "area__parent__code").distinct()) == {("legacy", 2, "01")}
    legacy_q = Q()
    for path in districts.values_list("path", flat=True):
        legacy_q |= Q(position__unit__path__startswith=path)
    legacy = Assignment.objects.filter(legacy_q)
    assert not legacy.filter(Q(end_date__isnull=True) | Q(end_date__gt=LEGACY_END)).exists()
    last_day = legacy.filter(end_date=LEGACY_END)
    assert last_day.filter(position__title__is_leadership=True).count() >= 30 * 8
    leaders = set(last_day.filter(position__title__is_leadership=True).values_list("person_id", flat=True))
    successors = Assignment.objects.filter(person_id__in=leaders, start_date=NEW_START).exclude(legacy_q)
    carried_on = set(successors.values_list("person_id", flat=True))
    assert len(carried_on) / len(leaders) >= 0.6
    assert set(successors.values_list("kind", flat=True)) <= {"transfer", "election", "designation"}
    assert successors.filter(position__unit__code__startswith="HN-X").exists()
    # Nobody keeps a record in a dissolved unit.
    assert not Person.objects.filter(unit__dissolved_on__isnull=False).exists()


def test_work_histories_have_promotions_and_rotations(demo):
    assert Assignment.objects.filter(kind="rotation", position__title__code="bi-thu-quan-uy").exists()
    assert Assignment.objects.filter(kind="rotation", start_date__gt=NEW_START).exists()
    promoted = Person.objects.filter(assignments__position__title__code="pho-chu-tich-ubnd-huyen").filter(
        assignments__position__title__code="chu-tich-ubnd-huyen"
    )
    assert promoted.exists()
    person = promoted.first()
    deputy = person.assignments.get(position__title__code="pho-chu-tich-ubnd-huyen")
    chair = person.assignments.get(position__title__code="chu-tich-ubnd-huyen")
    assert chair.start_date == deputy.end_date + dt.timedelta(days=1)
    assert Assignment.objects.filter(kind="reappointment").exists()


def test_every_row_has_its_audit_event_with_the_services_snapshot(demo):
    events = AuditEvent.objects.filter(actor_label="canbo demo")
    by_action = Counter(events.values_list("action", flat=True))
    assert by_action == {
        "unit.create": Unit.objects.count(),
        "position.create": Position.objects.count(),
        "person.create": Person.objects.count(),
        "assignment.create": Assignment.objects.count(),
        "relation.create": Relation.objects.count(),
        "discipline.create": DisciplineRecord.objects.count(),
        "discipline_review.create": DisciplineReview.objects.count(),
        "plan_entry.create": SuccessionPlanEntry.objects.count(),
        "plan_entry.remove": SuccessionPlanEntry.objects.filter(removed_on__isnull=False).count(),
        "grade.create": AnnualGrade.objects.count(),
        "confidence_vote.create": ConfidenceVote.objects.count(),
    }
    assert set(events.values_list("actor", "source").distinct()) == {(None, "system")}
    assert demo["counts"]["audit_events"] == sum(by_action.values())

    def event_for(obj):
        return events.get(object_id=obj.pk, action=f"{obj._meta.model_name}.create")

    for unit in Unit.objects.order_by("?")[:10]:
        event = event_for(unit)
        assert event.after == _unit_snapshot(unit) and event.object_repr == str(unit) and event.unit_id == unit.pk
    for person in Person.objects.order_by("?")[:10]:
        event = event_for(person)
        assert event.after == _person_snapshot(person) and event.object_repr == str(person)
        assert event.unit_id == person.unit_id
    for position in Position.objects.select_related("unit", "title").order_by("?")[:10]:
        event = event_for(position)
        assert event.after == snapshot(position) and event.object_repr == str(position)
    for assignment in Assignment.objects.select_related("person", "position__unit", "position__title").order_by("?")[:10]:
        event = event_for(assignment)
        assert event.after == snapshot(assignment) and event.object_repr == str(assignment)
        assert event.unit_id == assignment.position.unit_id
    # The records of the regulations engine, with the unit each service files its event under.
    for model, unit_of in (
        (Relation, lambda r: r.person.unit_id), (DisciplineRecord, lambda r: r.person.unit_id),
        (DisciplineReview, lambda r: r.person.unit_id), (ConfidenceVote, lambda r: r.person.unit_id),
        (AnnualGrade, lambda r: r.unit_id), (SuccessionPlanEntry, lambda r: r.unit_id),
    ):  # fmt: skip
        for row in model.objects.order_by("?")[:8]:
            event = events.get(object_id=row.pk, action__endswith=".create", object_type__model=model._meta.model_name)
            if model is SuccessionPlanEntry and row.removed_on:
                removal = events.get(object_id=row.pk, action="plan_entry.remove")
                assert removal.after == snapshot(row) and removal.before == event.after
                assert event.after["removed_on"] is None
            else:
                assert event.after == snapshot(row)
            assert event.object_repr == str(row) and event.unit_id == unit_of(row)
    # The local resolutions and the listed posts went through their services.
    assert AuditEvent.objects.filter(action="resolution.create", source="system").count() == 2
    assert AuditEvent.objects.filter(action="target.create", source="system").count() == LocalTarget.objects.count() > 0
    assert AuditEvent.objects.filter(action="listed_post.update", source="system").exists()


def test_demo_logins_are_scoped_by_grants(demo):
    User = get_user_model()
    assert [row["username"] for row in demo["logins"]] == ["admin", "phuongbadinh", "lanhdao", "kiemtra"]
    users = User.objects.filter(username__in=[row["username"] for row in demo["logins"]])
    assert users.count() == 4 and not users.filter(Q(is_staff=True) | Q(is_superuser=True)).exists()
    # One hash for the shared demo password (hashing is slow on purpose); it must verify.
    assert len(set(users.values_list("password", flat=True))) == 1
    assert users.first().check_password("canbo-demo")
    admin = AccessPolicy(User.objects.get(username="admin"))
    assert admin.units(Permission.MANAGE_ACCESS).count() == Unit.objects.count()
    officer = AccessPolicy(User.objects.get(username="phuongbadinh"))
    ward = Unit.objects.get(name="Đảng ủy phường Ba Đình")
    assert set(officer.units(Permission.EDIT).values_list("pk", flat=True)) == set(
        Unit.objects.filter(path__startswith=ward.path).values_list("pk", flat=True)
    )
    assert not officer.has_any(Permission.MANAGE_ACCESS)
    other_ward = Unit.objects.get(name="Đảng ủy phường Hoàn Kiếm")
    with pytest.raises(Http404):
        officer.get_unit(other_ward.pk)
    outsider = Person.objects.filter(unit__path__startswith=other_ward.path).first()
    with pytest.raises(Http404):
        officer.get_person(outsider.pk)
    assert officer.people(Permission.EDIT).exists()
    assert not officer.people(Permission.EDIT).exclude(unit__path__startswith=ward.path).exists()
    reader = AccessPolicy(User.objects.get(username="lanhdao"))
    assert reader.units().count() == Unit.objects.count() and not reader.has_any(Permission.EDIT)
    inspector = AccessPolicy(User.objects.get(username="kiemtra"))
    assert inspector.has_any(Permission.INSPECT) and not inspector.has_any(Permission.EDIT)


def test_command_if_empty_only_prints_the_logins(demo):
    before = (Unit.objects.count(), AuditEvent.objects.count())
    out = io.StringIO()
    call_command("demo", "--if-empty", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["created"] is False
    assert [row["username"] for row in result["logins"]] == ["admin", "phuongbadinh", "lanhdao", "kiemtra"]
    assert (Unit.objects.count(), AuditEvent.objects.count()) == before
    text = io.StringIO()
    call_command("demo", "--if-empty", stdout=text)
    assert "Mở http://127.0.0.1:8000/ và đăng nhập: admin / canbo-demo (quản trị toàn Thành phố)" in text.getvalue()
    with pytest.raises(CommandError, match="đã có đơn vị"):
        call_command("demo")


# --------------------------------------------------------------------------------------------
# What the regulations engine finds in the demo
# --------------------------------------------------------------------------------------------


def _root():
    return Unit.objects.get(depth=1)


def test_compliance_check_finds_each_planted_breach(demo):
    """`canbo check --unit <root> --json` on the small city: kin in conflicting posts, planned
    people who became ineligible, agencies over the HTXS cap, standing committees without a woman."""
    day = demo["as_of"]
    out = io.StringIO()
    call_command("check", "--unit", str(_root().pk), "--date", day, "--json", stdout=out)
    report = json.loads(out.getvalue())
    counts = {rule["id"]: rule["count"] for rule in report["rules"]}
    findings = {rule["id"]: rule["findings"] for rule in report["rules"]}
    assert counts["compliance.kinship"] >= 5
    assert counts["compliance.planned_ineligible"] >= 4
    assert counts["compliance.excellent_ratio"] >= 3
    assert counts["compliance.standing_committee_woman"] + counts["compliance.women_share"] >= 1
    assert counts["compliance.seat_overfilled"] == 0
    # Every kinship finding is a planted pair, in one commune or one city division, and every pair is found.
    planted = {frozenset(pair) for pair in Relation.objects.filter(person__unit__path__startswith=_root().path)
               .values_list("person_id", "relative_id")}  # fmt: skip
    found = {frozenset(p["id"] for p in f["people"]) for f in findings["compliance.kinship"]}
    assert found <= planted
    assert {f["values"]["relation"] for f in findings["compliance.kinship"]} == {"sibling", "spouse"}
    # The planned people fail for each of the reasons planted: age, discipline, review, low confidence.
    failed = {rule for f in findings["compliance.planned_ineligible"] for rule in f["values"]["rules"]}
    planted = {"service_left.planning", "planning.removal_discipline", "discipline.under_review", "confidence.low"}
    assert planted <= failed
    # Most planned people are fine: the breaches are a handful among thousands of entries.
    ineligible = {f["people"][0]["id"] for f in findings["compliance.planned_ineligible"]}
    assert len(ineligible) <= 8 < SuccessionPlanEntry.objects.values("person").distinct().count() // 100
    # The planning lists meet the women (25%) and under-40 (15%) targets.
    assert not [f for f in findings["compliance.women_share"] if f["values"]["target_key"].startswith("planning.")]
    assert not [f for f in findings["compliance.under_40_share"] if f["values"]["target_key"].startswith("planning.")]
    for finding in findings["compliance.excellent_ratio"]:
        assert finding["values"]["year"] == 2025
        assert finding["values"]["excellent"] > 0.2 * finding["values"]["good"]


def test_deadlines_show_secondments_retirements_probations_and_third_terms(demo):
    start = dt.date.fromisoformat(demo["as_of"])
    report = deadlines_in(_root(), start, dt.date(start.year + 1, start.month, start.day) - dt.timedelta(days=1))
    counts = report.counts()
    for kind in ("secondment_end", "retirement", "probation_end", "discipline_effect_end", "head_two_terms"):
        assert counts[kind] >= 1, kind
    # Heads appointed before 2017 and re-appointed twice are past two terms: overdue.
    assert any(i.overdue for i in report.items if i.kind == "head_two_terms")
    secondments = Assignment.objects.filter(kind="secondment")
    assert secondments.exists()
    for a in secondments:
        assert a.end_date is None or a.end_date <= add_months(a.start_date, 36)
    # The positions of the periodic position change list are linked (their staff: next test).
    assert ListedPost.objects.filter(positions__isnull=False).exists()


def test_periodic_changes_move_staff_of_listed_posts_within_their_agency(demo):
    # The small city has almost no division staff; a larger one, planned in memory, has enough.
    plan = Plan(scale=0.3, seed=SEED).build()
    listed = {id(seat) for _post, seats in plan.records.listed_seats for seat in seats}
    changes = [a for a in plan.assignments if a.kind == "periodic_change"]
    assert len(changes) >= 10
    for change in changes:
        assert id(change.seat) in listed and change.end is None
        day_before = change.start - dt.timedelta(days=1)
        before = [a for a in plan._by_person[change.person.key] if a.main and a.end == day_before]
        assert len(before) == 1 and id(before[0].seat) not in listed
        assert before[0].seat.unit.parent is change.seat.unit.parent  # another division of the same agency
    dues = [add_months(c.start, 36) for c in changes]
    assert any(plan.as_of <= due <= add_months(plan.as_of, 12) for due in dues)  # due again within the year
    assert any(due < plan.as_of for due in dues)  # a few overdue
    assert all(due >= add_months(plan.as_of, -12) for due in dues)


def test_the_records_look_like_a_city_and_follow_the_rules(demo):
    day = dt.date.fromisoformat(demo["as_of"])
    people = Person.objects.count()
    # Family ties: about 1.5% of people, spouses of both sexes, siblings sharing their family name.
    relations = Relation.objects.select_related("person", "relative")
    assert 0.01 * people <= relations.count() <= 0.03 * people
    assert {"spouse", "sibling"} <= set(relations.values_list("kind", flat=True))
    for r in relations:
        if r.kind == "spouse":
            assert r.person.sex != r.relative.sex
        if r.kind == "sibling":
            assert r.person.full_name.split()[0] == r.relative.full_name.split()[0]
    # Discipline: about 1% of people, party and state, some still in effect, some ended, some under review.
    disciplined = DisciplineRecord.objects.values("person").distinct().count()
    assert 0.005 * people <= disciplined <= 0.02 * people
    assert {"party", "state"} == set(DisciplineRecord.objects.values_list("side", flat=True))
    assert DisciplineRecord.objects.filter(decided_on__gt=day - dt.timedelta(days=365)).exists()
    assert DisciplineRecord.objects.filter(decided_on__lt=day - dt.timedelta(days=3 * 365)).exists()
    for record in DisciplineRecord.objects.filter(side="party").select_related("person"):
        assert record.person.party_joined_on <= record.decided_on
    assert DisciplineReview.objects.filter(ended_on__isnull=True).count() >= 3
    # Planning: both terms, key titles of the city and the communes, at most three per title.
    entries = SuccessionPlanEntry.objects.filter(removed_on__isnull=True)
    assert set(entries.values_list("term", flat=True)) == {"2025-2030", "2030-2035"}
    assert entries.filter(title__code="bi-thu-dang-uy-xa").exists()
    assert entries.filter(title__code="giam-doc-so").exists()
    per_title = Counter(entries.values_list("unit_id", "title_id", "term"))
    assert max(per_title.values()) <= 3
    assert SuccessionPlanEntry.objects.filter(removed_on__isnull=False, removal_reason="discipline").exists()
    # Grades: three years; in 2025 nearly everyone at work. HTXS is about 15–19% of HTT before the
    # cap; from 2025 it stays within 20% of HTT per agency, which leaves none in agencies of fewer than
    # six (most of them in this small city: about 7%; about 15% at scale 1).
    assert set(AnnualGrade.objects.values_list("year", flat=True)) == {2023, 2024, 2025}
    graded = AnnualGrade.objects.filter(year=2025).count()
    assert graded >= 0.7 * Person.objects.exclude(category="other").count()
    before_cap = Counter(AnnualGrade.objects.filter(year=2024).values_list("grade", flat=True))
    assert 0.12 <= before_cap["HTXS"] / before_cap["HTT"] <= 0.25
    grades = Counter(AnnualGrade.objects.filter(year=2025).values_list("grade", flat=True))
    assert 0.04 <= grades["HTXS"] / grades["HTT"] <= 0.2
    assert grades["HT"] and grades["KHT"]
    # Confidence votes of late 2023; two low results (more than half the votes low).
    votes = ConfidenceVote.objects.all()
    assert votes.count() >= 100 and {v.held_on.year for v in votes} == {2023}
    low = [v for v in votes if v.votes_low * 2 > v.votes_cast]
    assert len(low) == 2
    # Local resolutions on the city.
    codes = set(LocalResolution.objects.filter(scope_unit=_root()).values_list("code", flat=True))
    assert codes == {"04-NQ/TU", "NQ-TU-CB"}
    assert record_problems() == []


def test_record_validation_catches_what_the_services_refuse(demo):
    outsider = Person.objects.filter(party_joined_on__isnull=True).first()
    DisciplineRecord.objects.create(person=outsider, side="party", form="reprimand", decided_on=dt.date(2024, 5, 1))
    assert any("kỷ luật" in problem for problem in record_problems())
