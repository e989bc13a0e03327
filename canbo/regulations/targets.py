"""The catalogue of structure targets (chỉ tiêu cơ cấu) that a local resolution may set.

A target key names what is measured; the value comes, for a unit on a date, from the nearest
resolution scoped at or above the unit (database rows an administrator edits), else from the
national parameter of the same name when one exists, else there is no target.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class TargetKind:
    key: str
    label: str
    unit: str  # "share" (0–1) or "count"
    # How the text words it: "at least N" (từ N trở lên, met at N) or "more than N" (trên N,
    # not met at exactly N — women council delegates "trên 35%").
    strict: bool = False

    def met(self, actual: float, target: float) -> bool:
        if self.strict:
            return actual > target + 1e-9
        return actual + 1e-9 >= target

    def wording(self, target: float) -> str:
        shown = f"{target:.0%}" if self.unit == "share" else f"{target:g}"
        return f"trên {shown}" if self.strict else f"tối thiểu {shown}"


TARGET_KINDS: tuple[TargetKind, ...] = (
    TargetKind("targets.non_local.provincial_heads", _("Bí thư, Chủ tịch UBND cấp tỉnh không là người địa phương (tỷ lệ)"), "share"),
    TargetKind("targets.non_local.district_secretaries", _("Bí thư cấp ủy cấp huyện không là người địa phương (tỷ lệ)"), "share"),
    TargetKind("targets.non_local.commune_heads", _("Bí thư, Chủ tịch UBND cấp xã không là người địa phương (tỷ lệ)"), "share"),
    TargetKind("targets.women.standing_committee_min_count", _("Số nữ tối thiểu trong ban thường vụ cấp ủy"), "count"),
    TargetKind("targets.women.committee", _("Tỷ lệ nữ cấp ủy viên"), "share"),
    TargetKind("targets.women.council_delegates", _("Tỷ lệ nữ đại biểu HĐND"), "share", strict=True),
    TargetKind("targets.under_40.provincial_managed", _("Tỷ lệ cán bộ dưới 40 tuổi thuộc diện Ban Thường vụ Tỉnh ủy quản lý"), "share"),
    TargetKind("targets.under_40.district_key_cadres", _("Tỷ lệ cán bộ chủ chốt, ủy viên ban thường vụ cấp huyện dưới 40 tuổi"), "share"),
    TargetKind("planning.targets.women_share", _("Tỷ lệ nữ trong danh sách quy hoạch"), "share"),
    TargetKind("planning.targets.young_share", _("Tỷ lệ cán bộ trẻ trong danh sách quy hoạch"), "share"),
)  # fmt: skip
TARGETS = {kind.key: kind for kind in TARGET_KINDS}
TARGET_CHOICES = [(kind.key, kind.label) for kind in TARGET_KINDS]
TARGET_UNITS = {kind.key: kind.unit for kind in TARGET_KINDS}
