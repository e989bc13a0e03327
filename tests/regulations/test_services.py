"""Services of the new records: validation from dated parameters, audit in the same transaction."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from canbo.audit.models import AuditEvent
from canbo.audit.selectors import events_for
from canbo.discipline import services as discipline_services
from canbo.discipline.models import DisciplineRecord
from canbo.evaluation import services as evaluation_services
from canbo.evaluation.models import AnnualGrade
from canbo.planning import services as planning_services
from canbo.regulations import services
from canbo.regulations.models import LocalTarget
from canbo.regulations.params import default_parameters

from .. import factories as f


@pytest.fixture
def member(city):
    return f.make_person(city["ward_a"], "Đảng Viên Dự Bị", birth_date=dt.date(1995, 1, 1), party_joined_on=dt.date(2025, 6, 1))


def test_probationary_member_cannot_be_removed_from_post(member):
    with pytest.raises(ValidationError) as exc:
        discipline_services.discipline_record_create(
            actor=None, person=member, side="party", form="removal_from_post", decided_on=dt.date(2026, 1, 5)
        )
    assert "form" in exc.value.message_dict and "Khiển trách" in exc.value.message_dict["form"][0]
    assert not DisciplineRecord.objects.exists()


def test_party_discipline_needs_a_party_member(city):
    person = f.make_person(city["ward_a"], "Ngoài Đảng")
    with pytest.raises(ValidationError) as exc:
        discipline_services.discipline_record_create(actor=None, person=person, side="party", form="reprimand", decided_on=dt.date(2026, 1, 5))
    assert "side" in exc.value.message_dict


def test_discipline_record_is_audited(member):
    record = discipline_services.discipline_record_create(
        actor=None, person=member, side="party", form="warning", decided_on=dt.date(2026, 1, 5), decision_number="12-QĐ/UBKT"
    )
    event = events_for(record).get()
    assert event.action == "discipline.create" and event.after["form"] == "warning"
    discipline_services.discipline_record_delete(actor=None, record=record)
    assert AuditEvent.objects.filter(action="discipline.delete", object_id=record.pk).exists()


def test_review_period_end_before_start_is_refused(member):
    with pytest.raises(ValidationError):
        discipline_services.review_open(
            actor=None, person=member, kind="investigation", started_on=dt.date(2026, 2, 1), ended_on=dt.date(2026, 1, 1)
        )


def test_grade_must_agree_with_the_2025_score_scale(city):
    person = f.make_person(city["ward_a"], "Người Được Chấm")
    with pytest.raises(ValidationError) as exc:
        evaluation_services.annual_grade_set(actor=None, person=person, year=2025, grade="HTXS", score=85)
    assert "Hoàn thành tốt nhiệm vụ" in exc.value.message_dict["grade"][0]
    # 2024 had no 100-point scale: any score is recorded as given.
    evaluation_services.annual_grade_set(actor=None, person=person, year=2024, grade="HTXS", score=85)
    assert AnnualGrade.objects.get(year=2024).grade == "HTXS"


def test_grade_not_complete_is_allowed_for_someone_disciplined_that_year(city):
    person = f.make_person(city["ward_a"], "Bị Kỷ Luật", party_joined_on=dt.date(2010, 1, 1), party_official_on=dt.date(2011, 1, 1))
    discipline_services.discipline_record_create(actor=None, person=person, side="party", form="reprimand", decided_on=dt.date(2025, 5, 5))
    grade = evaluation_services.annual_grade_set(actor=None, person=person, year=2025, grade="KHT", score=75)
    assert events_for(grade).get().action == "grade.create"
    evaluation_services.annual_grade_set(actor=None, person=person, year=2025, grade="KHT", score=60)
    assert events_for(grade).filter(action="grade.update").get().before["score"] == "75.00"


def test_confidence_vote_counts_are_checked(city):
    person = f.make_person(city["ward_a"], "Lấy Phiếu")
    with pytest.raises(ValidationError):
        evaluation_services.confidence_vote_create(
            actor=None, person=person, held_on=dt.date(2025, 1, 1), eligible_voters=10, attendance=12,
            votes_high=5, votes_confident=5, votes_low=2,
        )  # fmt: skip


def test_plan_entry_is_unique_and_removal_needs_a_reason(city):
    person = f.make_person(city["ward_a"], "Quy Hoạch")
    title = f.make_title()
    entry = planning_services.plan_entry_create(
        actor=None, person=person, title=title, unit=city["ward_a"], term="2025-2030", approved_on=dt.date(2024, 1, 1)
    )
    with pytest.raises(ValidationError):
        planning_services.plan_entry_create(
            actor=None, person=person, title=title, unit=city["ward_a"], term="2025-2030", approved_on=dt.date(2024, 6, 1)
        )
    with pytest.raises(ValidationError) as exc:
        planning_services.plan_entry_create(
            actor=None, person=person, title=title, unit=city["ward_b"], term="2025-2029", approved_on=dt.date(2024, 6, 1)
        )
    assert "term" in exc.value.message_dict
    with pytest.raises(ValidationError):
        planning_services.plan_entry_remove(actor=None, entry=entry, removed_on=dt.date(2025, 1, 1), reason="")
    planning_services.plan_entry_remove(actor=None, entry=entry, removed_on=dt.date(2025, 1, 1), reason="discipline")
    assert events_for(entry).filter(action="plan_entry.remove").exists()


def test_target_set_creates_then_corrects_with_before_and_after(city):
    resolution = services.resolution_create(
        actor=None, scope_unit=city["root"], code="04-NQ/TU", name="Nghị quyết", issuer="Thành ủy", issued_on=dt.date(2021, 1, 1)
    )
    target = services.target_set(
        actor=None, resolution=resolution, key="targets.non_local.commune_heads", value="0,5", effective_from=dt.date(2021, 1, 1)
    )
    services.target_set(
        actor=None, resolution=resolution, key="targets.non_local.commune_heads", value="0.6", effective_from=dt.date(2021, 1, 1)
    )
    update = events_for(target).get(action="target.update")
    assert (update.before["value"], update.after["value"]) == ("0.5000", "0.6000")
    assert LocalTarget.objects.count() == 1


def test_target_share_above_one_is_refused(city):
    resolution = services.resolution_create(
        actor=None, scope_unit=city["root"], code="NQ", name="Nghị quyết", issuer="Thành ủy", issued_on=dt.date(2021, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        services.target_set(actor=None, resolution=resolution, key="targets.women.committee", value=30, effective_from=dt.date(2021, 1, 1))
    assert "value" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.target_set(actor=None, resolution=resolution, key="targets.women.committee", value="ba mươi", effective_from=dt.date(2021, 1, 1))


def test_listed_post_period_follows_decree_59(db):
    with pytest.raises(ValidationError) as exc:
        services.listed_post_save(actor=None, sector="Thuế", name="Kiểm tra thuế tại doanh nghiệp", period_months=70)
    assert "60" in exc.value.message_dict["period_months"][0]
    post = services.listed_post_save(actor=None, sector="Thuế", name="Kiểm tra thuế tại doanh nghiệp", period_months=48)
    assert not post.is_sample
    assert events_for(post).get().action == "listed_post.create"


def test_sample_listed_posts_are_seeded_and_marked(db):
    from canbo.regulations.models import ListedPost

    assert ListedPost.objects.filter(is_sample=True).count() >= 8
    assert ListedPost.objects.filter(sector="Tổ chức cán bộ").exists()


# The texts of 2025 in the services ---------------------------------------------------------------


def test_decree_172_refuses_demotion_from_july_2025_but_keeps_earlier_decisions(city):
    person = f.make_person(city["committee_b"], "Công Chức")
    discipline_services.discipline_record_create(
        actor=None, person=person, side="state", form="demotion", decided_on=dt.date(2025, 6, 30)
    )
    with pytest.raises(ValidationError) as exc:
        discipline_services.discipline_record_create(
            actor=None, person=person, side="state", form="salary_reduction", decided_on=dt.date(2025, 7, 1)
        )
    assert "Hạ bậc lương" in exc.value.message_dict["form"][0]
    assert DisciplineRecord.objects.filter(form="demotion").count() == 1


def test_removal_from_post_is_for_leaders_only_from_decree_172(city):
    staff = f.make_person(city["committee_b"], "Chuyên Viên")
    f.make_assignment(staff, f.make_position(city["committee_b"], f.make_title("chuyen-vien", "Chuyên viên", is_leadership=False)))
    with pytest.raises(ValidationError) as exc:
        discipline_services.discipline_record_create(
            actor=None, person=staff, side="state", form="removal_from_post", decided_on=dt.date(2025, 8, 1)
        )
    assert "lãnh đạo" in exc.value.message_dict["form"][0]
    leader = f.make_person(city["committee_b"], "Phó Chủ Tịch")
    f.make_assignment(leader, f.make_position(city["committee_b"], f.make_title("pho-chu-tich-ubnd-xa", "Phó Chủ tịch UBND")))
    discipline_services.discipline_record_create(
        actor=None, person=leader, side="state", form="removal_from_post", decided_on=dt.date(2025, 8, 1)
    )


def test_a_review_is_closed_with_its_outcome_and_remedy_audited(member):
    review = discipline_services.review_open(actor=None, person=member, kind="discipline_review", started_on=dt.date(2025, 9, 1))
    with pytest.raises(ValidationError):
        discipline_services.review_open(
            actor=None, person=member, kind="discipline_review", started_on=dt.date(2025, 9, 1), outcome="self_criticism"
        )
    discipline_services.review_close(actor=None, review=review, ended_on=dt.date(2025, 11, 1), outcome="not_disciplined")
    discipline_services.review_mark_remedied(actor=None, review=review, remedied_on=dt.date(2025, 12, 1))
    review.refresh_from_db()
    assert (review.outcome, review.remedied_on) == ("not_disciplined", dt.date(2025, 12, 1))
    assert events_for(review).filter(action="discipline_review.remedied").get().after["remedied_on"] == "2025-12-01"


def test_plan_review_is_audited_and_dated_within_the_entry(city):
    person = f.make_person(city["ward_a"], "Quy Hoạch")
    entry = planning_services.plan_entry_create(
        actor=None, person=person, title=f.make_title(), unit=city["ward_a"], term="2025-2030", approved_on=dt.date(2024, 1, 1)
    )
    with pytest.raises(ValidationError):
        planning_services.plan_entry_review(actor=None, entry=entry, reviewed_on=dt.date(2023, 12, 1))
    review = planning_services.plan_entry_review(actor=None, entry=entry, reviewed_on=dt.date(2025, 1, 10), meets_standards=False)
    assert events_for(review).get().action == "plan_entry.review"
    planning_services.plan_entry_remove(actor=None, entry=entry, removed_on=dt.date(2025, 2, 1), reason="standards")
    with pytest.raises(ValidationError):
        planning_services.plan_entry_review(actor=None, entry=entry, reviewed_on=dt.date(2025, 3, 1))


def test_state_grades_follow_decree_335_from_2026_and_party_grades_quy_dinh_366(city):
    civil_servant = f.make_person(city["committee_b"], "Công Chức Phường")
    # 2025 on the state side: no 100-point scale yet (Decree 90/2020), any score is recorded.
    evaluation_services.annual_grade_set(actor=None, person=civil_servant, year=2025, grade="HTXS", score=85)
    with pytest.raises(ValidationError) as exc:
        evaluation_services.annual_grade_set(actor=None, person=civil_servant, year=2026, grade="HTXS", score=85)
    assert "Hoàn thành tốt nhiệm vụ" in exc.value.message_dict["grade"][0]
    # A ground the system cannot see (degradation) lets "not complete" go with a higher score when the note states it.
    with pytest.raises(ValidationError):
        evaluation_services.annual_grade_set(actor=None, person=civil_servant, year=2026, grade="KHT", score=80)
    evaluation_services.annual_grade_set(
        actor=None, person=civil_servant, year=2026, grade="KHT", score=80, note="Có biểu hiện suy thoái về đạo đức, lối sống"
    )
    # A civil servant disciplined in 2026 for a breach in public service is graded "not complete".
    other = f.make_person(city["committee_b"], "Công Chức Bị Kỷ Luật")
    discipline_services.discipline_record_create(actor=None, person=other, side="state", form="reprimand", decided_on=dt.date(2026, 3, 1))
    with pytest.raises(ValidationError) as exc:
        evaluation_services.annual_grade_set(actor=None, person=other, year=2026, grade="HT", score=60)
    assert "Không hoàn thành nhiệm vụ" in exc.value.message_dict["grade"][0]
    evaluation_services.annual_grade_set(actor=None, person=other, year=2026, grade="KHT", score=60)
    # The party side's scale starts with Quy định 366 (30/8/2025): its 2025 grades are checked.
    party_member = f.make_person(city["ward_a"], "Đảng Viên")
    with pytest.raises(ValidationError):
        evaluation_services.annual_grade_set(actor=None, person=party_member, year=2025, grade="HTXS", score=85)


def test_the_standard_catalogue_carries_the_368_groups_and_council_delegates(db):
    from canbo.org.catalogue import TITLES_BY_CODE, load_standard_titles
    from canbo.org.models import Title, TitleGroup

    assert TITLES_BY_CODE["bi-thu-thanh-uy"].catalogue_group == TitleGroup.POLITBURO
    assert TITLES_BY_CODE["uv-btv-thanh-uy"].catalogue_group == TitleGroup.SECRETARIAT
    assert TITLES_BY_CODE["bi-thu-dang-uy-xa"].catalogue_group == TitleGroup.OTHER_LEVELS
    assert TITLES_BY_CODE["chuyen-vien"].catalogue_group == ""
    load_standard_titles()
    assert Title.objects.get(code="chu-tich-ubnd-tp").catalogue_group == TitleGroup.POLITBURO
    delegate = Title.objects.get(code="dai-bieu-hdnd-xa")
    assert not delegate.is_leadership and "peoples_council" in delegate.unit_kinds
    roles = default_parameters().get("titles.roles", dt.date(2026, 1, 1))
    assert {"dai-bieu-hdnd-tp", "dai-bieu-hdnd-xa"} <= set(roles["council_delegate"])
