"""Annual quality grades of people and confidence votes (minimal records for the rules engine)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Grade(models.TextChoices):
    EXCELLENT = "HTXS", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "HTT", _("Hoàn thành tốt nhiệm vụ")
    COMPLETE = "HT", _("Hoàn thành nhiệm vụ")
    NOT_COMPLETE = "KHT", _("Không hoàn thành nhiệm vụ")


class AnnualGrade(models.Model):
    person = models.ForeignKey("people.Person", verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="grades")
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("cơ quan, đơn vị đánh giá"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Tỷ lệ HTXS được tính trong cùng cơ quan, đơn vị này."),
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    grade = models.CharField(_("xếp loại"), max_length=4, choices=Grade.choices)
    score = models.DecimalField(_("điểm"), max_digits=5, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("xếp loại chất lượng hằng năm")
        verbose_name_plural = _("xếp loại chất lượng hằng năm")
        ordering = ["-year", "person"]
        indexes = [models.Index(fields=["unit", "year"])]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="grade_once_per_year"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)), name="grade_score_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.year}: {self.grade}"


class ConfidenceVote(models.Model):
    """A confidence vote on a person (Quy định 96-QĐ/TW): counts of high / confident / low votes."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="confidence_votes"
    )
    held_on = models.DateField(_("ngày lấy phiếu"))
    eligible_voters = models.PositiveIntegerField(_("số người được triệu tập"))
    attendance = models.PositiveIntegerField(_("số người tham dự"))
    votes_high = models.PositiveIntegerField(_("phiếu tín nhiệm cao"))
    votes_confident = models.PositiveIntegerField(_("phiếu tín nhiệm"))
    votes_low = models.PositiveIntegerField(_("phiếu tín nhiệm thấp"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("kết quả lấy phiếu tín nhiệm")
        verbose_name_plural = _("kết quả lấy phiếu tín nhiệm")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(attendance__lte=F("eligible_voters")), name="vote_attendance_le_eligible"),
            models.CheckConstraint(
                condition=Q(attendance__gte=F("votes_high") + F("votes_confident") + F("votes_low")),
                name="vote_ballots_le_attendance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.held_on:%d/%m/%Y}"

    @property
    def votes_cast(self) -> int:
        return self.votes_high + self.votes_confident + self.votes_low

    def clean(self):
        errors = {}
        if self.attendance is not None and self.eligible_voters is not None and self.attendance > self.eligible_voters:
            errors["attendance"] = _("Số người tham dự không được lớn hơn số người được triệu tập.")
        counts = (self.votes_high, self.votes_confident, self.votes_low, self.attendance)
        if None not in counts and sum(counts[:3]) > self.attendance:
            errors["votes_low"] = _("Tổng số phiếu không được lớn hơn số người tham dự.")
        if errors:
            raise ValidationError(errors)
