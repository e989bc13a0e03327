"""Reads of the exchange app: who may see and act on an import job.

A job belongs to the user who uploaded it, not to a unit. Besides its owner, an administrator
whose grants cover everything the owner may edit (or a system administrator) may see it and
retry or cancel it: that is the scope the job could write into. Anyone else is told it does
not exist, exactly like a job that does not exist.
"""

from canbo.access.models import Permission
from canbo.access.policy import AccessPolicy

from .models import ImportJob


def may_manage_job(user, job: ImportJob) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.pk == job.user_id:
        return True
    policy = AccessPolicy(user)
    if policy.is_global:
        return True
    owner = AccessPolicy(job.user)
    if owner.is_global:
        return False
    scope = owner.prefixes(Permission.EDIT)
    return bool(scope) and all(policy.covers_path(path, Permission.MANAGE_ACCESS) for path in scope)


def job_for(user, raw_id, *, for_update: bool = False, deferred: tuple[str, ...] = ("content",)) -> ImportJob:
    """The job if `user` may manage it; ImportJob.DoesNotExist otherwise (also for a malformed id)."""
    try:
        pk = int(raw_id)
    except (TypeError, ValueError):
        raise ImportJob.DoesNotExist from None
    jobs = ImportJob.objects.defer(*deferred).select_related("user")
    if for_update:
        jobs = jobs.select_for_update(of=("self",))
    job = jobs.get(pk=pk)
    if not may_manage_job(user, job):
        raise ImportJob.DoesNotExist
    return job
