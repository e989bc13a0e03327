"""Import jobs: an uploaded file, its checks and its commit, with the progress a page polls."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def lease_seconds() -> int:
    """How long a running job's lease lasts: past it without renewal, its worker is taken for dead."""
    return getattr(settings, "CANBO_IMPORT_LEASE_SECONDS", 120)


class ImportJob(models.Model):
    """One uploaded file of one kind, checked (dry run) and then, on request, written.

    The file is kept in the row itself: the web process and the worker (`canbo db_worker`)
    then share nothing but the database, on SQLite and PostgreSQL alike, and a job and its file
    can never be separated. The error report and the preview are JSON lists (see
    `canbo.exchange.engine.ImportReport.as_dict`), capped in `services._store`.

    A running job holds a lease (`lease_until`) that its worker keeps renewing (see
    `canbo.exchange.lease`); a job still "running" past its lease lost its worker and shows as
    interrupted, to be retried or cancelled. Every run has its own `attempt` number: a retry or a
    cancel takes a new one, so a worker that comes back late can neither commit nor store a report.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ xử lý")
        RUNNING = "running", _("Đang xử lý")
        CHECKED = "checked", _("Đã kiểm tra, sẵn sàng ghi")
        INVALID = "invalid", _("Có lỗi, chưa ghi")
        COMMITTED = "committed", _("Đã ghi vào hệ thống")
        FAILED = "failed", _("Lỗi hệ thống, chưa ghi")
        CANCELLED = "cancelled", _("Đã hủy, chưa ghi")

    class Stage(models.TextChoices):
        CHECK = "check", _("Kiểm tra thử")
        COMMIT = "commit", _("Ghi vào hệ thống")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhập"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("loại dữ liệu"), max_length=40)
    filename = models.CharField(_("tên tệp"), max_length=255)
    content = models.BinaryField(_("nội dung tệp"), editable=False)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(_("bước"), max_length=10, choices=Stage.choices, default=Stage.CHECK)
    background = models.BooleanField(_("chạy nền"), default=False)
    task_id = models.CharField(_("mã tác vụ nền"), max_length=64, blank=True)
    total_rows = models.PositiveIntegerField(_("số dòng"), null=True, blank=True)
    processed_rows = models.PositiveIntegerField(_("số dòng đã xử lý"), default=0)
    created_count = models.PositiveIntegerField(_("tạo mới"), default=0)
    updated_count = models.PositiveIntegerField(_("cập nhật"), default=0)
    unchanged_count = models.PositiveIntegerField(_("không đổi"), default=0)
    error_count = models.PositiveIntegerField(_("số lỗi"), default=0)
    warning_count = models.PositiveIntegerField(_("số cảnh báo"), default=0)
    cleared_count = models.PositiveIntegerField(_("số dòng xóa giá trị"), default=0)
    message = models.TextField(_("thông báo"), blank=True)
    errors = models.JSONField(_("báo cáo lỗi"), default=list, blank=True)
    warnings = models.JSONField(_("cảnh báo"), default=list, blank=True)
    preview = models.JSONField(_("xem trước"), default=list, blank=True)
    cleared = models.JSONField(_("các trường bị xóa"), default=list, blank=True)
    attempt = models.PositiveIntegerField(_("lần chạy"), default=0)
    lease_until = models.DateTimeField(_("hạn tín hiệu của bộ xử lý nền"), null=True, blank=True)
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    committed_at = models.DateTimeField(_("ghi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt nhập dữ liệu")
        verbose_name_plural = _("lượt nhập dữ liệu")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.filename} ({self.kind}, {self.get_status_display()})"

    @property
    def is_interrupted(self) -> bool:
        """Running, but its worker stopped renewing the lease: the worker died (nothing was written)."""
        return (
            self.status == self.Status.RUNNING
            and self.lease_until is not None
            and self.lease_until < timezone.now()
        )

    @property
    def is_active(self) -> bool:
        """Waiting for or held by a live worker: the page polls its progress."""
        return self.status == self.Status.QUEUED or (self.status == self.Status.RUNNING and not self.is_interrupted)

    @property
    def can_cancel(self) -> bool:
        return self.status == self.Status.QUEUED or self.is_interrupted

    @property
    def status_label(self) -> str:
        return str(_("Bị gián đoạn")) if self.is_interrupted else self.get_status_display()

    @property
    def can_commit(self) -> bool:
        return self.status == self.Status.CHECKED and self.stage == self.Stage.CHECK

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
