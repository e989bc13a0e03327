"""The 12-digit citizen identity number (số định danh cá nhân / CCCD).

Layout (Thông tư 07/2016/TT-BCA art. 7, kept by Thông tư 59/2021/TT-BCA): 3 digits for the
province of birth registration (0 + the province's two-digit code), 1 digit for century and sex
(0/1: 1900s male/female, 2/3: 2000s, 4/5: 2100s…), 2 digits for the year of birth, 6 random digits.
"""

import re

from django.core.exceptions import ValidationError

# The 63 province codes in force when the numbering was set (legacy provinces, kept after 2025).
PROVINCE_CODES = frozenset(
    "01 02 04 06 08 10 11 12 14 15 17 19 20 22 24 25 26 27 30 31 33 34 35 36 37 38 40 42 44 45 46 "
    "48 49 51 52 54 56 58 60 62 64 66 67 68 70 72 74 75 77 79 80 82 83 84 86 87 89 91 92 93 94 95 96".split()
)
_PATTERN = re.compile(r"^\d{12}$")


def validate_citizen_id(value: str) -> None:
    if not _PATTERN.match(value or ""):
        raise ValidationError("Số định danh cá nhân phải gồm đúng 12 chữ số.", code="format")
    if value[0] != "0" or value[1:3] not in PROVINCE_CODES:
        raise ValidationError(
            "Số định danh cá nhân không hợp lệ: ba chữ số đầu %(prefix)s không phải mã tỉnh nơi đăng ký khai sinh.",
            code="province",
            params={"prefix": value[:3]},
        )


def century_sex_digit(*, birth_year: int, female: bool) -> int:
    return (birth_year // 100 - 19) * 2 + (1 if female else 0)


def consistency_errors(value: str, *, birth_year: int | None, female: bool | None) -> list[str]:
    """Messages for a number that contradicts the person's sex or year of birth."""
    errors = []
    digit = int(value[3])
    if female is not None and digit % 2 != (1 if female else 0):
        errors.append("Chữ số thứ 4 của số định danh không khớp với giới tính.")
    if birth_year is not None:
        if digit // 2 != birth_year // 100 - 19 or int(value[4:6]) != birth_year % 100:
            errors.append("Chữ số thứ 4–6 của số định danh không khớp với năm sinh.")
    return errors
