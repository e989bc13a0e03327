"""Closed lists of the 2C résumé: ethnic groups, religions, education and qualification levels."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The 54 ethnic groups of Viet Nam with their statistical codes
# (Quyết định 121-TCTK/PPCĐ ngày 02/03/1979 of the General Statistics Office).
ETHNIC_GROUPS = [
    ("01", "Kinh"), ("02", "Tày"), ("03", "Thái"), ("04", "Hoa"), ("05", "Khmer"),
    ("06", "Mường"), ("07", "Nùng"), ("08", "Mông"), ("09", "Dao"), ("10", "Gia Rai"),
    ("11", "Ngái"), ("12", "Ê Đê"), ("13", "Ba Na"), ("14", "Xơ Đăng"), ("15", "Sán Chay"),
    ("16", "Cơ Ho"), ("17", "Chăm"), ("18", "Sán Dìu"), ("19", "Hrê"), ("20", "Mnông"),
    ("21", "Raglay"), ("22", "Xtiêng"), ("23", "Bru-Vân Kiều"), ("24", "Thổ"), ("25", "Giáy"),
    ("26", "Cơ Tu"), ("27", "Gié Triêng"), ("28", "Mạ"), ("29", "Khơ Mú"), ("30", "Co"),
    ("31", "Tà Ôi"), ("32", "Chơ Ro"), ("33", "Kháng"), ("34", "Xinh Mun"), ("35", "Hà Nhì"),
    ("36", "Chu Ru"), ("37", "Lào"), ("38", "La Chí"), ("39", "La Ha"), ("40", "Phù Lá"),
    ("41", "La Hủ"), ("42", "Lự"), ("43", "Lô Lô"), ("44", "Chứt"), ("45", "Mảng"),
    ("46", "Pà Thẻn"), ("47", "Cơ Lao"), ("48", "Cống"), ("49", "Bố Y"), ("50", "Si La"),
    ("51", "Pu Péo"), ("52", "Brâu"), ("53", "Ơ Đu"), ("54", "Rơ Măm"),
]  # fmt: skip
KINH = "01"
# The people-list filter value meaning "any group but Kinh".
ETHNIC_MINORITIES = "thieu-so"

# Religions recognised by the State (Ban Tôn giáo Chính phủ), plus "none".
RELIGIONS = [
    ("none", "Không"), ("buddhism", "Phật giáo"), ("catholic", "Công giáo"),
    ("protestant", "Tin lành"), ("caodai", "Cao Đài"), ("hoahao", "Phật giáo Hòa Hảo"),
    ("islam", "Hồi giáo"), ("bahai", "Baha'i"), ("tinh_do_cu_si", "Tịnh độ Cư sĩ Phật hội Việt Nam"),
    ("adventist", "Cơ đốc Phục lâm"), ("tu_an_hieu_nghia", "Phật giáo Tứ Ân Hiếu Nghĩa"),
    ("minh_su", "Minh Sư đạo"), ("minh_ly", "Minh Lý đạo"), ("brahmanism", "Bà-la-môn giáo"),
    ("mormon", "Mặc Môn"), ("hieu_nghia_ta_lon", "Phật giáo Hiếu Nghĩa Tà Lơn"),
    ("buu_son_ky_huong", "Bửu Sơn Kỳ Hương"), ("other", "Khác"),
]  # fmt: skip


class Sex(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Đủ ngày, tháng, năm")
    MONTH = "month", _("Chỉ có tháng và năm")
    YEAR = "year", _("Chỉ có năm")


class Category(models.TextChoices):
    CADRE = "cadre", _("Cán bộ")
    CIVIL_SERVANT = "civil_servant", _("Công chức")
    PUBLIC_EMPLOYEE = "public_employee", _("Viên chức")
    OTHER = "other", _("Khác")


class GeneralEducation(models.TextChoices):
    GRADE_12 = "12/12", "12/12"
    GRADE_10 = "10/10", "10/10"
    GRADE_9 = "9/12", "9/12"
    OTHER = "other", _("Khác")


class DegreeLevel(models.IntegerChoices):
    INTERMEDIATE = 1, _("Trung cấp")
    COLLEGE = 2, _("Cao đẳng")
    BACHELOR = 3, _("Đại học")
    MASTER = 4, _("Thạc sĩ")
    DOCTOR = 5, _("Tiến sĩ")


class PoliticalTheory(models.IntegerChoices):
    NONE = 0, _("Chưa qua đào tạo")
    ELEMENTARY = 1, _("Sơ cấp")
    INTERMEDIATE = 2, _("Trung cấp")
    ADVANCED = 3, _("Cao cấp")
    BACHELOR = 4, _("Cử nhân")


class StateManagement(models.IntegerChoices):
    NONE = 0, _("Chưa qua bồi dưỡng")
    SPECIALIST = 1, _("Chuyên viên")
    PRINCIPAL = 2, _("Chuyên viên chính")
    SENIOR = 3, _("Chuyên viên cao cấp")


class AcademicTitle(models.TextChoices):
    NONE = "", _("Không")
    ASSOCIATE_PROFESSOR = "pgs", _("Phó Giáo sư")
    PROFESSOR = "gs", _("Giáo sư")


class AssignmentKind(models.TextChoices):
    ELECTION = "election", _("Bầu cử")
    APPOINTMENT = "appointment", _("Bổ nhiệm")
    REAPPOINTMENT = "reappointment", _("Bổ nhiệm lại")
    DESIGNATION = "designation", _("Chỉ định")
    ROTATION = "rotation", _("Luân chuyển")
    TRANSFER = "transfer", _("Điều động")
    SECONDMENT = "secondment", _("Biệt phái")
    PERIODIC_CHANGE = "periodic_change", _("Chuyển đổi vị trí công tác")
    CONCURRENT = "concurrent", _("Kiêm nhiệm")


class RelationKind(models.TextChoices):
    """How `relative` stands to `person`: "relative is person's <kind>"."""

    SPOUSE = "spouse", _("Vợ/chồng")
    PARENT = "parent", _("Cha/mẹ")
    CHILD = "child", _("Con")
    SIBLING = "sibling", _("Anh/chị/em ruột")
    PARENT_IN_LAW = "parent_in_law", _("Cha/mẹ vợ (chồng)")
    CHILD_IN_LAW = "child_in_law", _("Con dâu/con rể")


# The kind seen from the other side: if B is A's parent, A is B's child.
INVERSE_RELATION = {
    RelationKind.SPOUSE: RelationKind.SPOUSE,
    RelationKind.PARENT: RelationKind.CHILD,
    RelationKind.CHILD: RelationKind.PARENT,
    RelationKind.SIBLING: RelationKind.SIBLING,
    RelationKind.PARENT_IN_LAW: RelationKind.CHILD_IN_LAW,
    RelationKind.CHILD_IN_LAW: RelationKind.PARENT_IN_LAW,
}
