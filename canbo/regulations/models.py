"""Editable regulation data: named local resolutions with dated targets, and the catalogue of
posts subject to periodic position change. National rules live in the YAML `parameters/`."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .targets import TARGET_CHOICES, TARGETS


class LocalResolution(models.Model):
    """A named local resolution (e.g. Hà Nội 04-NQ/TU) whose targets apply to a unit's subtree."""

    scope_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("phạm vi áp dụng"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Chỉ tiêu áp dụng cho đơn vị này và toàn bộ đơn vị cấp dưới."),
    )
    code = models.CharField(_("số hiệu"), max_length=40)
    name = models.CharField(_("tên văn bản"), max_length=300)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=150)
    issued_on = models.DateField(_("ngày ban hành"))
    link = models.URLField(_("đường dẫn"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("nghị quyết địa phương")
        verbose_name_plural = _("nghị quyết địa phương")
        ordering = ["-issued_on", "code"]
        constraints = [models.UniqueConstraint(fields=["scope_unit", "code"], name="resolution_unique_code_per_scope")]

    def __str__(self) -> str:
        return f"{self.code} – {self.issuer}"


class LocalTarget(models.Model):
    """One dated value of a target set by a resolution (in force from `effective_from`)."""

    resolution = models.ForeignKey(
        LocalResolution, verbose_name=_("nghị quyết"), on_delete=models.CASCADE, related_name="targets"
    )
    key = models.CharField(_("chỉ tiêu"), max_length=60, choices=TARGET_CHOICES)
    value = models.DecimalField(_("giá trị"), max_digits=7, decimal_places=4)
    effective_from = models.DateField(_("áp dụng từ ngày"))
    due_on = models.DateField(
        _("thời hạn đạt"), null=True, blank=True, help_text=_("Trước thời hạn, thiếu hụt được nêu là cảnh báo.")
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu địa phương")
        verbose_name_plural = _("chỉ tiêu địa phương")
        ordering = ["resolution", "key", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["resolution", "key", "effective_from"], name="target_unique_dated_value"),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()}: {self.value} ({self.resolution.code})"

    def clean(self):
        kind = TARGETS.get(self.key)
        if kind and kind.unit == "share" and self.value is not None and self.value > 1:
            raise ValidationError({"value": _("Tỷ lệ phải từ 0 đến 1 (ví dụ 0,5 cho 50%).")})
        if kind and kind.unit == "count" and self.value is not None and self.value != int(self.value):
            raise ValidationError({"value": _("Chỉ tiêu này là số người, phải là số nguyên.")})
        if self.due_on and self.effective_from and self.due_on < self.effective_from:
            raise ValidationError({"due_on": _("Thời hạn đạt không được trước ngày áp dụng.")})


class ListedPost(models.Model):
    """A post that must change periodically (Decree 59/2019 art. 36, list amended by Decree 134/2021)."""

    sector = models.CharField(_("ngành, lĩnh vực"), max_length=150)
    name = models.CharField(_("vị trí công tác"), max_length=300)
    period_months = models.PositiveSmallIntegerField(_("thời hạn chuyển đổi (tháng)"))
    titles = models.ManyToManyField(
        "org.Title",
        verbose_name=_("chức danh trong danh mục"),
        blank=True,
        related_name="+",
        help_text=_("Các chức danh mà người giữ phải định kỳ chuyển đổi theo vị trí này."),
    )
    positions = models.ManyToManyField(
        "org.Position",
        verbose_name=_("vị trí cụ thể"),
        blank=True,
        related_name="+",
        help_text=_("Các vị trí cụ thể (ví dụ chuyên viên Phòng Cán bộ) thuộc vị trí phải chuyển đổi này."),
    )
    is_sample = models.BooleanField(
        _("thuộc tập mẫu nạp sẵn"), default=False, help_text=_("Tập đại diện do hệ thống nạp; quản trị viên bổ sung danh mục đầy đủ.")
    )
    reference = models.CharField(
        _("văn bản"), max_length=200, default="Nghị định 59/2019/NĐ-CP, Điều 36; Nghị định 134/2021/NĐ-CP"
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("vị trí phải định kỳ chuyển đổi")
        verbose_name_plural = _("danh mục vị trí phải định kỳ chuyển đổi")
        ordering = ["sector", "name"]
        constraints = [models.UniqueConstraint(fields=["sector", "name"], name="listed_post_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.sector})"
