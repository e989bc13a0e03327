"""Synthetic Vietnamese full names (họ, tên đệm, tên) for the demo, in NFC, never real people.

Faker's `vi_VN` provider supplies the base lists, but its formats put the given name first and
add courtesy prefixes ("Cô Hạnh Trần"), which is not how a résumé writes a name. Names here are
composed in the Vietnamese order from Faker's lists plus longer ones (so that surnames follow
their real frequencies and ethnic minorities get names of their own), with a seeded
`random.Random` so that one seed always gives the same people.
"""

import random
import unicodedata
from functools import lru_cache
from itertools import accumulate

from faker.providers.person.vi_VN import Provider as _FakerVi

from canbo.people.catalogues import KINH

# Surnames with rough shares in the population of the North (percent).
SURNAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 36), ("Trần", 10), ("Lê", 8.5), ("Phạm", 7), ("Hoàng", 5), ("Vũ", 4.5), ("Phan", 2.5),
    ("Đỗ", 2.5), ("Bùi", 2.5), ("Đặng", 2.2), ("Ngô", 1.6), ("Dương", 1.4), ("Đinh", 1.3), ("Đào", 1.2),
    ("Trịnh", 1.2), ("Lương", 0.8), ("Mai", 0.7), ("Hà", 0.7), ("Đoàn", 0.7), ("Cao", 0.6), ("Tạ", 0.6),
    ("Chu", 0.5), ("Lưu", 0.5), ("Tô", 0.5), ("Phùng", 0.5), ("Khuất", 0.4), ("Kiều", 0.4), ("Nghiêm", 0.3),
    ("Lại", 0.3), ("Triệu", 0.3), ("Lý", 0.3), ("Hồ", 0.4), ("Võ", 0.3), ("Quách", 0.2), ("Nhữ", 0.1),
)  # fmt: skip

MIDDLE_MALE = (
    "Văn", "Văn", "Văn", "Đức", "Quang", "Minh", "Hữu", "Xuân", "Mạnh", "Tiến", "Thanh", "Ngọc", "Trung", "Anh",
    "Công", "Duy", "Việt", "Thế", "Hải", "Tuấn", "Bá", "Đình", "Hoàng", "Trọng", "Khắc", "Quốc", "Kim", "Huy",
)  # fmt: skip
MIDDLE_FEMALE = (
    "Thu", "Thanh", "Ngọc", "Minh", "Phương", "Thúy", "Hồng", "Kim", "Lan", "Mai", "Hải", "Bích", "Diệu", "Khánh",
    "Thùy", "Hoài", "Quỳnh", "Bảo", "Hương", "Vân",
)  # fmt: skip
GIVEN_MALE = (
    "Hùng", "Dũng", "Tuấn", "Minh", "Hải", "Nam", "Thắng", "Cường", "Long", "Sơn", "Quang", "Trung", "Hưng", "Tú",
    "Phúc", "Huy", "Đức", "Anh", "Tùng", "Bình", "Hiếu", "Thành", "Toàn", "Khánh", "Việt", "Hoàng", "Lâm",
    "Phong", "Quân", "Tâm", "Thịnh", "Vinh", "Định", "Chiến", "Kiên", "Lợi", "Tiến", "Đạt", "Hòa", "Thái",
    "Hậu", "Hoan", "Lực", "Nghĩa", "Phương", "Quyết", "Tân", "Thuận", "Trường", "Vượng", "Khoa", "Bảo",
)  # fmt: skip
GIVEN_FEMALE = (
    "Hương", "Lan", "Mai", "Hoa", "Hằng", "Thảo", "Linh", "Ngọc", "Trang", "Huyền", "Nga", "Hạnh", "Yến",
    "Phương", "Dung", "Loan", "Hà", "Thủy", "Nhung", "Vân", "Thúy", "Anh", "Chi", "Giang", "Hiền", "Liên",
    "Oanh", "Quyên", "Tâm", "Thu", "Trâm", "Vy", "My", "Nhàn", "Xuân", "Ánh", "Duyên", "Hồng", "Minh", "Lý",
    "Huệ", "Bích", "Hải", "Ly", "Nhi",
)  # fmt: skip

# Ethnic minorities of the demo (codes of canbo.people.catalogues.ETHNIC_GROUPS): typical surnames
# and given names, so that a Mông cadre is not called Nguyễn Văn Hùng.
MINORITY_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "06": {"surnames": ("Đinh", "Bùi", "Quách", "Hà", "Xa"), "male": (), "female": ()},  # Mường
    "02": {"surnames": ("Hoàng", "Nông", "Lương", "Ma", "Hà", "Lục"), "male": (), "female": ()},  # Tày
    "03": {"surnames": ("Lò", "Cầm", "Lường", "Vi", "Quàng", "Hà"), "male": (), "female": ()},  # Thái
    "09": {"surnames": ("Triệu", "Bàn", "Đặng", "Lý", "Chảo"), "male": (), "female": ()},  # Dao
    "07": {"surnames": ("Nông", "Hoàng", "Lương", "Vy", "Chu"), "male": (), "female": ()},  # Nùng
    "04": {"surnames": ("Lâm", "Lý", "Trương", "Quan", "Hứa", "Thái"), "male": (), "female": ()},  # Hoa
    "08": {  # Mông: "A" marks a man's name, "Thị" or "Mí" a woman's.
        "surnames": ("Giàng", "Vàng", "Sùng", "Thào", "Hầu", "Mùa", "Lầu"),
        "male": ("Páo", "Sử", "Chứ", "Dính", "Lử", "Tráng", "Chính", "Súa"),
        "female": ("Mỷ", "Dợ", "Chá", "Say", "Pằng", "Mai"),
    },
}

# Ethnicity shares in the demo: ~97% Kinh, then the groups living in or near Hà Nội.
ETHNICITIES: tuple[tuple[str, float], ...] = (
    (KINH, 97.4), ("06", 1.0), ("02", 0.4), ("03", 0.3), ("09", 0.25), ("07", 0.25), ("04", 0.2), ("08", 0.2),
)  # fmt: skip


def _merged(*lists: tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for items in lists:
        for item in items:
            seen.setdefault(unicodedata.normalize("NFC", item), None)
    return tuple(seen)


# Faker's lists, minus what is not a given name or middle name on its own.
_FAKER_SURNAMES = tuple(_FakerVi.last_names)
_FAKER_MALE = tuple(n for n in _FakerVi.first_names_male if n not in {"Nhiên", "Châu"})
_FAKER_FEMALE = tuple(_FakerVi.first_names_female)
_FAKER_MIDDLE = tuple(n for n in _FakerVi.middle_names if n not in {"Thị", "Văn", "Mai Bảo"})

_SURNAME_WEIGHTS = dict(SURNAMES)
for _name in _FAKER_SURNAMES:
    _SURNAME_WEIGHTS.setdefault(unicodedata.normalize("NFC", _name), 0.3)
SURNAME_LIST = tuple(_SURNAME_WEIGHTS)
SURNAME_CUMULATIVE: list[float] = []
_total = 0.0
for _name in SURNAME_LIST:
    _total += _SURNAME_WEIGHTS[_name]
    SURNAME_CUMULATIVE.append(_total)

MALE_GIVEN = _merged(GIVEN_MALE, _FAKER_MALE)
FEMALE_GIVEN = _merged(GIVEN_FEMALE, _FAKER_FEMALE)
MALE_MIDDLE = _merged(MIDDLE_MALE, tuple(n for n in _FAKER_MIDDLE if n not in {"Mai"}))
FEMALE_MIDDLE = _merged(MIDDLE_FEMALE)


def full_name(rng: random.Random, *, female: bool, birth_year: int, ethnicity: str = KINH) -> str:
    """A full name in the order họ – tên đệm – tên; older women more often carry "Thị"."""
    minority = MINORITY_NAMES.get(ethnicity)
    if minority:
        surname = rng.choice(minority["surnames"])
        own = minority["female" if female else "male"]
        if own:
            middle = "Thị" if female else "A"
            given = rng.choice(own)
            return f"{surname} {middle} {given}"
    else:
        surname = rng.choices(SURNAME_LIST, cum_weights=SURNAME_CUMULATIVE)[0]
    if female:
        thi_share = 0.75 if birth_year < 1975 else 0.55 if birth_year < 1990 else 0.3
        middle = "Thị" if rng.random() < thi_share else rng.choice(FEMALE_MIDDLE)
        given = rng.choice(FEMALE_GIVEN)
    else:
        middle = rng.choice(MALE_MIDDLE)
        given = rng.choice(MALE_GIVEN)
    if middle in (given, surname):
        middle = "Thị" if female else "Văn"
    # A few people carry a double middle name ("Nguyễn Thị Thu Hà", "Trần Văn Minh Đức").
    if rng.random() < 0.06:
        extra = rng.choice(FEMALE_MIDDLE if female else MALE_MIDDLE)
        if extra not in (middle, given):
            middle = f"{middle} {extra}"
    return unicodedata.normalize("NFC", f"{surname} {middle} {given}")


@lru_cache(maxsize=8)
def _ethnicity_weights(minority_boost: float) -> tuple[tuple[str, ...], tuple[float, ...]]:
    weights = (w if code == KINH else w * minority_boost for code, w in ETHNICITIES)
    return tuple(code for code, _w in ETHNICITIES), tuple(accumulate(weights))


def ethnicity(rng: random.Random, *, minority_boost: float = 1.0) -> str:
    """An ethnic group code; `minority_boost` > 1 for people from the mountain provinces."""
    codes, cumulative = _ethnicity_weights(minority_boost)
    return rng.choices(codes, cum_weights=cumulative)[0]
