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

from .models import SuccessionPlanEntry


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
