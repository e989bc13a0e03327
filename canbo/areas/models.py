"""Administrative areas (đơn vị hành chính): the real units before and after 1 July 2025.

Two regimes live side by side: the three-tier one (63 provinces → districts → communes), valid
until 30 June 2025, and the two-tier one (34 provinces → 3,321 communes), valid from
1 July 2025 (Resolution 202/2025/QH15 and the Standing Committee's resolutions on the
rearrangement of commune-level units). `AreaSuccession` holds the official old → new mapping.
"""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from canbo.common.text import fold

TWO_TIER_START = dt.date(2025, 7, 1)
LEGACY_END = dt.date(2025, 6, 30)

# Enough select_related to name any area without another query: a legacy commune sits
# under its district, which sits under its province.
PARENT_CHAIN = "parent__parent"


class AdminAreaQuerySet(models.QuerySet):
    def with_parents(self) -> "AdminAreaQuerySet":
        """Rows whose `full_name` and `__str__` need no further query."""
        return self.select_related(PARENT_CHAIN)

    def valid_on(self, day: dt.date) -> "AdminAreaQuerySet":
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        )


class AdminArea(models.Model):
    class Regime(models.TextChoices):
        LEGACY = "legacy", _("Ba cấp (trước 01/07/2025)")
        TWO_TIER = "2025", _("Hai cấp (từ 01/07/2025)")

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Cấp tỉnh")
        DISTRICT = 2, _("Cấp huyện")
        COMMUNE = 3, _("Cấp xã")

    regime = models.CharField(_("chế độ"), max_length=8, choices=Regime.choices)
    level = models.PositiveSmallIntegerField(_("cấp"), choices=Level.choices)
    code = models.CharField(_("mã"), max_length=10)
    name = models.CharField(_("tên"), max_length=120)
    kind = models.CharField(_("loại"), max_length=40, help_text=_("tỉnh, thành phố, quận, huyện, xã, phường, đặc khu…"))
    parent = models.ForeignKey(
        "self", verbose_name=_("trực thuộc"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    search_name = models.CharField(max_length=160, db_index=True, editable=False)

    objects = AdminAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["regime", "level", "code"]
        constraints = [
            models.UniqueConstraint(fields=["regime", "level", "code"], name="area_unique_code"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        """The name with its parents ("Phường Ba Đình, Thành phố Hà Nội"); no query after `with_parents()`."""
        parts = [self.name]
        parent = self.parent
        while parent is not None:
            parts.append(parent.name)
            parent = parent.parent
        return ", ".join(parts)

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class AreaSuccession(models.Model):
    """An old (pre-2025) area that became, wholly or in part, a new area on `effective_on`."""

    old = models.ForeignKey(AdminArea, on_delete=models.CASCADE, related_name="successions")
    new = models.ForeignKey(AdminArea, on_delete=models.CASCADE, related_name="predecessions")
    effective_on = models.DateField(_("hiệu lực"), default=TWO_TIER_START)
    is_primary = models.BooleanField(
        _("nơi tiếp nhận chính"),
        default=True,
        help_text=_("Khi đơn vị cũ bị chia cho nhiều đơn vị mới: đơn vị mới nhận phần chính (dùng khi quy đổi địa chỉ cũ)."),
    )

    class Meta:
        verbose_name = _("chuyển đổi đơn vị hành chính")
        verbose_name_plural = _("chuyển đổi đơn vị hành chính")
        constraints = [models.UniqueConstraint(fields=["old", "new"], name="area_succession_unique")]

    def __str__(self) -> str:
        return f"{self.old.name} → {self.new.name}"
