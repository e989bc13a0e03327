"""Builds the world a YAML case describes, through the real services (tests/factories.py).

A scenario has one synthetic city: the city committee (province area) with its Ban Tổ chức,
UBND and a ward committee (commune area) with its own Ban Xây dựng Đảng, UBND and UBKT. People
are named in the case; seats are (title code, unit key). Titles use the standard catalogue codes
that the `titles.roles` parameter knows.
"""

import datetime as dt

from canbo.areas.models import AdminArea, AreaSuccession
from canbo.discipline import services as discipline_services
from canbo.evaluation import services as evaluation_services
from canbo.org.models import ManagingBody, UnitKind
from canbo.people import services as people_services
from canbo.planning import services as planning_services

from .. import factories as f

# code: (name, rank, is_head, is_leadership, managing body)
TITLES = {
    "bi-thu-thanh-uy": ("Bí thư Thành ủy", 100, True, True, ManagingBody.POLITBURO),
    "uv-btv-thanh-uy": ("Ủy viên Ban Thường vụ Thành ủy", 88, False, True, ManagingBody.POLITBURO),
    "uv-bch-thanh-uy": ("Ủy viên Ban Chấp hành Đảng bộ Thành phố", 70, False, True, ManagingBody.PROVINCIAL_STANDING),
    "chu-tich-ubnd-tp": ("Chủ tịch UBND Thành phố", 92, True, True, ManagingBody.POLITBURO),
    "giam-doc-so": ("Giám đốc Sở", 72, True, True, ManagingBody.PROVINCIAL_STANDING),
    "pho-giam-doc-so": ("Phó Giám đốc Sở", 66, False, True, ManagingBody.PROVINCIAL_STANDING),
    "truong-ban-to-chuc-thanh-uy": ("Trưởng Ban Tổ chức Thành ủy", 86, True, True, ManagingBody.POLITBURO),
    "bi-thu-dang-uy-xa": ("Bí thư Đảng ủy xã, phường", 60, True, True, ManagingBody.PROVINCIAL_STANDING),
    "pho-bi-thu-dang-uy-xa": ("Phó Bí thư Đảng ủy xã, phường", 54, False, True, ManagingBody.PROVINCIAL_STANDING),
    "bi-thu-chi-bo": ("Bí thư chi bộ", 20, True, True, ManagingBody.GRASSROOTS_COMMITTEE),
    "pho-bi-thu-chi-bo": ("Phó Bí thư chi bộ", 16, False, True, ManagingBody.GRASSROOTS_COMMITTEE),
    "uv-btv-dang-uy-xa": ("Ủy viên Ban Thường vụ Đảng ủy xã, phường", 48, False, True, ManagingBody.PROVINCIAL_STANDING),
    "uv-bch-dang-uy-xa": ("Ủy viên Ban Chấp hành Đảng bộ xã, phường", 40, False, True, ManagingBody.AFFILIATED_STANDING),
    "chu-tich-ubnd-xa": ("Chủ tịch UBND xã, phường", 56, True, True, ManagingBody.PROVINCIAL_STANDING),
    "pho-chu-tich-ubnd-xa": ("Phó Chủ tịch UBND xã, phường", 46, False, True, ManagingBody.AFFILIATED_STANDING),
    "truong-ban-xay-dung-dang-xa": ("Trưởng Ban Xây dựng Đảng Đảng ủy xã, phường", 48, True, True, ManagingBody.AFFILIATED_STANDING),
    "chu-nhiem-ubkt-dang-uy-xa": ("Chủ nhiệm Ủy ban Kiểm tra Đảng ủy xã, phường", 48, True, True, ManagingBody.AFFILIATED_STANDING),
    "chu-tich-hdnd-xa": ("Chủ tịch HĐND xã, phường", 54, True, True, ManagingBody.PROVINCIAL_STANDING),
    "pho-chu-tich-hdnd-xa": ("Phó Chủ tịch HĐND xã, phường", 46, False, True, ManagingBody.AFFILIATED_STANDING),
    "dai-bieu-hdnd-xa": ("Đại biểu HĐND xã, phường", 4, False, False, ManagingBody.AFFILIATED_STANDING),
    "chu-tich-mttq-xa": ("Chủ tịch Ủy ban MTTQ Việt Nam xã, phường", 50, True, True, ManagingBody.PROVINCIAL_STANDING),
    "pho-chu-tich-mttq-xa": ("Phó Chủ tịch Ủy ban MTTQ Việt Nam xã, phường", 40, False, True, ManagingBody.AFFILIATED_STANDING),
    "truong-phong": ("Trưởng phòng", 40, True, True, ManagingBody.AGENCY_HEAD),
    "pho-truong-phong": ("Phó Trưởng phòng", 36, False, True, ManagingBody.AGENCY_HEAD),
    "chuyen-vien": ("Chuyên viên", 3, False, False, ManagingBody.AGENCY_HEAD),
}

SEAT_COUNTS = {"pho-bi-thu-dang-uy-xa": 2, "uv-btv-dang-uy-xa": 5, "uv-bch-dang-uy-xa": 15, "uv-btv-thanh-uy": 10,
               "uv-bch-thanh-uy": 30, "pho-giam-doc-so": 3, "pho-chu-tich-ubnd-xa": 3, "pho-truong-phong": 2,
               "chuyen-vien": 20, "dai-bieu-hdnd-xa": 30, "pho-chu-tich-hdnd-xa": 2, "pho-chu-tich-mttq-xa": 3}  # fmt: skip


def date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


class Scenario:
    def __init__(self):
        self.province_area = AdminArea.objects.create(regime="2025", level=1, code="01", name="Thành phố Hà Nội", kind="thành phố")
        self.ward_area = AdminArea.objects.create(
            regime="2025", level=3, code="00004", name="Phường Ba Đình", kind="phường", parent=self.province_area
        )
        self.other_ward_area = AdminArea.objects.create(
            regime="2025", level=3, code="00008", name="Phường Ngọc Hà", kind="phường", parent=self.province_area
        )
        self.legacy_commune = AdminArea.objects.create(regime="legacy", level=3, code="00001", name="Phường Phúc Xá", kind="phường")
        AreaSuccession.objects.create(old=self.legacy_commune, new=self.ward_area)
        self.areas = {"province": self.province_area, "ward": self.ward_area, "other_ward": self.other_ward_area,
                      "legacy_commune": self.legacy_commune}  # fmt: skip
        city = f.make_unit("Đảng bộ Thành phố", kind=UnitKind.PROVINCIAL_COMMITTEE, code="S-CITY", area=self.province_area)
        self.units = {"city": city}
        self.units["btc"] = f.make_unit("Ban Tổ chức Thành ủy", parent=city, kind=UnitKind.PARTY_AGENCY, code="S-BTC")
        self.units["ubnd_city"] = f.make_unit("UBND Thành phố", parent=city, kind=UnitKind.PEOPLES_COMMITTEE, code="S-UBND")
        self.units["so"] = f.make_unit("Sở Tài chính", parent=self.units["ubnd_city"], kind=UnitKind.DEPARTMENT, code="S-SO")
        self.units["phong"] = f.make_unit("Phòng Ngân sách", parent=self.units["so"], kind=UnitKind.DIVISION, code="S-PHONG")
        ward = f.make_unit("Đảng ủy phường Ba Đình", parent=city, kind=UnitKind.AFFILIATED_COMMITTEE, code="S-WARD",
                           area=self.ward_area)  # fmt: skip
        self.units["ward"] = ward
        self.units["ward_bxd"] = f.make_unit("Ban Xây dựng Đảng phường", parent=ward, kind=UnitKind.PARTY_AGENCY, code="S-WBXD")
        self.units["ward_ubkt"] = f.make_unit("Ủy ban Kiểm tra Đảng ủy phường", parent=ward, kind=UnitKind.PARTY_AGENCY, code="S-WUBKT")
        self.units["ward_ubnd"] = f.make_unit("UBND phường Ba Đình", parent=ward, kind=UnitKind.PEOPLES_COMMITTEE, code="S-WUBND")
        self.units["ward_hdnd"] = f.make_unit("HĐND phường Ba Đình", parent=ward, kind=UnitKind.PEOPLES_COUNCIL, code="S-WHDND")
        self.units["ward_mttq"] = f.make_unit("Ủy ban MTTQ phường Ba Đình", parent=ward, kind=UnitKind.FATHERLAND_FRONT, code="S-WMTTQ")
        self.units["ward_cell"] = f.make_unit("Chi bộ tổ dân phố số 1", parent=ward, kind=UnitKind.PARTY_CELL, code="S-WCELL")
        ward2 = f.make_unit("Đảng ủy phường Ngọc Hà", parent=city, kind=UnitKind.AFFILIATED_COMMITTEE, code="S-WARD2",
                            area=self.other_ward_area)  # fmt: skip
        self.units["ward2"] = ward2
        self.units["ward2_ubnd"] = f.make_unit("UBND phường Ngọc Hà", parent=ward2, kind=UnitKind.PEOPLES_COMMITTEE, code="S-W2UBND")
        self.titles = {}
        self.positions = {}
        self.people = {}

    def title(self, code: str):
        if code not in self.titles:
            name, rank, is_head, is_leadership, body = TITLES[code]
            self.titles[code] = f.make_title(code, name, rank=rank, is_head=is_head, is_leadership=is_leadership, managing_body=body)
        return self.titles[code]

    def position(self, code: str, unit_key: str, seat_count: int | None = None):
        key = (code, unit_key)
        if key not in self.positions:
            self.positions[key] = f.make_position(
                self.units[unit_key], self.title(code), seat_count=seat_count or SEAT_COUNTS.get(code, 1)
            )
        return self.positions[key]

    def person(self, spec: dict):
        birth = date(spec.get("birth", "1975-06-15"))
        fields = {}
        for name in ("party_joined_on", "party_official_on", "residence_since"):
            if spec.get(name):
                fields[name] = date(spec[name])
        for name in ("hometown", "birthplace", "residence"):
            if spec.get(name):
                fields[name] = self.areas[spec[name]]
        if spec.get("category"):
            fields["category"] = spec["category"]
        person = f.make_person(
            self.units[spec.get("unit", "city")], spec["name"], sex=spec.get("sex", "M"), birth_date=birth,
            birth_date_precision=spec.get("precision", "day"), **fields,
        )  # fmt: skip
        self.people[spec["name"]] = person
        for seat in spec.get("seats", []):
            people_services.assignment_create(
                actor=None, person=person, position=self.position(seat["title"], seat["unit"], seat.get("seat_count")),
                kind=seat.get("kind", "appointment"), start_date=date(seat.get("start", "2021-01-01")),
                end_date=date(seat.get("end")),
            )  # fmt: skip
        for plan in spec.get("plans", []):
            entry = planning_services.plan_entry_create(
                actor=None, person=person, title=self.title(plan["title"]), unit=self.units[plan["unit"]],
                term=plan.get("term", "2025-2030"), approved_on=date(plan.get("approved", "2024-01-01")),
            )  # fmt: skip
            for review in plan.get("reviews", []):
                planning_services.plan_entry_review(
                    actor=None, entry=entry, reviewed_on=date(review["day"]), meets_standards=review.get("meets", True)
                )
        for record in spec.get("discipline", []):
            discipline_services.discipline_record_create(
                actor=None, person=person, side=record["side"], form=record["form"], decided_on=date(record["decided"])
            )
        for review in spec.get("reviews", []):
            discipline_services.review_open(
                actor=None, person=person, kind=review["kind"], started_on=date(review["from"]), ended_on=date(review.get("to")),
                outcome=review.get("outcome", ""), remedied_on=date(review.get("remedied")),
            )  # fmt: skip
        for vote in spec.get("votes", []):
            evaluation_services.confidence_vote_create(
                actor=None, person=person, held_on=date(vote["held"]), eligible_voters=vote["eligible"],
                attendance=vote["attendance"], votes_high=vote["high"], votes_confident=vote["confident"],
                votes_low=vote["low"],
            )  # fmt: skip
        for grade in spec.get("grades", []):
            evaluation_services.annual_grade_set(
                actor=None, person=person, year=grade["year"], grade=grade["grade"], score=grade.get("score"),
                unit=self.units[grade.get("unit", spec.get("unit", "city"))],
            )  # fmt: skip
        return person

    def relations(self, specs: list[dict]) -> None:
        for spec in specs:
            people_services.relation_create(
                actor=None, person=self.people[spec["person"]], relative=self.people[spec["relative"]], kind=spec["kind"]
            )

    def resolution(self, spec: dict):
        from canbo.regulations.services import resolution_create, target_set

        resolution = resolution_create(
            actor=None, scope_unit=self.units[spec.get("scope", "city")], code=spec.get("code", "04-NQ/TU"),
            name=spec.get("title", "Nghị quyết thử"), issuer=spec.get("issuer", "Thành ủy"),
            issued_on=date(spec.get("issued", "2021-01-01")),
        )  # fmt: skip
        for target in spec.get("targets", []):
            target_set(
                actor=None, resolution=resolution, key=target["key"], value=target["value"],
                effective_from=date(target.get("from", "2021-01-01")), due_on=date(target.get("due")),
            )  # fmt: skip
        return resolution


def _listed_post(self, spec: dict):
    from canbo.regulations.services import listed_post_save

    return listed_post_save(
        actor=None, sector=spec.get("sector", "Tổ chức cán bộ"), name=spec["name"], period_months=spec["period"],
        positions=[self.position(title, unit) for title, unit in spec.get("positions", [])],
        titles=[self.title(code) for code in spec.get("titles", [])],
    )  # fmt: skip


Scenario.listed_post = _listed_post


def build(data: dict) -> Scenario:
    scenario = Scenario()
    for spec in data.get("people", []):
        scenario.person(spec)
    scenario.relations(data.get("relations", []))
    for spec in data.get("resolutions", []):
        scenario.resolution(spec)
    for spec in data.get("listed_posts", []):
        scenario.listed_post(spec)
    return scenario
