"""People and their work: the 2C résumé (Person, Degree) and effective-dated Assignments."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from canbo.common.text import fold
from canbo.regulations.calendar import add_months
from canbo.regulations.params import ParameterNotInForce, default_parameters

from . import catalogues as c
from .citizen_id import consistency_errors, validate_citizen_id


class Person(models.Model):
    """A cadre, civil servant or public employee, with the fields of the 2C résumé."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị quản lý hồ sơ"),
        on_delete=models.PROTECT,
        related_name="people",
        help_text=_("Đơn vị đang lưu giữ và quản lý hồ sơ cán bộ."),
    )
    full_name = models.CharField(_("họ và tên"), max_length=120)
    other_names = models.CharField(_("tên gọi khác"), max_length=120, blank=True)
    sex = models.CharField(_("giới tính"), max_length=1, choices=c.Sex.choices)
    birth_date = models.DateField(
        _("ngày sinh"), help_text=_("Khi không rõ ngày hoặc tháng, ghi ngày 01 hoặc tháng 01 và chọn độ chính xác.")
    )
    birth_date_precision = models.CharField(
        _("độ chính xác ngày sinh"), max_length=5, choices=c.DatePrecision.choices, default=c.DatePrecision.DAY
    )
    birthplace = models.ForeignKey(
        "areas.AdminArea", verbose_name=_("nơi sinh"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hometown = models.ForeignKey(
        "areas.AdminArea", verbose_name=_("quê quán"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    residence = models.ForeignKey(
        "areas.AdminArea",
        verbose_name=_("nơi thường trú"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    residence_detail = models.CharField(_("địa chỉ thường trú (số nhà, đường)"), max_length=200, blank=True)
    residence_since = models.DateField(
        _("thường trú từ ngày"), null=True, blank=True, help_text=_("Dùng để xác định người địa phương theo thời gian cư trú.")
    )
    ethnicity = models.CharField(_("dân tộc"), max_length=2, choices=c.ETHNIC_GROUPS, default=c.KINH)
    religion = models.CharField(_("tôn giáo"), max_length=20, choices=c.RELIGIONS, default="none")
    citizen_id = models.CharField(
        _("số định danh cá nhân"), max_length=12, unique=True, validators=[validate_citizen_id]
    )
    category = models.CharField(_("đối tượng"), max_length=20, choices=c.Category.choices, default=c.Category.CIVIL_SERVANT)
    # Party membership (đảng viên): joined = admitted (dự bị), official = made full member.
    party_joined_on = models.DateField(_("ngày vào Đảng"), null=True, blank=True)
    party_official_on = models.DateField(_("ngày chính thức"), null=True, blank=True)
    party_card_number = models.CharField(_("số thẻ đảng viên"), max_length=20, blank=True)
    general_education = models.CharField(
        _("giáo dục phổ thông"), max_length=10, choices=c.GeneralEducation.choices, default=c.GeneralEducation.GRADE_12
    )
    political_theory = models.PositiveSmallIntegerField(
        _("lý luận chính trị"), choices=c.PoliticalTheory.choices, default=c.PoliticalTheory.NONE
    )
    state_management = models.PositiveSmallIntegerField(
        _("quản lý nhà nước"), choices=c.StateManagement.choices, default=c.StateManagement.NONE
    )
    foreign_language = models.CharField(_("ngoại ngữ"), max_length=100, blank=True)
    it_skill = models.CharField(_("tin học"), max_length=100, blank=True)
    academic_title = models.CharField(
        _("học hàm"), max_length=4, choices=c.AcademicTitle.choices, default=c.AcademicTitle.NONE, blank=True
    )
    search_name = models.CharField(max_length=140, db_index=True, editable=False)

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        ordering = ["search_name", "id"]
        indexes = [
            models.Index(fields=["unit", "search_name"]),
            models.Index(fields=["birth_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(party_official_on__isnull=True)
                | (Q(party_joined_on__isnull=False) & Q(party_official_on__gte=models.F("party_joined_on"))),
                name="person_party_official_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.full_name)
        super().save(*args, **kwargs)

    @property
    def is_party_member(self) -> bool:
        return self.party_joined_on is not None

    @property
    def birth_date_display(self) -> str:
        if self.birth_date_precision == c.DatePrecision.YEAR:
            return f"{self.birth_date:%Y}"
        if self.birth_date_precision == c.DatePrecision.MONTH:
            return f"{self.birth_date:%m/%Y}"
        return f"{self.birth_date:%d/%m/%Y}"

    def age_on(self, day: dt.date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    def clean(self):
        errors: dict[str, list] = {}
        today = dt.date.today()
        if self.birth_date and self.birth_date > today:
            errors.setdefault("birth_date", []).append(_("Ngày sinh không được ở tương lai."))
        if self.birth_date and self.birth_date.year < 1900:
            errors.setdefault("birth_date", []).append(_("Năm sinh phải từ 1900 trở đi."))
        if self.birth_date and self.birth_date_precision != c.DatePrecision.DAY and self.birth_date.day != 1:
            errors.setdefault("birth_date", []).append(_("Ngày sinh không rõ ngày phải ghi ngày 01."))
        if self.birth_date and self.birth_date_precision == c.DatePrecision.YEAR and self.birth_date.month != 1:
            errors.setdefault("birth_date", []).append(_("Ngày sinh không rõ tháng phải ghi tháng 01."))
        for field in ("party_joined_on", "party_official_on", "residence_since"):
            value = getattr(self, field)
            if value and value > today:
                errors.setdefault(field, []).append(_("Ngày không được ở tương lai."))
            if value and self.birth_date and value < self.birth_date:
                errors.setdefault(field, []).append(_("Ngày không được trước ngày sinh."))
        if self.party_official_on and not self.party_joined_on:
            errors.setdefault("party_joined_on", []).append(_("Cần ngày vào Đảng khi đã có ngày chính thức."))
        if self.party_official_on and self.party_joined_on and self.party_official_on < self.party_joined_on:
            errors.setdefault("party_official_on", []).append(_("Ngày chính thức không được trước ngày vào Đảng."))
        for field, message in self._party_rule_errors():
            errors.setdefault(field, []).append(message)
        if self.citizen_id and len(self.citizen_id) == 12 and self.citizen_id.isdigit() and self.birth_date:
            for message in consistency_errors(
                self.citizen_id, birth_year=self.birth_date.year, female=self.sex == c.Sex.FEMALE if self.sex else None
            ):
                errors.setdefault("citizen_id", []).append(message)
        if errors:
            raise ValidationError(errors)

    def _party_rule_errors(self) -> list[tuple[str, str]]:
        """The Party Charter's dates, read as of the day of joining: the minimum age on that day
        and the probation before being made a full member. A rule not in force on that day (no
        value before the 2011 Charter) is not checked. A birth date known to the month or year is
        stored as its first day, so only a person certainly too young is refused."""
        joined, official = self.party_joined_on, self.party_official_on
        if joined is None or (self.birth_date and joined < self.birth_date):
            return []
        errors = []
        age = _rule_on("party.min_admission_age", joined)
        if age is not None and self.birth_date:
            of_age = add_months(self.birth_date, 12 * age.value)
            if joined < of_age:
                errors.append(("party_joined_on", _(
                    "Chưa đủ %(age)d tuổi vào ngày vào Đảng (%(source)s): ngày vào Đảng phải từ %(day)s trở đi."
                ) % {"age": age.value, "source": age.references[0], "day": f"{of_age:%d/%m/%Y}"}))  # fmt: skip
        probation = _rule_on("party.probation_months", joined)
        if probation is not None and official and official >= joined:
            probation_end = add_months(joined, probation.value)
            if official < probation_end:
                errors.append(("party_official_on", _(
                    "Chưa hết %(months)d tháng dự bị (%(source)s): ngày chính thức phải từ %(day)s trở đi."
                ) % {"months": probation.value, "source": probation.references[0], "day": f"{probation_end:%d/%m/%Y}"}))  # fmt: skip
        return errors


def _rule_on(name: str, day: dt.date):
    """The legal parameter `name` in force on `day`, or None when no text sets it then."""
    try:
        return default_parameters().at(name, day)
    except ParameterNotInForce:
        return None


class Degree(models.Model):
    """A professional degree (trình độ chuyên môn) of the résumé."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="degrees")
    level = models.PositiveSmallIntegerField(_("trình độ"), choices=c.DegreeLevel.choices)
    field = models.CharField(_("chuyên ngành"), max_length=150)
    institution = models.CharField(_("cơ sở đào tạo"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("năm tốt nghiệp"), null=True, blank=True)

    class Meta:
        verbose_name = _("văn bằng")
        verbose_name_plural = _("văn bằng")
        ordering = ["-level", "year"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.field}"

    def as_dict(self) -> dict:
        return {"level": self.level, "field": self.field, "institution": self.institution, "year": self.year}

    def clean(self):
        errors: dict[str, list] = {}
        if self.year and self.year > dt.date.today().year:
            errors.setdefault("year", []).append(_("Năm tốt nghiệp không được ở tương lai."))
        person = getattr(self, "person", None)
        birth_date = person.birth_date if person is not None else None
        if self.year and birth_date and self.year < birth_date.year:
            errors.setdefault("year", []).append(
                _("Năm tốt nghiệp không được trước năm sinh (%(year)d).") % {"year": birth_date.year}
            )
        if errors:
            raise ValidationError(errors)


class Assignment(models.Model):
    """A person holding a seat from `start_date` to `end_date` (inclusive; open while null)."""

    person = models.ForeignKey(Person, verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="assignments")
    position = models.ForeignKey(
        "org.Position", verbose_name=_("vị trí"), on_delete=models.PROTECT, related_name="assignments"
    )
    kind = models.CharField(_("hình thức"), max_length=20, choices=c.AssignmentKind.choices)
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("quá trình công tác")
        verbose_name_plural = _("quá trình công tác")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["position", "start_date"]),
            models.Index(fields=["person", "start_date"]),
            models.Index(fields=["end_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="assignment_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.position}"

    def is_current_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)

    @staticmethod
    def current_on_q(day: dt.date, prefix: str = "") -> Q:
        return Q(**{f"{prefix}start_date__lte": day}) & (
            Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
        )

    def clean(self):
        errors: dict[str, list] = {}
        today = dt.date.today()
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors.setdefault("end_date", []).append(_("Ngày kết thúc không được trước ngày bắt đầu."))
        if self.decision_date and self.decision_date > today:
            errors.setdefault("decision_date", []).append(_("Ngày quyết định không được ở tương lai."))
        if errors:
            raise ValidationError(errors)


class Relation(models.Model):
    """A family tie between two people on record, for the kinship rules (Quy định 114-QĐ/TW).

    Stored once per pair and direction as entered ("B is A's spouse"); readers use
    `canbo.people.selectors.relatives_of`, which also returns the inverse ties.
    """

    person = models.ForeignKey(Person, verbose_name=_("cán bộ"), on_delete=models.CASCADE, related_name="relations")
    relative = models.ForeignKey(Person, verbose_name=_("người thân"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("quan hệ"), max_length=20, choices=c.RelationKind.choices)
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("quan hệ gia đình")
        verbose_name_plural = _("quan hệ gia đình")
        constraints = [
            models.UniqueConstraint(fields=["person", "relative"], name="relation_unique_pair"),
            models.CheckConstraint(condition=~Q(person=models.F("relative")), name="relation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.relative} là {self.get_kind_display().lower()} của {self.person}"
