"""Writes to people and their work: résumé records, degrees and assignments to seats.

Each service is atomic, takes the acting user as a keyword argument, validates across rows
(a seat never holds more people at once than its seat count) and records an AuditEvent with
before/after snapshots in the same transaction.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

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


def _degree_rows(person: Person, degrees: Iterable[dict]) -> tuple[list[Degree], list[str]]:
    """The degrees as unsaved rows of `person`, and the messages of those that fail validation."""
    rows, messages = [], []
    for index, data in enumerate(degrees, start=1):
        degree = Degree(person=person, **data)
        degree.field = clean_text(degree.field)
        degree.institution = clean_text(degree.institution)
        try:
            degree.full_clean(exclude=["person"])
        except ValidationError as exc:
            messages += [f"Văn bằng thứ {index}: {m}" for m in exc.messages]
        rows.append(degree)
    return rows, messages


def _validated_person(person: Person, degrees: Iterable[dict] | None, *, exclude=()) -> list[Degree] | None:
    """Check the résumé and its degrees together, raising one ValidationError with every error
    (the fields' own checks, the checks across fields, the degrees'); the degree rows to write."""
    errors: dict[str, list] = {}
    try:
        person.full_clean(exclude=list(exclude) or None)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    rows = None
    if degrees is not None:
        rows, messages = _degree_rows(person, degrees)
        if messages:
            errors.setdefault("degrees", []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return rows


def _replace_degrees(person: Person, rows: list[Degree]) -> None:
    person.degrees.all().delete()
    for row in rows:
        row.person = person  # the rows were built before the person had its id
    Degree.objects.bulk_create(rows)


@transaction.atomic
def person_create(
    *, actor, degrees: Iterable[dict] = (), source: str = AuditEvent.Source.WEB, **fields
) -> Person:
    person = Person()
    _apply_person_fields(person, fields)
    rows = _validated_person(person, degrees)
    person.save()
    _replace_degrees(person, rows)
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
    rows = _validated_person(person, degrees)
    person.save()
    if rows is not None:
        _replace_degrees(person, rows)
    after = _person_snapshot(person)
    if after != before:
        record_event(
            actor=actor, action="person.update", obj=person, before=before, after=after, unit=person.unit, source=source
        )
    return person


def person_validate(
    *, person: Person | None = None, degrees: Iterable[dict] | None = None, unreadable: Iterable[str] = (), **fields
) -> None:
    """Raise the ValidationError `person_create` (or `person_update` of `person`) would raise for
    these values, with every error at once; write nothing.

    A form whose input is partly unreadable (a date typed in another format) calls this with the
    fields it could read, so the user sees the checks across fields in the same pass as the
    format errors. The `unreadable` fields count as empty and are neither checked nor reported:
    the form has already said what is wrong with them.
    """
    unreadable = [name for name in unreadable if name in PERSON_FIELDS]
    candidate = Person.objects.get(pk=person.pk) if person is not None else Person()
    _apply_person_fields(candidate, fields)
    for name in unreadable:
        setattr(candidate, name, None)
    try:
        _validated_person(candidate, degrees, exclude=unreadable)
    except ValidationError as exc:
        errors = {name: messages for name, messages in exc.error_dict.items() if name not in unreadable}
        if errors:
            raise ValidationError(errors) from None


def _seat_capacity_error(assignment: Assignment, position: Position) -> str | None:
    busiest = max_concurrent_holders(
        position,
        start=assignment.start_date,
        end=assignment.end_date,
        exclude_pk=assignment.pk,
        extra=(assignment.start_date, assignment.end_date),
    )
    if busiest > position.seat_count:
        return (
            f"Vị trí «{position}» chỉ có {position.seat_count} người; trong khoảng thời gian này "
            f"sẽ có {busiest} người cùng đảm nhiệm."
        )
    return None


def _person_overlaps(assignment: Assignment) -> bool:
    clash = Assignment.objects.filter(person=assignment.person, position=assignment.position).exclude(pk=assignment.pk)
    clash = clash.filter(start_date__lte=assignment.end_date) if assignment.end_date else clash
    clash = clash.exclude(end_date__lt=assignment.start_date)
    return clash.exists()


def _validated_assignment(assignment: Assignment, *, exclude=()) -> None:
    """Check an assignment before writing it; one ValidationError names every problem found.

    The seat's row is locked first (SELECT … FOR UPDATE; on SQLite the write transaction
    itself), so two simultaneous appointments to its last place are counted one after the other.
    """
    errors: dict[str, list] = {}
    try:
        assignment.full_clean(exclude=list(exclude) or None)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    start, end = assignment.start_date, assignment.end_date
    birth = assignment.person.birth_date
    if start and birth and start < birth:
        add("start_date", "Ngày bắt đầu không được trước ngày sinh của cán bộ.")
    if assignment.decision_date and birth and assignment.decision_date < birth:
        add("decision_date", str(_("Ngày quyết định không được trước ngày sinh của cán bộ.")))
    position = Position.objects.select_for_update().select_related("unit", "title").get(pk=assignment.position_id)
    unit = position.unit
    if start and not unit.exists_on(start):
        add("start_date", f"Đơn vị «{unit}» không tồn tại vào ngày bắt đầu.")
    if unit.dissolved_on and (end is None or end > unit.dissolved_on):
        add("end_date", f"Đơn vị «{unit}» giải thể ngày {unit.dissolved_on:%d/%m/%Y}; cần ngày kết thúc không muộn hơn.")
    # The checks against other rows need a well-formed period.
    if start and (end is None or end >= start):
        if _person_overlaps(assignment):
            add("start_date", "Cán bộ đã đảm nhiệm vị trí này trong khoảng thời gian trùng lặp.")
        capacity = _seat_capacity_error(assignment, position)
        if capacity:
            add("position", capacity)
    if errors:
        raise ValidationError(errors)


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


def assignment_validate(
    *, person: Person, position: Position, assignment: Assignment | None = None, unreadable=(), **fields
) -> None:
    """Raise the ValidationError `assignment_create` (or `assignment_update` of `assignment`)
    would raise for these values, with every error at once; write nothing. `unreadable` fields
    count as empty and are not reported, as in `person_validate`."""
    unreadable = [name for name in unreadable if name in ASSIGNMENT_FIELDS]
    if assignment is not None:
        candidate = Assignment.objects.select_related("person").get(pk=assignment.pk)
    else:
        candidate = Assignment(person=person, position=position)
    for name, value in fields.items():
        if name not in ASSIGNMENT_FIELDS:
            raise ValueError(f"unknown assignment field {name}")
        setattr(candidate, name, clean_text(value) if isinstance(value, str) else value)
    for name in unreadable:
        setattr(candidate, name, None)
    try:
        with transaction.atomic():  # the seat's lock is taken, then released: nothing is written
            _validated_assignment(candidate, exclude=unreadable)
    except ValidationError as exc:
        errors = {name: messages for name, messages in exc.error_dict.items() if name not in unreadable}
        if errors:
            raise ValidationError(errors) from None


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
