"""The exchange pages: templates to download, uploads with their dry run and commit, exports.

Imports write only through the importers (services with audit rows) and only into units the
user may edit (rows outside are reported "không có quyền"); every check and commit runs in the
background worker, the job page polling its progress. A job is visible to its own user and to
an administrator of that user's scope (`selectors.job_for`); any other job answers 404 like
one that does not exist; only its owner commits it. Exports read through the access policy: a
unit outside it answers 404.
"""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from canbo.access.models import Permission
from canbo.access.policy import policy_for

from . import services
from .forms import ExportForm, UploadForm
from .importers import importer_for, registered
from .importers.columns import CLEAR_MARKER
from .models import ImportJob
from .selectors import job_for
from .workbooks import XLSX_CONTENT_TYPE, export_filename, write_error_report, write_table_workbook

JOBS_SHOWN = 20
ROWS_SHOWN = 200


def _own_job(request, raw_id, *, light: bool = False) -> ImportJob:
    """The request user's job, or 404 (another user's job is reported like a missing one)."""
    job = _visible_job(request, raw_id, light=light)
    if job.user_id != request.user.pk:
        raise Http404
    return job


def _visible_job(request, raw_id, *, light: bool = False) -> ImportJob:
    """A job the request user may see (theirs, or of their administered scope), or 404.

    `light` leaves out the reports too: the progress bar polls every second.
    """
    deferred = ("content", "errors", "warnings", "preview", "cleared") if light else ("content",)
    try:
        return job_for(request.user, raw_id, deferred=deferred)
    except ImportJob.DoesNotExist:
        raise Http404 from None


def _job_url(job: ImportJob) -> str:
    return f"{reverse('exchange:job')}?luot={job.pk}"


def _importer(kind):
    try:
        return importer_for(kind or "")
    except KeyError:
        raise Http404 from None


def _xlsx_response(write, filename: str) -> FileResponse:
    # A large export is spooled to disk rather than held in memory.
    handle = tempfile.TemporaryFile()
    write(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


@login_required
@require_GET
def home(request):
    return _render_home(request)


def _render_home(request, upload_form=None, status=200):
    policy = policy_for(request)
    jobs = (
        ImportJob.objects.filter(user=request.user)
        .only("pk", "kind", "filename", "status", "stage", "created_at", "total_rows", "created_count",
              "updated_count", "unchanged_count", "error_count", "lease_until")  # fmt: skip
        .order_by("-created_at", "-id")[:JOBS_SHOWN]
    )
    labels = {importer.kind: importer.label for importer in registered()}
    jobs = list(jobs)
    for job in jobs:
        job.kind_label = labels.get(job.kind, job.kind)
    return render(
        request,
        "exchange/home.html",
        {
            "importers": registered(),
            "can_import": policy.has_any(Permission.EDIT),
            "upload_form": upload_form or UploadForm(initial={"loai": "people"}),
            "jobs": jobs,
            "clear_marker": CLEAR_MARKER,
        },
        status=status,
    )


@login_required
@require_GET
def template_download(request):
    importer = _importer(request.GET.get("loai"))
    return _xlsx_response(lambda handle: write_table_workbook(importer, [], handle), importer.template_filename)


@login_required
def upload(request):
    if request.method != "POST":
        return redirect("exchange:home")
    policy = policy_for(request)
    if not policy.has_any(Permission.EDIT):
        raise PermissionDenied(_("Bạn không có quyền nhập dữ liệu."))
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid() and form.cleaned_data["tep"].size > services.MAX_UPLOAD_BYTES:
        form.add_error("tep", _("Tệp lớn quá %(mb)s MB; hãy chia thành nhiều tệp nhỏ hơn.") % {"mb": services.MAX_UPLOAD_BYTES // 2**20})
    if not form.is_valid():
        return _render_home(request, upload_form=form, status=400)
    upload_file = form.cleaned_data["tep"]
    job = services.job_create(
        user=request.user, kind=form.cleaned_data["loai"], filename=upload_file.name, content=upload_file.read()
    )
    services.job_start(job, stage=ImportJob.Stage.CHECK)
    return redirect(_job_url(job))


@login_required
@require_GET
def job_detail(request):
    job = _visible_job(request, request.GET.get("luot"))
    importer = importer_for(job.kind)
    return render(
        request,
        "exchange/job.html",
        {
            "job": job,
            "importer": importer,
            "is_owner": job.user_id == request.user.pk,
            "errors": job.errors[:ROWS_SHOWN],
            "warnings": job.warnings[:ROWS_SHOWN],
            "preview": job.preview[:ROWS_SHOWN],
            "cleared": job.cleared,
            "more_cleared": max(job.cleared_count - len(job.cleared), 0),
            "rows_shown": ROWS_SHOWN,
            "more_preview": max(len(job.preview) - ROWS_SHOWN, 0),
            "more_errors": max(job.error_count - min(len(job.errors), ROWS_SHOWN), 0),
            "clear_marker": CLEAR_MARKER,
        },
    )


@login_required
@require_GET
def job_progress(request):
    """The progress bar, polled by HTMX while the job runs; a finished or interrupted job reloads the page."""
    job = _visible_job(request, request.GET.get("luot"), light=True)
    if not job.is_active:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "exchange/_progress.html", {"job": job})


@login_required
@require_POST
def job_commit(request):
    job = _own_job(request, request.POST.get("luot"), light=True)
    if not policy_for(request).has_any(Permission.EDIT):
        raise PermissionDenied(_("Bạn không có quyền nhập dữ liệu."))
    try:
        job = services.job_request_commit(job, clearing_confirmed=request.POST.get("xac_nhan_xoa") == "1")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_job_url(job))
    if job.status == ImportJob.Status.COMMITTED:
        messages.success(request, _("Đã ghi dữ liệu vào hệ thống."))
    return redirect(_job_url(job))


def _job_action(request, service, done: str):
    """Retry or cancel: the service fetches the job and checks who may act on it."""
    try:
        job = service(actor=request.user, job_id=request.POST.get("luot"))
    except ImportJob.DoesNotExist:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{reverse('exchange:job')}?luot={int(request.POST['luot'])}")
    messages.success(request, done)
    return redirect(_job_url(job))


@login_required
@require_POST
def job_retry(request):
    return _job_action(request, services.job_retry, _("Đã đưa lượt nhập vào hàng đợi để chạy lại."))


@login_required
@require_POST
def job_cancel(request):
    return _job_action(request, services.job_cancel, _("Đã hủy lượt nhập; không có dữ liệu nào được ghi."))


@login_required
@require_GET
def job_errors(request):
    job = _visible_job(request, request.GET.get("luot"))
    importer = importer_for(job.kind)
    title = _("Kết quả kiểm tra tệp «%(file)s» (%(kind)s)") % {"file": job.filename, "kind": importer.label}
    errors = list(job.errors)
    if job.message and not errors:
        errors = [{"row": None, "column": "", "message": job.message}]
    return _xlsx_response(
        lambda handle: write_error_report(
            title=title, errors=errors, warnings=job.warnings, target=handle,
            error_total=max(job.error_count, len(errors)), warning_total=job.warning_count,
        ),  # fmt: skip
        f"bao-cao-loi-{job.pk}.xlsx",
    )


@login_required
@require_GET
def export(request):
    policy = policy_for(request)
    raw_unit = (request.GET.get("don_vi") or "").strip()
    unit = policy.get_unit(raw_unit) if raw_unit else None
    if unit is None:
        unit = policy.root_units().first()
    form = ExportForm(request.GET if "loai" in request.GET else None, unit=unit, initial={"don_vi": unit.pk if unit else None})
    if request.GET.get("loai") and form.is_valid() and unit is not None:
        importer = importer_for(form.cleaned_data["loai"])
        return _xlsx_response(
            lambda handle: write_table_workbook(importer, importer.export_rows(policy, unit), handle),
            export_filename(importer, unit),
        )
    return render(request, "exchange/export.html", {"form": form, "unit": unit, "importers": registered()})
