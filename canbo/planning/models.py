"""Succession planning entries: a person planned for a title of a unit in a term (quy hoạch), and
the yearly reviews of each entry (rà soát quy hoạch hằng năm)."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

TERM_PATTERN = re.compile(r"^(\d{4})-(\d{4})$")


def parse_term(term: str) -> tuple[int, int]:
    """"2025-2030" → (2025, 2030); ValueError in Vietnamese for anything else."""
    match = TERM_PATTERN.match((term or "").strip())
    if not match or int(match.group(2)) - int(match.group(1)) != 5:
        raise ValueError(f"Nhiệm kỳ «{term}» không hợp lệ; ghi dạng 2025-2030 (5 năm).")
    return int(match.group(1)), int(match.group(2))


def term_containing(day: dt.date) -> str:
    """The five-year term (congress cycle: 2020-2025, 2025-2030, …) in which `day` falls."""
    start = day.year - day.year % 5
    return f"{start}-{start + 5}"


class RemovalReason(models.TextChoices):
    OVER_AGE = "over_age", _("Không còn đủ tuổi")
    DISCIPLINE = "discipline", _("Bị kỷ luật")
    STANDARDS = "standards", _("Không đáp ứng tiêu chuẩn")
    CONFIDENCE = "confidence", _("Tín nhiệm thấp")
    APPOINTED = "appointed", _("Đã được bố trí chức danh")
    OTHER = "other", _("Lý do khác")


class SuccessionPlanEntry(models.Model):
    person = models.ForeignKey(
        "people.Person", verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="plan_entries"
    )
    title = models.ForeignKey("org.Title", verbose_name=_("chức danh quy hoạch"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="plan_entries")
    term = models.CharField(_("nhiệm kỳ"), max_length=9, help_text=_("Ví dụ 2025-2030."))
    approved_on = models.DateField(_("ngày phê duyệt"))
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    removed_on = models.DateField(_("ngày đưa ra khỏi quy hoạch"), null=True, blank=True)
    removal_reason = models.CharField(_("lý do"), max_length=20, choices=RemovalReason.choices, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("quy hoạch cán bộ")
        verbose_name_plural = _("quy hoạch cán bộ")
        ordering = ["term", "unit", "title", "person"]
        indexes = [models.Index(fields=["unit", "title", "term"]), models.Index(fields=["person", "term"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True) | Q(removed_on__gte=models.F("approved_on")),
                name="plan_removed_after_approved",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.title} ({self.term})"

    @property
    def term_start(self) -> dt.date:
        return dt.date(parse_term(self.term)[0], 1, 1)

    def is_active_on(self, day: dt.date) -> bool:
        return self.approved_on <= day and (self.removed_on is None or day < self.removed_on)

    @staticmethod
    def active_on_q(day: dt.date, prefix: str = "") -> Q:
        return Q(**{f"{prefix}approved_on__lte": day}) & (
            Q(**{f"{prefix}removed_on__isnull": True}) | Q(**{f"{prefix}removed_on__gt": day})
        )

    def clean(self):
        errors = {}
        try:
            parse_term(self.term)
        except ValueError as exc:
            errors["term"] = str(exc)
        if self.removed_on and self.approved_on and self.removed_on < self.approved_on:
            errors["removed_on"] = _("Ngày đưa ra khỏi quy hoạch không được trước ngày phê duyệt.")
        if self.removed_on and not self.removal_reason:
            errors["removal_reason"] = _("Cần nêu lý do đưa ra khỏi quy hoạch.")
        if errors:
            raise ValidationError(errors)


class SuccessionPlanReview(models.Model):
    """One yearly review of a plan entry (Quy định 50-QĐ/TW, then 377-QĐ/TW: planning is reviewed
    every year; whoever no longer meets the title's standards is taken out). The rules read the
    latest review on or before a date: when it is older than `planning.review_interval_months` the
    entry is overdue for review; when it found the standards unmet the entry must be removed."""

    entry = models.ForeignKey(
        SuccessionPlanEntry, verbose_name=_("quy hoạch"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewed_on = models.DateField(_("ngày rà soát"))
    meets_standards = models.BooleanField(
        _("đáp ứng tiêu chuẩn chức danh"), default=True,
        help_text=_("Bỏ chọn khi kết quả rà soát là không còn đáp ứng tiêu chuẩn, điều kiện của chức danh quy hoạch."),
    )  # fmt: skip
    decision_number = models.CharField(_("số văn bản"), max_length=60, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("rà soát quy hoạch")
        verbose_name_plural = _("rà soát quy hoạch")
        ordering = ["entry", "reviewed_on", "id"]
        constraints = [models.UniqueConstraint(fields=["entry", "reviewed_on"], name="plan_review_once_a_day")]

    def __str__(self) -> str:
        return f"{self.entry} – {self.reviewed_on:%d/%m/%Y}"
