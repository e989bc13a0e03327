"""Background tasks of the exchange app, run by the django-tasks worker (`canbo db_worker`)."""

from django_tasks import task


@task()
def run_import_job(job_id: int, stage: str) -> dict:
    """Check (dry run) or commit an import job too large to run during the upload request."""
    from .services import job_run

    job = job_run(job_id, stage=stage)
    return {"job": job.pk, "status": job.status, "rows": job.total_rows}
