"""Issue 8, point 4: a job whose worker died shows as interrupted, and can be retried or cancelled.

The worker's death is simulated the way it happens: the task dies inside the commit's
transaction (a SystemExit, as `db_worker` raises on a second SIGTERM), which the database rolls
back; the job is left "running" with a lease nobody renews any more.
"""

import datetime as dt
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from canbo.access.models import Role
from canbo.audit.models import AuditEvent
from canbo.exchange import bulk
from canbo.exchange.lease import JobLease
from canbo.exchange.models import ImportJob
from canbo.people.models import Person

from .. import factories as f
from .conftest import cid, people_rows, workbook_bytes


def upload(client, data: bytes):
    return client.post(reverse("exchange:upload"), {"loai": "people", "tep": SimpleUploadedFile("can-bo.xlsx", data)})


def page(client, job) -> str:
    return client.get(f"{reverse('exchange:job')}?luot={job.pk}").content.decode()


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def expire(job) -> None:
    """Time passes: the lease of the dead worker runs out."""
    ImportJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))


def people_file(n: int = 3) -> bytes:
    return workbook_bytes(people_rows(*[[cid(1980), f"Nguyễn Văn Số {i}", "Nam", "17/05/1980", "HN-BADINH"] for i in range(n)]))


@pytest.fixture
def tree(transactional_db):
    root = f.make_unit("Đảng bộ Thành phố Hà Nội", kind="provincial_committee", code="HN")
    ward = f.make_unit("Đảng ủy phường Ba Đình", parent=root, code="HN-BADINH")
    other = f.make_unit("Đảng ủy phường Hoàn Kiếm", parent=root, code="HN-HOANKIEM")
    officer = f.make_user("officer_k", grants=[(ward, Role.OFFICER)])
    return {"root": root, "ward": ward, "other": other, "officer": officer}


def test_a_worker_killed_mid_commit_saves_nothing_and_the_job_is_retried(client, tree, monkeypatch):
    client.force_login(tree["officer"])
    upload(client, people_file(3))
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.CHECKED
    client.post(reverse("exchange:job_commit"), {"luot": job.pk})
    people, events = Person.objects.count(), AuditEvent.objects.count()

    real_create = bulk.person_bulk_create

    def die_after_writing(*args, **kwargs):
        real_create(*args, **kwargs)  # the rows and their audit rows are written in the transaction…
        raise SystemExit(1)  # …and the worker dies before it commits

    monkeypatch.setattr(bulk, "person_bulk_create", die_after_writing)
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING and job.stage == ImportJob.Stage.COMMIT
    assert (Person.objects.count(), AuditEvent.objects.count()) == (people, events)  # nothing half-saved
    assert 'data-testid="interrupted"' not in page(client, job)  # its lease still runs

    expire(job)
    html = page(client, job)
    assert 'data-testid="interrupted"' in html and "Bị gián đoạn" in html
    assert 'data-testid="retry-form"' in html and 'data-testid="cancel-form"' in html
    progress = client.get(f"{reverse('exchange:job_progress')}?luot={job.pk}")
    assert progress.status_code == 204 and progress["HX-Refresh"] == "true"

    monkeypatch.setattr(bulk, "person_bulk_create", real_create)
    attempt = job.attempt
    response = client.post(reverse("exchange:job_retry"), {"luot": job.pk})
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.attempt) == (ImportJob.Status.QUEUED, attempt + 1)
    event = AuditEvent.objects.get(action="import_job.retry")
    assert (event.actor, event.object_id, event.before["status"], event.after["status"]) == (
        tree["officer"], job.pk, "running", "queued",
    )  # fmt: skip
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.COMMITTED and job.created_count == 3
    assert Person.objects.filter(full_name__startswith="Nguyễn Văn Số").count() == 3


def test_cancel_marks_the_job_cancelled_and_a_late_worker_does_nothing(client, tree):
    client.force_login(tree["officer"])
    upload(client, people_file(2))
    job = ImportJob.objects.get()
    # The worker took the job, then died before writing anything.
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, started_at=timezone.now())
    expire(job)
    job.refresh_from_db()
    response = client.post(reverse("exchange:job_cancel"), {"luot": job.pk})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CANCELLED and job.attempt == 2
    assert "Lượt nhập đã bị hủy; không có dữ liệu nào được ghi." in page(client, job)
    event = AuditEvent.objects.get(action="import_job.cancel")
    assert (event.actor, event.before["status"], event.after["status"]) == (tree["officer"], "running", "cancelled")
    run_worker()  # the task queued at upload (attempt 1) comes late
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CANCELLED and not Person.objects.exists()
    # A cancelled job is neither retried nor cancelled again.
    client.post(reverse("exchange:job_retry"), {"luot": job.pk})
    assert AuditEvent.objects.filter(action__startswith="import_job.").count() == 1


def test_a_running_job_with_a_live_lease_is_not_retried(client, tree):
    client.force_login(tree["officer"])
    upload(client, people_file(1))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, lease_until=timezone.now() + dt.timedelta(seconds=60)
    )
    response = client.post(reverse("exchange:job_retry"), {"luot": job.pk}, follow=True)
    assert "Chỉ chạy lại được lượt nhập bị gián đoạn." in response.content.decode()
    assert ImportJob.objects.get().attempt == 1 and not AuditEvent.objects.filter(action__startswith="import_job.").exists()


def test_who_may_retry_or_cancel(client, tree):
    client.force_login(tree["officer"])
    upload(client, people_file(1))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    expire(job)
    colleague = f.make_user("colleague", grants=[(tree["ward"], Role.OFFICER)])
    other_admin = f.make_user("admin_hk", grants=[(tree["other"], Role.ADMINISTRATOR)])
    ward_admin = f.make_user("admin_bd", grants=[(tree["ward"], Role.ADMINISTRATOR)])
    for stranger in (colleague, other_admin):
        client.force_login(stranger)
        assert client.get(f"{reverse('exchange:job')}?luot={job.pk}").status_code == 404
        for name in ("exchange:job_retry", "exchange:job_cancel"):
            assert client.post(reverse(name), {"luot": job.pk}).status_code == 404
            assert client.post(reverse(name), {"luot": "nope"}).status_code == 404
    assert client.get(reverse("exchange:job_cancel")).status_code == 405
    client.force_login(ward_admin)
    html = page(client, job)
    assert 'data-testid="cancel-form"' in html and 'data-testid="commit-form"' not in html
    assert client.post(reverse("exchange:job_cancel"), {"luot": job.pk}).status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CANCELLED
    assert AuditEvent.objects.get(action="import_job.cancel").actor == ward_admin


def test_a_commit_rolls_back_when_the_job_was_retried_meanwhile(client, tree, monkeypatch):
    """A worker taken for dead that comes back: its commit finds another attempt and rolls back."""
    client.force_login(tree["officer"])
    upload(client, people_file(2))
    run_worker()
    job = ImportJob.objects.get()
    client.post(reverse("exchange:job_commit"), {"luot": job.pk})
    real_cover = JobLease.cover_write

    def retried_meanwhile(lease, rows):
        real_cover(lease, rows)
        ImportJob.objects.filter(pk=lease.job_id).update(attempt=lease.attempt + 1, status=ImportJob.Status.QUEUED)

    monkeypatch.setattr(JobLease, "cover_write", retried_meanwhile)
    events = AuditEvent.objects.count()
    run_worker()
    assert not Person.objects.exists() and AuditEvent.objects.count() == events
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED  # left to the retry, untouched by the late worker


def test_the_lease_is_renewed_from_its_own_connection_during_the_import_transaction(tree, settings):
    """PostgreSQL: the renewal commits beside the open write transaction. SQLite serializes
    writers, so there the engine asks, before that transaction, for a lease covering the write."""
    job = ImportJob.objects.create(user=tree["officer"], kind="people", filename="x.xlsx", content=b"x",
                                   status=ImportJob.Status.RUNNING, attempt=1, lease_until=timezone.now())  # fmt: skip
    if connection.vendor == "sqlite":
        settings.CANBO_IMPORT_SQLITE_WRITE_SECONDS_PER_ROW = 0.5
        JobLease(job.pk, 1).cover_write(1000)
        job.refresh_from_db()
        assert job.lease_until > timezone.now() + dt.timedelta(seconds=450)
        return
    settings.CANBO_IMPORT_LEASE_SECONDS = 0.4
    seen = []

    def read(since):
        # From a third connection, as the web process reads it.
        try:
            seen.extend(ImportJob.objects.filter(pk=job.pk, lease_until__gt=since).values_list("pk", flat=True))
        finally:
            connection.close()

    with transaction.atomic(), JobLease(job.pk, 1):
        f.make_person(tree["ward"], "Trần Văn Chờ")  # the import's transaction holds its writes
        before = timezone.now()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not seen:
            reader = threading.Thread(target=read, args=(before,))
            reader.start()
            reader.join()
            time.sleep(0.05)
    assert seen == [job.pk]
