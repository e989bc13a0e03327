"""Writes to discipline records and review periods; each atomic and audited.

Which forms apply to whom is read from the dated parameter `discipline.forms` (Quy định
69-QĐ/TW, Decree 112/2020, Decree 172/2025 from 1 July 2025) on the decision date, so a form that
did not exist then is refused (salary reduction and demotion of a civil servant from 1 July 2025),
and a form for leaders only (`discipline.state.leader_only_forms`: removal from post) is refused
for someone who held no leadership seat that day.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from canbo.audit.models import AuditEvent
from canbo.audit.services import record_event, snapshot
from canbo.common.dates import today
from canbo.common.text import clean_text
from canbo.regulations.params import ParameterNotInForce, default_parameters

from .models import (
    DisciplineForm,
    DisciplineRecord,
    DisciplineReview,
    DisciplineSide,
    ReviewOutcome,
)


def subject_of(person, side: str, on: dt.date) -> str:
    """The key of `discipline.forms` that applies to `person` on `on`."""
    if side == DisciplineSide.STATE:
        return "civil_servant"
    official = person.party_official_on is not None and person.party_official_on <= on
    return "party_full_member" if official else "party_probationary_member"


def _check_form(person, side: str, form: str, on: dt.date) -> None:
    if side == DisciplineSide.PARTY and (person.party_joined_on is None or person.party_joined_on > on):
        raise ValidationError({"side": "Cán bộ chưa là đảng viên vào ngày quyết định; không thể ghi kỷ luật đảng."})
    try:
        forms = default_parameters().get("discipline.forms", on)
    except ParameterNotInForce:
        return
    subject = subject_of(person, side, on)
    allowed = forms.get(subject)
    if allowed is not None and form not in allowed:
        labels = ", ".join(str(DisciplineForm(code).label) for code in allowed)
        raise ValidationError({"form": f"Hình thức «{DisciplineForm(form).label}» không áp dụng cho đối tượng này; chỉ có: {labels}."})
    if side == DisciplineSide.STATE:
        _check_leader_only(person, form, on)


def _check_leader_only(person, form: str, on: dt.date) -> None:
    try:
        leader_only = default_parameters().get("discipline.state.leader_only_forms", on)
    except ParameterNotInForce:
        return
    if form not in leader_only:
        return
    from canbo.people.models import Assignment

    held = Assignment.objects.filter(Assignment.current_on_q(on), person=person, position__title__is_leadership=True)
    if not held.exists():
        raise ValidationError(
            {"form": f"Hình thức «{DisciplineForm(form).label}» chỉ áp dụng với người giữ chức vụ lãnh đạo, quản lý vào ngày quyết định."}
        )


@transaction.atomic
def discipline_record_create(
    *, actor, person, side: str, form: str, decided_on: dt.date, decision_number: str = "", authority: str = "",
    note: str = "", source: str = AuditEvent.Source.WEB,
) -> DisciplineRecord:  # fmt: skip
    record = DisciplineRecord(
        person=person, side=side, form=form, decided_on=decided_on, decision_number=clean_text(decision_number),
        authority=clean_text(authority), note=clean_text(note),
    )  # fmt: skip
    record.full_clean()
    if decided_on > today():
        raise ValidationError({"decided_on": "Ngày quyết định không được ở tương lai."})
    if decided_on < person.birth_date:
        raise ValidationError({"decided_on": "Ngày quyết định không được trước ngày sinh."})
    _check_form(person, side, form, decided_on)
    record.save()
    record_event(
        actor=actor, action="discipline.create", obj=record, before=None, after=snapshot(record), unit=person.unit, source=source
    )
    return record


@transaction.atomic
def discipline_record_delete(*, actor, record: DisciplineRecord, source: str = AuditEvent.Source.WEB) -> None:
    """Remove a record entered by mistake (the audit trail keeps what it said)."""
    record = DisciplineRecord.objects.select_for_update().select_related("person__unit").get(pk=record.pk)
    record_event(
        actor=actor, action="discipline.delete", obj=record, before=snapshot(record), after=None, unit=record.person.unit,
        source=source,
    )  # fmt: skip
    record.delete()


@transaction.atomic
def review_open(
    *, actor, person, kind: str, started_on: dt.date, ended_on: dt.date | None = None, outcome: str = "",
    remedied_on: dt.date | None = None, note: str = "", source: str = AuditEvent.Source.WEB,
) -> DisciplineReview:  # fmt: skip
    """Open a review period (or record a concluded one: `ended_on` with its `outcome`)."""
    review = DisciplineReview(
        person=person, kind=kind, started_on=started_on, ended_on=ended_on, outcome=outcome, remedied_on=remedied_on,
        note=clean_text(note),
    )  # fmt: skip
    review.full_clean()
    review.save()
    record_event(
        actor=actor, action="discipline_review.create", obj=review, before=None, after=snapshot(review), unit=person.unit,
        source=source,
    )  # fmt: skip
    return review


@transaction.atomic
def review_close(
    *, actor, review: DisciplineReview, ended_on: dt.date, outcome: str = "", remedied_on: dt.date | None = None,
    source: str = AuditEvent.Source.WEB,
):  # fmt: skip
    """End a review with how the violation was concluded (ReviewOutcome) and, when its remedies are
    already done, the day they were."""
    review = DisciplineReview.objects.select_for_update().select_related("person__unit").get(pk=review.pk)
    before = snapshot(review)
    review.ended_on = ended_on
    if outcome:
        review.outcome = ReviewOutcome(outcome)
    if remedied_on is not None:
        review.remedied_on = remedied_on
    review.full_clean()
    review.save()
    record_event(
        actor=actor, action="discipline_review.close", obj=review, before=before, after=snapshot(review),
        unit=review.person.unit, source=source,
    )  # fmt: skip
    return review


@transaction.atomic
def review_mark_remedied(*, actor, review: DisciplineReview, remedied_on: dt.date, source: str = AuditEvent.Source.WEB):
    """Record the day the remedies a concluded review required were done."""
    review = DisciplineReview.objects.select_for_update().select_related("person__unit").get(pk=review.pk)
    before = snapshot(review)
    review.remedied_on = remedied_on
    review.full_clean()
    if remedied_on > today():
        raise ValidationError({"remedied_on": "Ngày khắc phục xong không được ở tương lai."})
    review.save()
    record_event(
        actor=actor, action="discipline_review.remedied", obj=review, before=before, after=snapshot(review),
        unit=review.person.unit, source=source,
    )  # fmt: skip
    return review
