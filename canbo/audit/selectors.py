"""Reading the audit trail: an object's history and its recorded state as of a past moment."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .models import AuditEvent


def events_for(obj: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        object_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=obj.pk,
    ).select_related("actor")


def state_as_of(obj: models.Model, when: dt.date | dt.datetime) -> AuditEvent | None:
    """The last recorded change at or before `when` (a date means the end of that day), or None."""
    if isinstance(when, dt.date) and not isinstance(when, dt.datetime):
        when = timezone.make_aware(dt.datetime.combine(when, dt.time.max))
    return events_for(obj).filter(occurred_at__lte=when).order_by("-occurred_at", "-id").first()
