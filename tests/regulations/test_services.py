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
