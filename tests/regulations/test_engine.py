"""The engine itself: the parameter tree, rule versions, locality, bulk checks and their cost."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from canbo.people.models import Assignment
from canbo.regulations.compliance import check_unit
from canbo.regulations.eligibility import ACTION_RULES, evaluate_eligibility
from canbo.regulations.locality import AreaIndex, PlaceFacts, local_reasons
from canbo.regulations.params import (
    ParameterNotFound,
    default_parameters,
    parse_parameter,
    parse_reform,
)
from canbo.regulations.rules.base import RULES
from canbo.regulations.targets import TARGETS

from .. import factories as f
from . import scenario as s

# Every row of DOMAIN.md §4 and the parameters that carry it.
DOMAIN_ROWS = {
    "retirement age": ["retirement.age.male", "retirement.age.female", "retirement.unknown_birth_month"],
    "first appointment": ["appointment.service_left_min_months"],
    "appointment term": ["appointment.term_months"],
    "first entry / re-nomination": ["nomination.first_entry_min_months", "nomination.renomination_min_months"],
    "succession planning": ["planning.service_left_min_months", "planning.max_persons_per_title",
                            "planning.max_titles_per_person", "planning.only_higher_titles", "planning.review_interval_months",
                            "planning.removal_discipline_forms", "planning.targets.young_share",
                            "planning.targets.women_share", "planning.targets.young_age_under"],
    "rotation": ["rotation.min_duration_months", "rotation.service_left_min_months", "rotation.requires_planning",
                 "rotation.higher_post_only_outstanding"],
    "non-local heads": ["heads.non_local_policy", "heads.max_consecutive_terms", "heads.term_months",
                        "targets.non_local.provincial_heads", "local_person.criteria", "local_person.residence_min_years"],
    "periodic position change": ["periodic_change.period_min_months", "periodic_change.period_max_months",
                                 "periodic_change.listed_posts"],
    "secondment": ["secondment.max_months"],
    "discipline effects, party": ["discipline.party.effect_months", "discipline.party.permanent_forms"],
    "discipline effects, state": ["discipline.state.effect_months", "discipline.state.permanent_forms",
                                  "discipline.no_action_while_under_review"],
    "discipline forms": ["discipline.forms"],
    "kinship conflicts": ["kinship.relations", "kinship.conflict_groups"],
    "annual grading": ["grading.thresholds", "grading.excellent_ratio_state", "grading.excellent_ratio_party"],
    "confidence votes": ["confidence.min_attendance_share", "confidence.low_relief_share", "confidence.low_dismissal_share"],
    "structure targets (seed 003)": ["targets.women.standing_committee_min_count"],
    "Hà Nội Chỉ thị 24-CT/TU": ["indiscipline.hanoi_ct24_group1"],
}  # fmt: skip


@pytest.mark.parametrize("row", sorted(DOMAIN_ROWS))
def test_every_domain_row_is_a_dated_parameter_with_a_source(row):
    params = default_parameters()
    for name in DOMAIN_ROWS[row]:
        parameter = params.parameter(name)
        assert parameter.values and all(v.start for v in parameter.values)
        assert parameter.references and all(r.document for r in parameter.references)


# DOMAIN.md §4a (the texts of 2025 and 2026) and the parameters that carry them.
DOMAIN_2025_ROWS = {
    "Quy định 377: discipline before a higher post": ["discipline.party.effect_months", "planning.violation_exceptions"],
    "Quy định 377: planning": ["planning.no_concurrent_proposal", "planning.review_interval_months",
                               "planning.only_higher_titles", "planning.removal_discipline_forms"],
    "Quy định 377 art. 40: re-appointment": ["appointment.reappointment_notice_working_days", "calendar.public_holidays",
                                             "calendar.weekly_rest_days"],
    "Quy định 377: relief from post": ["relief.proposal_working_days"],
    "Law 80/2025 and Decree 172/2025": ["discipline.forms", "discipline.state.effect_months",
                                        "discipline.state.leader_only_forms", "discipline.state.deferral_cases",
                                        "discipline.no_action_while_under_review"],
    "Quy định 366 and Decree 335: grading": ["grading.thresholds", "grading.state_thresholds",
                                             "grading.party_not_complete_triggers", "grading.state_not_complete_triggers",
                                             "grading.excellent_ratio_party", "grading.excellent_ratio_state"],
}  # fmt: skip


@pytest.mark.parametrize("row", sorted(DOMAIN_2025_ROWS))
def test_every_2025_row_is_a_dated_parameter_in_force_in_2026_with_a_source(row):
    params = default_parameters()
    for name in DOMAIN_2025_ROWS[row]:
        value = params.at(name, dt.date(2026, 1, 1))
        assert value.since and value.references and all(r.document for r in value.references), name


def test_the_2025_changes_are_dated_rule_versions():
    changed = {r.id for r in RULES.values() if len(r.versions) > 1}
    assert {"discipline.state", "discipline.under_review", "planning.standards", "planning.review_due"} <= changed
    assert RULES["service_left.appointment"].version_on(dt.date(2021, 8, 1)).since == dt.date(2021, 8, 1)
    assert RULES["planning.violation"].version_on(dt.date(2025, 10, 7)) is None
    assert RULES["procedure.concurrent"].version_on(dt.date(2025, 10, 8)) is not None


def test_reforms_reach_the_working_day_calendar():
    from canbo.regulations.calendar import working_calendar

    params = default_parameters()
    reformed = params.with_reform({"calendar.weekly_rest_days": ["sunday"]})
    saturday = dt.date(2026, 3, 7)
    assert not working_calendar(params).is_working_day(saturday)
    assert working_calendar(reformed).is_working_day(saturday)


def test_to_confirm_rows_of_domain_are_flagged():
    params = default_parameters()
    assert params.at("appointment.term_months", dt.date(2025, 7, 1)).to_confirm
    assert params.at("secondment.max_months", dt.date(2025, 7, 1)).to_confirm
    assert params.at("grading.excellent_ratio_party", dt.date(2025, 12, 31)).to_confirm
    assert not params.at("grading.excellent_ratio_state", dt.date(2025, 12, 31)).to_confirm


def test_the_seed_resolution_templates_cover_the_local_targets():
    from canbo.regulations.services import available_templates, load_template

    keys = {t["key"] for name in available_templates() for t in load_template(name)["targets"]}
    assert keys >= {"targets.non_local.commune_heads", "targets.under_40.provincial_managed", "targets.women.committee"}
    assert keys <= set(TARGETS)


def test_a_parameter_without_a_source_is_refused_naming_the_file():
    with pytest.raises(ImproperlyConfigured, match="x.yaml.*reference"):
        parse_parameter("x", {"description": "d", "unit": "month", "values": {"2020-01-01": {"value": 1}}}, where="x.yaml")
    with pytest.raises(ImproperlyConfigured, match="x.yaml"):
        parse_parameter(
            "x", {"description": "d", "unit": "share", "metadata": {"reference": [{"document": "D"}]},
                  "values": {"2020-01-01": {"value": 2}}}, where="x.yaml",
        )  # fmt: skip


def test_parameters_are_read_as_of_a_date_and_reforms_stay_in_memory():
    params = default_parameters()
    assert params.get("retirement.age.female", dt.date(2030, 6, 1)) == 700
    reformed = params.with_reform({"rotation.service_left_min_months": 96})
    assert reformed.get("rotation.service_left_min_months", dt.date(2026, 1, 1)) == 96
    assert reformed.at("rotation.service_left_min_months", dt.date(2026, 1, 1)).reformed
    assert params.get("rotation.service_left_min_months", dt.date(2026, 1, 1)) == 120
    with pytest.raises(ValueError, match="nothing"):
        params.with_reform({"nothing": 1})
    with pytest.raises(ParameterNotFound):
        params.get("nothing", dt.date(2026, 1, 1))
    with pytest.raises(ValueError, match="JSON"):
        parse_reform("[1, 2]")


def test_rule_versions_do_not_overlap_and_say_what_they_are():
    for rule in RULES.values():
        assert rule.versions, rule.id
        for version in rule.versions:
            assert version.doc, f"{rule.id} version {version.since} has no docstring"
        for earlier, later in zip(rule.versions, rule.versions[1:], strict=False):
            assert earlier.until is not None and earlier.until < later.since, rule.id
    changed = [r.id for r in RULES.values() if len(r.versions) > 1]
    assert {"service_left.appointment", "service_left.planning", "kinship.conflict", "discipline.party"} <= set(changed)


def test_every_action_names_its_rules():
    assert set(ACTION_RULES) == {"plan", "appoint", "rotate", "renominate", "second"}
    assert all(ACTION_RULES.values())


def test_a_legacy_commune_counts_for_the_ward_it_became(db):
    world = s.Scenario()
    index = AreaIndex()
    params = default_parameters()
    place = PlaceFacts(hometown_id=world.legacy_commune.pk, birthplace_id=None, residence_id=None, residence_since=None)
    assert local_reasons(place, world.ward_area.pk, dt.date(2026, 1, 1), params, index) == ["quê quán"]
    # A ward inside the province is local to the province; the other ward is not local to this one.
    place = PlaceFacts(hometown_id=None, birthplace_id=world.ward_area.pk, residence_id=None, residence_since=None)
    assert local_reasons(place, world.province_area.pk, dt.date(2026, 1, 1), params, index) == ["nơi sinh"]
    assert local_reasons(place, world.other_ward_area.pk, dt.date(2026, 1, 1), params, index) == []


def test_who_counts_as_local_follows_the_parameter(db):
    world = s.Scenario()
    place = PlaceFacts(hometown_id=world.ward_area.pk, birthplace_id=None, residence_id=None, residence_since=None)
    strict = default_parameters().with_reform({"local_person.criteria": {"hometown": False, "birthplace": True, "residence": True}})
    assert local_reasons(place, world.ward_area.pk, dt.date(2026, 1, 1), strict, AreaIndex()) == []


def test_an_over_filled_seat_is_found(db):
    world = s.build({"people": [{"name": "Trưởng Một", "seats": [{"title": "truong-phong", "unit": "phong"}]},
                                {"name": "Trưởng Hai"}]})  # fmt: skip
    # Seats are never over-filled through the services; legacy imports can leave them so, which
    # only the raw ORM can reproduce here.
    Assignment.objects.create(
        person=world.people["Trưởng Hai"], position=world.position("truong-phong", "phong"), kind="appointment",
        start_date=dt.date(2022, 1, 1),
    )  # fmt: skip
    report = check_unit(world.units["city"], dt.date(2026, 1, 1))
    found = [x for x in report.findings if x.rule_id == "compliance.seat_overfilled"]
    assert len(found) == 1 and found[0].values["held"] == 2
    assert {name for _pid, name in found[0].people} == {"Trưởng Một", "Trưởng Hai"}


def test_a_ward_check_does_not_see_its_siblings(db):
    world = s.build({"people": [
        {"name": "Bí Thư Khác", "seats": [{"title": "bi-thu-dang-uy-xa", "unit": "ward2", "kind": "election"}]},
    ]})  # fmt: skip
    city = check_unit(world.units["city"], dt.date(2026, 1, 1))
    ward = check_unit(world.units["ward"], dt.date(2026, 1, 1))
    assert any(x.unit_id == world.units["ward2"].pk for x in city.findings)
    assert not any(x.unit_id == world.units["ward2"].pk for x in ward.findings)


def test_rollup_counts_each_child_subtree(db):
    world = s.build({"people": [
        {"name": "Bí Thư", "seats": [{"title": "bi-thu-dang-uy-xa", "unit": "ward", "kind": "election"}]},
    ]})  # fmt: skip
    report = check_unit(world.units["city"], dt.date(2026, 1, 1))
    children = [(u.pk, u.name, u.path) for u in (world.units["ward"], world.units["ward2"])]
    rows = {row["name"]: row for row in report.rollup(children)}
    assert rows["Đảng ủy phường Ba Đình"]["counts"]["compliance.standing_committee_woman"] == 1
    assert rows["Đảng ủy phường Ngọc Hà"]["total"] == 0


def _populate(world, n):
    for i in range(n):
        person = f.make_person(world.units["ward"], f"Cấp Ủy {i}", birth_date=dt.date(1970 + i % 20, 1 + i % 12, 1))
        f.make_assignment(person, world.position("uv-bch-dang-uy-xa", "ward"), kind="election")
        if i % 2:
            f.make_assignment(person, world.position("chuyen-vien", "phong"), kind="transfer")


def test_compliance_query_count_is_flat(db, django_assert_max_num_queries):
    world = s.build({})
    _populate(world, 3)
    with django_assert_max_num_queries(40) as small:
        check_unit(world.units["city"], dt.date(2026, 1, 1))
    for i in range(8):
        person = f.make_person(world.units["ward"], f"Thêm {i}")
        f.make_assignment(person, world.position("uv-bch-dang-uy-xa", "ward"), kind="election")
    with django_assert_max_num_queries(len(small.captured_queries)):
        check_unit(world.units["city"], dt.date(2026, 1, 1))


def test_eligibility_is_a_fixed_number_of_queries(db, django_assert_max_num_queries):
    world = s.build({"people": [{"name": "Ứng Viên", "birth": "1980-01-01"}]})
    _populate(world, 6)
    seat = world.position("pho-bi-thu-dang-uy-xa", "ward")
    with django_assert_max_num_queries(20):
        decision = evaluate_eligibility(world.people["Ứng Viên"], "appoint", seat, dt.date(2026, 1, 1))
    assert decision.outcomes
