"""The standard catalogue of titles (danh mục chức danh) as data, and its idempotent loader.

One title per (post, managing body): "Bí thư Đảng ủy xã, phường" (diện Ban Thường vụ Thành ủy
quản lý) and "Bí thư chi bộ" (diện đảng ủy cơ sở quản lý) are different titles, because the
body that plans, appoints and rotates their holders differs (Quy định 80-QĐ/TW and the
provincial regulations on management scope). Ranks compare titles: a larger number is higher.
Non-leadership seats (Chuyên viên, Công chức, Viên chức) are titles too, so that ordinary staff
hold seats and appear in the unit's staffing like everyone else; so are council delegates (đại
biểu HĐND), whom the women-delegates target counts.

Each leadership title carries its group of the catalogue of titles of the political system
(Quy định 368-QĐ/TW, 08/09/2025): the city's titles managed by the Politburo or the Secretariat
(groups 2 and 3), everything below them group 4. Which of the city's titles the Politburo and
which the Secretariat manages is to confirm against the appendices of 368-QĐ/TW (here: the
heads of the city committee, council and people's committee and the deputy secretaries are the
Politburo's, the other posts of the combined "Bộ Chính trị, Ban Bí thư" managing body the
Secretariat's).
"""

from dataclasses import asdict, dataclass

from canbo.audit.models import AuditEvent

from .models import ManagingBody as MB
from .models import Title, TitleGroup
from .models import UnitKind as K

# Titles of the combined "Bộ Chính trị, Ban Bí thư" managing body that the Politburo itself
# manages (group 2 of Quy định 368-QĐ/TW); the others of that body are the Secretariat's (group 3).
POLITBURO_TITLES = frozenset(
    {"bi-thu-thanh-uy", "pho-bi-thu-thuong-truc-thanh-uy", "pho-bi-thu-thanh-uy", "chu-tich-hdnd-tp", "chu-tich-ubnd-tp"}
)


@dataclass(frozen=True)
class TitleSpec:
    code: str
    name: str
    managing_body: str
    rank: int
    unit_kinds: tuple[str, ...]
    is_head: bool = False
    is_leadership: bool = True

    @property
    def catalogue_group(self) -> str:
        """The group of Quy định 368-QĐ/TW (none for seats that are not leadership titles)."""
        if not self.is_leadership:
            return ""
        if self.managing_body == MB.POLITBURO:
            return str(TitleGroup.POLITBURO if self.code in POLITBURO_TITLES else TitleGroup.SECRETARIAT)
        return str(TitleGroup.OTHER_LEVELS)

    def fields(self) -> dict:
        data = asdict(self)
        data["unit_kinds"] = [str(kind) for kind in self.unit_kinds]
        data["managing_body"] = str(self.managing_body)
        data["catalogue_group"] = self.catalogue_group
        return data


def _pair(code: str, name: str, deputy_name: str, body: str, deputy_body: str, rank: int, kinds, deputy_gap=6):
    """A head title and its deputy (the deputy ranks a few steps lower)."""
    return (
        TitleSpec(code, name, body, rank, kinds, is_head=True),
        TitleSpec(f"pho-{code}", deputy_name, deputy_body, rank - deputy_gap, kinds),
    )


PROVINCE = (K.PROVINCIAL_COMMITTEE,)
DISTRICT = (K.DISTRICT_COMMITTEE,)
AFFILIATED = (K.AFFILIATED_COMMITTEE,)
AGENCY = (K.PARTY_AGENCY,)
COUNCIL = (K.PEOPLES_COUNCIL,)
COMMITTEE = (K.PEOPLES_COMMITTEE,)
FRONT = (K.FATHERLAND_FRONT,)
MASS = (K.MASS_ORGANIZATION,)
DEPARTMENT = (K.DEPARTMENT,)
DIVISION = (K.DIVISION,)
SERVICE = (K.PUBLIC_SERVICE_UNIT,)

# City level (Thành ủy, HĐND, UBND, MTTQ Thành phố): Bộ Chính trị / Ban Bí thư manage the key posts.
_CITY = (
    TitleSpec("bi-thu-thanh-uy", "Bí thư Thành ủy", MB.POLITBURO, 100, PROVINCE, is_head=True),
    TitleSpec("pho-bi-thu-thuong-truc-thanh-uy", "Phó Bí thư Thường trực Thành ủy", MB.POLITBURO, 96, PROVINCE),
    TitleSpec("pho-bi-thu-thanh-uy", "Phó Bí thư Thành ủy", MB.POLITBURO, 94, PROVINCE),
    TitleSpec("uv-btv-thanh-uy", "Ủy viên Ban Thường vụ Thành ủy", MB.POLITBURO, 88, PROVINCE),
    TitleSpec("uv-bch-thanh-uy", "Ủy viên Ban Chấp hành Đảng bộ Thành phố", MB.PROVINCIAL_STANDING, 70, PROVINCE),
    *_pair("truong-ban-to-chuc-thanh-uy", "Trưởng Ban Tổ chức Thành ủy", "Phó Trưởng Ban Tổ chức Thành ủy",
           MB.POLITBURO, MB.PROVINCIAL_STANDING, 86, AGENCY, 10),
    *_pair("chu-nhiem-ubkt-thanh-uy", "Chủ nhiệm Ủy ban Kiểm tra Thành ủy", "Phó Chủ nhiệm Ủy ban Kiểm tra Thành ủy",
           MB.POLITBURO, MB.PROVINCIAL_STANDING, 86, AGENCY, 10),
    *_pair("truong-ban-thanh-uy", "Trưởng ban của Thành ủy", "Phó Trưởng ban của Thành ủy",
           MB.POLITBURO, MB.PROVINCIAL_STANDING, 84, AGENCY, 10),
    *_pair("chanh-van-phong-thanh-uy", "Chánh Văn phòng Thành ủy", "Phó Chánh Văn phòng Thành ủy",
           MB.PROVINCIAL_STANDING, MB.PROVINCIAL_STANDING, 80, AGENCY),
    *_pair("chu-tich-hdnd-tp", "Chủ tịch HĐND Thành phố", "Phó Chủ tịch HĐND Thành phố",
           MB.POLITBURO, MB.POLITBURO, 92, COUNCIL, 10),
    *_pair("chu-tich-ubnd-tp", "Chủ tịch UBND Thành phố", "Phó Chủ tịch UBND Thành phố",
           MB.POLITBURO, MB.POLITBURO, 92, COMMITTEE, 8),
    *_pair("chu-tich-mttq-tp", "Chủ tịch Ủy ban MTTQ Việt Nam Thành phố", "Phó Chủ tịch Ủy ban MTTQ Việt Nam Thành phố",
           MB.POLITBURO, MB.PROVINCIAL_STANDING, 86, FRONT, 12),
    # Sở, ban, ngành of the city: diện Ban Thường vụ Thành ủy quản lý, deputies included.
    *_pair("giam-doc-so", "Giám đốc Sở", "Phó Giám đốc Sở",
           MB.PROVINCIAL_STANDING, MB.PROVINCIAL_STANDING, 72, DEPARTMENT),
    *_pair("chanh-thanh-tra-tp", "Chánh Thanh tra Thành phố", "Phó Chánh Thanh tra Thành phố",
           MB.PROVINCIAL_STANDING, MB.PROVINCIAL_STANDING, 72, DEPARTMENT),
    *_pair("chanh-van-phong-ubnd-tp", "Chánh Văn phòng UBND Thành phố", "Phó Chánh Văn phòng UBND Thành phố",
           MB.PROVINCIAL_STANDING, MB.PROVINCIAL_STANDING, 72, DEPARTMENT),
    # Divisions of a Sở or a party agency: the head of the agency appoints.
    *_pair("truong-phong", "Trưởng phòng", "Phó Trưởng phòng", MB.AGENCY_HEAD, MB.AGENCY_HEAD, 40, DIVISION, 4),
    *_pair("chanh-van-phong-so", "Chánh Văn phòng Sở", "Phó Chánh Văn phòng Sở",
           MB.AGENCY_HEAD, MB.AGENCY_HEAD, 40, DIVISION, 4),
    *_pair("chanh-thanh-tra-so", "Chánh Thanh tra Sở", "Phó Chánh Thanh tra Sở",
           MB.AGENCY_HEAD, MB.AGENCY_HEAD, 42, DIVISION, 4),
)  # fmt: skip

# Committees of the city's agencies (Đảng ủy các cơ quan Đảng Thành phố, Đảng ủy UBND Thành phố).
_AGENCY_BLOCK = (
    TitleSpec("bi-thu-dang-uy-khoi", "Bí thư Đảng ủy khối cơ quan trực thuộc Thành ủy", MB.PROVINCIAL_STANDING, 62,
              AFFILIATED, is_head=True),
    TitleSpec("pho-bi-thu-dang-uy-khoi", "Phó Bí thư Đảng ủy khối cơ quan trực thuộc Thành ủy", MB.PROVINCIAL_STANDING,
              56, AFFILIATED),
    TitleSpec("uv-btv-dang-uy-khoi", "Ủy viên Ban Thường vụ Đảng ủy khối cơ quan trực thuộc Thành ủy",
              MB.AFFILIATED_STANDING, 46, AFFILIATED),
)  # fmt: skip

# Legacy district level (until 30 June 2025): quận ủy, huyện ủy, thị ủy and their HĐND, UBND.
_DISTRICT = (
    TitleSpec("bi-thu-quan-uy", "Bí thư Quận ủy, Huyện ủy, Thị ủy", MB.PROVINCIAL_STANDING, 70, DISTRICT, is_head=True),
    TitleSpec("pho-bi-thu-thuong-truc-quan-uy", "Phó Bí thư Thường trực Quận ủy, Huyện ủy, Thị ủy",
              MB.PROVINCIAL_STANDING, 64, DISTRICT),
    TitleSpec("pho-bi-thu-quan-uy", "Phó Bí thư Quận ủy, Huyện ủy, Thị ủy", MB.PROVINCIAL_STANDING, 62, DISTRICT),
    TitleSpec("uv-btv-quan-uy", "Ủy viên Ban Thường vụ Quận ủy, Huyện ủy, Thị ủy", MB.PROVINCIAL_STANDING, 56, DISTRICT),
    TitleSpec("uv-bch-quan-uy", "Ủy viên Ban Chấp hành Đảng bộ quận, huyện, thị xã", MB.AFFILIATED_STANDING, 48,
              DISTRICT),
    *_pair("chu-tich-hdnd-huyen", "Chủ tịch HĐND quận, huyện, thị xã", "Phó Chủ tịch HĐND quận, huyện, thị xã",
           MB.PROVINCIAL_STANDING, MB.PROVINCIAL_STANDING, 62, COUNCIL, 8),
    *_pair("chu-tich-ubnd-huyen", "Chủ tịch UBND quận, huyện, thị xã", "Phó Chủ tịch UBND quận, huyện, thị xã",
           MB.PROVINCIAL_STANDING, MB.PROVINCIAL_STANDING, 64, COMMITTEE, 8),
    *_pair("truong-ban-to-chuc-quan-uy", "Trưởng Ban Tổ chức Quận ủy, Huyện ủy, Thị ủy",
           "Phó Trưởng Ban Tổ chức Quận ủy, Huyện ủy, Thị ủy", MB.PROVINCIAL_STANDING, MB.AFFILIATED_STANDING, 58,
           AGENCY, 10),
    *_pair("chu-nhiem-ubkt-quan-uy", "Chủ nhiệm Ủy ban Kiểm tra Quận ủy, Huyện ủy, Thị ủy",
           "Phó Chủ nhiệm Ủy ban Kiểm tra Quận ủy, Huyện ủy, Thị ủy", MB.PROVINCIAL_STANDING, MB.AFFILIATED_STANDING,
           58, AGENCY, 10),
)  # fmt: skip

# Commune level since 1 July 2025: Hà Nội's Thành ủy manages the key posts of its 126 communes.
_COMMUNE = (
    TitleSpec("bi-thu-dang-uy-xa", "Bí thư Đảng ủy xã, phường", MB.PROVINCIAL_STANDING, 60, AFFILIATED, is_head=True),
    TitleSpec("pho-bi-thu-thuong-truc-dang-uy-xa", "Phó Bí thư Thường trực Đảng ủy xã, phường",
              MB.PROVINCIAL_STANDING, 56, AFFILIATED),
    TitleSpec("pho-bi-thu-dang-uy-xa", "Phó Bí thư Đảng ủy xã, phường", MB.PROVINCIAL_STANDING, 54, AFFILIATED),
    TitleSpec("uv-btv-dang-uy-xa", "Ủy viên Ban Thường vụ Đảng ủy xã, phường", MB.PROVINCIAL_STANDING, 48, AFFILIATED),
    TitleSpec("uv-bch-dang-uy-xa", "Ủy viên Ban Chấp hành Đảng bộ xã, phường", MB.AFFILIATED_STANDING, 40, AFFILIATED),
    *_pair("chu-tich-hdnd-xa", "Chủ tịch HĐND xã, phường", "Phó Chủ tịch HĐND xã, phường",
           MB.PROVINCIAL_STANDING, MB.AFFILIATED_STANDING, 54, COUNCIL, 8),
    *_pair("chu-tich-ubnd-xa", "Chủ tịch UBND xã, phường", "Phó Chủ tịch UBND xã, phường",
           MB.PROVINCIAL_STANDING, MB.AFFILIATED_STANDING, 56, COMMITTEE, 10),
    *_pair("chu-tich-mttq-xa", "Chủ tịch Ủy ban MTTQ Việt Nam xã, phường", "Phó Chủ tịch Ủy ban MTTQ Việt Nam xã, phường",
           MB.PROVINCIAL_STANDING, MB.AFFILIATED_STANDING, 50, FRONT, 10),
    *_pair("chu-nhiem-ubkt-dang-uy-xa", "Chủ nhiệm Ủy ban Kiểm tra Đảng ủy xã, phường",
           "Phó Chủ nhiệm Ủy ban Kiểm tra Đảng ủy xã, phường", MB.AFFILIATED_STANDING, MB.AFFILIATED_STANDING, 48,
           AGENCY, 8),
    *_pair("truong-ban-xay-dung-dang-xa", "Trưởng Ban Xây dựng Đảng Đảng ủy xã, phường",
           "Phó Trưởng Ban Xây dựng Đảng Đảng ủy xã, phường", MB.AFFILIATED_STANDING, MB.AFFILIATED_STANDING, 48,
           AGENCY, 8),
    *_pair("chanh-van-phong-dang-uy-xa", "Chánh Văn phòng Đảng ủy xã, phường", "Phó Chánh Văn phòng Đảng ủy xã, phường",
           MB.AFFILIATED_STANDING, MB.AFFILIATED_STANDING, 44, AGENCY),
    *_pair("chanh-van-phong-hdnd-ubnd-xa", "Chánh Văn phòng HĐND và UBND xã, phường",
           "Phó Chánh Văn phòng HĐND và UBND xã, phường", MB.AFFILIATED_STANDING, MB.AGENCY_HEAD, 44, DIVISION),
    *_pair("truong-phong-ubnd-xa", "Trưởng phòng thuộc UBND xã, phường", "Phó Trưởng phòng thuộc UBND xã, phường",
           MB.AFFILIATED_STANDING, MB.AGENCY_HEAD, 44, DIVISION),
)  # fmt: skip

# Mass organizations (tổ chức chính trị - xã hội), at city and commune level.
_MASS = tuple(
    spec
    for suffix, level_name, body, deputy_body, rank in (
        ("tp", "Thành phố", MB.PROVINCIAL_STANDING, MB.PROVINCIAL_STANDING, 70),
        ("xa", "xã, phường", MB.AFFILIATED_STANDING, MB.AFFILIATED_STANDING, 42),
    )
    for code, head, deputy in (
        ("chu-tich-hoi-phu-nu", "Chủ tịch Hội Liên hiệp Phụ nữ", "Phó Chủ tịch Hội Liên hiệp Phụ nữ"),
        ("bi-thu-doan", "Bí thư Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Phó Bí thư Đoàn Thanh niên Cộng sản Hồ Chí Minh"),
        ("chu-tich-hoi-nong-dan", "Chủ tịch Hội Nông dân", "Phó Chủ tịch Hội Nông dân"),
        ("chu-tich-hoi-ccb", "Chủ tịch Hội Cựu chiến binh", "Phó Chủ tịch Hội Cựu chiến binh"),
        ("chu-tich-cong-doan", "Chủ tịch Liên đoàn Lao động", "Phó Chủ tịch Liên đoàn Lao động"),
    )
    if not (suffix == "xa" and code == "chu-tich-cong-doan")
    for spec in _pair(f"{code}-{suffix}", f"{head} {level_name}", f"{deputy} {level_name}", body, deputy_body, rank, MASS)
)

# Public service units (schools, hospitals, centres): the managing agency's head appoints.
_SERVICE = (
    *_pair("giam-doc-dvsn", "Giám đốc đơn vị sự nghiệp", "Phó Giám đốc đơn vị sự nghiệp",
           MB.AGENCY_HEAD, MB.AGENCY_HEAD, 38, SERVICE, 4),
    *_pair("hieu-truong", "Hiệu trưởng", "Phó Hiệu trưởng", MB.AGENCY_HEAD, MB.AGENCY_HEAD, 36, SERVICE, 4),
)  # fmt: skip

# Grassroots organizations, cells and groups: the level above elects and approves.
_GRASSROOTS = (
    *_pair("bi-thu-dang-uy-co-so", "Bí thư Đảng ủy cơ sở", "Phó Bí thư Đảng ủy cơ sở",
           MB.AFFILIATED_STANDING, MB.AFFILIATED_STANDING, 30, (K.GRASSROOTS_COMMITTEE,), 4),
    *_pair("bi-thu-chi-bo-co-so", "Bí thư chi bộ cơ sở", "Phó Bí thư chi bộ cơ sở",
           MB.AFFILIATED_STANDING, MB.AFFILIATED_STANDING, 28, (K.GRASSROOTS_CELL,), 4),
    *_pair("bi-thu-chi-bo", "Bí thư chi bộ", "Phó Bí thư chi bộ",
           MB.GRASSROOTS_COMMITTEE, MB.GRASSROOTS_COMMITTEE, 20, (K.PARTY_CELL,), 4),
    TitleSpec("to-truong-to-dang", "Tổ trưởng tổ đảng", MB.GRASSROOTS_COMMITTEE, 10, (K.PARTY_GROUP,), is_head=True),
)  # fmt: skip

# People's council delegates (đại biểu HĐND): elected by the voters, not leadership posts; the
# managing body is the standing committee that leads the election's personnel work at that level.
_DELEGATES = (
    TitleSpec("dai-bieu-hdnd-tp", "Đại biểu HĐND Thành phố", MB.PROVINCIAL_STANDING, 6, COUNCIL, is_leadership=False),
    TitleSpec("dai-bieu-hdnd-huyen", "Đại biểu HĐND quận, huyện, thị xã", MB.PROVINCIAL_STANDING, 5, COUNCIL,
              is_leadership=False),
    TitleSpec("dai-bieu-hdnd-xa", "Đại biểu HĐND xã, phường", MB.AFFILIATED_STANDING, 4, COUNCIL, is_leadership=False),
)  # fmt: skip

# Ordinary staff: not leadership, seats with many places.
_STAFF = (
    TitleSpec("chuyen-vien", "Chuyên viên", MB.AGENCY_HEAD, 3,
              (K.PARTY_AGENCY, K.PEOPLES_COUNCIL, K.PEOPLES_COMMITTEE, K.DEPARTMENT, K.DIVISION, K.FATHERLAND_FRONT,
               K.MASS_ORGANIZATION, K.AFFILIATED_COMMITTEE), is_leadership=False),
    TitleSpec("cong-chuc-xa", "Công chức xã, phường", MB.AGENCY_HEAD, 2,
              (K.PARTY_AGENCY, K.DIVISION, K.FATHERLAND_FRONT), is_leadership=False),
    TitleSpec("vien-chuc", "Viên chức", MB.AGENCY_HEAD, 1, SERVICE, is_leadership=False),
)  # fmt: skip

STANDARD_TITLES: tuple[TitleSpec, ...] = (
    *_CITY, *_AGENCY_BLOCK, *_DISTRICT, *_COMMUNE, *_MASS, *_SERVICE, *_GRASSROOTS, *_DELEGATES, *_STAFF,
)  # fmt: skip
TITLES_BY_CODE: dict[str, TitleSpec] = {spec.code: spec for spec in STANDARD_TITLES}
assert len(TITLES_BY_CODE) == len(STANDARD_TITLES), "duplicate title code in the catalogue"


def load_standard_titles(*, actor=None, source: str = AuditEvent.Source.SYSTEM) -> int:
    """Create the missing titles and bring changed ones back to the standard; returns how many changed.

    Idempotent: a second run changes nothing and writes no audit rows. Titles users added
    themselves (other codes) are left alone.
    """
    from .services import title_create, title_update

    existing = {title.code: title for title in Title.objects.filter(code__in=TITLES_BY_CODE)}
    changed = 0
    for spec in STANDARD_TITLES:
        wanted = spec.fields()
        title = existing.get(spec.code)
        if title is None:
            title_create(actor=actor, source=source, **wanted)
            changed += 1
            continue
        diff = {name: value for name, value in wanted.items() if getattr(title, name) != value}
        if diff:
            title_update(actor=actor, title=title, source=source, **diff)
            changed += 1
    return changed
