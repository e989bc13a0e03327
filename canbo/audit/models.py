"""The audit trail: one append-only row per change to cadre records (power control in cadre work)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who did what to which record, when, with the record's state before and after.

    Rows are written only by `canbo.audit.services.record_event`, inside the transaction of the
    change they describe. A database trigger refuses UPDATE (and DELETE on PostgreSQL); the
    admin shows them read-only.
    """

    class Source(models.TextChoices):
        WEB = "web", _("Giao diện web")
        API = "api", _("API")
        CLI = "cli", _("Dòng lệnh")
        IMPORT = "import", _("Nhập dữ liệu")
        SYSTEM = "system", _("Hệ thống")

    occurred_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("tên người thực hiện"), max_length=150)
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices, default=Source.WEB)
    action = models.CharField(_("hành động"), max_length=60, db_index=True)
    object_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField(_("mã đối tượng"))
    object_repr = models.CharField(_("đối tượng"), max_length=300)
    # The unit whose subtree the change belongs to: the access policy scopes audit reads by it.
    # No FK constraint: audit rows must outlive anything and are never updated by a cascade.
    unit = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    before = models.JSONField(_("trước"), null=True, blank=True)
    after = models.JSONField(_("sau"), null=True, blank=True)

    class Meta:
        verbose_name = _("sự kiện nhật ký")
        verbose_name_plural = _("nhật ký thay đổi")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%d/%m/%Y %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before = self.before or {}
        after = self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
