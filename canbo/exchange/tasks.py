"""Background tasks of the exchange app, run by the django-tasks worker (`canbo db_worker`)."""

from django_tasks import task


@task()
def run_import_job(job_id: int, stage: str, attempt: int | None = None) -> dict:
    """Check (dry run) or commit an import job: every import runs here, never in a web request."""
    from .services import job_run

    job = job_run(job_id, stage=stage, attempt=attempt)
    return {"job": job.pk, "status": job.status, "rows": job.total_rows, "attempt": attempt}
