"""Writes to discipline records and review periods; each atomic and audited.

Which forms apply to whom is read from the dated parameter `discipline.forms` (Quy định
69-QĐ/TW, Decree 112/2020) on the decision date, so a form that did not exist then is refused.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from canbo.audit.models import AuditEvent
from canbo.audit.services import record_event, snapshot
from canbo.common.dates import today
from canbo.common.text import clean_text
from canbo.regulations.params import ParameterNotInForce, default_parameters

from .models import DisciplineForm, DisciplineRecord, DisciplineReview, DisciplineSide


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
    *, actor, person, kind: str, started_on: dt.date, ended_on: dt.date | None = None, note: str = "",
    source: str = AuditEvent.Source.WEB,
) -> DisciplineReview:  # fmt: skip
    review = DisciplineReview(person=person, kind=kind, started_on=started_on, ended_on=ended_on, note=clean_text(note))
    review.full_clean()
    review.save()
    record_event(
        actor=actor, action="discipline_review.create", obj=review, before=None, after=snapshot(review), unit=person.unit,
        source=source,
    )  # fmt: skip
    return review


@transaction.atomic
def review_close(*, actor, review: DisciplineReview, ended_on: dt.date, source: str = AuditEvent.Source.WEB):
    review = DisciplineReview.objects.select_for_update().select_related("person__unit").get(pk=review.pk)
    before = snapshot(review)
    review.ended_on = ended_on
    review.full_clean()
    review.save()
    record_event(
        actor=actor, action="discipline_review.close", obj=review, before=before, after=snapshot(review),
        unit=review.person.unit, source=source,
    )  # fmt: skip
    return review
