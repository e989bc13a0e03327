"""Writing the audit trail. Every service that changes a record calls `record_event` in its
own transaction, with snapshots taken by `snapshot` before and after the change; the event is
hashed as it is written and sealed into the hash chain once that transaction commits
(`canbo.audit.chain`)."""

import datetime as dt
import decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from .chain import seal_on_commit, stamp
from .models import AuditEvent


def _json_value(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def snapshot(instance: models.Model, *, extra: dict | None = None) -> dict:
    """The record's own fields as JSON (foreign keys by id), plus any related rows in `extra`."""
    data = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.name in {"search_name", "path", "depth", "numchild"}:
            continue
        data[field.attname] = _json_value(field.value_from_object(instance))
    if extra:
        data.update(extra)
    return data


def actor_label_for(actor) -> str:
    if actor is None:
        return "hệ thống"
    return actor.get_username()


def record_event(
    *,
    actor,
    action: str,
    obj: models.Model,
    before: dict | None,
    after: dict | None,
    unit=None,
    source: str = AuditEvent.Source.WEB,
    actor_label: str | None = None,
) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the transaction of the change it records")
    event = AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label or actor_label_for(actor),
        source=source,
        action=action,
        object_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=obj.pk,
        object_repr=str(obj)[:300],
        unit=unit,
        before=before,
        after=after,
    )
    stamp(event)
    event.save(force_insert=True)
    seal_on_commit([event.pk])
    return event
