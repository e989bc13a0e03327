"""The dashboard's roll-ups: every unit's own figures for a day, kept in memory and kept current.

For a day, a matrix holds the figures of the records and seats of each unit itself (a row per
unit in tree order, a column per indicator of that day's catalogue). Treebeard's materialised
path puts a subtree in one contiguous block of rows, so the figures of any unit's subtree are a
difference of two rows of the cumulative sums: the dashboard of the whole province reads two
rows instead of aggregating 200,000 people.

The matrix is built once per day and process (all units in a constant number of queries), then
kept current through the audit trail: every write to cadre data records an AuditEvent in the
transaction of the change. Before each read, the store reads the events it has not applied yet
(`EventFeed`), works out which units' own figures they can change (`changes_of`) and computes
only those units again. Events whose ids are skipped (a transaction still open, or rolled back)
are watched until they appear or for `GAP_PATIENCE`, so a long import that commits after later
writes is not missed.

The figures do not depend on who asks: whoever may see a unit sees its whole subtree.
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Q
from django.db.models.fields.json import KT
from django.utils import timezone

from canbo.audit.models import AuditEvent
from canbo.org.models import Position, Unit
from canbo.people.models import Assignment, Person

DAYS_KEPT = 6  # days kept; a day is 2 × 4 bytes × units × indicators (12 MiB at 26,438 × 59)
GAP_PATIENCE = dt.timedelta(hours=1)  # how long a skipped event id may still appear
MAX_EVENTS = 5_000  # more unapplied events than this: build the day again instead
MAX_DIRTY = 2_000  # more units to compute again than this: build the day again instead
MAX_GAPS = 50  # skipped id ranges watched at once
GAP_SEARCH = 100  # counting queries, at most, to find the gaps when the figures are built
PATH_END = "~"  # sorts after every character of treebeard's path alphabet (0-9, A-Z)

# Actions that cannot change a figure: what they write is not read by the dashboard.
WITHOUT_FIGURES = (
    "api_token.",
    "confidence_vote.",
    "discipline.",
    "discipline_review.",
    "grade.",
    "import_job.",  # retrying or cancelling an import changes no record
    "grant.",
    "listed_post.",
    "plan_entry.",
    "relation.",
    "resolution.",
    "target.",
    "title.create",  # a new title has no seats yet
    "user.",
)
# Actions whose effect on figures `changes_of` works out; any other action rebuilds everything.
WITH_FIGURES = (
    "person.create",
    "person.update",
    "assignment.create",
    "assignment.update",
    "position.create",
    "position.update",
    "unit.create",
    "unit.update",
    "unit.move",
    "title.update",
)


@dataclass(frozen=True)
class Event:
    """What the roll-ups read of an audit event: the ids in its snapshots before and after."""

    id: int
    action: str
    object_id: int
    before: dict
    after: dict

    def ids(self, name: str) -> set[int]:
        return {
            int(v) for v in (self.before.get(name), self.after.get(name)) if v not in (None, "")
        }

    def changed(self, name: str) -> bool:
        return self.before.get(name) != self.after.get(name)


SNAPSHOT_KEYS = ("unit_id", "person_id", "position_id", "area_id", "is_head")


@dataclass
class Changes:
    """Units whose own figures must be computed again; `structure`: units were added or moved."""

    units: set[int] = field(default_factory=set)
    structure: bool = False
    everything: bool = False

    def update(self, other: Changes) -> None:
        self.units |= other.units
        self.structure |= other.structure
        self.everything |= other.everything


def changes_of(events: list[Event]) -> Changes:
    """The units whose own figures the events may have changed.

    A unit's own figures read: its people (record kept there: sex, birth date, ethnicity,
    qualifications, degrees, and whether they hold any seat on the day, wherever it is), and its
    head seats (the holder's hometown, birthplace and residence; the nearest area above the seat).
    """
    changes = Changes()
    people: set[int] = set()
    positions: set[int] = set()
    subtrees: set[int] = set()
    for event in events:
        action = event.action
        if action.startswith(WITHOUT_FIGURES):
            continue
        if action not in WITH_FIGURES:
            changes.everything = True
            return changes
        kind = action.split(".")[0]
        if kind == "person":
            changes.units |= event.ids("unit_id")
            people.add(event.object_id)
        elif kind == "assignment":
            people |= event.ids("person_id")
            positions |= event.ids("position_id")
        elif kind == "position":
            changes.units |= event.ids("unit_id")
        elif action == "unit.create":
            changes.structure = True
            changes.units.add(event.object_id)
        elif action == "unit.move":
            changes.structure = True
            subtrees.add(event.object_id)  # the nearest area above its seats may have changed
        elif action == "unit.update":
            changes.units.add(event.object_id)
            if event.changed("area_id"):
                subtrees.add(event.object_id)
        elif action == "title.update" and event.changed("is_head"):
            changes.units |= set(
                Position.objects.filter(title_id=event.object_id).values_list("unit_id", flat=True)
            )
    if people:
        changes.units |= set(Person.objects.filter(pk__in=people).values_list("unit_id", flat=True))
        # The head seats they hold or held: their places decide whether those heads are local.
        changes.units |= set(
            Assignment.objects.filter(
                person_id__in=people, position__title__is_head=True
            ).values_list("position__unit_id", flat=True)
        )
    if positions:
        changes.units |= set(
            Position.objects.filter(pk__in=positions).values_list("unit_id", flat=True)
        )
    if subtrees:
        paths = Unit.objects.filter(pk__in=subtrees).values_list("path", flat=True)
        below = Q()
        for path in paths:
            below |= Q(path__startswith=path)
        if below:
            changes.units |= set(Unit.objects.filter(below).values_list("id", flat=True))
    changes.units.discard(None)
    return changes


class EventFeed:
    """The audit events not applied yet, read in id order, without missing late commits.

    An id is taken when a row is inserted but seen only when its transaction commits, so a lower
    id can appear after a higher one (an import still running while someone edits a record). Ids
    skipped over are kept as gaps and asked for again until they appear or `GAP_PATIENCE` passes
    (a rolled-back transaction never fills its gap).
    """

    def __init__(self):
        self.high: int = 0  # the highest id applied
        self.stamp = None  # its time: if that event is gone, the history was rewound
        self.gaps: list[tuple[int, int, float]] = []  # (first id, last id, when noticed)

    def start(self) -> None:
        """Start from the newest event: what is committed now is in the figures built next."""
        latest = AuditEvent.objects.order_by("-id").values_list("id", "occurred_at").first()
        self.high, self.stamp = latest or (0, None)
        self.gaps = []
        if not self.high:
            return
        # Ids skipped among the events of the last `GAP_PATIENCE` may belong to transactions
        # still open: found by counting ids in halves of the range (an index-only count), the
        # newest first, with at most `GAP_SEARCH` counts.
        settled = (
            AuditEvent.objects.filter(occurred_at__lt=timezone.now() - GAP_PATIENCE)
            .order_by("-occurred_at")
            .values_list("id", flat=True)
            .first()
        ) or 0
        if settled < self.high:
            self._find_gaps(settled + 1, self.high, time.monotonic())

    def _find_gaps(self, first: int, last: int, noticed: float) -> None:
        stack, budget = [(first, last)], GAP_SEARCH
        while stack and len(self.gaps) < MAX_GAPS and budget:
            budget -= 1
            first, last = stack.pop()
            present = AuditEvent.objects.filter(id__range=(first, last)).count()
            if present == last - first + 1:
                continue
            if present == 0:
                self.gaps.append((first, last, noticed))
                continue
            middle = (first + last) // 2
            stack += [(first, middle), (middle + 1, last)]  # the newest first: likelier still open
        merged: list[tuple[int, int, float]] = []
        for gap in sorted(self.gaps):  # halves of one gap found apart are one gap
            if merged and merged[-1][1] + 1 == gap[0]:
                merged[-1] = (merged[-1][0], gap[1], noticed)
            else:
                merged.append(gap)
        self.gaps = merged

    def poll(self) -> list[Event] | None:
        """The events committed since the last poll, or None when the history was rewound (the
        newest applied event is gone: a restored database, or a test's rolled-back transaction).
        At most `MAX_EVENTS` + 1 are read: past that, building everything again is cheaper."""
        now = time.monotonic()
        self.gaps = [gap for gap in self.gaps if now - gap[2] < GAP_PATIENCE.total_seconds()]
        wanted = Q(id__gte=self.high)
        for first, last, _noticed in self.gaps:
            wanted |= Q(id__range=(first, last))
        # The newest applied event, and one more than the caller takes.
        rows = list(
            AuditEvent.objects.filter(wanted)
            .order_by("id")
            .values_list("id", "occurred_at", "action", "object_id", *self._keys())[
                : MAX_EVENTS + 2
            ]
        )
        if self.high:
            newest = [row for row in rows if row[0] == self.high]
            if not newest or newest[0][1] != self.stamp:
                return None
            rows = [row for row in rows if row[0] != self.high]
        events = []
        for row in rows:
            event_id = row[0]
            if event_id > self.high:
                if event_id > self.high + 1:
                    # Keep the newest gaps: the likeliest to be transactions still open.
                    self.gaps.append((self.high + 1, event_id - 1, now))
                    del self.gaps[:-MAX_GAPS]
                self.high, self.stamp = event_id, row[1]
            else:
                self._fill(event_id)
            before = dict(zip(SNAPSHOT_KEYS, row[4 : 4 + len(SNAPSHOT_KEYS)], strict=True))
            after = dict(zip(SNAPSHOT_KEYS, row[4 + len(SNAPSHOT_KEYS) :], strict=True))
            events.append(Event(event_id, row[2], row[3], before, after))
        return events

    @staticmethod
    def _keys() -> list[KT]:
        return [KT(f"{side}__{key}") for side in ("before", "after") for key in SNAPSHOT_KEYS]

    def _fill(self, event_id: int) -> None:
        gaps = []
        for first, last, noticed in self.gaps:
            if first <= event_id <= last:
                if first < event_id:
                    gaps.append((first, event_id - 1, noticed))
                if event_id < last:
                    gaps.append((event_id + 1, last, noticed))
            else:
                gaps.append((first, last, noticed))
        self.gaps = gaps


class Totals:
    """A day's figures as they stood when read: any subtree's sum, any unit's own figures."""

    def __init__(self, day: dt.date, keys: list[str], paths: list[str], cumulative: np.ndarray):
        self.day, self.keys, self._paths, self._cumulative = day, keys, paths, cumulative

    def _block(self, path: str) -> tuple[int, int]:
        start = bisect.bisect_left(self._paths, path)
        return start, bisect.bisect_left(self._paths, path + PATH_END, lo=start)

    def _as_dict(self, values: np.ndarray) -> dict[str, int]:
        return dict(zip(self.keys, values.tolist(), strict=True))

    def subtree(self, unit: Unit) -> dict[str, int]:
        """The figures of the unit and everything below it."""
        start, end = self._block(unit.path)
        return self._as_dict(self._cumulative[end] - self._cumulative[start])

    def own(self, unit: Unit) -> dict[str, int]:
        """The figures of the records and seats of the unit itself."""
        start, end = self._block(unit.path)
        if start == end or self._paths[start] != unit.path:
            return dict.fromkeys(self.keys, 0)
        return self._as_dict(self._cumulative[start + 1] - self._cumulative[start])


class Figures:
    """One day's own figures of every unit (a row per unit in path order, a column per key).

    Changed only under the store's lock; readers get `Totals`, whose lists and arrays are
    replaced, never changed in place, when the figures change.
    """

    def __init__(self, day: dt.date, keys: list[str], units: list[tuple[int, str]], blocks):
        self.day = day
        self.keys = keys
        self.column = {key: i for i, key in enumerate(keys)}
        self._set_units(units)
        self.matrix = np.zeros((len(self.ids), len(keys)), dtype=np.int32)
        self._store(blocks)

    def _set_units(self, units: list[tuple[int, str]]) -> None:
        units = sorted(units, key=lambda unit: unit[1])
        self.ids = [unit_id for unit_id, _path in units]
        self.paths = [path for _unit_id, path in units]
        self.row = {unit_id: i for i, unit_id in enumerate(self.ids)}

    def _store(self, blocks) -> None:
        for block in blocks:
            rows = [row for row in block.rows if row[0] in self.row]
            # (a unit added after the unit list was read is left out: its event is still to come)
            if rows:
                values = np.array(rows, dtype=np.int32)
                at = np.array([self.row[row[0]] for row in rows])
                columns = np.array([self.column[key] for key in block.keys])
                self.matrix[np.ix_(at, columns)] = values[:, 1:]
        cumulative = np.zeros((len(self.ids) + 1, len(self.keys)), dtype=np.int32)
        np.cumsum(self.matrix, axis=0, out=cumulative[1:])
        self.totals = Totals(self.day, self.keys, self.paths, cumulative)

    def recompute(self, units: list[int], blocks) -> None:
        """Replace the rows of `units` with their figures computed again."""
        self.matrix[[self.row[u] for u in units if u in self.row]] = 0
        self._store(blocks)

    def restructure(self, units: list[tuple[int, str]]) -> None:
        """Units were added or moved: the same rows in the new tree order."""
        old_row, old_matrix = self.row, self.matrix
        self._set_units(units)
        self.matrix = np.zeros((len(self.ids), len(self.keys)), dtype=np.int32)
        kept = [(self.row[u], old_row[u]) for u in self.ids if u in old_row]
        if kept:
            new_rows, old_rows = zip(*kept, strict=True)
            self.matrix[list(new_rows)] = old_matrix[list(old_rows)]
        self._store([])


@dataclass
class _Day:
    figures: Figures
    pending: Changes = field(default_factory=Changes)


class RollupStore:
    """The figures of the days asked for lately, shared by the threads of a process.

    `compute(day, catalogue, unit_ids)` returns blocks of (keys, rows of (unit id, counts…)): the
    figures of the records and seats of each unit itself (every unit when `unit_ids` is None).
    `fingerprint()` changes when the reference data that the figures read outside the audit
    trail (the areas) changes.
    """

    def __init__(self, compute, fingerprint):
        self._compute = compute
        self._fingerprint = fingerprint
        self._lock = threading.RLock()
        self._days: OrderedDict[dt.date, _Day] = OrderedDict()
        self._feed = EventFeed()
        self._reference: tuple | None = None

    def clear(self) -> None:
        with self._lock:
            self._days.clear()
            self._reference = None

    def totals(self, day: dt.date, catalogue) -> Totals:
        """The day's figures, current with every write committed before the call."""
        keys = list(catalogue.indicators)
        with self._lock:
            self._catch_up()
            entry = self._days.get(day)
            if entry is None or entry.figures.keys != keys or len(entry.pending.units) > MAX_DIRTY:
                entry = self._days[day] = _Day(self._build(day, catalogue))
                while len(self._days) > DAYS_KEPT:
                    self._days.popitem(last=False)
            else:
                self._apply(entry, catalogue)
            self._days.move_to_end(day)
            return entry.figures.totals

    def _catch_up(self) -> None:
        """Read the events since the last read and note, for every day kept, what they change."""
        reference = self._fingerprint()
        if self._reference != reference:
            self._days.clear()
            self._reference = reference
        if not self._days:
            self._feed.start()
            return
        events = self._feed.poll()
        if events is None or len(events) > MAX_EVENTS:
            self._start_over()
            return
        changes = changes_of(events)
        if changes.everything or len(changes.units) > MAX_DIRTY:
            self._start_over()
            return
        for entry in self._days.values():
            entry.pending.update(changes)

    def _start_over(self) -> None:
        self._days.clear()
        self._feed.start()

    def _apply(self, entry: _Day, catalogue) -> None:
        pending, entry.pending = entry.pending, Changes()
        if pending.structure:
            entry.figures.restructure(_units())
        if pending.units:
            units = sorted(pending.units)
            entry.figures.recompute(units, self._compute(entry.figures.day, catalogue, units))

    def _build(self, day: dt.date, catalogue) -> Figures:
        units = _units()
        return Figures(day, list(catalogue.indicators), units, self._compute(day, catalogue, None))


def _units() -> list[tuple[int, str]]:
    return list(Unit.objects.order_by().values_list("id", "path"))
