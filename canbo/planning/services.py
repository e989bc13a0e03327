"""Writes to succession planning entries (approve, remove); each atomic and audited.

Whether a person *may* be planned is the regulations engine's answer
(`canbo.regulations.eligibility`); this service only keeps the records consistent.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from canbo.audit.models import AuditEvent
from canbo.audit.services import record_event, snapshot
from canbo.common.text import clean_text

from .models import SuccessionPlanEntry, SuccessionPlanReview


@transaction.atomic
def plan_entry_create(
    *, actor, person, title, unit, term: str, approved_on: dt.date, decision_number: str = "", note: str = "",
    source: str = AuditEvent.Source.WEB,
) -> SuccessionPlanEntry:  # fmt: skip
    entry = SuccessionPlanEntry(
        person=person, title=title, unit=unit, term=(term or "").strip(), approved_on=approved_on,
        decision_number=clean_text(decision_number), note=clean_text(note),
    )  # fmt: skip
    entry.full_clean()
    duplicate = SuccessionPlanEntry.objects.filter(
        SuccessionPlanEntry.active_on_q(approved_on), person=person, title=title, unit=unit, term=entry.term
    )
    if duplicate.exists():
        raise ValidationError({"person": "Cán bộ đã có trong quy hoạch chức danh này của nhiệm kỳ."})
    entry.save()
    record_event(
        actor=actor, action="plan_entry.create", obj=entry, before=None, after=snapshot(entry), unit=unit, source=source
    )
    return entry


@transaction.atomic
def plan_entry_remove(
    *, actor, entry: SuccessionPlanEntry, removed_on: dt.date, reason: str, note: str = "",
    source: str = AuditEvent.Source.WEB,
) -> SuccessionPlanEntry:  # fmt: skip
    entry = SuccessionPlanEntry.objects.select_for_update().select_related("unit").get(pk=entry.pk)
    if entry.removed_on is not None:
        raise ValidationError({"removed_on": "Cán bộ đã được đưa ra khỏi quy hoạch này."})
    before = snapshot(entry)
    entry.removed_on = removed_on
    entry.removal_reason = reason
    if note:
        entry.note = clean_text(note)
    entry.full_clean()
    entry.save()
    record_event(
        actor=actor, action="plan_entry.remove", obj=entry, before=before, after=snapshot(entry), unit=entry.unit,
        source=source,
    )  # fmt: skip
    return entry


@transaction.atomic
def plan_entry_review(
    *, actor, entry: SuccessionPlanEntry, reviewed_on: dt.date, meets_standards: bool = True, decision_number: str = "",
    note: str = "", source: str = AuditEvent.Source.WEB,
) -> SuccessionPlanReview:  # fmt: skip
    """Record the yearly review of a plan entry (whether the person still meets the title's
    standards). Removing a person who does not is a separate decision (`plan_entry_remove`)."""
    entry = SuccessionPlanEntry.objects.select_for_update().select_related("unit").get(pk=entry.pk)
    if reviewed_on < entry.approved_on:
        raise ValidationError({"reviewed_on": "Ngày rà soát không được trước ngày phê duyệt quy hoạch."})
    if entry.removed_on is not None and reviewed_on >= entry.removed_on:
        raise ValidationError({"reviewed_on": "Cán bộ đã được đưa ra khỏi quy hoạch trước ngày rà soát."})
    review = SuccessionPlanReview(
        entry=entry, reviewed_on=reviewed_on, meets_standards=meets_standards,
        decision_number=clean_text(decision_number), note=clean_text(note),
    )  # fmt: skip
    review.full_clean()
    review.save()
    record_event(
        actor=actor, action="plan_entry.review", obj=review, before=None, after=snapshot(review), unit=entry.unit,
        source=source,
    )  # fmt: skip
    return review
