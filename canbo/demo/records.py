"""The demo city's records for the regulations engine: family ties, discipline, succession planning,
annual grades, confidence votes, and the work-history stories the deadlines look for.

`RecordPlanner.stories()` runs inside `Plan.build()` before seats are sized: it books and cuts
assignments through `Plan.book`, so the planner's rules still hold (secondments, periodic position
changes, heads in a third consecutive term in one unit, a deputy removed from post).
`RecordPlanner.records()` runs on the finished city. Choices come from a random stream of their
own, seeded from the plan's seed: one seed, one city, and the city without these records is the
city it was before they existed.

Most records obey the rules the services and the engine apply: discipline forms that apply to the
person on the day, a planned person able to serve a full term (with a year to spare), at most three
people per title and three titles per person and level, HTXS within 20% of HTT in an agency. A
handful break them on purpose, so that the compliance check has something to find: kin holding
posts that may not be held together (Quy định 114-QĐ/TW), planned people who became ineligible
(over age, disciplined, under review, low confidence), agencies over the HTXS cap.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from canbo.discipline.models import DisciplineForm, DisciplineSide, ReviewKind
from canbo.evaluation.models import Grade
from canbo.org.models import ManagingBody, Title
from canbo.org.models import UnitKind as K
from canbo.people.catalogues import AssignmentKind as AK
from canbo.people.catalogues import Category, RelationKind
from canbo.planning.models import RemovalReason
from canbo.regulations.calendar import add_months
from canbo.regulations.params import ParameterNotInForce, default_parameters
from canbo.regulations.retirement import retirement_for

from .people import PlannedPerson, add_years

DAY = dt.timedelta(days=1)
NEW_START = dt.date(2025, 7, 1)
LEGACY_END = NEW_START - DAY
TERMS = ("2025-2030", "2030-2035")
# Confidence votes of the 2020–2025 term (Quy định 96-QĐ/TW): committees late November 2023,
# people's councils at their year-end session.
VOTE_DAY = dt.date(2023, 11, 15)
GRADE_YEARS = (2023, 2024, 2025)
GRADE_CAP_FROM = 2025  # the HTXS ≤ 20% of HTT cap (grading.excellent_ratio_*) is in force from 2025
ELECTED_BY_COUNCIL = ("chu-tich-ubnd", "pho-chu-tich-ubnd", "chu-tich-hdnd", "pho-chu-tich-hdnd")
CITY_MANAGED = (ManagingBody.POLITBURO, ManagingBody.PROVINCIAL_STANDING)
# Units whose leaders are not among those the city's committee or council votes on.
NOT_VOTED_UNITS = (K.DIVISION, K.PUBLIC_SERVICE_UNIT, K.PARTY_CELL, K.GRASSROOTS_CELL, K.GRASSROOTS_COMMITTEE)
UNDER_REVIEW_NOTE = "Ủy ban Kiểm tra đang kiểm tra khi có dấu hiệu vi phạm"
# Holders of these titles are the ones the "non-local head" rule looks at: their birthplace,
# hometown and residence are never touched when a relative's records are aligned.
LOCALITY_TITLES = ("bi-thu-thanh-uy", "bi-thu-quan-uy", "bi-thu-dang-uy-xa", "chu-tich-ubnd")

# Posts of the periodic position change list (sample ListedPost rows of the regulations app) and
# the divisions whose staff hold them: (agency code or "*" for every department, division name).
LISTED_DIVISIONS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Thẩm định, tham mưu tuyển dụng, bổ nhiệm, điều động, luân chuyển cán bộ", (
        ("BTC", "Phòng Cán bộ"), ("SNV", "Phòng Công chức, viên chức"), ("SYT", "Phòng Tổ chức cán bộ"),
        ("SGDDT", "Phòng Tổ chức cán bộ"),
    )),
    ("Thanh tra viên; kiểm tra viên trực tiếp thanh tra, kiểm tra", (
        ("TTTP", "Phòng Nghiệp vụ 1"), ("TTTP", "Phòng Nghiệp vụ 2"), ("TTTP", "Phòng Nghiệp vụ 3"),
        ("UBKT", "Phòng Kiểm tra số 1"), ("UBKT", "Phòng Kiểm tra số 2"), ("UBKT", "Phòng Kiểm tra số 3"),
        ("*", "Thanh tra Sở"),
    )),
    ("Phân bổ, quản lý, cấp phát kinh phí ngân sách nhà nước", (("STC", "Phòng Quản lý ngân sách"),)),
    ("Tổ chức đấu thầu, mua sắm tài sản, hàng hóa, dịch vụ công", (
        ("VPTU", "Phòng Quản trị - Tài chính"), ("STC", "Phòng Quản lý giá và công sản"),
    )),
    ("Thẩm định hồ sơ giao đất, cho thuê đất, chuyển mục đích sử dụng đất", (("SNNMT", "Phòng Quản lý đất đai"),)),
    ("Thẩm định, cấp giấy phép xây dựng", (("SXD", "Phòng Quản lý chất lượng công trình"),)),
    ("Thẩm định dự án đầu tư, cấp giấy chứng nhận đăng ký đầu tư", (("STC", "Phòng Đầu tư"),)),
)  # fmt: skip

# Key titles of a commune planned by the city's standing committee: (unit key, title code).
COMMUNE_PLANNED_TITLES = (
    ("du", "bi-thu-dang-uy-xa"), ("du", "pho-bi-thu-thuong-truc-dang-uy-xa"), ("ub", "chu-tich-ubnd-xa"),
    ("hd", "chu-tich-hdnd-xa"), ("mt", "chu-tich-mttq-xa"),
)  # fmt: skip

PARTY_FORMS_BEFORE_2022 = {
    "party_full_member": (DisciplineForm.REPRIMAND, DisciplineForm.WARNING, DisciplineForm.REMOVAL_FROM_POST,
                          DisciplineForm.EXPULSION),
    "party_probationary_member": (DisciplineForm.REPRIMAND, DisciplineForm.WARNING),
}
PARTY_VIOLATIONS = (
    "Vi phạm quy định về những điều đảng viên không được làm",
    "Thiếu trách nhiệm trong lãnh đạo, chỉ đạo, để xảy ra vi phạm trong quản lý đất đai trên địa bàn",
    "Vi phạm quy định về kê khai tài sản, thu nhập",
    "Vi phạm nguyên tắc tập trung dân chủ, quy chế làm việc",
    "Vi phạm quy định về phòng, chống tham nhũng, lãng phí, tiêu cực",
    "Vi phạm quy định về nồng độ cồn khi điều khiển phương tiện giao thông",
    "Vi phạm Chỉ thị 24-CT/TU về tăng cường kỷ luật, kỷ cương",
    "Buông lỏng quản lý, để xảy ra vi phạm trật tự xây dựng kéo dài",
)
STATE_VIOLATIONS = (
    "Vi phạm quy định trong thẩm định, cấp giấy chứng nhận quyền sử dụng đất",
    "Vi phạm quy định về đấu thầu, mua sắm tài sản công",
    "Vi phạm quy định về quản lý, sử dụng ngân sách nhà nước",
    "Chậm giải quyết thủ tục hành chính, gây phiền hà cho người dân, doanh nghiệp",
    "Vi phạm nội quy, quy chế làm việc của cơ quan",
    "Thiếu trách nhiệm trong kiểm tra, để xảy ra vi phạm về phòng cháy, chữa cháy",
    "Vi phạm quy định về trật tự xây dựng trong thực thi công vụ",
)


@dataclass(slots=True, eq=False)
class PlannedRelation:
    person: PlannedPerson
    relative: PlannedPerson  # "relative is person's <kind>"
    kind: str
    note: str = ""
    pk: int | None = None


@dataclass(slots=True, eq=False)
class PlannedDiscipline:
    person: PlannedPerson
    side: str
    form: str
    decided_on: dt.date
    decision_number: str
    authority: str
    note: str
    pk: int | None = None


@dataclass(slots=True, eq=False)
class PlannedReview:
    person: PlannedPerson
    kind: str
    started_on: dt.date
    ended_on: dt.date | None
    note: str = ""
    pk: int | None = None


@dataclass(slots=True, eq=False)
class PlannedPlanEntry:
    person: PlannedPerson
    title: Title
    unit: object  # PlannedUnit
    term: str
    approved_on: dt.date
    decision_number: str
    note: str = ""
    removed_on: dt.date | None = None
    removal_reason: str = ""
    pk: int | None = None


@dataclass(slots=True, eq=False)
class PlannedGrade:
    person: PlannedPerson
    unit: object  # PlannedUnit: the agency in which the person was graded
    year: int
    grade: str
    score: Decimal | None
    note: str = ""
    pk: int | None = None


@dataclass(slots=True, eq=False)
class PlannedVote:
    person: PlannedPerson
    held_on: dt.date
    eligible_voters: int
    attendance: int
    votes_high: int
    votes_confident: int
    votes_low: int
    note: str = ""
    pk: int | None = None


def _age(person: PlannedPerson, day: dt.date) -> float:
    return (day - person.birth_date).days / 365.25


def grading_unit(unit):
    """The agency that grades the holder of a seat in `unit` (the HTXS share is counted within it):
    a division's department or party agency, a commune's party committee for its boards, its
    front for the mass organizations; other units grade their own people."""
    parent = unit.parent
    if parent is None:
        return unit
    if unit.kind == K.DIVISION:
        return parent
    if unit.kind == K.PARTY_AGENCY and parent.kind == K.AFFILIATED_COMMITTEE:
        return parent
    if unit.kind == K.MASS_ORGANIZATION and parent.parent is not None and parent.parent.kind == K.AFFILIATED_COMMITTEE:
        return parent
    return unit


def _rename(person: PlannedPerson, surname: str) -> None:
    """Give a relative the family's surname (siblings, a father's children)."""
    words = person.full_name.split(" ")
    if words[0] != surname:
        person.full_name = unicodedata.normalize("NFC", " ".join([surname, *words[1:]]))


class RecordPlanner:
    def __init__(self, plan):
        self.plan = plan
        self.as_of: dt.date = plan.as_of
        self.rng = random.Random(plan.seed * 7_919 + 2_025)
        self.params = default_parameters()
        self.relations: list[PlannedRelation] = []
        self.discipline: list[PlannedDiscipline] = []
        self.reviews: list[PlannedReview] = []
        self.plan_entries: list[PlannedPlanEntry] = []
        self.grades: list[PlannedGrade] = []
        self.votes: list[PlannedVote] = []
        self.listed_seats: list[tuple[str, list]] = []  # (listed post name, staff seats)
        # What was made to break a rule, for the report and the tests.
        self.kin_conflicts: list[tuple[str, PlannedPerson, PlannedPerson]] = []
        self.ineligible: list[tuple[str, PlannedPerson]] = []
        self.over_cap: list[object] = []  # grading units over the HTXS cap in 2025
        self.third_term_heads: list[PlannedPerson] = []
        self.secondees: list[PlannedPerson] = []
        self._removed_from_post: list[tuple[PlannedPerson, dt.date]] = []
        self._busy: set[int] = set()  # person keys already used by a story
        self._thresholds: dict[int, dict | None] = {}

    # Helpers -------------------------------------------------------------------------------------
    def _day(self, low: dt.date, high: dt.date) -> dt.date | None:
        """A day in [low, high], never after the data date; None when there is none."""
        high = min(high, self.as_of)
        if high < low:
            return None
        return low + dt.timedelta(days=self.rng.randrange((high - low).days + 1))

    def _between(self, low: dt.date, high: dt.date) -> dt.date:
        """A day in [low, high], which may lie after the data date (a planned end)."""
        return low + dt.timedelta(days=self.rng.randrange(max(1, (high - low).days + 1)))

    def _scaled(self, base: float, minimum: int) -> int:
        return max(minimum, round(base * self.plan.growth))

    def _move(self, booking, seat, end: dt.date) -> None:
        """Make a booking an earlier stint in another seat of the same agency (so the decision that
        the planner drew still names the right body), without a pass over all assignments."""
        booking.seat.bookings.remove(booking)
        booking.seat, booking.end = seat, end
        seat.bookings.append(booking)

    def _open(self, bookings) -> list:
        return [a for a in bookings if a.main and a.end is None and a.start <= self.as_of]

    def _pension(self, person: PlannedPerson) -> dt.date:
        month = None if person.birth_date_precision == "year" else person.birth_date.month
        return retirement_for(sex=person.sex, birth_year=person.birth_date.year, birth_month=month,
                              params=self.params).pension_from  # fmt: skip

    # =============================================================================================
    # Stories in the work histories (before the seats are sized)
    # =============================================================================================
    def stories(self) -> None:
        self._third_term_heads()
        self._removals_from_post()
        self._periodic_changes()
        self._secondments()

    def _third_term_heads(self) -> None:
        """Heads of city divisions and public service units appointed in 2012–2016 and re-appointed
        twice: now in a third consecutive term in one unit (Quy định 65-QĐ/TW allows two)."""
        plan = self.plan
        candidates = []
        for seat in plan.seats:
            unit = seat.unit
            if seat.staff or not seat.title.is_head or unit.dissolved_on or unit.established_on:
                continue
            if unit.kind not in (K.DIVISION, K.PUBLIC_SERVICE_UNIT):
                continue
            current = self._open(seat.bookings)
            if len(current) != 1:
                continue
            person = current[0].person
            mine = sorted((b for b in seat.bookings if b.person is person), key=lambda b: b.start)
            first = mine[0]
            if any(b.person is not person for b in seat.bookings):
                continue
            if not dt.date(2017, 1, 1) <= first.start <= dt.date(2021, 6, 30) or first.kind != AK.APPOINTMENT:
                continue
            earlier = add_years(first.start, -5)
            if earlier < plan.earliest_start(person, 30):
                continue
            candidates.append((unit.kind == K.PUBLIC_SERVICE_UNIT, seat, person, first, earlier))
        self.rng.shuffle(candidates)
        candidates.sort(key=lambda c: not c[0])  # service units first: principals and directors stay longest
        for _psu, seat, person, first, earlier in candidates[:6]:
            if not plan.can_book(seat, earlier, first.start - DAY, person):
                continue
            plan.book(person, seat, earlier, first.start - DAY, AK.APPOINTMENT, main=True)
            first.kind = AK.REAPPOINTMENT
            self.third_term_heads.append(person)
            self._busy.add(person.key)

    def _removals_from_post(self) -> None:
        """Two deputy heads of city divisions removed from post (cách chức) and kept on as staff."""
        plan = self.plan
        names = [name for name in plan.city_people if name.startswith("dep_") and "_P" in name]
        self.rng.shuffle(names)
        for name in names:
            if len(self._removed_from_post) >= 2:
                break
            current = self._open(plan.city_people[name])
            if not current:
                continue
            main = current[0]
            person = main.person
            if person.key in self._busy or person.category != Category.CIVIL_SERVANT:
                continue
            day = self._day(max(dt.date(2024, 3, 1), main.start + dt.timedelta(days=400)),
                            self.as_of - dt.timedelta(days=60))  # fmt: skip
            staff = plan._seat_index.get((id(main.seat.unit), "chuyen-vien"))
            if day is None or staff is None:
                continue
            running = [a for a in plan._by_person[person.key] if a.end is None or a.end > day]
            plan.city_people[name] = [a for a in plan.city_people[name] if a.start <= day]
            plan.cut_bundle(running, day, note="Cách chức theo quyết định kỷ luật")
            plan.book(person, staff, day + DAY, None, AK.APPOINTMENT, main=True,
                      note="Bố trí làm chuyên viên sau khi bị kỷ luật cách chức")  # fmt: skip
            self._removed_from_post.append((person, day))
            self._busy.add(person.key)

    def _division_index(self):
        plan = self.plan
        by_name, by_agency = {}, {}
        for agency, _unit, divisions in plan.party_agencies:
            by_agency[agency.code] = divisions
            for div in divisions:
                by_name[(agency.code, div.name)] = div
        for agency, _dept, divisions, _services in plan.departments:
            by_agency[agency.code] = divisions
            for div in divisions:
                by_name[(agency.code, div.name)] = div
        return by_name, by_agency

    def _periodic_changes(self) -> None:
        """Staff in posts of the periodic position change list arrived there by a periodic change
        within the last four years: some are due again within the year, a few are overdue."""
        plan, rng, as_of = self.plan, self.rng, self.as_of
        by_name, by_agency = self._division_index()
        agency_of: dict[int, str] = {}
        listed: set[int] = set()
        for post, places in LISTED_DIVISIONS:
            seats = []
            for code, division in places:
                for agency_code in (sorted(c for c in by_agency if c.startswith("S")) if code == "*" else [code]):
                    div = by_name.get((agency_code, division))
                    seat = plan._seat_index.get((id(div), "chuyen-vien")) if div is not None else None
                    if seat is not None and id(seat) not in listed:
                        seats.append(seat)
                        listed.add(id(seat))
                        agency_of[id(seat)] = agency_code
            self.listed_seats.append((post, seats))
        long_ago = add_months(as_of, -37)
        for _post, seats in self.listed_seats:
            for seat in seats:
                others = [plan._seat_index[(id(d), "chuyen-vien")] for d in by_agency[agency_of[id(seat)]]
                          if (id(d), "chuyen-vien") in plan._seat_index]  # fmt: skip
                others = [s for s in others if id(s) not in listed]
                if not others:
                    continue
                for booking in list(seat.bookings):
                    if not booking.main or booking.end is not None or booking.start > long_ago:
                        continue
                    if booking.person.key in self._busy:
                        continue
                    roll = rng.random()
                    if roll < 0.15:  # changed three to four years ago and not since: overdue
                        day = self._day(add_months(as_of, -48), add_months(as_of, -37))
                    elif roll < 0.55:  # 24–36 months ago: due again within the coming year
                        day = self._day(add_months(as_of, -36) + DAY, add_months(as_of, -25))
                    else:
                        day = self._day(add_months(as_of, -25), add_months(as_of, -2))
                    person, before = booking.person, rng.choice(others)
                    if day is None or day <= booking.start:
                        continue
                    if not plan.can_book(before, booking.start, day - DAY, person):
                        continue
                    self._move(booking, before, day - DAY)
                    plan.book(person, seat, day, None, AK.PERIODIC_CHANGE, main=True,
                              note="Định kỳ chuyển đổi vị trí công tác (Nghị định 59/2019/NĐ-CP, Điều 36)")  # fmt: skip
                    self._busy.add(person.key)

    def _secondments(self) -> None:
        """City civil servants seconded to the new communes from July 2025 for a fixed period, and
        hospital and centre staff seconded to their department since 2023 (three years at most)."""
        plan, rng, as_of = self.plan, self.rng, self.as_of
        to_communes = self._scaled(16, 3)
        to_departments = self._scaled(8, 2)
        staff, deputies, service_staff = [], [], []
        for seat in plan.seats:
            unit = seat.unit
            if unit.parent is None or unit.parent.kind != K.DEPARTMENT:
                continue
            if seat.staff and unit.kind == K.DIVISION:
                staff += [a for a in self._open(seat.bookings) if a.start <= dt.date(2025, 6, 30)]
            elif seat.staff and unit.kind == K.PUBLIC_SERVICE_UNIT:
                service_staff += [a for a in self._open(seat.bookings) if a.start <= dt.date(2023, 6, 30)]
            elif not seat.staff and unit.kind == K.DIVISION and seat.title.code.startswith("pho-"):
                deputies += [a for a in self._open(seat.bookings) if a.start <= dt.date(2025, 6, 30)]
        rng.shuffle(staff)
        rng.shuffle(deputies)
        rng.shuffle(service_staff)
        # Small cities have few division staff: deputy heads are seconded too.
        for home in (staff + deputies)[: to_communes * 2]:
            if to_communes <= 0:
                break
            person = home.person
            if person.key in self._busy:
                continue
            commune = rng.choice(plan.communes)
            host = plan.seat_of(commune.units[rng.choice(("d2", "d3"))], "cong-chuc-xa")
            start = self._day(NEW_START, dt.date(2025, 9, 30))
            end = self._between(as_of + dt.timedelta(days=20), as_of + dt.timedelta(days=330))
            if start is None or not plan.can_book(host, start, end, person):
                continue
            note = f"Biệt phái từ {home.seat.unit.parent.name} về hỗ trợ {commune.units['ub'].name}"
            plan.book(person, host, start, end, AK.SECONDMENT, main=False, note=note)
            self.secondees.append(person)
            self._busy.add(person.key)
            to_communes -= 1
        _by_name, by_agency = self._division_index()
        department_code = {id(dept): agency.code for agency, dept, _d, _s in plan.departments}
        for home in service_staff:
            if to_departments <= 0:
                break
            person = home.person
            if person.key in self._busy:
                continue
            divisions = by_agency.get(department_code.get(id(home.seat.unit.parent)), [])
            hosts = [plan._seat_index[(id(d), "chuyen-vien")] for d in divisions
                     if (id(d), "chuyen-vien") in plan._seat_index]  # fmt: skip
            if not hosts:
                continue
            # Open-ended: the three years run out within the coming year.
            start = self._day(add_months(as_of, -36) + dt.timedelta(days=20), add_months(as_of, -25))
            host = rng.choice(hosts)
            if start is None or start <= home.start or not plan.can_book(host, start, None, person):
                continue
            plan.book(person, host, start, None, AK.SECONDMENT, main=False, note=f"Biệt phái từ {home.seat.unit.name}")
            self.secondees.append(person)
            self._busy.add(person.key)
            to_departments -= 1

    # =============================================================================================
    # Records (on the finished city)
    # =============================================================================================
    def records(self) -> None:
        self._index()
        self._relations()
        self._discipline()
        self._votes()
        self._planning()
        self._reviews_open()
        self._grades()

    def _index(self) -> None:
        plan, as_of = self.plan, self.as_of
        self.mains: dict[int, list] = {}
        self.current: dict[int, list] = {}
        self.rank: dict[int, int] = {}
        self.locality: set[int] = set()
        commune_of = {id(c.units["du"]): i for i, c in enumerate(plan.communes)}
        locality_titles = {code for code in plan.titles if code.startswith(LOCALITY_TITLES)}
        self.zone: dict[int, int] = {}  # commune index, or -1 for the city's agencies
        for person in plan.people:
            bookings = plan._by_person[person.key]
            self.mains[person.key] = sorted((a for a in bookings if a.main), key=lambda a: a.start)
            current = [a for a in bookings if a.covers(as_of)]
            self.current[person.key] = current
            self.rank[person.key] = max((a.seat.title.rank for a in current if a.seat.title.is_leadership), default=0)
            if any(a.seat.title.code in locality_titles for a in bookings):
                self.locality.add(person.key)
            self.zone[person.key] = commune_of.get(id(person.unit.top), -1)
        self.disciplined: dict[int, list[PlannedDiscipline]] = {}
        self.open_review: set[int] = set()
        self.low_vote: set[int] = set()

    def _unit_on(self, person: PlannedPerson, day: dt.date):
        for a in reversed(self.mains[person.key]):
            if a.covers(day):
                return a.seat.unit, a.seat.title
        return None, None

    # Family ties ---------------------------------------------------------------------------------
    def _fits(self, kind: str, a: PlannedPerson, b: PlannedPerson) -> bool:
        """Can b be a's <kind>? By sex, age and ethnicity."""
        gap = _age(b, self.as_of) - _age(a, self.as_of)
        if kind == RelationKind.SPOUSE:
            if a.sex == b.sex:
                return False
            husband_older = gap if b.sex == "M" else -gap
            return -3 <= husband_older <= 10
        if a.ethnicity != b.ethnicity:
            return False
        if kind == RelationKind.SIBLING:
            return abs(gap) <= 12
        if kind == RelationKind.PARENT:
            return 21 <= gap <= 38
        if kind == RelationKind.CHILD:
            return 21 <= -gap <= 38
        return False

    def _align(self, anchor: PlannedPerson, other: PlannedPerson, fields: tuple[str, ...]) -> None:
        """Copy the family's place onto whichever of the two is not a head the locality rule reads."""
        if other.key in self.locality:
            anchor, other = other, anchor
        if other.key in self.locality:
            return
        for name in fields:
            setattr(other, name, getattr(anchor, name))
        if "residence_id" in fields:
            adult = add_years(other.birth_date, 22)
            since = max(anchor.residence_since or adult, adult)
            other.residence_since = min(since, self.as_of - dt.timedelta(days=400))

    def _tie(self, a: PlannedPerson, b: PlannedPerson, kind: str) -> PlannedRelation:
        if kind == RelationKind.SIBLING:
            _rename(b, a.full_name.split(" ")[0])
            self._align(a, b, ("hometown_id",))
        elif kind == RelationKind.PARENT and b.sex == "M":  # b is a's father
            _rename(a, b.full_name.split(" ")[0])
            self._align(b, a, ("hometown_id",))
        elif kind == RelationKind.CHILD and a.sex == "M":  # a is b's father
            _rename(b, a.full_name.split(" ")[0])
            self._align(a, b, ("hometown_id",))
        elif kind == RelationKind.SPOUSE:
            self._align(a, b, ("residence_id", "residence_detail"))
        relation = PlannedRelation(a, b, str(kind))
        self.relations.append(relation)
        self._busy.add(a.key)
        self._busy.add(b.key)
        return relation

    def _holder(self, commune, name: str) -> PlannedPerson | None:
        current = self._open(commune.holders.get(name, []))
        return current[0].person if current else None

    def _seat_holder(self, unit, title_code: str) -> PlannedPerson | None:
        seat = self.plan._seat_index.get((id(unit), title_code))
        current = self._open(seat.bookings) if seat else []
        return current[0].person if current else None

    def _kin_conflicts(self) -> None:
        """Kin in posts that may not be held together (Quy định 205-QĐ/TW → 114-QĐ/TW)."""
        plan, rng = self.plan, self.rng
        communes = list(plan.communes)
        rng.shuffle(communes)

        def commune_pairs(first, second):
            for commune in communes:
                yield self._holder(commune, first), self._holder(commune, second)

        def cell_pairs():
            for commune in communes:
                for cell, _groups in commune.cells:
                    yield self._seat_holder(cell, "bi-thu-chi-bo"), self._seat_holder(cell, "pho-bi-thu-chi-bo")

        def school_pairs():
            for commune in communes:
                for head, deputy in (("ht1", "pht1b"), ("ht2", "pht2b")):
                    yield self._holder(commune, head), self._holder(commune, deputy)

        def division_pairs():
            keys = [name[len("head_"):] for name in plan.city_people if name.startswith("head_") and "_P" in name]
            rng.shuffle(keys)
            for key in keys:
                head = self._open(plan.city_people.get(f"head_{key}", []))
                deputy = self._open(plan.city_people.get(f"dep_{key}_1", []))
                if head and deputy:
                    yield head[0].person, deputy[0].person

        stories = (
            # A ward chairman (a deputy secretary) whose sibling chairs the ward's inspection committee.
            ("chu_tich_va_chu_nhiem_ubkt", RelationKind.SIBLING, commune_pairs("ct_ubnd", "cn_ubkt"), 2),
            # A commune secretary married to the head of the commune's party-building board.
            ("bi_thu_va_truong_ban_xdd", RelationKind.SPOUSE, commune_pairs("bi_thu", "tb_xdd"), 1),
            # The secretary and the deputy secretary of one residential cell, husband and wife.
            ("bi_thu_va_pho_bi_thu_chi_bo", RelationKind.SPOUSE, cell_pairs(), 1),
            # A school's principal and vice-principal, husband and wife.
            ("hieu_truong_va_pho", RelationKind.SPOUSE, school_pairs(), 1),
            # The head and a deputy head of a city division, siblings.
            ("truong_phong_va_pho", RelationKind.SIBLING, division_pairs(), 1),
        )
        for story, kind, pairs, wanted in stories:
            made = 0
            for a, b in pairs:
                if made >= wanted:
                    break
                if a is None or b is None or a is b or a.key in self._busy or b.key in self._busy:
                    continue
                if self._fits(kind, a, b):
                    self._tie(a, b, kind)
                    self.kin_conflicts.append((story, a, b))
                    made += 1

    def _relations(self) -> None:
        """A few hundred family ties: the conflicts above, and ties between people of different
        communes (or a commune and the city's agencies), who cannot hold posts of one committee."""
        self._kin_conflicts()
        plan, rng = self.plan, self.rng
        people = plan.people
        wanted = round(len(people) * 0.015)
        kinds = (RelationKind.SPOUSE, RelationKind.SIBLING, RelationKind.PARENT, RelationKind.CHILD)
        weights = (40, 30, 15, 15)
        attempts = 0
        while len(self.relations) < wanted and attempts < wanted * 40:
            attempts += 1
            a = rng.choice(people)
            if a.key in self._busy:
                continue
            kind = rng.choices(kinds, weights)[0]
            for _ in range(60):
                b = rng.choice(people)
                if b is a or b.key in self._busy or self.zone[a.key] == self.zone[b.key]:
                    continue
                if self._fits(kind, a, b):
                    self._tie(a, b, kind)
                    break

    # Discipline ----------------------------------------------------------------------------------
    def _legacy_district(self, person: PlannedPerson):
        """The old district of a commune person's commune (where their ward belonged before 2025)."""
        zone = self.zone[person.key]
        if zone < 0:
            return None
        return self.plan.districts.get(self.plan.communes[zone].district_code or "")

    def _authority(self, person: PlannedPerson, side: str, day: dt.date) -> tuple[str, str]:
        unit, title = self._unit_on(person, day)
        n = self.rng.randint(15, 980)
        district = self._legacy_district(person) if unit is None and day <= LEGACY_END else None
        if district is not None:
            # Before July 2025 commune-level cadres and civil servants were disciplined by the
            # district (its inspection committee; the chairman of its people's committee).
            if side == DisciplineSide.PARTY:
                return f"{n}-QĐ/UBKT", f"Ủy ban Kiểm tra {district.committee_name}"
            return f"{n}/QĐ-UBND", district.units["ub"].name
        if unit is None:
            unit, title = person.unit, None
        top = unit.top
        if side == DisciplineSide.PARTY:
            city_managed = title is not None and title.managing_body in CITY_MANAGED
            if top.kind in (K.AFFILIATED_COMMITTEE, K.DISTRICT_COMMITTEE) and not city_managed:
                return f"{n}-QĐ/UBKT", f"Ủy ban Kiểm tra {top.name}"
            return f"{n}-QĐ/UBKTTU", "Ủy ban Kiểm tra Thành ủy Hà Nội"
        agency = unit
        while agency.parent is not None and agency.kind in (K.DIVISION, K.PUBLIC_SERVICE_UNIT):
            agency = agency.parent
        if agency.kind in (K.PEOPLES_COMMITTEE, K.DEPARTMENT, K.PARTY_AGENCY, K.PEOPLES_COUNCIL, K.FATHERLAND_FRONT):
            return f"{n}/QĐ-{agency.short_name or 'UBND'}", agency.name
        return f"{n}/QĐ-UBND", "Ủy ban nhân dân Thành phố Hà Nội"

    def _forms(self, person: PlannedPerson, side: str, day: dt.date) -> tuple[str, ...] | None:
        """The forms that apply to the person on the day (parameter `discipline.forms`); before the
        parameter lists the party's forms (Quy định 69-QĐ/TW), those of the earlier rules."""
        forms = self.params.get("discipline.forms", day)
        if side == DisciplineSide.STATE:
            return tuple(forms["civil_servant"]) if person.category != Category.OTHER else None
        if person.party_joined_on is None or person.party_joined_on > day:
            return None
        official = person.party_official_on is not None and person.party_official_on <= day
        subject = "party_full_member" if official else "party_probationary_member"
        return tuple(forms.get(subject) or PARTY_FORMS_BEFORE_2022[subject])

    def _add_discipline(self, person, side, form, day, note="") -> PlannedDiscipline | None:
        allowed = self._forms(person, side, day)
        if allowed is None or form not in allowed or day < person.birth_date or day > self.as_of:
            return None
        number, authority = self._authority(person, side, day)
        violations = PARTY_VIOLATIONS if side == DisciplineSide.PARTY else STATE_VIOLATIONS
        note = note or self.rng.choice(violations)
        record = PlannedDiscipline(person, str(side), str(form), day, number, authority, note)
        self.discipline.append(record)
        self.disciplined.setdefault(person.key, []).append(record)
        return record

    def _discipline(self) -> None:
        """About one person in a hundred disciplined since 2021, by party, state or both; half
        after a review period; a deputy head removed from post."""
        plan, rng, as_of = self.plan, self.rng, self.as_of
        for person, day in self._removed_from_post:
            earlier = day - dt.timedelta(days=rng.randint(20, 45))
            self._add_discipline(person, DisciplineSide.PARTY, DisciplineForm.WARNING, earlier)
            self._add_discipline(person, DisciplineSide.STATE, DisciplineForm.REMOVAL_FROM_POST, day,
                                 "Vi phạm quy định trong thẩm định hồ sơ, gây thiệt hại cho ngân sách")  # fmt: skip
        wanted = round(len(plan.people) * 0.009)
        people = list(plan.people)
        rng.shuffle(people)
        made = 0
        for person in people:
            if made >= wanted:
                break
            mains = self.mains[person.key]
            if person.key in self.disciplined or not mains:
                continue
            # People of the new communes worked in the old wards (not in the demo) before July 2025.
            from_wards = self._legacy_district(person) is not None and mains[0].start >= NEW_START
            first = add_years(person.birth_date, 24) if from_wards else mains[0].start + dt.timedelta(days=180)
            last = min(as_of - dt.timedelta(days=7), max((a.end or as_of) for a in mains))
            day = self._day(max(dt.date(2021, 3, 1), first), last)
            if day is None:
                continue
            if self._unit_on(person, day)[0] is None and not (from_wards and day <= LEGACY_END):
                continue
            party_ok = self._forms(person, DisciplineSide.PARTY, day) is not None
            state_ok = self._forms(person, DisciplineSide.STATE, day) is not None
            # A member who is also a civil servant is usually disciplined by both, the state a few weeks later.
            roll = rng.random()
            if party_ok and state_ok:
                sides = [DisciplineSide.PARTY, DisciplineSide.STATE] if roll < 0.45 else \
                    [DisciplineSide.PARTY] if roll < 0.75 else [DisciplineSide.STATE]  # fmt: skip
            elif party_ok or state_ok:
                sides = [DisciplineSide.PARTY if party_ok else DisciplineSide.STATE]
            else:
                continue
            for offset, side in enumerate(sides):
                allowed = self._forms(person, side, day)
                if side == DisciplineSide.PARTY:
                    form = rng.choices((DisciplineForm.REPRIMAND, DisciplineForm.WARNING), (70, 30))[0]
                else:
                    # Hạ bậc lương applies to công chức only (Decree 112/2020).
                    forms = (DisciplineForm.REPRIMAND, DisciplineForm.WARNING, DisciplineForm.SALARY_REDUCTION)
                    choices = [f for f in forms
                               if f in allowed and (f != DisciplineForm.SALARY_REDUCTION
                                                    or person.category == Category.CIVIL_SERVANT)]  # fmt: skip
                    form = rng.choices(choices, (62, 30, 8)[: len(choices)])[0]
                # The state decision follows the party's by a few weeks, never past the data date.
                decided = min(day + dt.timedelta(days=offset * rng.randint(10, 40)), as_of)
                self._add_discipline(person, side, form, decided)
            if rng.random() < 0.5:
                started = day - dt.timedelta(days=rng.randint(30, 120))
                self.reviews.append(PlannedReview(person, ReviewKind.DISCIPLINE_REVIEW, started, day))
            made += 1

    def _reviews_open(self) -> None:
        """A few people under discipline review today (and one under investigation)."""
        rng, as_of = self.rng, self.as_of
        wanted = max(3, round(len(self.plan.people) * 0.0004))
        people = [p for p in self.plan.people if self.current[p.key] and p.key not in self.disciplined
                  and p.key not in self.open_review and p.category != Category.OTHER]  # fmt: skip
        planned = {e.person.key for e in self.plan_entries}
        people = [p for p in people if p.key not in planned]
        for index, person in enumerate(rng.sample(people, min(wanted, len(people)))):
            investigation = index == 0 and wanted >= 5
            kind = ReviewKind.INVESTIGATION if investigation else ReviewKind.DISCIPLINE_REVIEW
            note = "Cơ quan điều tra đã khởi tố vụ án liên quan" if investigation else UNDER_REVIEW_NOTE
            started = as_of - dt.timedelta(days=rng.randint(20, 150))
            self.reviews.append(PlannedReview(person, kind, started, None, note))
            self.open_review.add(person.key)

    # Confidence votes ----------------------------------------------------------------------------
    def _votes(self) -> None:
        """One vote per key leader in office in November 2023 (city and old districts)."""
        rng = self.rng
        seen: set[int] = set()
        for a in self.plan.assignments:
            title, unit = a.seat.title, a.seat.unit
            if not a.main or not title.is_leadership or not a.covers(VOTE_DAY) or a.person.key in seen:
                continue
            if title.managing_body not in CITY_MANAGED:
                continue
            if unit.kind in NOT_VOTED_UNITS:
                continue
            seen.add(a.person.key)
            district = unit.top.kind == K.DISTRICT_COMMITTEE
            council = title.code.startswith(ELECTED_BY_COUNCIL)
            if council:
                held = dt.date(2023, 12, 6) if not district else self._day(dt.date(2023, 12, 5), dt.date(2023, 12, 15))
                eligible = rng.randint(35, 45) if district else 95
                where = "Kỳ họp HĐND" if district else "Kỳ họp HĐND Thành phố"
            else:
                held = dt.date(2023, 11, 28) if not district else self._day(dt.date(2023, 11, 20), dt.date(2023, 12, 1))
                eligible = rng.randint(39, 49) if district else 71
                where = "Hội nghị Ban Chấp hành"
            attendance = eligible - rng.randint(0, max(1, eligible // 12))
            cast = attendance - (1 if rng.random() < 0.2 else 0)
            low = round(cast * rng.uniform(0, 0.08))
            confident = round(cast * rng.uniform(0.08, 0.35))
            self.votes.append(PlannedVote(a.person, held, eligible, attendance, cast - low - confident, confident, low,
                                          f"{where}, lấy phiếu tín nhiệm giữa nhiệm kỳ 2020-2025"))  # fmt: skip

    def _make_low(self, vote: PlannedVote, share: float) -> None:
        cast = vote.votes_high + vote.votes_confident + vote.votes_low
        vote.votes_low = math.floor(cast * share) + 1
        vote.votes_confident = (cast - vote.votes_low) * 2 // 3
        vote.votes_high = cast - vote.votes_low - vote.votes_confident
        self.low_vote.add(vote.person.key)

    # Succession planning -------------------------------------------------------------------------
    def _planning(self) -> None:
        """1–3 people per key title of the city and of each commune, for 2025–2030 and 2030–2035."""
        plan, rng, as_of = self.plan, self.rng, self.as_of
        pension = {p.key: self._pension(p) for p in plan.people if self.rank[p.key]}
        excluded = set(self.disciplined) | self.open_review
        leaders = [p for p in plan.people if self.rank[p.key] and p.key not in excluded and p.party_joined_on
                   and p.category != Category.OTHER]  # fmt: skip
        by_zone: dict[int, list[PlannedPerson]] = {}
        for p in leaders:
            by_zone.setdefault(self.zone[p.key], []).append(p)
        levels: dict[tuple[int, str, str], int] = {}  # (person, term, level) → titles planned
        planned: dict[tuple[int, int, str], list[PlannedPerson]] = {}  # (unit, title, term) → people

        def term_start(term: str) -> dt.date:
            return dt.date(int(term[:4]), 1, 1)

        def fits(p, title, term, level, approved) -> bool:
            rank = self.rank[p.key]
            if not (title.rank - 30 <= rank < title.rank) or p.party_joined_on > approved:
                return False
            if not any(a.covers(approved) for a in plan._by_person[p.key]):
                return False
            # A full term left counted from a year after the data date: still true at next year's review.
            start = max(as_of + dt.timedelta(days=365), term_start(term))
            if pension[p.key] < add_months(start, 60):
                return False
            return levels.get((p.key, term, level), 0) < 3

        def weight(p, home_zone) -> float:
            w = 4.0 if self.zone[p.key] == home_zone else 1.0
            if p.sex == "F":
                w *= 1.8
            if _age(p, as_of) < 40:
                w *= 3.0
            return w

        def add(p, unit, title, term, level, approved, number):
            self.plan_entries.append(PlannedPlanEntry(p, title, unit, term, approved, number, f"Quy hoạch nhiệm kỳ {term}"))
            planned.setdefault((id(unit), title.pk, term), []).append(p)
            levels[(p.key, term, level)] = levels.get((p.key, term, level), 0) + 1

        def fill(unit, title, term, level, approved, number, local, outside, home_zone, female_only=False):
            count = rng.choices((1, 2, 3), (25, 40, 35))[0]
            chosen = planned.setdefault((id(unit), title.pk, term), [])
            for _ in range(count * 6):
                if len(chosen) >= count:
                    break
                pool = local if (outside is None or rng.random() < 0.8) else outside
                if not pool:
                    continue
                sample = rng.sample(pool, min(12, len(pool)))
                sample = [p for p in sample if p not in chosen and fits(p, title, term, level, approved)
                          and (not female_only or p.sex == "F")]  # fmt: skip
                if sample:
                    p = rng.choices(sample, [weight(q, home_zone) for q in sample])[0]
                    add(p, unit, title, term, level, approved, number)

        titles = plan.titles
        batches = {}  # (scope, term) → (approved on, decision number)

        def batch(scope, term, low, high):
            if (scope, term) not in batches:
                day = self._day(low, high)
                batches[(scope, term)] = (day, f"{rng.randint(100, 2400)}-QĐ/TU" if day else "")
            return batches[(scope, term)]

        windows = {
            ("city", "2025-2030"): (dt.date(2023, 3, 1), dt.date(2023, 9, 30)),
            ("commune", "2025-2030"): (dt.date(2025, 8, 15), dt.date(2025, 12, 31)),
            ("city", "2030-2035"): (dt.date(2026, 4, 1), dt.date(2026, 9, 15)),
            ("commune", "2030-2035"): (dt.date(2026, 4, 1), dt.date(2026, 9, 15)),
        }
        # The city: its committee, departments, party agencies, front and mass organizations, blocks.
        root, units = plan.root, plan.city_units
        city_titles = [(root, "uv-btv-thanh-uy"), (root, "uv-bch-thanh-uy")]
        city_titles += [(unit, agency.head) for agency, unit, _d in plan.party_agencies]
        city_titles += [(dept, agency.head) for agency, dept, _d, _s in plan.departments]
        city_titles += [(units["mttq"], "chu-tich-mttq-tp")]
        city_titles += [(block, "bi-thu-dang-uy-khoi") for block in plan.blocks.values()]
        city_titles += [(units["HLHPN"], "chu-tich-hoi-phu-nu-tp")]
        # The city draws on its own leaders and on the communes' secretaries, chairmen, standing deputies.
        commune_heads = titles["bi-thu-dang-uy-xa"].rank - 4
        city_people = [p for p in leaders if self.zone[p.key] == -1 or self.rank[p.key] >= commune_heads]
        for term in TERMS:
            approved, number = batch("city", term, *windows[("city", term)])
            if approved is None:
                continue
            for unit, code in city_titles:
                title = titles[code]
                local = [p for p in city_people if title.rank - 30 <= self.rank[p.key] < title.rank
                         and any(a.seat.unit is unit for a in self.current[p.key])]  # fmt: skip
                fill(unit, title, term, "city", approved, number, local or city_people,
                     city_people if local else None, -1, female_only=code == "chu-tich-hoi-phu-nu-tp")  # fmt: skip
        for index, commune in enumerate(plan.communes):
            local = by_zone.get(index, [])
            for term in TERMS:
                approved, number = batch(f"commune{index}", term, *windows[("commune", term)])
                if approved is None:
                    continue
                for key, code in COMMUNE_PLANNED_TITLES:
                    title = titles[code]
                    outside = rng.sample(leaders, min(40, len(leaders)))
                    fill(commune.units[key], title, term, "commune", approved, number, local, outside, index)
        self._planning_breaches(pension, planned, levels, batches)

    def _planning_breaches(self, pension, planned, levels, batches) -> None:
        """Planned people who became ineligible since their approval (the compliance check finds
        them), and two who were taken out of planning as the rules require."""
        plan, rng, as_of = self.plan, self.rng, self.as_of
        titles = plan.titles
        # Over age: able to serve the 2025–2030 term from its start when approved, no longer now.
        now_limit = add_months(as_of, 60)
        cases = (("city", plan.root, "uv-bch-thanh-uy", "city"),
                 ("commune0", plan.communes[0].units["ub"], "chu-tich-ubnd-xa", "commune"))  # fmt: skip
        for scope, unit, code, level in cases:
            approved, number = batches.get((scope, "2025-2030"), (None, ""))
            title = titles[code]
            if approved is None:
                continue
            start_limit = add_months(max(approved, dt.date(2025, 1, 1)), 60)
            chosen = planned.setdefault((id(unit), title.pk, "2025-2030"), [])
            if len(chosen) >= 3:
                removed = chosen.pop()
                self.plan_entries = [
                    e for e in self.plan_entries
                    if not (e.person is removed and e.unit is unit and e.title is title and e.term == "2025-2030")
                ]  # fmt: skip
                levels[(removed.key, "2025-2030", level)] -= 1
            people = [p for p in plan.people if self.rank[p.key] and title.rank - 30 <= self.rank[p.key] < title.rank
                      and p.key in pension and start_limit <= pension[p.key] < now_limit and p not in chosen
                      and p.key not in self.disciplined and p.party_joined_on
                      and levels.get((p.key, "2025-2030", level), 0) < 3
                      and any(a.covers(approved) for a in plan._by_person[p.key])]  # fmt: skip
            if not people:
                continue
            p = rng.choice(people)
            self.plan_entries.append(PlannedPlanEntry(p, title, unit, "2025-2030", approved, number,
                                                      "Quy hoạch nhiệm kỳ 2025-2030"))  # fmt: skip
            chosen.append(p)
            levels[(p.key, "2025-2030", level)] = levels.get((p.key, "2025-2030", level), 0) + 1
            self.ineligible.append(("over_age", p))

        by_person: dict[int, list[PlannedPlanEntry]] = {}
        for entry in self.plan_entries:
            by_person.setdefault(entry.person.key, []).append(entry)
        keys = [k for k in by_person if not any(k == p.key for _r, p in self.ineligible)]
        rng.shuffle(keys)
        people = {p.key: p for p in plan.people}
        # Disciplined after approval, still in planning: the annual review has not caught up yet.
        # Two more were disciplined and taken out of planning, as the rules require.
        for reason, count in (("discipline", 2), ("removed", 2)):
            for key in list(keys):
                if count <= 0:
                    break
                entries = by_person[key]
                person = people[key]
                approved = max(e.approved_on for e in entries)
                day = self._day(max(approved + dt.timedelta(days=30), as_of - dt.timedelta(days=300)),
                                as_of - dt.timedelta(days=10))  # fmt: skip
                if day is None:
                    continue
                civil = person.category in (Category.CADRE, Category.CIVIL_SERVANT)
                side = DisciplineSide.STATE if civil and rng.random() < 0.4 else DisciplineSide.PARTY
                record = self._add_discipline(person, side, DisciplineForm.REPRIMAND, day)
                if record is None:
                    continue
                keys.remove(key)
                count -= 1
                if reason == "discipline":
                    self.ineligible.append(("discipline", person))
                    continue
                removed = self._day(min(day + dt.timedelta(days=15), as_of), day + dt.timedelta(days=60))
                for entry in entries:
                    entry.removed_on = removed
                    entry.removal_reason = RemovalReason.DISCIPLINE
        # Under review today.
        for key in keys[:1]:
            person = people[key]
            started = as_of - dt.timedelta(days=rng.randint(20, 80))
            self.reviews.append(PlannedReview(person, ReviewKind.DISCIPLINE_REVIEW, started, None, UNDER_REVIEW_NOTE))
            self.open_review.add(key)
            self.ineligible.append(("under_review", person))
            keys.remove(key)
        # Low confidence in the 2023 vote, planned for 2025–2030 before it and never taken out.
        votes = {v.person.key: v for v in self.votes}
        for key in keys:
            entries = [e for e in by_person[key] if e.term == "2025-2030" and e.approved_on < VOTE_DAY]
            if entries and key in votes:
                self._make_low(votes[key], rng.uniform(0.52, 0.6))
                self.ineligible.append(("low_confidence", people[key]))
                keys.remove(key)
                break
        # And one low result for someone not in planning.
        planned_keys = set(by_person)
        others = [v for v in self.votes if v.person.key not in planned_keys]
        if others:
            self._make_low(rng.choice(others), rng.uniform(0.5, 0.58))

    # Annual grades -------------------------------------------------------------------------------
    def _grades(self) -> None:
        """Grades for 2023–2025 of everyone who worked at least half the year, agency by agency:
        a few HT and KHT (KHT for everyone disciplined that year), HTXS about 15% of HTT, and from
        2025 within the 20% cap, except in a few agencies that the compliance check flags."""
        plan, rng = self.plan, self.rng
        disciplined_years = {key: {r.decided_on.year for r in records} for key, records in self.disciplined.items()}
        for year in GRADE_YEARS:
            december = dt.date(year, 12, 1)
            if december > self.as_of:
                continue
            groups: dict[tuple[int, str], tuple[object, list]] = {}
            for person in plan.people:
                mains = self.mains[person.key]
                # Half a year of service; those who moved to the new communes on 1 July 2025 came
                # from the old wards, which the demo does not hold, so 2025 counts for them.
                if person.category == Category.OTHER or not mains or mains[0].start > dt.date(year, 7, 1):
                    continue
                covering = [a for a in mains if a.covers(december)]
                if not covering:
                    continue
                unit = grading_unit(covering[-1].seat.unit)
                leader = covering[-1].seat.title.is_leadership
                groups.setdefault((id(unit), person.category), (unit, []))[1].append((person, leader))
            decided = []
            for unit, members in groups.values():
                top, rest = [], []
                for person, leader in members:
                    if year in disciplined_years.get(person.key, ()):
                        rest.append((person, Grade.NOT_COMPLETE, f"Bị kỷ luật trong năm {year}"))
                    elif rng.random() < 0.012:
                        rest.append((person, Grade.NOT_COMPLETE, ""))
                    elif rng.random() < (0.03 if leader else 0.08):
                        rest.append((person, Grade.COMPLETE, ""))
                    else:
                        top.append((person, leader))
                decided.append((unit, top, rest))
            over = set()
            if year >= GRADE_CAP_FROM:
                large = [index for index, (_u, top, _r) in enumerate(decided) if len(top) >= 5]
                if len(large) < 5:
                    large = [index for index, (_u, top, _r) in enumerate(decided) if len(top) >= 4]
                over = set(rng.sample(large, min(5, len(large))))
            for index, (unit, top, rest) in enumerate(decided):
                k = len(top)
                excellent = math.floor(k * rng.uniform(0.13, 0.19) + rng.random())
                if index in over:
                    excellent = max(math.ceil(k * rng.uniform(0.22, 0.3)), k // 6 + 1)
                    self.over_cap.append(unit)
                elif year >= GRADE_CAP_FROM:
                    excellent = min(excellent, k // 6)  # 6x ≤ k ⇔ x ≤ 20% of the k − x graded HTT
                order = list(top)
                rng.shuffle(order)
                order.sort(key=lambda m: not m[1] or rng.random() < 0.5)  # leaders a little more often HTXS
                for position, (person, _leader) in enumerate(order):
                    grade = Grade.EXCELLENT if position < excellent else Grade.GOOD
                    self.grades.append(PlannedGrade(person, unit, year, grade, self._score(year, grade)))
                for person, grade, note in rest:
                    score = None if note else self._score(year, grade)
                    self.grades.append(PlannedGrade(person, unit, year, grade, score, note))

    def _score(self, year: int, grade: str) -> Decimal | None:
        """A score on the 100-point scale where it exists (grading.thresholds), else none."""
        if year not in self._thresholds:
            try:
                self._thresholds[year] = self.params.get("grading.thresholds", dt.date(year, 12, 31))
            except ParameterNotInForce:  # 2023–2024: graded on criteria (Quy định 124-QĐ/TW), not points
                self._thresholds[year] = None
        thresholds = self._thresholds[year]
        if thresholds is None:
            return None
        low, high = {
            Grade.EXCELLENT: (thresholds["excellent"], 98.5),
            Grade.GOOD: (thresholds["good"], thresholds["excellent"] - 0.5),
            Grade.COMPLETE: (thresholds["complete"], thresholds["good"] - 0.5),
            Grade.NOT_COMPLETE: (35, thresholds["complete"] - 0.5),
        }[grade]
        return Decimal(str(round(self.rng.uniform(low, high) * 2) / 2)).quantize(Decimal("0.01"))

    # Counters ------------------------------------------------------------------------------------
    def summary(self) -> dict:
        return {
            "relations": len(self.relations),
            "kin_conflicts": len(self.kin_conflicts),
            "discipline_records": len(self.discipline),
            "discipline_reviews": len(self.reviews),
            "plan_entries": len(self.plan_entries),
            "planned_ineligible": len(self.ineligible),
            "grades": len(self.grades),
            "grading_units_over_cap": len(self.over_cap),
            "confidence_votes": len(self.votes),
            "secondments": len(self.secondees),
            "third_term_heads": len(self.third_term_heads),
        }
