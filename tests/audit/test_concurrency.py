"""Writers on several connections at once: one unbroken chain, and no writer waits for another's
long transaction (an import runs a minute in one transaction; other edits must go on)."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction

from canbo.audit import chain
from canbo.audit.models import AuditEvent, AuditLink
from canbo.audit.services import record_event
from canbo.audit.verification import verify

from .. import factories as f

WRITERS = 3
PEOPLE_EACH = 8


def test_concurrent_writers_make_one_unbroken_chain(database_on_disk):
    unit = f.make_unit("Đảng ủy phường Ba Đình", code="HN-BADINH")
    barrier = threading.Barrier(WRITERS)

    def writer(number):
        try:
            barrier.wait(timeout=30)
            for n in range(PEOPLE_EACH):
                f.make_person(unit, f"Người viết {number} số {n}")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        list(pool.map(writer, range(WRITERS)))

    events = AuditEvent.objects.count()
    assert events == 1 + WRITERS * PEOPLE_EACH
    assert chain.unsealed().count() == 0  # every writer sealed its own events after commit
    result = verify(seal_first=False)
    assert result.intact, result.problem and result.problem.message()
    assert result.links == events
    assert sorted(AuditLink.objects.values_list("seq", flat=True)) == list(range(1, events + 1))


@pytest.mark.django_db(transaction=True)
def test_a_long_transaction_does_not_hold_up_other_writers():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time by design")
    unit = f.make_unit("Đảng ủy phường Ba Đình", code="HN-BADINH")
    started, other_done = threading.Event(), threading.Event()
    long_event = {}

    def long_import():
        try:
            with transaction.atomic():
                long_event["event"] = record_event(actor=None, action="unit.note", obj=unit, before=None,
                                                   after={"import": True}, unit=unit)  # fmt: skip
                started.set()
                other_done.wait(timeout=20)  # the transaction stays open while the other edit runs
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(long_import)
        assert started.wait(timeout=20)
        began = time.monotonic()
        person = f.make_person(unit, "Trần Thị Cúc")  # commits and seals while the import is open
        elapsed = time.monotonic() - began
        other_done.set()
        future.result()

    assert elapsed < 5, f"the edit waited {elapsed:.1f} s for the open transaction"
    person_event = AuditEvent.objects.get(action="person.create", object_id=person.pk)
    import_event = long_event["event"]
    assert import_event.pk < person_event.pk  # written first…
    seq = dict(AuditLink.objects.values_list("event_id", "seq"))
    assert seq[import_event.pk] > seq[person_event.pk]  # …sealed after, when it committed
    assert verify(seal_first=False).intact
