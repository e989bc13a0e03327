"""Writes to people and their work: résumé records, degrees and assignments to seats.

Each service is atomic, takes the acting user as a keyword argument, validates across rows
(a seat never holds more people at once than its seat count) and records an AuditEvent with
before/after snapshots in the same transaction.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from canbo.audit.models import AuditEvent
from canbo.audit.services import record_event, snapshot
from canbo.common.text import clean_text
from canbo.org.models import Position

from .models import Assignment, Degree, Person, Relation
from .selectors import max_concurrent_holders

PERSON_FIELDS = (
    "unit", "full_name", "other_names", "sex", "birth_date", "birth_date_precision", "birthplace", "hometown",
    "residence", "residence_detail", "residence_since", "ethnicity", "religion", "citizen_id", "category", "party_joined_on",
    "party_official_on", "party_card_number", "general_education", "political_theory", "state_management",
    "foreign_language", "it_skill", "academic_title",
)  # fmt: skip
TEXT_FIELDS = {"full_name", "other_names", "residence_detail", "party_card_number", "foreign_language", "it_skill"}
ASSIGNMENT_FIELDS = (
    "kind", "decision_number", "decision_date", "issuing_body", "start_date", "end_date", "note",
)  # fmt: skip


def _person_snapshot(person: Person) -> dict:
    return snapshot(person, extra={"degrees": [d.as_dict() for d in person.degrees.all().order_by("id")]})


def _apply_person_fields(person: Person, fields: dict) -> None:
    for name, value in fields.items():
        if name not in PERSON_FIELDS:
            raise ValueError(f"unknown person field {name}")
        if name in TEXT_FIELDS:
            value = clean_text(value)
        if name == "citizen_id":
            value = (value or "").strip()
        setattr(person, name, value)


def _replace_degrees(person: Person, degrees: Iterable[dict]) -> None:
    person.degrees.all().delete()
    rows = []
    for index, data in enumerate(degrees, start=1):
        degree = Degree(person=person, **data)
        degree.field = clean_text(degree.field)
        degree.institution = clean_text(degree.institution)
        try:
            degree.full_clean(exclude=["person"])
        except ValidationError as exc:
            raise ValidationError({"degrees": [f"Văn bằng thứ {index}: {m}" for m in exc.messages]}) from exc
        rows.append(degree)
    Degree.objects.bulk_create(rows)


@transaction.atomic
def person_create(
    *, actor, degrees: Iterable[dict] = (), source: str = AuditEvent.Source.WEB, **fields
) -> Person:
    person = Person()
    _apply_person_fields(person, fields)
    person.full_clean()
    person.save()
    _replace_degrees(person, degrees)
    record_event(
        actor=actor, action="person.create", obj=person, before=None, after=_person_snapshot(person), unit=person.unit, source=source
    )
    return person


@transaction.atomic
def person_update(
    *, actor, person: Person, degrees: Iterable[dict] | None = None, source: str = AuditEvent.Source.WEB, **fields
) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = _person_snapshot(person)
    _apply_person_fields(person, fields)
    person.full_clean()
    person.save()
    if degrees is not None:
        _replace_degrees(person, degrees)
    after = _person_snapshot(person)
    if after != before:
        record_event(
            actor=actor, action="person.update", obj=person, before=before, after=after, unit=person.unit, source=source
        )
    return person


def _check_seat_capacity(assignment: Assignment, position: Position) -> None:
    busiest = max_concurrent_holders(
        position,
        start=assignment.start_date,
        end=assignment.end_date,
        exclude_pk=assignment.pk,
        extra=(assignment.start_date, assignment.end_date),
    )
    if busiest > position.seat_count:
        raise ValidationError(
            {
                "position": (
                    f"Vị trí «{position}» chỉ có {position.seat_count} người; trong khoảng thời gian này "
                    f"sẽ có {busiest} người cùng đảm nhiệm."
                )
            }
        )


def _check_person_overlap(assignment: Assignment) -> None:
    clash = Assignment.objects.filter(person=assignment.person, position=assignment.position).exclude(pk=assignment.pk)
    clash = clash.filter(start_date__lte=assignment.end_date) if assignment.end_date else clash
    clash = clash.exclude(end_date__lt=assignment.start_date)
    if clash.exists():
        raise ValidationError({"start_date": "Cán bộ đã đảm nhiệm vị trí này trong khoảng thời gian trùng lặp."})


def _validated_assignment(assignment: Assignment) -> None:
    assignment.full_clean()
    if assignment.person.birth_date and assignment.start_date < assignment.person.birth_date:
        raise ValidationError({"start_date": "Ngày bắt đầu không được trước ngày sinh của cán bộ."})
    position = Position.objects.select_for_update().select_related("unit", "title").get(pk=assignment.position_id)
    unit = position.unit
    if not unit.exists_on(assignment.start_date):
        raise ValidationError({"start_date": f"Đơn vị «{unit}» không tồn tại vào ngày bắt đầu."})
    if unit.dissolved_on and (assignment.end_date is None or assignment.end_date > unit.dissolved_on):
        raise ValidationError(
            {"end_date": f"Đơn vị «{unit}» giải thể ngày {unit.dissolved_on:%d/%m/%Y}; cần ngày kết thúc không muộn hơn."}
        )
    _check_person_overlap(assignment)
    _check_seat_capacity(assignment, position)


def _assignment_unit(assignment: Assignment):
    return assignment.position.unit


@transaction.atomic
def assignment_create(
    *, actor, person: Person, position: Position, source: str = AuditEvent.Source.WEB, **fields
) -> Assignment:
    assignment = Assignment(person=person, position=position)
    for name, value in fields.items():
        if name not in ASSIGNMENT_FIELDS:
            raise ValueError(f"unknown assignment field {name}")
        setattr(assignment, name, clean_text(value) if isinstance(value, str) else value)
    _validated_assignment(assignment)
    assignment.save()
    record_event(
        actor=actor,
        action="assignment.create",
        obj=assignment,
        before=None,
        after=snapshot(assignment),
        unit=_assignment_unit(assignment),
        source=source,
    )
    return assignment


@transaction.atomic
def assignment_update(*, actor, assignment: Assignment, source: str = AuditEvent.Source.WEB, **fields) -> Assignment:
    assignment = Assignment.objects.select_for_update().select_related("person", "position__unit").get(pk=assignment.pk)
    before = snapshot(assignment)
    for name, value in fields.items():
        if name not in ASSIGNMENT_FIELDS:
            raise ValueError(f"unknown assignment field {name}")
        setattr(assignment, name, clean_text(value) if isinstance(value, str) else value)
    _validated_assignment(assignment)
    assignment.save()
    after = snapshot(assignment)
    if after != before:
        record_event(
            actor=actor,
            action="assignment.update",
            obj=assignment,
            before=before,
            after=after,
            unit=_assignment_unit(assignment),
            source=source,
        )
    return assignment


def assignment_end(*, actor, assignment: Assignment, end_date, note: str = "", source: str = AuditEvent.Source.WEB):
    """End a running assignment (relief from post, retirement, move)."""
    fields = {"end_date": end_date}
    if note:
        fields["note"] = note
    return assignment_update(actor=actor, assignment=assignment, source=source, **fields)


@transaction.atomic
def relation_create(
    *, actor, person: Person, relative: Person, kind: str, note: str = "", source: str = AuditEvent.Source.WEB
) -> Relation:
    """Record that `relative` is `person`'s <kind>. A pair is recorded once, in either direction."""
    if person.pk == relative.pk:
        raise ValidationError({"relative": "Không thể ghi quan hệ của cán bộ với chính mình."})
    if Relation.objects.filter(person=person, relative=relative).exists() or Relation.objects.filter(
        person=relative, relative=person
    ).exists():
        raise ValidationError({"relative": "Quan hệ giữa hai người này đã được ghi."})
    relation = Relation(person=person, relative=relative, kind=kind, note=clean_text(note))
    relation.full_clean()
    relation.save()
    record_event(
        actor=actor, action="relation.create", obj=relation, before=None, after=snapshot(relation), unit=person.unit, source=source
    )
    return relation


@transaction.atomic
def relation_delete(*, actor, relation: Relation, source: str = AuditEvent.Source.WEB) -> None:
    relation = Relation.objects.select_for_update().select_related("person").get(pk=relation.pk)
    before = snapshot(relation)
    unit = relation.person.unit
    record_event(actor=actor, action="relation.delete", obj=relation, before=before, after=None, unit=unit, source=source)
    relation.delete()
