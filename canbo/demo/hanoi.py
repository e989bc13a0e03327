"""The shape of the synthetic Hà Nội: agencies, departments, divisions and public service units.

Names of agencies are the real kinds of bodies of a centrally-run city after 1 July 2025 (the
people in them are synthetic). Each entry says which titles its seats use (codes of
`canbo.org.catalogue`), how many deputies it has and how many staff it has at scale 1.
`sector` picks plausible degree subjects for the people who work there.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Division:
    name: str
    head: str = "truong-phong"
    deputies: int = 2
    staff: int = 7


@dataclass(frozen=True)
class ServiceUnit:
    name: str
    staff: int
    school: bool = False
    deputies: int = 2
    cells: int = 1  # party cells of the unit at scale 1 (hospitals have several)


@dataclass(frozen=True)
class Agency:
    name: str
    code: str
    head: str
    deputies: int
    sector: str
    divisions: tuple[Division, ...]
    services: tuple[ServiceUnit, ...] = field(default=())


def _divisions(*names: str, staff: int = 7) -> tuple[Division, ...]:
    """A Sở's divisions: its Văn phòng and Thanh tra first, then the specialised ones."""
    result = []
    for name in names:
        if name == "Văn phòng Sở":
            result.append(Division(name, "chanh-van-phong-so", 2, staff + 2))
        elif name == "Thanh tra Sở":
            result.append(Division(name, "chanh-thanh-tra-so", 1, staff - 2))
        else:
            result.append(Division(name, "truong-phong", 2, staff))
    return tuple(result)


PARTY_AGENCIES: tuple[Agency, ...] = (
    Agency("Ban Tổ chức Thành ủy", "BTC", "truong-ban-to-chuc-thanh-uy", 4, "party", (
        Division("Phòng Tổ chức đảng, đảng viên"), Division("Phòng Cán bộ"),
        Division("Phòng Bảo vệ chính trị nội bộ", staff=5), Division("Phòng Tổng hợp", staff=5),
    )),
    Agency("Ủy ban Kiểm tra Thành ủy", "UBKT", "chu-nhiem-ubkt-thanh-uy", 4, "inspection", (
        Division("Phòng Kiểm tra số 1"), Division("Phòng Kiểm tra số 2"), Division("Phòng Kiểm tra số 3"),
        Division("Phòng Tổng hợp", staff=4),
    )),
    Agency("Văn phòng Thành ủy", "VPTU", "chanh-van-phong-thanh-uy", 4, "office", (
        Division("Phòng Tổng hợp"), Division("Phòng Hành chính - Lưu trữ"), Division("Phòng Quản trị - Tài chính"),
    )),
    Agency("Ban Tuyên giáo và Dân vận Thành ủy", "BTGDV", "truong-ban-thanh-uy", 4, "propaganda", (
        Division("Phòng Lý luận chính trị và Lịch sử Đảng"), Division("Phòng Tuyên truyền và Báo chí"),
        Division("Phòng Dân vận"), Division("Phòng Khoa giáo"),
    )),
    Agency("Ban Nội chính Thành ủy", "BNC", "truong-ban-thanh-uy", 3, "law", (
        Division("Phòng Nội chính"), Division("Phòng Phòng, chống tham nhũng, lãng phí, tiêu cực"),
    )),
    Agency("Ban Chính sách, chiến lược Thành ủy", "BCSCL", "truong-ban-thanh-uy", 3, "economy", (
        Division("Phòng Kinh tế"), Division("Phòng Văn hóa - Xã hội"),
    )),
)  # fmt: skip

DEPARTMENTS: tuple[Agency, ...] = (
    Agency("Văn phòng UBND Thành phố", "VPUB", "chanh-van-phong-ubnd-tp", 4, "office", (
        Division("Phòng Tổng hợp"), Division("Phòng Kinh tế"), Division("Phòng Đô thị"), Division("Phòng Nội chính"),
        Division("Phòng Văn hóa - Xã hội"),
    ), (ServiceUnit("Trung tâm Tin học - Công báo", 14),)),
    Agency("Thanh tra Thành phố", "TTTP", "chanh-thanh-tra-tp", 4, "inspection", (
        Division("Phòng Nghiệp vụ 1"), Division("Phòng Nghiệp vụ 2"), Division("Phòng Nghiệp vụ 3"),
        Division("Phòng Tiếp công dân và Xử lý đơn thư"), Division("Phòng Phòng, chống tham nhũng"),
    )),
    Agency("Sở Nội vụ", "SNV", "giam-doc-so", 4, "home_affairs", _divisions(
        "Văn phòng Sở", "Thanh tra Sở", "Phòng Tổ chức, biên chế và Tổ chức phi chính phủ", "Phòng Công chức, viên chức",
        "Phòng Xây dựng chính quyền và Công tác thanh niên", "Phòng Lao động - Tiền lương và Bảo hiểm xã hội",
    ), (ServiceUnit("Trung tâm Dịch vụ việc làm Hà Nội", 20), ServiceUnit("Trung tâm Lưu trữ lịch sử", 12))),
    Agency("Sở Tài chính", "STC", "giam-doc-so", 5, "finance", _divisions(
        "Văn phòng Sở", "Thanh tra Sở", "Phòng Quản lý ngân sách", "Phòng Tài chính doanh nghiệp",
        "Phòng Quản lý giá và công sản", "Phòng Đăng ký kinh doanh", "Phòng Đầu tư",
    ), (ServiceUnit("Trung tâm Hỗ trợ doanh nghiệp", 12), ServiceUnit("Trung tâm Xúc tiến đầu tư", 10))),
    Agency("Sở Xây dựng", "SXD", "giam-doc-so", 5, "construction", _divisions(
        "Văn phòng Sở", "Thanh tra Sở", "Phòng Quản lý hạ tầng kỹ thuật", "Phòng Quản lý nhà và thị trường bất động sản",
        "Phòng Quản lý vận tải", "Phòng Quản lý chất lượng công trình",
    ), (
        ServiceUnit("Ban Quản lý dự án đầu tư xây dựng công trình giao thông", 30, cells=2),
        ServiceUnit("Trung tâm Quản lý giao thông công cộng", 18),
    )),
    Agency("Sở Y tế", "SYT", "giam-doc-so", 4, "health", _divisions(
        "Văn phòng Sở", "Thanh tra Sở", "Phòng Nghiệp vụ Y", "Phòng Nghiệp vụ Dược", "Phòng Kế hoạch - Tài chính",
        "Phòng Tổ chức cán bộ",
    ), (
        ServiceUnit("Bệnh viện Đa khoa Xanh Pôn", 90, deputies=3, cells=4),
        ServiceUnit("Bệnh viện Thanh Nhàn", 80, deputies=3, cells=4),
        ServiceUnit("Bệnh viện Đa khoa Đức Giang", 70, deputies=3, cells=3),
        ServiceUnit("Trung tâm Kiểm soát bệnh tật Hà Nội", 35, cells=2),
    )),
    Agency("Sở Giáo dục và Đào tạo", "SGDDT", "giam-doc-so", 4, "education", _divisions(
        "Văn phòng Sở", "Thanh tra Sở", "Phòng Giáo dục phổ thông", "Phòng Giáo dục mầm non",
        "Phòng Giáo dục thường xuyên", "Phòng Tổ chức cán bộ", "Phòng Quản lý thi và Kiểm định chất lượng",
    ), (
        ServiceUnit("Trường THPT Chu Văn An", 75, school=True, cells=2),
        ServiceUnit("Trường THPT Kim Liên", 70, school=True, cells=2),
        ServiceUnit("Trường THPT Việt Đức", 70, school=True, cells=2),
        ServiceUnit("Trường THPT Sơn Tây", 60, school=True, cells=2),
    )),
    Agency("Sở Tư pháp", "STP", "giam-doc-so", 3, "law", _divisions(
        "Văn phòng Sở", "Thanh tra Sở", "Phòng Xây dựng và kiểm tra văn bản", "Phòng Hành chính tư pháp",
        "Phòng Bổ trợ tư pháp",
    ), (ServiceUnit("Trung tâm Trợ giúp pháp lý nhà nước", 14), ServiceUnit("Phòng Công chứng số 1", 10))),
    Agency("Sở Công Thương", "SCT", "giam-doc-so", 4, "economy", _divisions(
        "Văn phòng Sở", "Thanh tra Sở", "Phòng Quản lý thương mại", "Phòng Quản lý công nghiệp",
        "Phòng Quản lý năng lượng",
    ), (ServiceUnit("Trung tâm Xúc tiến thương mại", 12),)),
    Agency("Sở Nông nghiệp và Môi trường", "SNNMT", "giam-doc-so", 5, "agriculture", _divisions(
        "Văn phòng Sở", "Thanh tra Sở", "Phòng Trồng trọt và Bảo vệ thực vật", "Phòng Chăn nuôi và Thú y",
        "Phòng Quản lý đất đai", "Phòng Quản lý môi trường", "Phòng Thủy lợi",
    ), (ServiceUnit("Trung tâm Khuyến nông", 20), ServiceUnit("Văn phòng Đăng ký đất đai", 35, cells=2))),
    Agency("Sở Khoa học và Công nghệ", "SKHCN", "giam-doc-so", 4, "technology", _divisions(
        "Văn phòng Sở", "Thanh tra Sở", "Phòng Quản lý khoa học", "Phòng Chuyển đổi số", "Phòng Bưu chính, viễn thông",
    ), (ServiceUnit("Trung tâm Ứng dụng tiến bộ khoa học và công nghệ", 12),)),
    Agency("Sở Văn hóa và Thể thao", "SVHTT", "giam-doc-so", 4, "culture", _divisions(
        "Văn phòng Sở", "Thanh tra Sở", "Phòng Quản lý văn hóa", "Phòng Quản lý di sản", "Phòng Quản lý thể dục thể thao",
    ), (ServiceUnit("Thư viện Hà Nội", 14), ServiceUnit("Bảo tàng Hà Nội", 16), ServiceUnit("Nhà hát Chèo Hà Nội", 20))),
    Agency("Sở Du lịch", "SDL", "giam-doc-so", 3, "culture", _divisions(
        "Văn phòng Sở", "Thanh tra Sở", "Phòng Quản lý lữ hành", "Phòng Quản lý cơ sở lưu trú",
    ), (ServiceUnit("Trung tâm Thông tin và Xúc tiến du lịch", 10),)),
    Agency("Sở Quy hoạch - Kiến trúc", "SQHKT", "giam-doc-so", 3, "construction", _divisions(
        "Văn phòng Sở", "Thanh tra Sở", "Phòng Quy hoạch tổng thể", "Phòng Quản lý kiến trúc",
    ), (ServiceUnit("Viện Quy hoạch xây dựng Hà Nội", 30, cells=2),)),
    Agency("Sở Dân tộc và Tôn giáo", "SDTTG", "giam-doc-so", 2, "home_affairs", _divisions(
        "Văn phòng Sở", "Thanh tra Sở", "Phòng Dân tộc", "Phòng Tôn giáo", staff=5,
    )),
    Agency("Sở Ngoại vụ", "SNGV", "giam-doc-so", 2, "foreign", _divisions(
        "Văn phòng Sở", "Thanh tra Sở", "Phòng Lãnh sự", "Phòng Hợp tác quốc tế", staff=5,
    )),
)  # fmt: skip

# Mass organizations of the city (under the Fatherland Front since 2025): (name, short, head, deputy_count).
CITY_MASS_ORGANIZATIONS: tuple[tuple[str, str, str, int], ...] = (
    ("Hội Liên hiệp Phụ nữ Thành phố", "HLHPN", "chu-tich-hoi-phu-nu-tp", 3),
    ("Thành đoàn Hà Nội", "TD", "bi-thu-doan-tp", 3),
    ("Hội Nông dân Thành phố", "HND", "chu-tich-hoi-nong-dan-tp", 2),
    ("Hội Cựu chiến binh Thành phố", "HCCB", "chu-tich-hoi-ccb-tp", 2),
    ("Liên đoàn Lao động Thành phố", "LDLD", "chu-tich-cong-doan-tp", 3),
)

# Mass organizations of a commune: (name prefix, short, head title, for xã only).
COMMUNE_MASS_ORGANIZATIONS: tuple[tuple[str, str, str, bool], ...] = (
    ("Hội Liên hiệp Phụ nữ", "PN", "chu-tich-hoi-phu-nu-xa", False),
    ("Đoàn Thanh niên Cộng sản Hồ Chí Minh", "DTN", "bi-thu-doan-xa", False),
    ("Hội Cựu chiến binh", "CCB", "chu-tich-hoi-ccb-xa", False),
    ("Hội Nông dân", "ND", "chu-tich-hoi-nong-dan-xa", True),
)

# The committees of the city's agencies, with which agencies form their grassroots organizations.
AGENCY_BLOCKS: tuple[tuple[str, str], ...] = (
    ("Đảng ủy các cơ quan Đảng Thành phố", "DUCQD"),
    ("Đảng ủy UBND Thành phố", "DUUB"),
)

# Staff per unit at scale 1 in each commune (công chức, viên chức).
COMMUNE_STAFF = {
    "party_office": 3,  # Văn phòng Đảng ủy
    "party_building": 3,  # Ban Xây dựng Đảng
    "inspection": 2,  # Ủy ban Kiểm tra
    "front": 3,  # Ủy ban MTTQ
    "office": 9,  # Văn phòng HĐND và UBND
    "economy": 7,
    "society": 7,
    "service_centre": 8,  # Trung tâm Phục vụ hành chính công
    "school": 19,  # each of the commune's two schools
}
# Residential party cells (chi bộ tổ dân phố / thôn) per commune at scale 1.
CELLS_PER_WARD = 9
CELLS_PER_COMMUNE = 11

# Degree subjects by sector.
SUBJECTS: dict[str, tuple[str, ...]] = {
    "party": ("Xây dựng Đảng và chính quyền nhà nước", "Chính trị học", "Luật", "Quản lý nhà nước", "Triết học"),
    "inspection": ("Luật", "Kế toán", "Kinh tế", "Xây dựng Đảng và chính quyền nhà nước", "Thanh tra"),
    "office": ("Hành chính học", "Quản lý nhà nước", "Văn thư - Lưu trữ", "Kinh tế", "Luật"),
    "propaganda": ("Báo chí", "Triết học", "Lịch sử Đảng", "Tuyên truyền", "Văn hóa học"),
    "law": ("Luật", "Luật Kinh tế", "Luật Hành chính", "Tư pháp"),
    "economy": ("Kinh tế", "Quản trị kinh doanh", "Kinh tế đối ngoại", "Thương mại", "Kế toán"),
    "home_affairs": ("Quản lý nhà nước", "Hành chính học", "Quản trị nhân lực", "Luật", "Xã hội học"),
    "finance": ("Tài chính - Ngân hàng", "Kế toán", "Kinh tế", "Kiểm toán", "Quản lý kinh tế"),
    "construction": ("Xây dựng dân dụng và công nghiệp", "Kiến trúc", "Quy hoạch vùng và đô thị", "Kỹ thuật giao thông",
                     "Kinh tế xây dựng"),
    "health": ("Y đa khoa", "Dược học", "Điều dưỡng", "Y tế công cộng", "Xét nghiệm y học"),
    "education": ("Sư phạm Toán", "Sư phạm Ngữ văn", "Sư phạm Tiếng Anh", "Sư phạm Vật lý", "Quản lý giáo dục",
                  "Giáo dục Tiểu học", "Giáo dục Mầm non", "Sư phạm Lịch sử"),
    "agriculture": ("Kinh tế nông nghiệp", "Quản lý đất đai", "Khoa học môi trường", "Thú y", "Nông học", "Thủy lợi"),
    "technology": ("Công nghệ thông tin", "Điện tử - Viễn thông", "Khoa học máy tính", "Hệ thống thông tin"),
    "culture": ("Văn hóa học", "Quản lý văn hóa", "Du lịch", "Giáo dục thể chất", "Lịch sử", "Thông tin - Thư viện"),
    "foreign": ("Quan hệ quốc tế", "Ngôn ngữ Anh", "Ngôn ngữ Trung Quốc", "Luật quốc tế"),
    "commune": ("Quản lý nhà nước", "Luật", "Kinh tế", "Hành chính học", "Quản lý đất đai", "Kế toán",
                "Xây dựng Đảng và chính quyền nhà nước", "Văn hóa học", "Công tác xã hội"),
    "front": ("Công tác xã hội", "Xã hội học", "Luật", "Quản lý nhà nước", "Xây dựng Đảng và chính quyền nhà nước"),
}  # fmt: skip

INSTITUTIONS: dict[str, tuple[str, ...]] = {
    "default": ("Học viện Hành chính Quốc gia", "Trường Đại học Kinh tế Quốc dân", "Trường Đại học Luật Hà Nội",
                "Đại học Quốc gia Hà Nội", "Học viện Tài chính", "Trường Đại học Thương mại", "Học viện Ngân hàng",
                "Trường Đại học Công đoàn", "Học viện Báo chí và Tuyên truyền", "Trường Đại học Mở Hà Nội"),
    "party": ("Học viện Chính trị quốc gia Hồ Chí Minh", "Học viện Báo chí và Tuyên truyền", "Đại học Quốc gia Hà Nội",
              "Học viện Hành chính Quốc gia"),
    "health": ("Trường Đại học Y Hà Nội", "Trường Đại học Dược Hà Nội", "Học viện Quân y",
               "Trường Đại học Y tế công cộng"),
    "education": ("Trường Đại học Sư phạm Hà Nội", "Trường Đại học Sư phạm Hà Nội 2", "Đại học Quốc gia Hà Nội",
                  "Trường Cao đẳng Sư phạm Hà Tây"),
    "construction": ("Trường Đại học Xây dựng Hà Nội", "Trường Đại học Kiến trúc Hà Nội",
                     "Trường Đại học Giao thông vận tải", "Trường Đại học Thủy lợi"),
    "agriculture": ("Học viện Nông nghiệp Việt Nam", "Trường Đại học Tài nguyên và Môi trường Hà Nội",
                    "Trường Đại học Thủy lợi"),
    "technology": ("Đại học Bách khoa Hà Nội", "Học viện Công nghệ Bưu chính Viễn thông", "Đại học Quốc gia Hà Nội"),
}  # fmt: skip

FOREIGN_LANGUAGES = ("Tiếng Anh B1", "Tiếng Anh B2", "Tiếng Anh B1", "Tiếng Anh trình độ C", "Tiếng Anh A2",
                     "Tiếng Pháp B1", "Tiếng Trung B1", "Tiếng Nga B")  # fmt: skip
IT_SKILLS = ("Ứng dụng CNTT cơ bản", "Ứng dụng CNTT cơ bản", "Tin học văn phòng", "Ứng dụng CNTT nâng cao")

# Provinces (2025 codes) where people of the demo who were not born in Hà Nội come from, with weights:
# mostly the Red River delta and the midlands around the capital.
HOME_PROVINCES: tuple[tuple[str, float], ...] = (
    ("33", 12), ("24", 11), ("37", 10), ("25", 9), ("19", 7), ("31", 8), ("38", 6), ("40", 5), ("15", 4),
    ("08", 3), ("20", 3), ("14", 2), ("04", 2), ("11", 1), ("12", 1), ("42", 2), ("79", 2), ("48", 1),
)  # fmt: skip
# Provinces with large minority populations: people from there more often belong to one.
MOUNTAIN_PROVINCES = frozenset({"04", "08", "11", "12", "14", "15", "19", "20", "25"})
