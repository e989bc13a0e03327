"""The lease a running import job holds, so that a job whose worker died is seen as interrupted.

A worker killed mid-import (OOM, kill -9, a reboot) leaves its job "running" for ever: the
database rolls its transaction back, so nothing is half-saved, but nobody says the job stopped.
So a running job carries `ImportJob.lease_until`, a moment before which its worker promises to
renew it; a job still running past it is interrupted (`ImportJob.is_interrupted`).

Where the renewal is written, and why it works on both databases:

- not from the import's own connection: the commit writes everything in ONE transaction, and an
  update made inside it is invisible to every other connection until the end, which is exactly
  when it no longer matters;
- so from a thread of the worker (`JobLease`): Django gives each thread its own connection, in
  autocommit, which renews the lease every quarter of its length. On PostgreSQL this runs beside
  the import's transaction (it touches only the job row, which the import does not lock until its
  very last statement);
- on SQLite every write waits for the one writer: while the import's write transaction runs, the
  thread's renewal waits, times out and is skipped. So before that transaction starts, the
  engine asks for a lease long enough for the whole write (`cover_write`): a budget per row,
  on SQLite only. A worker that dies during that write is thus seen later than elsewhere, but
  still seen; its transaction is rolled back by SQLite like by PostgreSQL.

A file under var/ was the other candidate: it would work on SQLite (one machine), but not when a
PostgreSQL deployment runs the worker on another machine than the web process, and the design of
the jobs is that the two share nothing but the database.
"""

import datetime as dt
import logging
import threading

from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.db.models import Q
from django.utils import timezone

from .models import ImportJob, lease_seconds

logger = logging.getLogger(__name__)


def sqlite_write_seconds_per_row() -> float:
    return getattr(settings, "CANBO_IMPORT_SQLITE_WRITE_SECONDS_PER_ROW", 0.01)


class JobLease:
    """A context manager that keeps renewing a running job's lease from a thread of its own."""

    def __init__(self, job_id: int, attempt: int):
        self.job_id = job_id
        self.attempt = attempt
        self.seconds = lease_seconds()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"import-job-{job_id}-lease", daemon=True)

    def _mine(self):
        return ImportJob.objects.filter(pk=self.job_id, attempt=self.attempt, status=ImportJob.Status.RUNNING)

    def renew(self, *, extra_seconds: float = 0) -> None:
        until = timezone.now() + dt.timedelta(seconds=self.seconds + extra_seconds)
        # Never shorten a lease granted for a long write.
        self._mine().filter(Q(lease_until__lt=until) | Q(lease_until__isnull=True)).update(lease_until=until)

    def cover_write(self, rows: int) -> None:
        """Called by the engine in the worker's own connection, just before the write transaction."""
        if connection.vendor == "sqlite":
            self.renew(extra_seconds=rows * sqlite_write_seconds_per_row())
        else:
            self.renew()

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.seconds / 4):
                try:
                    self.renew()
                except DatabaseError:  # SQLite: the import's write holds the lock; the lease covers it
                    logger.info("lease of import job %s not renewed this time", self.job_id, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections only

    def __enter__(self) -> "JobLease":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
