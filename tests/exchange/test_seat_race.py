"""Issue 8, point 5: an assignment import racing a form appointment for the last seat.

Two real connections (two threads, released together by a barrier): thread A commits an
assignment import whose file appoints X to the one-seat position P, held at the barrier once
its file is checked and just before its write transaction; thread B appoints Y to P through the
assignment service, as the form does. Both end in `people.services.assignment_create`,
which locks P's row before counting its holders (PostgreSQL), and SQLite's IMMEDIATE
transactions serialize the two writers, so exactly one of them wins every round; the loser
gets its error, and an import that loses saves nothing at all.
"""

import datetime as dt
import threading
import time

from django.core.exceptions import ValidationError
from django.db import connection

from canbo.access.models import Role
from canbo.access.policy import AccessPolicy
from canbo.audit.models import AuditEvent
from canbo.exchange.engine import run_import
from canbo.org.models import UnitKind
from canbo.people import services as people_services
from canbo.people.models import Assignment

from .. import factories as f
from .conftest import cid, workbook_bytes

ROUNDS = 10
START = dt.date(2025, 8, 1)
HEADERS = ["Số định danh cá nhân", "Mã đơn vị", "Mã chức danh", "Hình thức", "Từ ngày"]


def start_together(barrier: threading.Barrier, *, delay: float = 0) -> None:
    """Wait for the other side; `delay` (a few ms, varied by round) lets either side reach the seat first."""
    barrier.wait(timeout=10)
    time.sleep(delay)


def in_thread(target, results: dict, key: str):
    def run():
        try:
            results[key] = target()
        except BaseException as exc:  # noqa: BLE001  (the other side of the race reports it)
            results[key] = exc
        finally:
            connection.close()  # this thread's own connection

    return threading.Thread(target=run)


def test_an_import_and_a_form_never_overfill_the_last_seat(database_on_disk):
    root = f.make_unit("Đảng bộ Thành phố Hà Nội", kind=UnitKind.PROVINCIAL_COMMITTEE, code="HN")
    officer = f.make_user("officer_race", grants=[(root, Role.OFFICER)])
    title = f.make_title("bi-thu", "Bí thư", is_head=True, rank=10)
    winners = {"import": 0, "form": 0}
    for n in range(ROUNDS):
        ward = f.make_unit(f"Đảng ủy phường thử {n}", parent=root, code=f"HN-P{n}")
        seat = f.make_position(ward, title)  # one seat
        x = f.make_person(ward, f"Nguyễn Văn Nhập {n}", birth_date=dt.date(1975, 1, 1), citizen_id=cid(1975))
        y = f.make_person(ward, f"Trần Văn Biểu {n}", birth_date=dt.date(1976, 1, 1), citizen_id=cid(1976))
        data = workbook_bytes([HEADERS, [x.citizen_id, ward.code, "bi-thu", "Bổ nhiệm", START.strftime("%d/%m/%Y")]])
        events = AuditEvent.objects.count()

        barrier = threading.Barrier(2)

        def by_import(data=data, barrier=barrier, n=n):
            # Released once its file is checked (the seat is free then), right before its write
            # transaction: the window a form appointment could slip into.
            return run_import(data, kind="assignments", actor=officer, policy=AccessPolicy(officer), commit=True,
                              before_write=lambda rows: start_together(barrier, delay=n % 5 * 0.005))  # fmt: skip

        def by_form(y=y, seat=seat, barrier=barrier):
            barrier.wait(timeout=10)
            return people_services.assignment_create(actor=officer, person=y, position=seat, kind="appointment", start_date=START)

        results: dict = {}
        threads = [in_thread(by_import, results, "import"), in_thread(by_form, results, "form")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        report, form = results["import"], results["form"]
        assert not isinstance(report, BaseException), report

        holders = list(Assignment.objects.filter(position=seat).values_list("person_id", flat=True))
        assert len(holders) == seat.seat_count == 1, f"round {n}: {holders}"
        if report.committed:
            winners["import"] += 1
            assert isinstance(form, ValidationError), f"round {n}: the form also succeeded: {form!r}"
            assert holders == [x.pk]
            assert AuditEvent.objects.count() == events + 1
        else:
            winners["form"] += 1
            assert isinstance(form, Assignment), f"round {n}: neither side won: {form!r}"
            assert holders == [y.pk]
            assert [(e.row, e.column) for e in report.errors] == [(2, "Mã chức danh")], report.as_dict()
            assert "chỉ có 1 người" in report.errors[0].message
            assert AuditEvent.objects.count() == events + 1  # the form's row only: the import saved nothing
    assert sum(winners.values()) == ROUNDS
