"""Simultaneous appointments to the last place of a seat: the row lock on the seat lets one in.

Each attempt runs in its own thread, hence its own database connection, released at a barrier
so the attempts really overlap; the service must accept exactly one and refuse the others with
its ValidationError, on SQLite and on PostgreSQL alike.
"""

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

from django.core.exceptions import ValidationError
from django.db import connection, connections

from canbo.org.models import UnitKind
from canbo.people import services as people_services
from canbo.people.models import Assignment

from .. import factories as f

ROUNDS = 10
ATTEMPTS = 10
START = dt.date(2024, 1, 1)


def race(attempts):
    """Run each callable in its own thread and connection, all released at once; their outcomes."""
    barrier = threading.Barrier(len(attempts))

    def run(attempt):
        try:
            barrier.wait(timeout=30)
            attempt()
            return "accepted"
        except ValidationError as error:
            return ("refused", error)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        return list(pool.map(run, attempts))


def test_simultaneous_appointments_to_the_last_place_accept_exactly_one(database_on_disk):
    root = f.make_unit("Đảng bộ Thành phố Thử", kind=UnitKind.PROVINCIAL_COMMITTEE, code="T")
    title = f.make_title("bi-thu", "Bí thư", is_head=True)
    try:
        for round_number in range(ROUNDS):
            unit = f.make_unit(f"Đảng ủy xã Thử {round_number}", parent=root, code=f"T-{round_number}")
            seat = f.make_position(unit, title, seat_count=1)
            people = [f.make_person(unit, f"Người Thử {round_number}-{n}") for n in range(ATTEMPTS)]

            def appoint(person, seat=seat):
                return lambda: people_services.assignment_create(
                    actor=None, person=person, position=seat, kind="appointment", start_date=START
                )

            outcomes = race([appoint(person) for person in people])

            accepted = [o for o in outcomes if o == "accepted"]
            refused = [o[1] for o in outcomes if o != "accepted"]
            assert len(accepted) == 1, (round_number, outcomes)
            assert len(refused) == ATTEMPTS - 1
            for error in refused:
                assert "position" in error.message_dict
                assert "chỉ có 1 người" in error.message_dict["position"][0]
            assert Assignment.objects.filter(position=seat).count() == 1
    finally:
        for alias in connections:
            connections[alias].close()
