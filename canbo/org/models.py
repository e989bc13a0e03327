"""The structure of the political system: the unit tree, the title catalogue and seats.

A subtree is a path prefix (django-treebeard materialized path), which is what the access
policy filters on. Units are never deleted: they are dissolved on a date, so the tree can be
shown as it stood on any day, including the three-tier structure before 1 July 2025.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from canbo.common.text import fold


class UnitKind(models.TextChoices):
    PROVINCIAL_COMMITTEE = "provincial_committee", _("Đảng bộ tỉnh/thành phố")
    DISTRICT_COMMITTEE = "district_committee", _("Đảng bộ cấp huyện (trước 01/07/2025)")
    AFFILIATED_COMMITTEE = "affiliated_committee", _("Đảng bộ trực thuộc")
    PARTY_AGENCY = "party_agency", _("Cơ quan tham mưu của cấp ủy")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Đảng bộ cơ sở")
    GRASSROOTS_CELL = "grassroots_cell", _("Chi bộ cơ sở")
    PARTY_CELL = "party_cell", _("Chi bộ trực thuộc")
    PARTY_GROUP = "party_group", _("Tổ đảng")
    PEOPLES_COUNCIL = "peoples_council", _("Hội đồng nhân dân")
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    DIVISION = "division", _("Phòng, ban")
    FATHERLAND_FRONT = "fatherland_front", _("Mặt trận Tổ quốc")
    MASS_ORGANIZATION = "mass_organization", _("Tổ chức chính trị - xã hội")
    PUBLIC_SERVICE_UNIT = "public_service_unit", _("Đơn vị sự nghiệp công lập")


PARTY_KINDS = frozenset(
    {
        UnitKind.PROVINCIAL_COMMITTEE,
        UnitKind.DISTRICT_COMMITTEE,
        UnitKind.AFFILIATED_COMMITTEE,
        UnitKind.GRASSROOTS_COMMITTEE,
        UnitKind.GRASSROOTS_CELL,
        UnitKind.PARTY_CELL,
        UnitKind.PARTY_GROUP,
    }
)


class Unit(MP_Node):
    """A node of the political system: party committee, cell, council, agency, division…"""

    name = models.CharField(_("tên đơn vị"), max_length=200)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    code = models.CharField(
        _("mã đơn vị"),
        max_length=40,
        unique=True,
        help_text=_("Mã duy nhất, dùng để đối chiếu khi nhập dữ liệu."),
        error_messages={"unique": _("Mã đơn vị này đã được dùng cho một đơn vị khác.")},
    )
    kind = models.CharField(_("loại đơn vị"), max_length=40, choices=UnitKind.choices)
    area = models.ForeignKey(
        "areas.AdminArea",
        verbose_name=_("địa bàn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    established_on = models.DateField(_("ngày thành lập"), null=True, blank=True)
    dissolved_on = models.DateField(
        _("ngày giải thể/sáp nhập"), null=True, blank=True, help_text=_("Ngày cuối cùng đơn vị còn hoạt động.")
    )
    note = models.TextField(_("ghi chú"), blank=True)
    # A reorganization (merger, split, the two-tier reform of 1 July 2025) links the units that
    # ended to the units that took over their work, so a page can lead from one to the other.
    predecessors = models.ManyToManyField(
        "self",
        verbose_name=_("đơn vị tiền thân"),
        symmetrical=False,
        related_name="successors",
        blank=True,
        help_text=_("Các đơn vị đã giải thể/sáp nhập mà đơn vị này tiếp nhận."),
    )
    search_name = models.CharField(max_length=220, db_index=True, editable=False)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(established_on__isnull=True)
                | Q(dissolved_on__gte=models.F("established_on")),
                name="unit_dissolved_after_established",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        if self.established_on and self.dissolved_on and self.dissolved_on < self.established_on:
            raise ValidationError({"dissolved_on": _("Ngày giải thể không được trước ngày thành lập.")})

    def exists_on(self, day: dt.date) -> bool:
        return (self.established_on is None or self.established_on <= day) and (
            self.dissolved_on is None or day <= self.dissolved_on
        )

    @staticmethod
    def existing_on_q(day: dt.date, prefix: str = "") -> Q:
        return (Q(**{f"{prefix}established_on__isnull": True}) | Q(**{f"{prefix}established_on__lte": day})) & (
            Q(**{f"{prefix}dissolved_on__isnull": True}) | Q(**{f"{prefix}dissolved_on__gte": day})
        )


class ManagingBody(models.TextChoices):
    """Diện quản lý: which body plans, appoints and rotates the holders of a title."""

    POLITBURO = "politburo", _("Diện Bộ Chính trị, Ban Bí thư quản lý")
    PROVINCIAL_STANDING = "provincial_standing", _("Diện Ban Thường vụ Tỉnh ủy/Thành ủy quản lý")
    AFFILIATED_STANDING = "affiliated_standing", _("Diện Ban Thường vụ đảng ủy trực thuộc quản lý")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Diện đảng ủy cơ sở quản lý")
    AGENCY_HEAD = "agency_head", _("Diện thủ trưởng cơ quan, đơn vị quản lý")


class TitleGroup(models.TextChoices):
    """The four groups of the catalogue of titles of the political system (Quy định 368-QĐ/TW,
    08/09/2025, replacing Kết luận 35-KL/TW)."""

    KEY_LEADERS = "key_leaders", _("Nhóm 1: lãnh đạo chủ chốt, lãnh đạo cấp cao")
    POLITBURO = "politburo", _("Nhóm 2: chức danh diện Bộ Chính trị quản lý")
    SECRETARIAT = "secretariat", _("Nhóm 3: chức danh diện Ban Bí thư quản lý")
    OTHER_LEVELS = "other_levels", _("Nhóm 4: khung chức danh các cấp còn lại")


class Title(models.Model):
    """A leadership title of the catalogue (chức danh), with its managing body."""

    code = models.SlugField(_("mã chức danh"), max_length=60, unique=True)
    name = models.CharField(_("tên chức danh"), max_length=150)
    managing_body = models.CharField(_("diện quản lý"), max_length=40, choices=ManagingBody.choices)
    is_head = models.BooleanField(_("người đứng đầu"), default=False)
    rank = models.PositiveSmallIntegerField(
        _("bậc"), default=0, help_text=_("Thứ bậc so sánh giữa các chức danh cùng cấp: số lớn hơn là cao hơn.")
    )
    unit_kinds = models.JSONField(
        _("loại đơn vị áp dụng"), default=list, blank=True, help_text=_("Các loại đơn vị có thể có chức danh này.")
    )
    is_leadership = models.BooleanField(_("chức danh lãnh đạo, quản lý"), default=True)
    catalogue_group = models.CharField(
        _("nhóm danh mục chức danh"), max_length=20, choices=TitleGroup.choices, blank=True,
        help_text=_("Nhóm theo Quy định 368-QĐ/TW ngày 08/9/2025; để trống với vị trí không phải chức danh lãnh đạo."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("chức danh")
        verbose_name_plural = _("danh mục chức danh")
        ordering = ["-rank", "name"]

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    """The seat a unit has for a title (chức vụ), with how many people may hold it at once."""

    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="positions")
    title = models.ForeignKey(Title, verbose_name=_("chức danh"), on_delete=models.PROTECT, related_name="positions")
    seat_count = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    is_key_post = models.BooleanField(_("vị trí chủ chốt"), default=False)
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("vị trí chức vụ")
        verbose_name_plural = _("vị trí chức vụ")
        ordering = ["unit", "-title__rank", "title__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "title"], name="position_unique_title_per_unit"),
            models.CheckConstraint(condition=Q(seat_count__gte=1), name="position_seat_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title.name} – {self.unit.name}"
