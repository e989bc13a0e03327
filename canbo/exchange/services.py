"""Writes of the exchange app: import jobs (upload, check, commit) and the console's policy.

The records an import creates or changes are written by the importers through the org and
people services (or their bulk variants in `bulk.py`), each with its audit row; this module
only keeps the job's own bookkeeping: status, counts, progress and the error report.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from canbo.access.policy import AccessPolicy

from .engine import ImportReport, count_rows, run_import
from .importers import importer_for
from .models import ImportJob

logger = logging.getLogger(__name__)

# Files with more data rows than this are checked and written by the background worker.
BACKGROUND_THRESHOLD = 2000
MAX_UPLOAD_BYTES = 64 * 1024 * 1024


class ConsolePolicy(AccessPolicy):
    """The access of the console (`canbo import` without --as): the whole tree, like the other commands."""

    is_global = True

    def __init__(self):
        super().__init__(None)


def job_create(*, user, kind: str, filename: str, content: bytes) -> ImportJob:
    importer_for(kind)  # KeyError for an unknown kind, before anything is stored
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {"tep": f"Tệp lớn quá {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; hãy chia thành nhiều tệp nhỏ hơn."}
        )
    return ImportJob.objects.create(
        user=user, kind=kind, filename=filename[:255], content=content, size=len(content), total_rows=count_rows(content, kind)
    )


def job_start(job: ImportJob, *, stage: str) -> ImportJob:
    """Run the stage now for a small file, or queue it for the worker for a large one."""
    from .tasks import run_import_job

    background = (job.total_rows or 0) > BACKGROUND_THRESHOLD
    ImportJob.objects.filter(pk=job.pk).update(
        stage=stage, status=ImportJob.Status.QUEUED, background=background, processed_rows=0
    )
    if not background:
        return job_run(job.pk, stage=stage)
    # Queued after the job row is committed, so the worker never looks for a job it cannot see.
    transaction.on_commit(lambda: _enqueue(job.pk, stage, run_import_job))
    job.refresh_from_db()
    return job


def _enqueue(job_id: int, stage: str, task) -> None:
    result = task.enqueue(job_id, stage)
    ImportJob.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


def job_request_commit(job: ImportJob) -> ImportJob:
    """Commit a checked job; refused unless its dry run passed (a double click commits once)."""
    claimed = ImportJob.objects.filter(
        pk=job.pk, status=ImportJob.Status.CHECKED, stage=ImportJob.Stage.CHECK
    ).update(stage=ImportJob.Stage.COMMIT, status=ImportJob.Status.QUEUED)
    if not claimed:
        raise ValidationError("Lượt nhập này không ở trạng thái sẵn sàng ghi (chưa kiểm tra xong, có lỗi hoặc đã ghi).")
    return job_start(job, stage=ImportJob.Stage.COMMIT)


def job_run(job_id: int, *, stage: str) -> ImportJob:
    """Check or commit a job now (called inline and by the background task)."""
    job = ImportJob.objects.get(pk=job_id)
    job.status, job.stage, job.started_at, job.processed_rows = ImportJob.Status.RUNNING, stage, timezone.now(), 0
    job.save(update_fields=["status", "stage", "started_at", "processed_rows"])

    def progress(done: int, total: int | None) -> None:
        ImportJob.objects.filter(pk=job_id).update(processed_rows=done, total_rows=max(total or 0, done))

    try:
        report = run_import(
            bytes(job.content),
            kind=job.kind,
            actor=job.user,
            policy=AccessPolicy(job.user),
            commit=stage == ImportJob.Stage.COMMIT,
            progress=progress,
        )
    except Exception:
        logger.exception("import job %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED,
            message="Lỗi hệ thống khi xử lý tệp; không có dữ liệu nào được ghi. Hãy báo quản trị hệ thống.",
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        return job
    _store(job, report, stage)
    return job


def _store(job: ImportJob, report: ImportReport, stage: str) -> None:
    now = timezone.now()
    job.total_rows = report.total_rows
    job.processed_rows = report.total_rows
    job.created_count, job.updated_count, job.unchanged_count = report.created, report.updated, report.unchanged
    job.error_count, job.warning_count = report.error_total, len(report.warnings)
    job.errors = [e.as_dict() for e in report.errors]
    job.warnings = [w.as_dict() for w in report.warnings]
    job.preview = report.preview
    job.finished_at = now
    if report.refused:
        job.status, job.message = ImportJob.Status.INVALID, report.refused
    elif stage == ImportJob.Stage.COMMIT and report.committed:
        job.status, job.committed_at, job.message = ImportJob.Status.COMMITTED, now, ""
    elif stage == ImportJob.Stage.COMMIT:
        job.status = ImportJob.Status.INVALID
        job.message = "Phát hiện lỗi khi ghi nên không có dữ liệu nào được lưu; hãy sửa tệp và nhập lại."
    else:
        job.status = ImportJob.Status.CHECKED if report.ok else ImportJob.Status.INVALID
        job.message = ""
    job.save()
