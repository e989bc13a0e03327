"""Reads of the unit tree for the pages: children on a date, subtree counts, a unit's page, its history.

Every function takes the request's `AccessPolicy` and filters through it, and costs a constant
number of queries whatever the number of units, seats, holders or people involved.
"""

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from canbo.access.models import Permission
from canbo.access.policy import AccessPolicy
from canbo.areas.models import AdminArea
from canbo.audit.models import AuditEvent
from canbo.audit.selectors import events_for, state_as_of
from canbo.common.text import fold
from canbo.people.models import Assignment, Person
from canbo.people.populations import Basis, counted_people
from canbo.people.selectors import holders_on

from .models import Position, Title, Unit

UNIT_PEOPLE_SHOWN = 50
SEARCH_RESULTS_SHOWN = 50


@dataclass(frozen=True)
class SubtreeCounts:
    """Figures for a unit and everything under it, as of one day (the populations are
    `canbo.people.populations`'s, counted as the people list lists them)."""

    records: int = 0  # records kept (Person.unit) in the subtree, whatever the day: "hồ sơ quản lý"
    holders: int = 0  # people holding a seat of the subtree on the day: "người đang giữ vị trí"
    seats: int = 0  # places of all seats in the units of the subtree that exist on the day
    vacancies: int = 0  # places without a holder on the day
    children: int = 0  # direct sub-units existing on the day


@dataclass
class UnitNode:
    unit: Unit
    counts: SubtreeCounts
    ancestors: list[Unit] = field(default_factory=list)  # filled where the page shows where a unit sits


@dataclass
class SeatRow:
    position: Position
    holders: list[Assignment]

    @property
    def vacancies(self) -> int:
        return max(self.position.seat_count - len(self.holders), 0)


# Tree --------------------------------------------------------------------------------------


def children_on(unit: Unit, day: dt.date, policy: AccessPolicy) -> QuerySet[Unit]:
    """The direct sub-units of `unit` that exist on `day`, in tree order."""
    return (
        Unit.objects.filter(policy.path_q(), Unit.existing_on_q(day), path__startswith=unit.path, depth=unit.depth + 1)
        .select_related("area")
        .order_by("path")
    )


def root_units_on(day: dt.date, policy: AccessPolicy) -> QuerySet[Unit]:
    """The tops of the user's subtrees that exist on `day`."""
    return policy.root_units().filter(Unit.existing_on_q(day)).order_by("path")


def _common_path(paths: Sequence[str]) -> str:
    """The longest whole-step path prefix shared by all `paths` (the parent, for siblings)."""
    common = os.path.commonprefix(list(paths))
    return common[: len(common) - len(common) % Unit.steplen]


def _by_subtree(queryset: QuerySet, path_field: str, paths: list[str]) -> QuerySet:
    """`queryset` restricted to the subtrees of `paths` (all of one depth), grouped by which one."""
    return (
        queryset.filter(**{f"{path_field}__startswith": _common_path(paths)})
        .annotate(prefix=Substr(path_field, 1, len(paths[0])))
        .filter(prefix__in=paths)
        .order_by()
        .values("prefix")
    )


def subtree_counts(units: Iterable[Unit], day: dt.date, policy: AccessPolicy) -> dict[int, SubtreeCounts]:
    """Records, holders, seats, vacancies and sub-units for the subtree of each unit, keyed by unit id.

    Each figure is aggregated once for all the units of one depth, grouped by the first
    `steplen * depth` characters of the path (the unit's own path), so showing the children of
    a node costs four queries whatever the number of children or rows beneath them. Records and
    holders are counted among the people the user may see, as the people list shows them.
    """
    units = list(units)
    by_depth: dict[int, list[Unit]] = defaultdict(list)
    for unit in units:
        by_depth[unit.depth].append(unit)
    in_scope_on_day = policy.path_q(field="unit__path") & Unit.existing_on_q(day, "unit__")
    # A seat never holds more people at once than its seat count (people.services enforces it
    # on every write, imports and the demo check it), so vacancies are the places minus the
    # current holders, two plain aggregates instead of one subquery per seat.
    current_holders = Assignment.objects.filter(
        Assignment.current_on_q(day),
        policy.path_q(field="position__unit__path"),
        Unit.existing_on_q(day, "position__unit__"),
    )
    visible_holder = None if policy.is_global else Q(person__in=policy.people())
    records_in_scope = Person.objects.filter(policy.path_q(field="unit__path"))
    figures: dict[int, dict[str, int]] = {unit.pk: {} for unit in units}
    for depth, group in by_depth.items():
        pk_by_path = {unit.path: unit.pk for unit in group}
        paths = list(pk_by_path)
        records = _by_subtree(records_in_scope, "unit__path", paths).annotate(n=Count("id"))
        for row in records:
            figures[pk_by_path[row["prefix"]]]["records"] = row["n"]
        seats = _by_subtree(Position.objects.filter(in_scope_on_day), "unit__path", paths).annotate(
            seats=Sum("seat_count")
        )
        for row in seats:
            figures[pk_by_path[row["prefix"]]].update(seats=row["seats"] or 0, vacancies=row["seats"] or 0)
        # The places taken in each subtree, and the distinct people (the user may see) taking them.
        taken = _by_subtree(current_holders, "position__unit__path", paths).annotate(
            n=Count("id"), people=Count("person_id", distinct=True, filter=visible_holder)
        )
        for row in taken:
            figures[pk_by_path[row["prefix"]]]["vacancies"] -= row["n"]
            figures[pk_by_path[row["prefix"]]]["holders"] = row["people"]
        children = _by_subtree(
            Unit.objects.filter(policy.path_q(), Unit.existing_on_q(day), depth=depth + 1), "path", paths
        ).annotate(n=Count("id"))
        for row in children:
            figures[pk_by_path[row["prefix"]]]["children"] = row["n"]
    return {pk: SubtreeCounts(**values) for pk, values in figures.items()}


def with_counts(units: Iterable[Unit], day: dt.date, policy: AccessPolicy) -> list[UnitNode]:
    units = list(units)
    counts = subtree_counts(units, day, policy)
    return [UnitNode(unit, counts[unit.pk]) for unit in units]


def visible_ancestors_map(units: Iterable[Unit], policy: AccessPolicy) -> dict[int, list[Unit]]:
    """For each unit, its ancestors (root first) that the user may see, in one query."""
    units = list(units)
    wanted = {unit.path[: Unit.steplen * d] for unit in units for d in range(1, unit.depth)}
    found = {u.path: u for u in Unit.objects.filter(policy.path_q(), path__in=wanted)} if wanted else {}
    return {
        unit.pk: [found[p] for d in range(1, unit.depth) if (p := unit.path[: Unit.steplen * d]) in found]
        for unit in units
    }


def search_units(query: str, day: dt.date, policy: AccessPolicy) -> list[UnitNode]:
    """Units of the user's scope whose name contains `query`, without diacritics, existing on `day`,
    each with its visible ancestors."""
    key = fold(query)
    if not key:
        return []
    found = list(
        policy.units()
        .filter(Unit.existing_on_q(day), search_name__contains=key)
        .select_related("area")
        .order_by("path")[:SEARCH_RESULTS_SHOWN]
    )
    ancestors = visible_ancestors_map(found, policy)
    nodes = with_counts(found, day, policy)
    for node in nodes:
        node.ancestors = ancestors[node.unit.pk]
    return nodes


# Unit page ---------------------------------------------------------------------------------


def seat_rows(unit: Unit, day: dt.date, policy: AccessPolicy) -> list[SeatRow]:
    positions = holders_on(policy.positions().filter(unit=unit), day)
    return [SeatRow(position, position.current_assignments) for position in positions]


def people_kept_in(unit: Unit, day: dt.date, policy: AccessPolicy) -> tuple[list[Person], int]:
    """The first records kept in `unit` with their seats on `day` (only seats the user may see), and the total."""
    people = policy.people().filter(unit=unit)
    seats = (
        policy.assignments()
        .filter(Assignment.current_on_q(day))
        .select_related("position__title", "position__unit")
        .order_by("start_date")
    )
    shown = list(
        people.order_by("search_name", "id").prefetch_related(
            Prefetch("assignments", queryset=seats, to_attr="current_assignments")
        )[:UNIT_PEOPLE_SHOWN]
    )
    total = len(shown) if len(shown) < UNIT_PEOPLE_SHOWN else people.count()
    return shown, total


@dataclass
class Lineage:
    """The units a unit took over from (predecessors) or that took over from it (successors):
    those the user may see, each with the day to look at it on, and how many others there are."""

    units: list[Unit]
    hidden: int
    day: dt.date | None  # predecessors: their last day; successors: their first day


def lineage_of(unit: Unit, policy: AccessPolicy) -> tuple[Lineage, Lineage]:
    """(predecessors, successors) of `unit`, in one query."""
    links = Unit.predecessors.through.objects.filter(Q(from_unit=unit) | Q(to_unit=unit)).select_related(
        "from_unit", "to_unit"
    )
    before, after = [], []
    for link in links:
        if link.from_unit_id == unit.pk:
            before.append(link.to_unit)
        else:
            after.append(link.from_unit)
    result = []
    for rows, day in (
        (before, unit.established_on - dt.timedelta(days=1) if unit.established_on else None),
        (after, unit.dissolved_on + dt.timedelta(days=1) if unit.dissolved_on else None),
    ):
        rows.sort(key=lambda row: row.path)
        shown = [row for row in rows if policy.covers_path(row.path)]
        result.append(Lineage(shown, len(rows) - len(shown), day))
    return result[0], result[1]


def unit_detail_context(unit: Unit, day: dt.date, policy: AccessPolicy) -> dict:
    """Everything the unit page shows, in a constant number of queries.

    On a day the unit does not exist (before it was established, after it was dissolved) it has
    no seats and offers nothing to fill: the page says why and leads to the units before or after.
    """
    children = list(children_on(unit, day, policy))
    counts = subtree_counts([unit, *children], day, policy)
    people, people_total = people_kept_in(unit, day, policy)
    exists = unit.exists_on(day)
    seats = seat_rows(unit, day, policy) if exists else []
    predecessors, successors = lineage_of(unit, policy)
    return {
        "unit": unit,
        "ancestors": visible_ancestors_map([unit], policy)[unit.pk],
        "exists_on_day": exists,
        "not_yet_established": unit.established_on is not None and day < unit.established_on,
        "already_dissolved": unit.dissolved_on is not None and day > unit.dissolved_on,
        "predecessors": predecessors,
        "successors": successors,
        "can_edit": policy.covers_path(unit.path, Permission.EDIT),
        "can_view_audit": policy.covers_path(unit.path, Permission.VIEW_AUDIT),
        "in_service": counted_people(policy.people(), Basis.IN_SERVICE, unit, day).count(),
        "seats": seats,
        "own_vacancies": sum(row.vacancies for row in seats),
        "own_seat_places": sum(row.position.seat_count for row in seats),
        "counts": counts[unit.pk],
        "children": [UnitNode(child, counts[child.pk]) for child in children],
        "people": people,
        "people_total": people_total,
    }


def title_choices_for(unit: Unit) -> QuerySet[Title]:
    """Titles a new seat of `unit` may take: those meant for its kind, without a seat there yet."""
    taken = set(unit.positions.values_list("title_id", flat=True))
    allowed = [
        pk
        for pk, kinds in Title.objects.values_list("pk", "unit_kinds")
        if pk not in taken and (not kinds or unit.kind in kinds)
    ]
    return Title.objects.filter(pk__in=allowed)


def area_choices_for(parent: Unit | None, current: AdminArea | None = None) -> QuerySet[AdminArea]:
    """Areas a unit under `parent` may cover: the parent's area and the two levels beneath it.

    Offering the whole country (some 14,000 old and new areas) would make the form unusable.
    """
    if parent is not None and parent.area_id:
        area = Q(pk=parent.area_id) | Q(parent_id=parent.area_id) | Q(parent__parent_id=parent.area_id)
    else:
        area = Q(level=AdminArea.Level.PROVINCE)
    if current is not None:
        area |= Q(pk=current.pk)
    return AdminArea.objects.filter(area).select_related("parent").order_by("regime", "level", "name")


# History -----------------------------------------------------------------------------------

ACTION_LABELS = {
    "unit.create": _("Thành lập đơn vị"),
    "unit.update": _("Cập nhật thông tin đơn vị"),
    "unit.move": _("Chuyển đơn vị sang đơn vị cấp trên khác"),
    "unit.dissolve": _("Giải thể đơn vị"),
    "position.create": _("Thêm vị trí chức vụ"),
    "position.update": _("Sửa vị trí chức vụ"),
}
EXTRA_LABELS = {"parent_id": _("đơn vị cấp trên"), "predecessor_ids": _("đơn vị tiền thân")}
# Snapshot keys that are ids of other records (or lists of ids), and the model they point to.
REFERENCES = {"parent_id": Unit, "unit_id": Unit, "area_id": AdminArea, "title_id": Title, "predecessor_ids": Unit}


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class HistoryRow:
    event: AuditEvent
    action_label: str
    changes: list[Change] = field(default_factory=list)

    @property
    def is_creation(self) -> bool:
        return self.event.before is None


def unit_events(unit: Unit) -> QuerySet[AuditEvent]:
    """The audit events of the unit itself and of its seats, newest first."""
    position_type = ContentType.objects.get_for_model(Position)
    seats = AuditEvent.objects.filter(
        object_type=position_type, object_id__in=Position.objects.filter(unit=unit).values("pk")
    )
    return (events_for(unit) | seats).select_related("actor").order_by("-occurred_at", "-id")


class _ValueFormatter:
    """Turns snapshot values into what a reader understands: names, labels, dd/mm/yyyy."""

    def __init__(self, snapshots: list[dict], policy: AccessPolicy):
        ids: dict[type, set] = defaultdict(set)
        for data in snapshots:
            for key, model in REFERENCES.items():
                value = data.get(key)
                if isinstance(value, list):
                    ids[model].update(value)
                elif value is not None:
                    ids[model].add(value)
        self.names: dict[type, dict] = {}
        for model, pks in ids.items():
            rows = model.objects.filter(pk__in=pks)
            if model is Unit:
                # A unit outside the user's scope is not named (it may not be revealed).
                rows = rows.filter(policy.path_q())
            self.names[model] = {row.pk: str(row) for row in rows}
        self.fields = {}
        for model in (Unit, Position):
            for f in model._meta.concrete_fields:
                self.fields.setdefault(f.attname, f)

    def label(self, key: str) -> str:
        if key in EXTRA_LABELS:
            return str(EXTRA_LABELS[key])
        model_field = self.fields.get(key)
        return str(model_field.verbose_name) if model_field is not None else key

    def value(self, key: str, value) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if key in REFERENCES:
            names = self.names.get(REFERENCES[key], {})
            hidden = str(_("(ngoài phạm vi được xem)"))
            if isinstance(value, list):
                return "; ".join(names.get(pk, hidden) for pk in value)
            name = names.get(value)
            return name if name is not None else hidden
        if isinstance(value, bool):
            return str(_("Có") if value else _("Không"))
        model_field = self.fields.get(key)
        if model_field is not None and model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if model_field is not None and model_field.get_internal_type() == "DateField":
            try:
                return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
            except (TypeError, ValueError):
                return str(value)
        return str(value)

    def fields_of(self, data: dict) -> list[Change]:
        return [Change(self.label(k), "", self.value(k, v)) for k, v in data.items()]


def history_rows(events: Iterable[AuditEvent], policy: AccessPolicy) -> list[HistoryRow]:
    events = list(events)
    formatter = _ValueFormatter([e.before or {} for e in events] + [e.after or {} for e in events], policy)
    return [
        HistoryRow(
            event=event,
            action_label=str(ACTION_LABELS.get(event.action, event.action)),
            changes=[
                Change(formatter.label(key), formatter.value(key, before), formatter.value(key, after))
                for key, before, after in event.changed_fields()
            ],
        )
        for event in events
    ]


def unit_state_on(unit: Unit, day: dt.date, policy: AccessPolicy) -> tuple[AuditEvent | None, list[Change]]:
    """The unit as recorded at the end of `day`: the last event by then and its snapshot, labelled."""
    event = state_as_of(unit, day)
    if event is None or event.after is None:
        return event, []
    return event, _ValueFormatter([event.after], policy).fields_of(event.after)
