"""Discipline decisions on people (party and state side) and periods under review or investigation.

Minimal input records for the regulations engine (effects on planning and appointment);
capability 7 (inspection, supervision, discipline of organizations) extends them.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DisciplineSide(models.TextChoices):
    PARTY = "party", _("Kỷ luật đảng")
    STATE = "state", _("Kỷ luật hành chính (công chức)")


class DisciplineForm(models.TextChoices):
    """All forms of Quy định 69-QĐ/TW and Decree 112/2020; which apply to whom is the parameter
    `discipline.forms` (dated)."""

    REPRIMAND = "reprimand", _("Khiển trách")
    WARNING = "warning", _("Cảnh cáo")
    REMOVAL_FROM_POST = "removal_from_post", _("Cách chức")
    EXPULSION = "expulsion", _("Khai trừ")
    SALARY_REDUCTION = "salary_reduction", _("Hạ bậc lương")
    DEMOTION = "demotion", _("Giáng chức")
    DISMISSAL = "dismissal", _("Buộc thôi việc")
    DISSOLUTION = "dissolution", _("Giải tán (tổ chức đảng)")


class DisciplineRecord(models.Model):
    person = models.ForeignKey(
        "people.Person", verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="discipline_records"
    )
    side = models.CharField(_("loại kỷ luật"), max_length=10, choices=DisciplineSide.choices)
    form = models.CharField(_("hình thức"), max_length=20, choices=DisciplineForm.choices)
    decided_on = models.DateField(_("ngày quyết định"))
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    authority = models.CharField(_("cơ quan quyết định"), max_length=200, blank=True)
    note = models.CharField(_("nội dung vi phạm"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("quyết định kỷ luật")
        verbose_name_plural = _("quyết định kỷ luật")
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["person", "decided_on"]), models.Index(fields=["decided_on"])]

    def __str__(self) -> str:
        return f"{self.get_form_display()} – {self.person} ({self.decided_on:%d/%m/%Y})"


class ReviewKind(models.TextChoices):
    DISCIPLINE_REVIEW = "discipline_review", _("Đang xem xét kỷ luật")
    INVESTIGATION = "investigation", _("Đang bị điều tra, truy tố, xét xử")


class ReviewOutcome(models.TextChoices):
    """How a violation under review was concluded (Quy định 377-QĐ/TW: the cases in which a person
    may still be planned depend on it)."""

    DISCIPLINED = "disciplined", _("Bị kỷ luật (xem quyết định kỷ luật)")
    SELF_CRITICISM = "self_criticism", _("Chỉ kiểm điểm, rút kinh nghiệm")
    NOT_DISCIPLINED = "not_disciplined", _("Không bị kỷ luật hoặc đã hết thời hiệu xử lý")
    NO_VIOLATION = "no_violation", _("Không có vi phạm")


class DisciplineReview(models.Model):
    """A period during which the person is under discipline review or criminal investigation, and
    how the violation was concluded: the outcome and the day its required remedies were done."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="discipline_reviews"
    )
    kind = models.CharField(_("tình trạng"), max_length=20, choices=ReviewKind.choices)
    started_on = models.DateField(_("từ ngày"))
    ended_on = models.DateField(_("đến ngày"), null=True, blank=True)
    outcome = models.CharField(
        _("kết quả xử lý"), max_length=20, choices=ReviewOutcome.choices, blank=True,
        help_text=_("Để trống khi chưa kết luận hoặc hồ sơ cũ không ghi."),
    )  # fmt: skip
    remedied_on = models.DateField(
        _("ngày khắc phục xong"), null=True, blank=True, help_text=_("Ngày hoàn thành các yêu cầu khắc phục vi phạm (nếu có).")
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("thời gian xem xét kỷ luật, điều tra")
        verbose_name_plural = _("thời gian xem xét kỷ luật, điều tra")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")), name="review_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.person}"

    def clean(self):
        errors = {}
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            errors["ended_on"] = _("Ngày kết thúc không được trước ngày bắt đầu.")
        if self.outcome and not self.ended_on:
            errors["outcome"] = _("Chỉ ghi kết quả xử lý khi đã kết thúc xem xét.")
        if self.remedied_on and self.started_on and self.remedied_on < self.started_on:
            errors["remedied_on"] = _("Ngày khắc phục xong không được trước ngày bắt đầu xem xét.")
        if errors:
            raise ValidationError(errors)
