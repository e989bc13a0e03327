"""The hash chain: content hashes that survive the database, sealing after commit, verification,
and tampering that verification must catch (the application can do it on SQLite, the owner on
PostgreSQL: the triggers alone do not stop them)."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from canbo.audit import chain
from canbo.audit.models import AuditEvent, AuditLink
from canbo.audit.services import record_event
from canbo.audit.verification import verify
from canbo.org.models import Unit

from .. import factories as f
from .conftest import drop_event_trigger, drop_link_trigger, sql

pytestmark = pytest.mark.django_db

AWKWARD = {
    "z": 1.0,  # jsonb keeps "1.0"; JSON readers may see an int or a float
    "big": 1e20,  # jsonb writes 100000000000000000000
    "small": 1e-7,  # jsonb writes 0.0000001
    "third": 0.30000000000000004,
    "name": "Nguyễn Thị Ánh – «Đảng ủy» \u00a0 \U0001f600",
    "nested": {"b": [1, 2.5, None, True, "x"], "a": {"d": False, "c": -0.0}},
    3: "an integer key becomes a string key",
    "tuple": (1, 2),
    "huge": 12345678901234567890123,
}


def sealed_run(callbacks, work):
    """Run `work` in a transaction and its on-commit callbacks (the seal) as a commit would."""
    with callbacks(execute=True):
        with transaction.atomic():
            result = work()
    return result


@pytest.fixture
def unit(db):
    return f.make_unit("Đảng ủy phường Ba Đình", code="HN-BADINH")


def event_on(unit, *, after, before=None, action="unit.note"):
    return record_event(actor=None, action=action, obj=unit, before=before, after=after, unit=unit)


def test_content_hash_is_what_the_database_gives_back(unit):
    with transaction.atomic():
        event = event_on(unit, before=AWKWARD, after={"list": [AWKWARD, 1.5]})
    row = chain.events_as_text().get(id=event.pk)
    assert event.content_hash and len(event.content_hash) == 64
    assert chain.recomputed_hash(row) == event.content_hash


def test_content_hash_covers_microseconds_and_every_field(unit):
    with transaction.atomic():
        event = event_on(unit, after={"name": "A"})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.occurred_at == event.occurred_at and stored.occurred_at.microsecond == event.occurred_at.microsecond
    base = chain.content_hash(stored)
    changes = {
        "occurred_at": stored.occurred_at + dt.timedelta(microseconds=1),
        "actor_label": "someone else",
        "action": "unit.delete",
        "object_id": stored.object_id + 1,
        "object_repr": stored.object_repr + ".",
        "unit_id": None,
        "source": "api",
        "before": {},
        "after": {"name": "B"},
    }
    for name, value in changes.items():
        original = getattr(stored, name)
        setattr(stored, name, value)
        assert chain.content_hash(stored) != base, name
        setattr(stored, name, original)
    assert chain.content_hash(stored) == base


def test_one_seal_per_transaction_and_events_linked_in_id_order(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            unit = f.make_unit("Đảng ủy phường Ba Đình", code="HN-BADINH")  # audited by its service
            [event_on(unit, after={"n": n}) for n in range(3)]
    seals = [c for c in callbacks if c.__name__ == "seal_after_commit"]
    assert len(seals) == 1
    seals[0]()
    events = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    assert len(events) >= 4
    assert list(AuditLink.objects.order_by("seq").values_list("event_id", flat=True)) == events


@pytest.mark.django_db(transaction=True)
def test_events_after_a_rolled_back_savepoint_are_still_sealed():
    unit = f.make_unit("Đảng ủy phường Ba Đình", code="HN-BADINH")  # committed and sealed
    assert chain.unsealed().count() == 0
    with transaction.atomic():
        try:
            with transaction.atomic():  # the transaction's first event, and its seal, roll back
                event_on(unit, after={"gone": 1})
                raise RuntimeError
        except RuntimeError:
            pass
        kept = event_on(unit, after={"kept": 1})
    assert AuditLink.objects.filter(event_id=kept.pk).exists()
    assert not AuditEvent.objects.filter(after__gone=1).exists()
    assert chain.unsealed().count() == 0
    assert verify(seal_first=False).intact


def test_a_clean_chain_verifies(city, django_capture_on_commit_callbacks):
    sealed_run(django_capture_on_commit_callbacks, lambda: f.make_person(city["ward_a"], "Trần Văn Bình"))
    result = verify()  # seals what the fixtures wrote (their transactions never commit in a test)
    assert result.intact and result.problem is None
    assert result.links == result.events == AuditEvent.objects.count() > 1
    assert result.unsealed == 0
    last = AuditLink.objects.order_by("-seq").first()
    assert result.head == {"seq": last.seq, "event_id": last.event_id, "hash": last.link_hash}


def test_verify_seals_forgotten_events_and_reports_the_late_ones(unit):
    with transaction.atomic():
        old = AuditEvent(
            actor_label="hệ thống", source="system", action="unit.note", object_id=unit.pk, object_repr=str(unit),
            object_type=ContentType.objects.get_for_model(Unit), unit=unit, after={"x": 1},
            occurred_at=timezone.now() - dt.timedelta(minutes=30),
        )  # fmt: skip
        chain.stamp(old)
        old.save(force_insert=True)
        event_on(unit, after={"x": 2})
    assert verify(seal_first=False).unsealed == AuditEvent.objects.count()
    result = verify()
    assert result.intact and result.unsealed == 0
    assert result.swept["late"] == 1 and result.swept["first_late_id"] == old.pk


def test_events_written_before_the_chain_are_hashed_when_sealed(unit):
    with transaction.atomic():
        legacy = event_on(unit, after={"legacy": True})
    drop_event_trigger()
    sql("UPDATE audit_auditevent SET content_hash = NULL WHERE id = %s", [legacy.pk])
    assert verify().intact
    sql("UPDATE audit_auditevent SET action = 'unit.delete' WHERE id = %s", [legacy.pk])
    problem = verify().problem
    assert (problem.kind, problem.event_id) == ("link_changed", legacy.pk)


@pytest.fixture
def sealed_events(unit):
    with transaction.atomic():
        events = [event_on(unit, after={"n": n, "name": f"Đơn vị {n}"}) for n in range(6)]
    chain.seal()
    assert verify().intact
    return [AuditEvent.objects.get(pk=e.pk) for e in events]


def link_of(event) -> AuditLink:
    return AuditLink.objects.get(event_id=event.pk)


def test_changing_an_events_content_is_reported_at_that_event(sealed_events):
    target = sealed_events[3]
    drop_event_trigger()
    sql("""UPDATE audit_auditevent SET after = '{"n": 3, "name": "Đơn vị khác"}' WHERE id = %s""", [target.pk])
    result = verify()
    assert not result.intact
    assert (result.problem.kind, result.problem.event_id, result.problem.seq) == ("content_changed", target.pk, link_of(target).seq)
    assert result.links == link_of(target).seq - 1
    assert f"sự kiện số {target.pk}" in result.problem.message()


def test_changing_content_and_its_hash_together_breaks_the_link(sealed_events):
    target = sealed_events[2]
    drop_event_trigger()
    target.object_repr = "Đơn vị đã bị đổi tên"
    sql("UPDATE audit_auditevent SET object_repr = %s, content_hash = %s WHERE id = %s",
        [target.object_repr, chain.content_hash(target), target.pk])  # fmt: skip
    problem = verify().problem
    assert (problem.kind, problem.event_id) == ("link_changed", target.pk)


def test_deleting_an_event_is_reported_with_its_id(sealed_events):
    target = sealed_events[1]
    if connection.vendor == "postgresql":
        drop_event_trigger()  # the trigger refuses DELETE there; the owner can switch it off
    sql("DELETE FROM audit_auditevent WHERE id = %s", [target.pk])
    problem = verify().problem
    assert (problem.kind, problem.event_id, problem.seq) == ("event_missing", target.pk, link_of(target).seq)


def test_deleting_a_link_is_reported_at_its_place(sealed_events):
    target = link_of(sealed_events[2])
    if connection.vendor == "postgresql":
        drop_link_trigger()
    sql("DELETE FROM audit_auditlink WHERE seq = %s", [target.seq])
    # The sweep links the orphaned event again at the end; the gap stays.
    result = verify()
    assert (result.problem.kind, result.problem.seq) == ("link_missing", target.seq)


def test_rewriting_a_link_is_reported(sealed_events):
    target = link_of(sealed_events[4])
    drop_link_trigger()
    sql("UPDATE audit_auditlink SET link_hash = %s WHERE seq = %s", ["f" * 64, target.seq])
    problem = verify().problem
    assert (problem.kind, problem.seq, problem.event_id) == ("link_changed", target.seq, sealed_events[4].pk)


def test_swapping_two_links_events_is_reported(sealed_events):
    first, second = link_of(sealed_events[1]), link_of(sealed_events[2])
    drop_link_trigger()
    sql("UPDATE audit_auditlink SET event_id = -1 WHERE seq = %s", [first.seq])
    sql("UPDATE audit_auditlink SET event_id = %s WHERE seq = %s", [first.event_id, second.seq])
    sql("UPDATE audit_auditlink SET event_id = %s WHERE seq = %s", [second.event_id, first.seq])
    problem = verify().problem
    assert (problem.kind, problem.seq) == ("link_changed", first.seq)


def test_removing_the_newest_events_shows_against_the_anchor(sealed_events):
    head = verify().head
    anchor = {"seq": head["seq"], "hash": head["hash"]}
    assert verify(anchor=anchor).intact
    if connection.vendor == "postgresql":
        drop_event_trigger()
        drop_link_trigger()
    newest = sealed_events[-1]
    sql("DELETE FROM audit_auditlink WHERE event_id = %s", [newest.pk])
    sql("DELETE FROM audit_auditevent WHERE id = %s", [newest.pk])
    assert verify().intact  # a shorter chain holds together by itself…
    problem = verify(anchor=anchor).problem  # …but no longer reaches the anchor
    assert (problem.kind, problem.seq) == ("anchor", anchor["seq"])


def test_links_refuse_update_and_events_keep_their_trigger(sealed_events):
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        sql("UPDATE audit_auditlink SET link_hash = %s", ["0" * 64])
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        sql("UPDATE audit_auditevent SET action = 'x'")
    if connection.vendor == "postgresql":
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            sql("DELETE FROM audit_auditlink")
