"""Bulk builder of the synthetic Hà Nội behind `canbo demo`: structure, seats, people, work histories.

What it builds (after 1 July 2025, on the real administrative areas): the city committee with its
agencies, HĐND, UBND and departments, the Fatherland Front and mass organizations, the committees
of the city's agencies with their grassroots organizations and cells; the 126 real communes of the
new Hà Nội, each with its party committee, council, people's committee, front, schools, cells and
party groups; and, before that day, the 30 real district committees of the old Hà Nội, dissolved on
30 June 2025, whose leaders mostly carry on in the new communes from 1 July 2025.

Why it bypasses the per-row services. `canbo.org.services` and `canbo.people.services` lock,
validate and audit one row at a time (a few queries per row, a treebeard insert that reads its
siblings, a seat-capacity sweep per assignment). For ~20,000 people and ~25,000 assignments that is
many minutes, not the seconds a demo should take, and hours at --scale 25. The builder therefore
plans the whole city in memory (`canbo.demo.plan`) and writes it table by table in batches of
2,000 rows (`_insert`): bulk_create's job, minus the per-value SQL compilation that dominates
bulk_create's own time at this size (executemany on SQLite, COPY on PostgreSQL). The default city
loads in about 10–15 seconds on SQLite.

How it keeps their guarantees, so that the data is exactly what the services would have produced:
- Tree: `assign_tree_paths` computes the treebeard materialized paths itself with `Unit`'s own
  steplen and alphabet (`Unit._get_path`), parents before children, and sets path, depth, numchild.
- Rules the services check per row are enforced while planning, by `canbo.demo.plan.Plan.book`:
  a unit exists on the start date and, when dissolved, every assignment ends by its dissolution;
  a person never holds the same seat twice at once; a leadership seat never holds more people at
  once than its seat_count (staff seats are sized from their busiest day). Dates are never in the future,
  party membership is official twelve months after joining, citizen IDs match sex, birth year
  and the birthplace's province code, and every text is NFC with its search key (`fold`) filled in.
- Audit trail: one AuditEvent per unit, position, person and assignment ("<model>.create", actor
  None, actor_label "canbo demo", source "system"), with `after` taken by the same
  `canbo.audit.services.snapshot` calls the services make (the unit's parent_id, the person's
  degrees), written in the same transaction as the rows, each with its content hash, and sealed
  into the audit hash chain after commit (`canbo.audit.chain`).
- The records the regulations engine reads (`canbo.demo.records`: family ties, discipline and
  review periods, succession planning entries, annual grades, confidence votes) are written the
  same way, one AuditEvent each ("relation.create", "discipline.create", "plan_entry.create" and,
  for an entry taken out of planning, "plan_entry.remove" with its before and after…), each
  snapshot taken by `snapshot` as the services take it.
- Titles, grants, the local resolutions (Hà Nội's 04-NQ/TU and the structure targets of seed 003,
  `resolution_from_template`) and the positions linked to the periodic position change list
  (`listed_post_save`) are few, so they go through their services.
- At the end `validate()` re-checks the written data from the database (tree shape like
  treebeard's `find_problems`, seat capacity by SQL, citizen IDs, legacy endings, and the records:
  discipline forms per person and date, planning limits, scores against the grading scale); any
  problem raises and the whole build rolls back.
"""

import datetime as dt
import time
from collections import Counter
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from canbo.access.models import Grant, Role
from canbo.access.services import grant_create, user_create
from canbo.areas.loaders import load_areas
from canbo.audit.chain import seal_on_commit, stamp
from canbo.audit.models import AuditEvent
from canbo.audit.services import snapshot
from canbo.common.text import fold
from canbo.discipline.models import DisciplineForm, DisciplineRecord, DisciplineReview, ReviewKind
from canbo.discipline.services import subject_of
from canbo.evaluation.models import AnnualGrade, ConfidenceVote, Grade
from canbo.evaluation.services import grade_for_score
from canbo.org.catalogue import load_standard_titles
from canbo.org.models import Position, Unit
from canbo.org.models import UnitKind as K
from canbo.people.catalogues import RelationKind
from canbo.people.citizen_id import consistency_errors, validate_citizen_id
from canbo.people.models import Assignment, Degree, Person, Relation
from canbo.planning.models import SuccessionPlanEntry, parse_term
from canbo.regulations.models import ListedPost
from canbo.regulations.params import ParameterNotInForce, default_parameters
from canbo.regulations.services import listed_post_save, resolution_from_template

from .plan import ROOT_NAME, DemoError, Plan, PlannedUnit

ACTOR_LABEL = "canbo demo"
DEMO_PASSWORD = "canbo-demo"
OFFICER_UNIT = "Đảng ủy phường Ba Đình"
BATCH = 2000
# Local resolutions seeded on the city (templates of canbo/regulations/parameters/resolutions).
RESOLUTION_TEMPLATES = ("hanoi_04_nq_tu", "province_seed_003")

__all__ = ["DemoError", "build_demo", "existing_logins", "validate"]


# --------------------------------------------------------------------------------------------
# The tree
# --------------------------------------------------------------------------------------------


def assign_tree_paths(units: list[PlannedUnit]) -> None:
    """Treebeard's materialized paths, computed as `Unit.add_root`/`add_child` would.

    Units come parents first; each child takes the next step under its parent, written with
    `Unit`'s own steplen and alphabet (`Unit._get_path`), and its parent's numchild counts it.
    """
    roots = 0
    for unit in units:
        unit.numchild = 0
    for unit in units:
        parent = unit.parent
        if parent is None:
            roots += 1
            unit.depth, unit.path = 1, Unit._get_path(None, 1, roots)
            continue
        if not parent.path:
            raise DemoError(f"{unit.name}: đơn vị cấp trên chưa có vị trí trong cây")
        parent.numchild += 1
        unit.depth = parent.depth + 1
        unit.path = Unit._get_path(parent.path, unit.depth, parent.numchild)
        if len(unit.path) > Unit._meta.get_field("path").max_length:
            raise DemoError(f"{unit.name}: cây đơn vị quá sâu")


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def _event(content_type, obj, after: dict, unit_id, action: str, representation: str, when) -> SimpleNamespace:
    """An AuditEvent row as plain attributes: a model instance per event would double the write time."""
    return SimpleNamespace(
        id=None,
        occurred_at=when,
        actor_id=None,
        actor_label=ACTOR_LABEL,
        source=AuditEvent.Source.SYSTEM.value,
        action=action,
        object_type_id=content_type.pk,
        object_id=obj.pk,
        object_repr=representation[:300],
        unit_id=unit_id,
        before=None,
        after=after,
        content_hash=None,
    )


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _new_ids(model, count: int) -> list[int]:
    """Primary keys for `count` new rows, handed out before the insert so that rows and their
    audit events can be written together (executemany returns no ids)."""
    if not count:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the transaction holds the write lock (transaction_mode IMMEDIATE), so nobody else
        # can take these ids before the insert.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        top = cursor.fetchone()[0]
    return list(range(top + 1, top + 1 + count))


def _insert(model, rows: list) -> int:
    """INSERT rows (model instances or plain attribute holders, primary keys already set).

    This is bulk_create's work without its per-value SQL compilation, which dominates its cost at
    tens of thousands of rows: COPY on PostgreSQL, executemany of one prepared INSERT on SQLite.
    Values go through the adapters Django itself uses for each field type.
    """
    if not rows:
        return 0
    ops = connection.ops
    fields = model._meta.concrete_fields
    adapters = []
    for f in fields:
        internal = f.get_internal_type()
        if internal == "DateField":
            adapters.append(ops.adapt_datefield_value)
        elif internal == "DateTimeField":
            adapters.append(ops.adapt_datetimefield_value)
        elif internal == "JSONField":
            adapters.append(lambda value, f=f: ops.adapt_json_value(value, f.encoder))
        else:
            adapters.append(None)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql_head = f"INSERT INTO {ops.quote_name(model._meta.db_table)} ({columns})"
    attnames = [f.attname for f in fields]
    values = []
    for row in rows:
        item = []
        for attname, adapt in zip(attnames, adapters, strict=True):
            value = getattr(row, attname)
            item.append(value if adapt is None or value is None else adapt(value))
        values.append(item)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is PostgreSQL's bulk path: about twice as fast as executemany here.
            table = ops.quote_name(model._meta.db_table)
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for item in values:
                    copy.write_row(item)
        else:
            cursor.executemany(f"{sql_head} VALUES ({placeholders})", values)
    return len(values)


def _with_ids(model, rows: list) -> list:
    attname = model._meta.pk.attname
    for row, pk in zip(rows, _new_ids(model, len(rows)), strict=True):
        setattr(row, attname, pk)
    return rows


def _audit(model, items: list[tuple], now, action: str | None = None) -> int:
    """One AuditEvent per item (row, after, unit id, representation), or (row, before, after, unit
    id, representation) for a change."""
    content_type = ContentType.objects.get_for_model(model)
    action = action or f"{model._meta.model_name}.create"
    events = []
    for item in items:
        if len(item) == 5:
            row, before, after, unit_id, text = item
        else:
            (row, after, unit_id, text), before = item, None
        event = _event(content_type, row, after, unit_id, action, text, now)
        event.before = before
        events.append(stamp(event))
    count = _insert(AuditEvent, _with_ids(AuditEvent, events))
    seal_on_commit([event.id for event in events])
    return count


def _unit_extra(u) -> dict:
    """What `canbo.org.services` adds to a unit's snapshot: its parent, and its predecessors if any
    (their rows come earlier in the plan, so they have their ids already)."""
    extra = {"parent_id": u.parent.pk if u.parent else None}
    if u.predecessors:
        extra["predecessor_ids"] = sorted(p.pk for p in u.predecessors)
    return extra


def write(plan: Plan) -> dict:
    """Store the plan with its audit trail; call inside a transaction."""
    assign_tree_paths(plan.units)
    now = timezone.now()
    events = 0

    def audit(model, items: list[tuple]) -> int:
        return _audit(model, items, now)

    for chunk in _chunks(plan.units):
        rows = _with_ids(Unit, [
            Unit(
                name=u.name, short_name=u.short_name, code=u.code, kind=u.kind, area_id=u.area_id,
                established_on=u.established_on, dissolved_on=u.dissolved_on, search_name=fold(u.name),
                path=u.path, depth=u.depth, numchild=u.numchild,
            )
            for u in chunk
        ])  # fmt: skip
        for u, row in zip(chunk, rows, strict=True):
            u.pk = row.pk
        _insert(Unit, rows)
        events += audit(Unit, [
            (row, snapshot(row, extra=_unit_extra(u)), u.pk, u.name) for u, row in zip(chunk, rows, strict=True)
        ])  # fmt: skip
    links = [(u.pk, p.pk) for u in plan.units for p in u.predecessors]
    through = Unit.predecessors.through
    through.objects.bulk_create([through(from_unit_id=a, to_unit_id=b) for a, b in links], batch_size=BATCH)
    for chunk in _chunks(plan.seats):
        rows = _with_ids(Position, [
            Position(unit_id=s.unit.pk, title=s.title, seat_count=s.seat_count, is_key_post=s.is_key_post)
            for s in chunk
        ])  # fmt: skip
        for s, row in zip(chunk, rows, strict=True):
            s.pk = row.pk
        _insert(Position, rows)
        events += audit(Position, [
            (row, snapshot(row), s.unit.pk, f"{s.title.name} – {s.unit.name}") for s, row in zip(chunk, rows, strict=True)
        ])  # fmt: skip
    for chunk in _chunks(plan.people):
        rows = _with_ids(Person, [
            Person(unit_id=p.unit.pk, search_name=fold(p.full_name), **p.model_fields()) for p in chunk
        ])  # fmt: skip
        for p, row in zip(chunk, rows, strict=True):
            p.pk = row.pk
        _insert(Person, rows)
        _insert(Degree, _with_ids(Degree, [Degree(person_id=p.pk, **d) for p in chunk for d in p.degrees]))
        events += audit(Person, [
            (row, snapshot(row, extra={"degrees": [dict(d) for d in p.degrees]}), p.unit.pk, p.full_name)
            for p, row in zip(chunk, rows, strict=True)
        ])  # fmt: skip
    for chunk in _chunks(plan.assignments):
        rows = _with_ids(Assignment, [
            Assignment(
                person_id=a.person.pk, position_id=a.seat.pk, kind=a.kind, decision_number=a.decision_number,
                decision_date=a.decision_date, issuing_body=a.issuing_body, start_date=a.start, end_date=a.end,
                note=a.note,
            )
            for a in chunk
        ])  # fmt: skip
        for a, row in zip(chunk, rows, strict=True):
            a.pk = row.pk
        _insert(Assignment, rows)
        events += audit(Assignment, [
            (row, snapshot(row), a.seat.unit.pk, f"{a.person.full_name} – {a.seat.title.name} – {a.seat.unit.name}")
            for a, row in zip(chunk, rows, strict=True)
        ])  # fmt: skip
    if plan.records is not None:
        events += write_records(plan.records, now)
    return {"audit_events": events}


def _label(choice) -> str:
    return str(choice.label)


# The actions the services record for these rows (canbo/*/services.py).
RECORD_ACTIONS = {
    Relation: "relation.create",
    DisciplineRecord: "discipline.create",
    DisciplineReview: "discipline_review.create",
    SuccessionPlanEntry: "plan_entry.create",
    AnnualGrade: "grade.create",
    ConfidenceVote: "confidence_vote.create",
}


def write_records(records, now) -> int:
    """The regulations' input records, each with its audit event (actions as the services name them)."""
    events = 0

    def store(model, planned: list, build, describe, unit_of) -> int:
        action = RECORD_ACTIONS[model]
        count = 0
        for chunk in _chunks(planned):
            rows = _with_ids(model, [build(item) for item in chunk])
            for item, row in zip(chunk, rows, strict=True):
                item.pk = row.pk
            _insert(model, rows)
            count += _audit(model, [(row, snapshot(row), unit_of(item), describe(item))
                                    for item, row in zip(chunk, rows, strict=True)], now, action)  # fmt: skip
        return count

    events += store(
        Relation, records.relations,
        lambda r: Relation(person_id=r.person.pk, relative_id=r.relative.pk, kind=r.kind, note=r.note),
        lambda r: f"{r.relative.full_name} là {_label(RelationKind(r.kind)).lower()} của {r.person.full_name}",
        lambda r: r.person.unit.pk,
    )  # fmt: skip
    events += store(
        DisciplineRecord, records.discipline,
        lambda d: DisciplineRecord(person_id=d.person.pk, side=d.side, form=d.form, decided_on=d.decided_on,
                                   decision_number=d.decision_number, authority=d.authority, note=d.note),
        lambda d: f"{_label(DisciplineForm(d.form))} – {d.person.full_name} ({d.decided_on:%d/%m/%Y})",
        lambda d: d.person.unit.pk,
    )  # fmt: skip
    events += store(
        DisciplineReview, records.reviews,
        lambda r: DisciplineReview(person_id=r.person.pk, kind=str(r.kind), started_on=r.started_on,
                                   ended_on=r.ended_on, note=r.note),
        lambda r: f"{_label(ReviewKind(r.kind))} – {r.person.full_name}",
        lambda r: r.person.unit.pk,
    )  # fmt: skip
    # Planning entries: created as approved; those taken out of planning get a second event, as
    # `plan_entry_remove` writes it (before and after).
    entries = records.plan_entries
    events += store(
        SuccessionPlanEntry, entries,
        lambda e: SuccessionPlanEntry(person_id=e.person.pk, title_id=e.title.pk, unit_id=e.unit.pk, term=e.term,
                                      approved_on=e.approved_on, decision_number=e.decision_number, note=e.note),
        lambda e: f"{e.person.full_name} – {e.title.name} ({e.term})",
        lambda e: e.unit.pk,
    )  # fmt: skip
    removed = [e for e in entries if e.removed_on]
    for chunk in _chunks(removed):
        changes = []
        for e in chunk:
            row = SuccessionPlanEntry(pk=e.pk, person_id=e.person.pk, title_id=e.title.pk, unit_id=e.unit.pk,
                                      term=e.term, approved_on=e.approved_on, decision_number=e.decision_number,
                                      note=e.note)  # fmt: skip
            before = snapshot(row)
            row.removed_on, row.removal_reason = e.removed_on, str(e.removal_reason)
            changes.append((row, before, snapshot(row), e.unit.pk, f"{e.person.full_name} – {e.title.name} ({e.term})"))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {SuccessionPlanEntry._meta.db_table} SET removed_on = %s, removal_reason = %s WHERE id = %s",
                [(connection.ops.adapt_datefield_value(r.removed_on), r.removal_reason, r.pk) for r, *_ in changes],
            )
        events += _audit(SuccessionPlanEntry, changes, now, action="plan_entry.remove")
    events += store(
        AnnualGrade, records.grades,
        lambda g: AnnualGrade(person_id=g.person.pk, unit_id=g.unit.pk, year=g.year, grade=str(g.grade), score=g.score,
                              note=g.note),
        lambda g: f"{g.person.full_name} – {g.year}: {g.grade}",
        lambda g: g.unit.pk,
    )  # fmt: skip
    events += store(
        ConfidenceVote, records.votes,
        lambda v: ConfidenceVote(person_id=v.person.pk, held_on=v.held_on, eligible_voters=v.eligible_voters,
                                 attendance=v.attendance, votes_high=v.votes_high, votes_confident=v.votes_confident,
                                 votes_low=v.votes_low, note=v.note),
        lambda v: f"{v.person.full_name} – {v.held_on:%d/%m/%Y}",
        lambda v: v.person.unit.pk,
    )  # fmt: skip
    return events


def seed_regulations(plan: Plan) -> dict:
    """Through the regulations' own services (audited): the city's local resolutions and the staff
    positions of the periodic position change list."""
    root = Unit.objects.get(pk=plan.root.pk)
    resolutions = [
        resolution_from_template(actor=None, scope_unit=root, template=name, source=AuditEvent.Source.SYSTEM)
        for name in RESOLUTION_TEMPLATES
    ]
    linked = 0
    for post_name, seats in plan.records.listed_seats if plan.records else ():
        post = ListedPost.objects.filter(name=post_name).first()
        if post is None or not seats:
            continue  # an administrator removed the sample post: nothing to link
        positions = sorted({*post.positions.values_list("pk", flat=True), *(seat.pk for seat in seats)})
        listed_post_save(actor=None, post=post, positions=positions, on=plan.as_of, source=AuditEvent.Source.SYSTEM)
        linked += len(seats)
    return {
        "local_resolutions": len(resolutions),
        "local_targets": sum(r.targets.count() for r in resolutions),
        "listed_positions": linked,
    }


# --------------------------------------------------------------------------------------------
# Checking what was written
# --------------------------------------------------------------------------------------------


def tree_problems() -> dict[str, list[int]]:
    """Treebeard's `find_problems` without its query per node: bad characters, step length,
    orphans, depth, numchild."""
    rows = list(Unit.objects.values_list("pk", "path", "depth", "numchild"))
    paths = {path for _pk, path, _d, _n in rows}
    children: Counter = Counter()
    problems: dict[str, list[int]] = {"evil_chars": [], "bad_steplen": [], "orphans": [], "wrong_depth": [],
                                      "wrong_numchild": []}  # fmt: skip
    for _pk, path, _depth, _n in rows:
        if len(path) > Unit.steplen:
            children[path[: -Unit.steplen]] += 1
    for pk, path, depth, numchild in rows:
        if any(ch not in Unit.alphabet for ch in path):
            problems["evil_chars"].append(pk)
        elif len(path) % Unit.steplen:
            problems["bad_steplen"].append(pk)
        elif len(path) > Unit.steplen and path[: -Unit.steplen] not in paths:
            problems["orphans"].append(pk)
        elif depth != len(path) // Unit.steplen:
            problems["wrong_depth"].append(pk)
        elif numchild != children[path]:
            problems["wrong_numchild"].append(pk)
    return {name: pks for name, pks in problems.items() if pks}


OVERFILLED_SQL = """
WITH events AS (
    SELECT position_id, start_date AS day, 0 AS is_end, 1 AS delta FROM people_assignment
    UNION ALL
    SELECT position_id, end_date, 1, -1 FROM people_assignment WHERE end_date IS NOT NULL
), running AS (
    SELECT position_id,
           SUM(delta) OVER (PARTITION BY position_id ORDER BY day, is_end ROWS UNBOUNDED PRECEDING) AS holders
    FROM events
)
SELECT running.position_id, MAX(running.holders), org_position.seat_count
FROM running JOIN org_position ON org_position.id = running.position_id
GROUP BY running.position_id, org_position.seat_count
HAVING MAX(running.holders) > org_position.seat_count
"""


def overfilled_positions() -> list[tuple[int, int, int]]:
    """(position id, most holders on one day, seat count) for every seat ever over-filled.

    Ends are inclusive, so on a day where one holder leaves and another starts both count:
    starts sort before ends of the same day.
    """
    with connection.cursor() as cursor:
        cursor.execute(OVERFILLED_SQL)
        return [tuple(row) for row in cursor.fetchall()]


def record_problems() -> list[str]:
    """What the services would have refused in the records, checked on the written rows."""
    problems = []
    params = default_parameters()
    pairs = Counter(tuple(sorted(pair)) for pair in Relation.objects.values_list("person_id", "relative_id"))
    if any(n > 1 for n in pairs.values()) or any(a == b for a, b in pairs):
        problems.append("quan hệ gia đình ghi trùng hoặc với chính mình")
    bad = []
    for record in DisciplineRecord.objects.select_related("person").iterator(chunk_size=BATCH):
        person, day = record.person, record.decided_on
        if day > timezone.localdate() or day < person.birth_date:
            bad.append(record.pk)
            continue
        if record.side == "party" and (person.party_joined_on is None or person.party_joined_on > day):
            bad.append(record.pk)
            continue
        try:
            allowed = params.get("discipline.forms", day).get(subject_of(person, record.side, day))
        except ParameterNotInForce:
            allowed = None
        if allowed is not None and record.form not in allowed:
            bad.append(record.pk)
    if bad:
        problems.append(f"quyết định kỷ luật không hợp lệ: {bad[:5]}")
    entries = list(SuccessionPlanEntry.objects.values_list("pk", "person_id", "title_id", "unit_id", "unit__path",
                                                           "term", "approved_on", "removed_on", "removal_reason",
                                                           "unit__established_on"))  # fmt: skip
    communes = set(Unit.objects.filter(kind=K.AFFILIATED_COMMITTEE, area__isnull=False).values_list("path", flat=True))
    per_title: Counter = Counter()
    per_level: dict[tuple, set] = {}
    bad = []
    for pk, person_id, title_id, unit_id, path, term, approved, removed, reason, established in entries:
        try:
            parse_term(term)
        except ValueError:
            bad.append(pk)
        if (removed and (removed < approved or not reason)) or (established and approved < established):
            bad.append(pk)
        if removed is None:
            per_title[(unit_id, title_id, term)] += 1
            level = path[: Unit.steplen * 2] if path[: Unit.steplen * 2] in communes else "city"
            per_level.setdefault((person_id, term, level), set()).add((unit_id, title_id))
    if bad:
        problems.append(f"mục quy hoạch không hợp lệ: {bad[:5]}")
    if any(n > 3 for n in per_title.values()) or any(len(t) > 3 for t in per_level.values()):
        problems.append("quy hoạch vượt 3 người một chức danh hoặc 3 chức danh cùng cấp một người")
    disciplined = set(DisciplineRecord.objects.values_list("person_id", "decided_on__year"))
    wrong = []
    for pk, person_id, year, grade, score in AnnualGrade.objects.exclude(score=None).values_list(
        "pk", "person_id", "year", "grade", "score"
    ):
        try:
            thresholds = params.get("grading.thresholds", dt.date(year, 12, 31))
        except ParameterNotInForce:
            continue
        excused = grade == Grade.NOT_COMPLETE and (person_id, year) in disciplined  # KHT for the disciplined
        if grade_for_score(score, thresholds) != grade and not excused:
            wrong.append(pk)
    if wrong:
        problems.append(f"điểm không khớp xếp loại: {wrong[:5]}")
    return problems


def validate() -> None:
    problems = []
    tree = tree_problems()
    if tree:
        problems.append(f"cây đơn vị: {tree}")
    over = overfilled_positions()
    if over:
        problems.append(f"vị trí vượt số lượng: {over[:5]}")
    bad_ids = []
    for pk, number, birth, sex in Person.objects.values_list("pk", "citizen_id", "birth_date", "sex").iterator():
        try:
            validate_citizen_id(number)
        except ValidationError:
            bad_ids.append(pk)
            continue
        if consistency_errors(number, birth_year=birth.year, female=sex == "F"):
            bad_ids.append(pk)
    if bad_ids:
        problems.append(f"số định danh không hợp lệ: {bad_ids[:5]}")
    for unit in Unit.objects.filter(kind=K.DISTRICT_COMMITTEE):
        subtree = Assignment.objects.filter(position__unit__path__startswith=unit.path)
        if subtree.filter(end_date__isnull=True).exists() or subtree.filter(end_date__gt=unit.dissolved_on).exists():
            problems.append(f"{unit.name}: còn người đảm nhiệm sau ngày giải thể")
    if Person.objects.filter(unit__dissolved_on__isnull=False).exists():
        problems.append("có hồ sơ lưu ở đơn vị đã giải thể")
    problems += record_problems()
    if problems:
        raise DemoError("Dữ liệu mẫu không nhất quán: " + "; ".join(problems))


# --------------------------------------------------------------------------------------------
# Logins
# --------------------------------------------------------------------------------------------

LOGINS = (
    # username, role, unit name (None: the root), description
    ("admin", Role.ADMINISTRATOR, None, "quản trị toàn Thành phố"),
    ("phuongbadinh", Role.OFFICER, OFFICER_UNIT, "chuyên viên tổ chức, chỉ phường Ba Đình"),
    ("lanhdao", Role.READER, None, "lãnh đạo, chỉ xem, toàn Thành phố"),
    ("kiemtra", Role.INSPECTOR, None, "Ủy ban Kiểm tra, toàn Thành phố"),
)


def ensure_logins() -> list[dict]:
    """The demo users and their grants (idempotent; grants through the access service).

    They are plain accounts (not staff, not superuser) whose only power is their grant, created
    through the access service so their creation is on record. The four share one password hash.
    """
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once: the slow hash is per call, not per user
    root = Unit.objects.filter(depth=1, name=ROOT_NAME).first()
    result = []
    for username, role, unit_name, description in LOGINS:
        unit = root if unit_name is None else Unit.objects.filter(name=unit_name).order_by("path").first()
        if unit is None:
            continue
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(actor=None, username=username, password_hash=password, source=AuditEvent.Source.SYSTEM)
        if not Grant.objects.filter(user=user, unit=unit, role=role).exists():
            grant_create(actor=None, user=user, unit=unit, role=role, source=AuditEvent.Source.SYSTEM)
        result.append(_login_row(username, role, unit, description))
    return result


def _login_row(username: str, role: str, unit: Unit, description: str) -> dict:
    return {"username": username, "password": DEMO_PASSWORD, "role": str(role), "unit": unit.name,
            "unit_code": unit.code, "description": description}  # fmt: skip


def existing_logins() -> list[dict]:
    """The demo logins whose grant exists (for `canbo demo --if-empty` on a filled database)."""
    grants = {
        (g.user.username, g.role): g
        for g in Grant.objects.select_related("user", "unit").filter(user__username__in=[row[0] for row in LOGINS])
    }
    result = []
    for username, role, _unit_name, description in LOGINS:
        grant = grants.get((username, role))
        if grant is not None:
            result.append(_login_row(username, role, grant.unit, description))
    return result


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def build_demo(*, scale: float = 1.0, seed: int = 2025) -> dict:
    """Build the demo city into an empty database; returns counts, timings and the logins.

    The areas of the whole country are loaded first (idempotent): people were born everywhere.
    """
    started = time.monotonic()
    timings = {}
    load_areas()
    timings["areas"] = round(time.monotonic() - started, 2)
    with transaction.atomic():
        if Unit.objects.exists():
            raise DemoError("Cơ sở dữ liệu đã có đơn vị; `canbo demo` chỉ dựng dữ liệu mẫu vào cơ sở dữ liệu trống.")
        load_standard_titles(actor=None, source=AuditEvent.Source.SYSTEM)
        mark = time.monotonic()
        plan = Plan(scale=scale, seed=seed).build()
        timings["plan"] = round(time.monotonic() - mark, 2)
        mark = time.monotonic()
        written = write(plan)
        written.update(seed_regulations(plan))
        timings["write"] = round(time.monotonic() - mark, 2)
        mark = time.monotonic()
        validate()
        timings["validate"] = round(time.monotonic() - mark, 2)
        logins = ensure_logins()
    # Fresh statistics after a bulk load, or PostgreSQL plans the first pages on empty-table
    # estimates (the dashboard measured several times slower until ANALYZE).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings["total"] = round(time.monotonic() - started, 2)
    return {
        "seed": seed,
        "scale": scale,
        "as_of": plan.as_of.isoformat(),
        "counts": {**plan.summary(), **written},
        "seconds": timings,
        "logins": logins,
    }
