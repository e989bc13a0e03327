"""Writes of the exchange app: import jobs (upload, check, commit, retry, cancel) and the console's policy.

The records an import creates or changes are written by the importers through the org and
people services (or their bulk variants in `bulk.py`), each with its audit row; this module
keeps the job's own bookkeeping: status, counts, progress, the (capped) report and its lease.

Every check and every commit runs in the background worker (`canbo db_worker`), never in the
web request: a file is read only after its declared sizes passed (`xlsx.check_package`), and
even then reading it may take minutes, which a request must not.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.access.policy import AccessPolicy
from canbo.audit.models import AuditEvent
from canbo.audit.services import record_event

from .engine import ImportReport, run_import
from .importers import importer_for
from .lease import JobLease
from .models import ImportJob, lease_seconds
from .selectors import job_for

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 64 * 1024 * 1024


def report_max_issues() -> int:
    """How many errors (and warnings, and rows that clear fields) a job stores; the rest are counted."""
    return getattr(settings, "CANBO_IMPORT_REPORT_MAX_ISSUES", 1000)


class ConsolePolicy(AccessPolicy):
    """The access of the console (`canbo import` without --as): the whole tree, like the other commands."""

    is_global = True

    def __init__(self):
        super().__init__(None)


class JobSuperseded(Exception):
    """The job was retried or cancelled while this run was working on it: its work is dropped."""


def job_create(*, user, kind: str, filename: str, content: bytes) -> ImportJob:
    importer_for(kind)  # KeyError for an unknown kind, before anything is stored
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {"tep": f"Tệp lớn quá {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; hãy chia thành nhiều tệp nhỏ hơn."}
        )
    # The rows are counted by the worker: even that reads the file.
    return ImportJob.objects.create(user=user, kind=kind, filename=filename[:255], content=content, size=len(content))


def job_start(job: ImportJob, *, stage: str) -> ImportJob:
    """Queue the stage for the worker, as a new attempt of the job."""
    ImportJob.objects.filter(pk=job.pk).update(
        stage=stage, status=ImportJob.Status.QUEUED, background=True, processed_rows=0, lease_until=None,
        attempt=F("attempt") + 1,
    )  # fmt: skip
    job.refresh_from_db()
    _enqueue_on_commit(job)
    return job


def _enqueue_on_commit(job: ImportJob) -> None:
    from .tasks import run_import_job

    job_id, stage, attempt = job.pk, job.stage, job.attempt

    def enqueue():
        result = run_import_job.enqueue(job_id, stage, attempt)
        ImportJob.objects.filter(pk=job_id, attempt=attempt).update(task_id=str(result.id)[:64])

    # Queued after the job row is committed, so the worker never looks for a job it cannot see.
    transaction.on_commit(enqueue)


def job_request_commit(job: ImportJob, *, clearing_confirmed: bool = False) -> ImportJob:
    """Commit a checked job; refused unless its dry run passed (a double click commits once).

    A file that empties fields is committed only when the user confirmed it, having seen the list.
    """
    if job.cleared_count and not clearing_confirmed:
        raise ValidationError(
            _("Tệp này xóa giá trị của một số trường: hãy xem danh sách và đánh dấu xác nhận trước khi ghi.")
        )
    claimed = ImportJob.objects.filter(
        pk=job.pk, status=ImportJob.Status.CHECKED, stage=ImportJob.Stage.CHECK
    ).update(stage=ImportJob.Stage.COMMIT, status=ImportJob.Status.QUEUED)
    if not claimed:
        raise ValidationError("Lượt nhập này không ở trạng thái sẵn sàng ghi (chưa kiểm tra xong, có lỗi hoặc đã ghi).")
    return job_start(job, stage=ImportJob.Stage.COMMIT)


# Retry and cancel ----------------------------------------------------------------------------


def _state(job: ImportJob) -> dict:
    return {"status": job.status, "stage": job.stage, "attempt": job.attempt,
            "lease_until": job.lease_until.isoformat() if job.lease_until else None}  # fmt: skip


@transaction.atomic
def job_retry(*, actor, job_id, source: str = AuditEvent.Source.WEB) -> ImportJob:
    """Run an interrupted job again, same file and same stage, as a new attempt.

    Only its owner or an administrator of the owner's scope may (`selectors.job_for`); anyone
    else is told the job does not exist.
    """
    job = job_for(actor, job_id, for_update=True)
    if not job.is_interrupted:
        raise ValidationError(_("Chỉ chạy lại được lượt nhập bị gián đoạn."))
    before = _state(job)
    job.status, job.processed_rows, job.lease_until, job.message = ImportJob.Status.QUEUED, 0, None, ""
    job.attempt += 1
    job.save(update_fields=["status", "processed_rows", "lease_until", "message", "attempt"])
    record_event(actor=actor, action="import_job.retry", obj=job, before=before, after=_state(job), source=source)
    _enqueue_on_commit(job)
    return job


@transaction.atomic
def job_cancel(*, actor, job_id, source: str = AuditEvent.Source.WEB) -> ImportJob:
    """Cancel a job that waits for the worker or whose worker died; nothing of it is written."""
    job = job_for(actor, job_id, for_update=True)
    if not job.can_cancel:
        raise ValidationError(_("Chỉ hủy được lượt nhập đang chờ xử lý hoặc bị gián đoạn."))
    before = _state(job)
    job.status, job.finished_at, job.lease_until = ImportJob.Status.CANCELLED, timezone.now(), None
    job.message = _("Lượt nhập đã bị hủy; không có dữ liệu nào được ghi.")
    job.attempt += 1  # a worker that comes back late finds its attempt gone
    job.save(update_fields=["status", "finished_at", "lease_until", "message", "attempt"])
    record_event(actor=actor, action="import_job.cancel", obj=job, before=before, after=_state(job), source=source)
    return job


# Running (in the worker) ---------------------------------------------------------------------


def job_run(job_id: int, *, stage: str, attempt: int | None = None) -> ImportJob:
    """Check or commit a job (called by the background task); a cancelled or superseded attempt does nothing."""
    if attempt is None:  # a task queued before attempts existed
        attempt = ImportJob.objects.filter(pk=job_id).values_list("attempt", flat=True).first() or 0
    now = timezone.now()
    mine = ImportJob.objects.filter(pk=job_id, attempt=attempt)
    claimed = mine.filter(status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, stage=stage, started_at=now, processed_rows=0,
        lease_until=now + dt.timedelta(seconds=lease_seconds()),
    )  # fmt: skip
    job = ImportJob.objects.get(pk=job_id)
    if not claimed:
        logger.info("import job %s attempt %s is no longer queued; nothing to do", job_id, attempt)
        return job

    def progress(done: int, total: int | None) -> None:
        mine.update(processed_rows=done, total_rows=max(total or 0, done))
        lease.renew()

    def still_mine() -> None:
        # Inside the commit's transaction: the lock makes a retry or a cancel wait for this commit
        # (and then find the job committed), or this commit roll back if they came first.
        current = ImportJob.objects.select_for_update().filter(pk=job_id).values_list("attempt", "status").first()
        if current != (attempt, ImportJob.Status.RUNNING):
            raise JobSuperseded
        mine.update(status=ImportJob.Status.COMMITTED, committed_at=timezone.now())

    try:
        with JobLease(job_id, attempt) as lease:
            report = run_import(
                bytes(job.content),
                kind=job.kind,
                actor=job.user,
                policy=AccessPolicy(job.user),
                commit=stage == ImportJob.Stage.COMMIT,
                progress=progress,
                before_write=lease.cover_write,
                before_commit=still_mine,
            )
    except JobSuperseded:
        logger.warning("import job %s attempt %s was retried or cancelled meanwhile; rolled back", job_id, attempt)
        job.refresh_from_db()
        return job
    except Exception:
        logger.exception("import job %s failed", job_id)
        mine.update(
            status=ImportJob.Status.FAILED,
            message="Lỗi hệ thống khi xử lý tệp; không có dữ liệu nào được ghi. Hãy báo quản trị hệ thống.",
            finished_at=timezone.now(),
            lease_until=None,
        )
        job.refresh_from_db()
        return job
    _store(job, report, stage, attempt)
    job.refresh_from_db()
    return job


def _store(job: ImportJob, report: ImportReport, stage: str, attempt: int) -> None:
    """Save the report of one attempt, capped: the first errors, warnings and clearings, and their counts."""
    now = timezone.now()
    cap = report_max_issues()
    values = {
        "total_rows": report.total_rows,
        "processed_rows": report.total_rows,
        "created_count": report.created,
        "updated_count": report.updated,
        "unchanged_count": report.unchanged,
        "error_count": report.error_total,
        "warning_count": len(report.warnings),
        "cleared_count": report.cleared_rows,
        "errors": [e.as_dict() for e in report.errors[:cap]],
        "warnings": [w.as_dict() for w in report.warnings[:cap]],
        "cleared": report.cleared[:cap],
        "preview": report.preview[:cap],
        "finished_at": now,
        "lease_until": None,
    }
    if report.refused:
        values.update(status=ImportJob.Status.INVALID, message=report.refused)
    elif stage == ImportJob.Stage.COMMIT and report.committed:
        # `still_mine` marked it committed in the commit's own transaction (unless there was nothing to write).
        values.update(status=ImportJob.Status.COMMITTED, message="", committed_at=Coalesce("committed_at", Value(now)))
    elif stage == ImportJob.Stage.COMMIT:
        values.update(
            status=ImportJob.Status.INVALID,
            message="Phát hiện lỗi khi ghi nên không có dữ liệu nào được lưu; hãy sửa tệp và nhập lại.",
        )
    else:
        values.update(status=ImportJob.Status.CHECKED if report.ok else ImportJob.Status.INVALID, message="")
    running = [ImportJob.Status.RUNNING, ImportJob.Status.COMMITTED] if values["status"] == ImportJob.Status.COMMITTED else [ImportJob.Status.RUNNING]
    ImportJob.objects.filter(pk=job.pk, attempt=attempt, status__in=running).update(**values)
