"""Simultaneous appointments to the last place of a seat: the row lock on the seat lets one in.

Each attempt runs in its own thread, hence its own database connection, released at a barrier
so the attempts really overlap; the service must accept exactly one and refuse the others with
its ValidationError, on SQLite and on PostgreSQL alike.
"""

import datetime as dt
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from canbo.org.models import UnitKind
from canbo.people import services as people_services
from canbo.people.models import Assignment

from .. import factories as f

ROUNDS = 10
ATTEMPTS = 10
START = dt.date(2024, 1, 1)


@pytest.fixture
def database_on_disk(transactional_db, tmp_path):
    """On SQLite, run the test on a database file, as SQLite runs in production.

    The test database of SQLite lives in memory in shared-cache mode, whose locks are per table:
    a writer that meets another gets "database table is locked" at once, whatever the busy
    timeout, which says nothing about the service. The empty test database is copied to a file
    and every connection points there for the test; the in-memory one is kept open (closing it
    would destroy it) and put back afterwards.
    """
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    settings = connection.settings_dict
    in_memory_name = settings["NAME"]
    connection.ensure_connection()
    in_memory = connection.connection
    on_disk = sqlite3.connect(tmp_path / "race.sqlite3")
    in_memory.backup(on_disk)
    on_disk.close()
    settings["NAME"] = str(tmp_path / "race.sqlite3")
    connection.connection = None  # the next query opens the file
    try:
        yield
    finally:
        connection.close()
        settings["NAME"] = in_memory_name
        connection.connection = in_memory


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
