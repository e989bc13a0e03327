"""The audit trail: one append-only row per change to cadre records (power control in cadre work)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def event_time():
    """Now, looked up when called (tests freeze `django.utils.timezone.now` with mock.patch)."""
    return timezone.now()


class AuditEvent(models.Model):
    """Who did what to which record, when, with the record's state before and after.

    Rows are written by `canbo.audit.services.record_event` (and, in bulk, by the people
    importer and the demo builder), inside the transaction of the change they describe, each
    with its content hash (`canbo.audit.chain`). A database trigger refuses UPDATE (and DELETE
    on PostgreSQL); the admin shows them read-only; the hash chain (`AuditLink`) makes any
    change that gets past those visible to `canbo audit verify`.
    """

    class Source(models.TextChoices):
        WEB = "web", _("Giao diện web")
        API = "api", _("API")
        CLI = "cli", _("Dòng lệnh")
        IMPORT = "import", _("Nhập dữ liệu")
        SYSTEM = "system", _("Hệ thống")

    # A default, not auto_now_add: auto_now_add would overwrite, on insert, the time the writer
    # has already hashed (`canbo.audit.chain.stamp`).
    occurred_at = models.DateTimeField(_("thời điểm"), default=event_time, editable=False, db_index=True)
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
    # sha256 of the content above (`canbo.audit.chain.content_hash`), computed by the writer.
    # Empty (NULL) only on events written before the chain existed: sealing hashes those.
    content_hash = models.CharField(_("mã băm nội dung"), max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001 (NULL: not hashed yet, distinct from any hash)

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


class AuditLink(models.Model):
    """One link (mắt xích) of the hash chain over the audit trail, in the order events were sealed.

    link_hash = sha256(seq | event id | prev_hash | the event's content hash), prev_hash being the
    previous link's hash (64 zeros for the first). Changing, removing or reordering an event or
    a link after it is sealed breaks the chain from that link on: `canbo audit verify` finds it.
    Appended only by `canbo.audit.chain.seal`; a trigger refuses UPDATE (and DELETE on PostgreSQL).
    """

    seq = models.BigIntegerField(_("số thứ tự"), primary_key=True)
    # No FK constraint: a deleted event must leave its link behind, for verify to report it.
    event = models.OneToOneField(
        AuditEvent,
        verbose_name=_("sự kiện nhật ký"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="link",
    )
    prev_hash = models.CharField(_("mã băm mắt xích trước"), max_length=64)
    link_hash = models.CharField(_("mã băm mắt xích"), max_length=64)

    class Meta:
        verbose_name = _("mắt xích nhật ký")
        verbose_name_plural = _("chuỗi băm nhật ký")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"{self.seq}: {self.link_hash[:12]}"
