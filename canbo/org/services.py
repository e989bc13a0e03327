"""Writes to the structure: units (create, update, move, dissolve), titles and seats.

Each service is atomic, takes the acting user as a keyword argument and records an
AuditEvent with the before/after snapshots in the same transaction.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from canbo.audit.models import AuditEvent
from canbo.audit.services import record_event, snapshot

from .models import Position, Title, Unit

UNIT_FIELDS = ("name", "short_name", "code", "kind", "area", "established_on", "dissolved_on", "note")
POSITION_FIELDS = ("seat_count", "is_key_post", "note")
TITLE_FIELDS = ("code", "name", "managing_body", "is_head", "rank", "unit_kinds", "is_leadership", "catalogue_group")


def _unit_snapshot(unit: Unit, *, predecessor_ids: list[int] | None = None) -> dict:
    """The unit's fields, its parent and, when it has any, its predecessors (sorted ids)."""
    extra = {"parent_id": Unit.objects.get_parent(unit).pk if unit.depth > 1 else None}
    if predecessor_ids is None:
        predecessor_ids = sorted(unit.predecessors.values_list("pk", flat=True)) if unit.pk else []
    if predecessor_ids:
        extra["predecessor_ids"] = sorted(predecessor_ids)
    return snapshot(unit, extra=extra)


def _checked_predecessors(unit: Unit, predecessors) -> list[Unit]:
    """The predecessors of `unit`: other units, dissolved no later than `unit` was established."""
    chosen = list({p.pk: p for p in predecessors}.values())
    problems = []
    for predecessor in chosen:
        if predecessor.pk == unit.pk:
            problems.append(_("Một đơn vị không thể là tiền thân của chính nó."))
        elif predecessor.dissolved_on is None:
            problems.append(_("«%(name)s» chưa giải thể nên chưa thể là đơn vị tiền thân.") % {"name": predecessor.name})
        elif unit.established_on and predecessor.dissolved_on > unit.established_on:
            problems.append(
                _("«%(name)s» hoạt động đến hết ngày %(end)s, sau ngày thành lập đơn vị này (%(start)s), "
                  "nên không thể là đơn vị tiền thân.")
                % {"name": predecessor.name, "end": f"{predecessor.dissolved_on:%d/%m/%Y}",
                   "start": f"{unit.established_on:%d/%m/%Y}"}
            )  # fmt: skip
    if problems:
        raise ValidationError({"predecessors": problems})
    return chosen


def _validate(instance, *, exclude=None) -> None:
    instance.full_clean(exclude=exclude)


def _check_within_parent_dates(unit: Unit, parent: Unit | None) -> None:
    if parent is None or parent.dissolved_on is None:
        return
    if unit.dissolved_on is None or unit.dissolved_on > parent.dissolved_on:
        raise ValidationError(
            {
                "dissolved_on": f"Đơn vị cấp trên đã giải thể ngày {parent.dissolved_on:%d/%m/%Y}; "
                "đơn vị này phải có ngày giải thể không muộn hơn."
            }
        )


@transaction.atomic
def unit_create(
    *, actor, parent: Unit | None, predecessors=(), source: str = AuditEvent.Source.WEB, **fields
) -> Unit:
    unit = Unit(**{k: v for k, v in fields.items() if k in UNIT_FIELDS})
    # Validate everything but the tree columns, which treebeard fills in on insert.
    _validate(unit, exclude=["path", "depth", "numchild"])
    _check_within_parent_dates(unit, parent)
    predecessors = _checked_predecessors(unit, predecessors)
    if parent is None:
        unit = Unit.objects.add_root(instance=unit)
    else:
        parent = Unit.objects.select_for_update().get(pk=parent.pk)
        unit = Unit.objects.add_child(parent, instance=unit)
    if predecessors:
        unit.predecessors.set(predecessors)
    after = _unit_snapshot(unit, predecessor_ids=[p.pk for p in predecessors])
    record_event(actor=actor, action="unit.create", obj=unit, before=None, after=after, unit=unit, source=source)
    return unit


@transaction.atomic
def unit_update(
    *, actor, unit: Unit, predecessors=None, source: str = AuditEvent.Source.WEB, **fields
) -> Unit:
    """Change a unit's fields and, when `predecessors` is given, replace its predecessors."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = _unit_snapshot(unit)
    for name, value in fields.items():
        if name not in UNIT_FIELDS:
            raise ValueError(f"unit_update: unknown field {name}")
        setattr(unit, name, value)
    _validate(unit, exclude=["path", "depth", "numchild"])
    _check_within_parent_dates(unit, Unit.objects.get_parent(unit) if unit.depth > 1 else None)
    if predecessors is None:
        predecessors = list(unit.predecessors.all())
    predecessors = _checked_predecessors(unit, predecessors)
    after = _unit_snapshot(unit, predecessor_ids=[p.pk for p in predecessors])
    if after == before:
        return unit
    unit.save()
    unit.predecessors.set(predecessors)
    record_event(actor=actor, action="unit.update", obj=unit, before=before, after=after, unit=unit, source=source)
    return unit


@transaction.atomic
def unit_move(*, actor, unit: Unit, new_parent: Unit, source: str = AuditEvent.Source.WEB) -> Unit:
    """Re-parent a unit with its whole subtree (check, then execute; after wagtail's MovePageAction)."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    new_parent = Unit.objects.get(pk=new_parent.pk)
    if new_parent.pk == unit.pk or new_parent.path.startswith(unit.path):
        raise ValidationError({"parent": "Không thể chuyển đơn vị vào chính nó hoặc một đơn vị cấp dưới của nó."})
    old_parent = Unit.objects.get_parent(unit)
    if old_parent and old_parent.pk == new_parent.pk:
        return unit
    before = _unit_snapshot(unit)
    Unit.objects.move(unit, new_parent, pos="last-child")
    unit = Unit.objects.get(pk=unit.pk)
    record_event(actor=actor, action="unit.move", obj=unit, before=before, after=_unit_snapshot(unit), unit=unit, source=source)
    return unit


@transaction.atomic
def title_create(*, actor, source: str = AuditEvent.Source.WEB, **fields) -> Title:
    title = Title(**{k: v for k, v in fields.items() if k in TITLE_FIELDS})
    _validate(title)
    title.save()
    record_event(actor=actor, action="title.create", obj=title, before=None, after=snapshot(title), source=source)
    return title


@transaction.atomic
def title_update(*, actor, title: Title, source: str = AuditEvent.Source.WEB, **fields) -> Title:
    title = Title.objects.select_for_update().get(pk=title.pk)
    before = snapshot(title)
    for name, value in fields.items():
        if name not in TITLE_FIELDS:
            raise ValueError(f"title_update: unknown field {name}")
        setattr(title, name, value)
    _validate(title)
    title.save()
    record_event(actor=actor, action="title.update", obj=title, before=before, after=snapshot(title), source=source)
    return title


@transaction.atomic
def position_create(*, actor, unit: Unit, title: Title, source: str = AuditEvent.Source.WEB, **fields) -> Position:
    position = Position(unit=unit, title=title, **{k: v for k, v in fields.items() if k in POSITION_FIELDS})
    if Position.objects.filter(unit=unit, title=title).exists():
        raise ValidationError({"title": "Đơn vị đã có vị trí cho chức danh này."})
    _validate(position)
    position.save()
    record_event(
        actor=actor, action="position.create", obj=position, before=None, after=snapshot(position), unit=unit, source=source
    )
    return position


@transaction.atomic
def position_update(*, actor, position: Position, source: str = AuditEvent.Source.WEB, **fields) -> Position:
    from canbo.people.selectors import max_concurrent_holders

    position = Position.objects.select_for_update().select_related("unit", "title").get(pk=position.pk)
    before = snapshot(position)
    for name, value in fields.items():
        if name not in POSITION_FIELDS:
            raise ValueError(f"position_update: unknown field {name}")
        setattr(position, name, value)
    _validate(position)
    busiest = max_concurrent_holders(position, start=dt.date.min, end=None)
    if position.seat_count < busiest:
        raise ValidationError(
            {"seat_count": f"Số lượng không được nhỏ hơn số người đã đảm nhiệm cùng lúc ({busiest})."}
        )
    position.save()
    record_event(
        actor=actor,
        action="position.update",
        obj=position,
        before=before,
        after=snapshot(position),
        unit=position.unit,
        source=source,
    )
    return position
