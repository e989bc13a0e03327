"""The synthetic Hà Nội in memory: units, seats, people and work histories, before anything is written.

`Plan.build()` lays out the city as it stood on each day from the 2015–2020 district terms to the
data date: the city's agencies, departments, front and mass organizations; the 30 district
committees of the old Hà Nội until 30 June 2025; the 126 communes from 1 July 2025 with their
cells; and who held which seat when, including promotions (a Phó Chủ tịch who became Chủ tịch),
rotations between districts and between wards, and district leaders who carried on in the new
communes. `Plan.book` refuses any assignment the services would refuse (unit not existing on the
start date, dissolution not respected, a seat over-filled, the same seat twice at once), so what
`canbo.demo.builder` writes obeys the same rules as data entered one row at a time.
`canbo.demo.records` adds, in the same build, the work-history stories and the records the
regulations engine reads (family ties, discipline, planning, grades, confidence votes).
"""

import datetime as dt
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from canbo.areas.models import AdminArea, AreaSuccession
from canbo.common.dates import today
from canbo.common.text import fold
from canbo.org.models import ManagingBody, Title
from canbo.org.models import UnitKind as K
from canbo.people.catalogues import AssignmentKind as AK
from canbo.people.catalogues import Category

from . import hanoi
from .people import PersonFactory, Places, PlannedPerson, add_years, category_for
from .records import RecordPlanner

# The data is drawn as of this day (or today, if earlier), so one seed always gives the same city.
REFERENCE_DATE = dt.date(2026, 10, 1)
NEW_START = dt.date(2025, 7, 1)
LEGACY_END = NEW_START - dt.timedelta(days=1)
CITY_CONGRESS = dt.date(2025, 10, 16)  # start of the city committee's 2025–2030 term
CELL_TERM_START = dt.date(2022, 6, 1)  # cells and grassroots organizations elected in 2022
VACANCY = 0.07  # share of leadership posts left empty (with the spare seats: ~8–9% of places)
HEAD_VACANCY = 0.03
ROOT_NAME = "Đảng bộ Thành phố Hà Nội"
DAY = dt.timedelta(days=1)
K_PARTY = frozenset(
    {
        K.PROVINCIAL_COMMITTEE,
        K.DISTRICT_COMMITTEE,
        K.AFFILIATED_COMMITTEE,
        K.GRASSROOTS_COMMITTEE,
        K.GRASSROOTS_CELL,
        K.PARTY_CELL,
        K.PARTY_GROUP,
    }
)


class DemoError(RuntimeError):
    """The demo could not be built (wrong database state, or a broken invariant)."""


@dataclass(slots=True, eq=False)
class PlannedUnit:
    name: str
    code: str
    kind: str
    parent: "PlannedUnit | None"
    area_id: int | None = None
    established_on: dt.date | None = None
    dissolved_on: dt.date | None = None
    short_name: str = ""
    # Tree columns, filled in by canbo.demo.builder.assign_tree_paths when the plan is written.
    path: str = ""
    depth: int = 0
    numchild: int = 0
    pk: int | None = None
    # The legacy units whose work this one took over on 1 July 2025 (Unit.predecessors).
    predecessors: list["PlannedUnit"] = field(default_factory=list)

    @property
    def level(self) -> int:
        return 1 if self.parent is None else self.parent.level + 1

    @property
    def top(self) -> "PlannedUnit":
        """The unit right under the root (a commune committee, a department…), or the root."""
        unit = self
        while unit.parent is not None and unit.parent.parent is not None:
            unit = unit.parent
        return unit

    def exists_on(self, day: dt.date) -> bool:
        return (self.established_on is None or self.established_on <= day) and (
            self.dissolved_on is None or day <= self.dissolved_on
        )


@dataclass(slots=True, eq=False)
class PlannedSeat:
    unit: PlannedUnit
    title: Title
    seat_count: int
    is_key_post: bool
    staff: bool
    bookings: list = field(default_factory=list)
    pk: int | None = None


@dataclass(slots=True, eq=False)
class PlannedAssignment:
    person: PlannedPerson
    seat: PlannedSeat
    kind: str
    start: dt.date
    end: dt.date | None
    main: bool
    decision_number: str = ""
    decision_date: dt.date | None = None
    issuing_body: str = ""
    note: str = ""
    pk: int | None = None

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


def _overlap(a_start, a_end, b_start, b_end) -> bool:
    return a_start <= (b_end or dt.date.max) and b_start <= (a_end or dt.date.max)


def peak_holders(bookings, start: dt.date = dt.date.min, end: dt.date | None = None) -> int:
    """The most bookings running at once on any day of [start, end] (ends are inclusive)."""
    events = []
    for b in bookings:
        if not _overlap(b.start, b.end, start, end):
            continue
        events.append((max(b.start, start), 0))
        if b.end is not None and (end is None or b.end < end):
            events.append((b.end, 1))
    events.sort()
    current = best = 0
    for _day, is_end in events:
        current += -1 if is_end else 1
        best = max(best, current)
    return best


# A bundle is one person's posts taken together: the main seat first, then what they hold
# concurrently (the commune's party secretary also chairs its council, and so on).
# Each item: (unit key, title code, assignment kind when it is not the main seat).
BundleSpec = tuple[str, str, tuple[tuple[str, str, str], ...], str]  # name, profile, seats, sector


def _bundle(name, profile, *seats, sector="commune") -> BundleSpec:
    return (name, profile, tuple(seats), sector)


DISTRICT_BUNDLES: tuple[BundleSpec, ...] = (
    _bundle("bi_thu", "head", ("qu", "bi-thu-quan-uy", AK.ELECTION)),
    _bundle("ct_ubnd", "head", ("ub", "chu-tich-ubnd-huyen", AK.ELECTION), ("qu", "pho-bi-thu-quan-uy", AK.ELECTION)),
    _bundle("pbt_tt", "head", ("qu", "pho-bi-thu-thuong-truc-quan-uy", AK.ELECTION)),
    _bundle("ct_hdnd", "head", ("hd", "chu-tich-hdnd-huyen", AK.ELECTION), ("qu", "pho-bi-thu-quan-uy", AK.ELECTION)),
    _bundle("tb_tc", "head", ("btc", "truong-ban-to-chuc-quan-uy", AK.APPOINTMENT), ("qu", "uv-btv-quan-uy", AK.ELECTION)),
    _bundle("cn_ubkt", "head", ("ubkt", "chu-nhiem-ubkt-quan-uy", AK.ELECTION), ("qu", "uv-btv-quan-uy", AK.ELECTION)),
    _bundle("pct_ubnd1", "deputy", ("ub", "pho-chu-tich-ubnd-huyen", AK.ELECTION), ("qu", "uv-btv-quan-uy", AK.ELECTION)),
    _bundle("pct_hdnd", "deputy", ("hd", "pho-chu-tich-hdnd-huyen", AK.ELECTION), ("qu", "uv-bch-quan-uy", AK.ELECTION)),
    _bundle("pct_ubnd2", "deputy", ("ub", "pho-chu-tich-ubnd-huyen", AK.ELECTION), ("qu", "uv-bch-quan-uy", AK.ELECTION)),
    _bundle("ptb_tc1", "deputy", ("btc", "pho-truong-ban-to-chuc-quan-uy", AK.APPOINTMENT),
            ("qu", "uv-bch-quan-uy", AK.ELECTION)),
    _bundle("pcn_ubkt", "manager", ("ubkt", "pho-chu-nhiem-ubkt-quan-uy", AK.ELECTION)),
    _bundle("pct_ubnd3", "deputy", ("ub", "pho-chu-tich-ubnd-huyen", AK.ELECTION)),
    _bundle("ptb_tc2", "manager", ("btc", "pho-truong-ban-to-chuc-quan-uy", AK.APPOINTMENT)),
)  # fmt: skip
DISTRICT_PARTY_MAINS = {"bi_thu", "pbt_tt", "tb_tc", "cn_ubkt", "ptb_tc1", "pcn_ubkt", "ptb_tc2"}

COMMUNE_BUNDLES: tuple[BundleSpec, ...] = (
    _bundle("bi_thu", "head", ("du", "bi-thu-dang-uy-xa", AK.DESIGNATION), ("hd", "chu-tich-hdnd-xa", AK.ELECTION)),
    _bundle("ct_ubnd", "head", ("ub", "chu-tich-ubnd-xa", AK.ELECTION), ("du", "pho-bi-thu-dang-uy-xa", AK.DESIGNATION)),
    _bundle("pbt_tt", "head", ("du", "pho-bi-thu-thuong-truc-dang-uy-xa", AK.DESIGNATION)),
    _bundle("ct_mttq", "head", ("mt", "chu-tich-mttq-xa", AK.ELECTION), ("du", "uv-btv-dang-uy-xa", AK.DESIGNATION),
            sector="front"),
    _bundle("cn_ubkt", "deputy", ("kt", "chu-nhiem-ubkt-dang-uy-xa", AK.DESIGNATION),
            ("du", "uv-btv-dang-uy-xa", AK.DESIGNATION), sector="inspection"),
    _bundle("tb_xdd", "deputy", ("xd", "truong-ban-xay-dung-dang-xa", AK.APPOINTMENT),
            ("du", "uv-btv-dang-uy-xa", AK.DESIGNATION), sector="party"),
    _bundle("pct_ubnd1", "deputy", ("ub", "pho-chu-tich-ubnd-xa", AK.ELECTION), ("du", "uv-btv-dang-uy-xa", AK.DESIGNATION)),
    _bundle("pct_hdnd", "deputy", ("hd", "pho-chu-tich-hdnd-xa", AK.ELECTION), ("du", "uv-bch-dang-uy-xa", AK.DESIGNATION)),
    _bundle("pct_ubnd2", "deputy", ("ub", "pho-chu-tich-ubnd-xa", AK.ELECTION), ("pv", "giam-doc-dvsn", AK.CONCURRENT),
            ("du", "uv-bch-dang-uy-xa", AK.DESIGNATION)),
    _bundle("cvp_du", "manager", ("vp", "chanh-van-phong-dang-uy-xa", AK.APPOINTMENT),
            ("du", "uv-bch-dang-uy-xa", AK.DESIGNATION), sector="office"),
    _bundle("pcn_ubkt", "manager", ("kt", "pho-chu-nhiem-ubkt-dang-uy-xa", AK.DESIGNATION), sector="inspection"),
    _bundle("ptb_xdd", "manager", ("xd", "pho-truong-ban-xay-dung-dang-xa", AK.APPOINTMENT), sector="party"),
    _bundle("pcvp_du", "manager", ("vp", "pho-chanh-van-phong-dang-uy-xa", AK.APPOINTMENT), sector="office"),
    _bundle("pct_mttq1", "deputy", ("mt", "pho-chu-tich-mttq-xa", AK.ELECTION), sector="front"),
    _bundle("pct_mttq2", "deputy", ("mt", "pho-chu-tich-mttq-xa", AK.ELECTION), sector="front"),
    _bundle("cvp_ub", "manager", ("d1", "chanh-van-phong-hdnd-ubnd-xa", AK.APPOINTMENT),
            ("du", "uv-bch-dang-uy-xa", AK.DESIGNATION), ("cq", "bi-thu-chi-bo", AK.ELECTION), sector="office"),
    _bundle("pcvp_ub1", "manager", ("d1", "pho-chanh-van-phong-hdnd-ubnd-xa", AK.APPOINTMENT),
            ("cq", "pho-bi-thu-chi-bo", AK.ELECTION), sector="office"),
    _bundle("pcvp_ub2", "manager", ("d1", "pho-chanh-van-phong-hdnd-ubnd-xa", AK.APPOINTMENT), sector="office"),
    _bundle("tp_kt", "manager", ("d2", "truong-phong-ubnd-xa", AK.APPOINTMENT), ("du", "uv-bch-dang-uy-xa", AK.DESIGNATION),
            sector="economy"),
    _bundle("ptp_kt1", "manager", ("d2", "pho-truong-phong-ubnd-xa", AK.APPOINTMENT), sector="economy"),
    _bundle("ptp_kt2", "manager", ("d2", "pho-truong-phong-ubnd-xa", AK.APPOINTMENT), sector="construction"),
    _bundle("tp_vh", "manager", ("d3", "truong-phong-ubnd-xa", AK.APPOINTMENT), ("du", "uv-bch-dang-uy-xa", AK.DESIGNATION),
            sector="culture"),
    _bundle("ptp_vh1", "manager", ("d3", "pho-truong-phong-ubnd-xa", AK.APPOINTMENT), sector="culture"),
    _bundle("ptp_vh2", "manager", ("d3", "pho-truong-phong-ubnd-xa", AK.APPOINTMENT), sector="commune"),
    _bundle("pgd_pv", "manager", ("pv", "pho-giam-doc-dvsn", AK.APPOINTMENT), sector="office"),
    _bundle("ht1", "head", ("s1", "hieu-truong", AK.APPOINTMENT), ("c1", "bi-thu-chi-bo-co-so", AK.ELECTION),
            sector="education"),
    _bundle("pht1a", "manager", ("s1", "pho-hieu-truong", AK.APPOINTMENT), ("c1", "pho-bi-thu-chi-bo-co-so", AK.ELECTION),
            sector="education"),
    _bundle("pht1b", "manager", ("s1", "pho-hieu-truong", AK.APPOINTMENT), sector="education"),
    _bundle("ht2", "head", ("s2", "hieu-truong", AK.APPOINTMENT), ("c2", "bi-thu-chi-bo-co-so", AK.ELECTION),
            sector="education"),
    _bundle("pht2a", "manager", ("s2", "pho-hieu-truong", AK.APPOINTMENT), ("c2", "pho-bi-thu-chi-bo-co-so", AK.ELECTION),
            sector="education"),
    _bundle("pht2b", "manager", ("s2", "pho-hieu-truong", AK.APPOINTMENT), sector="education"),
)  # fmt: skip
# Where the district leaders of 30 June 2025 go on 1 July 2025, in order of precedence.
LEGACY_LANDING = ("bi_thu", "ct_ubnd", "pbt_tt", "ct_mttq", "cn_ubkt", "tb_xdd", "pct_ubnd1", "pct_hdnd")
PARTY_SEAT_KEYS = {"du", "vp", "xd", "kt", "qu", "btc", "ubkt", "c1", "c2", "cq"}


@dataclass
class Commune:
    area: AdminArea
    bare_name: str  # "Ba Đình"
    kind: str  # "phường" | "xã"
    units: dict[str, PlannedUnit]
    district_code: str | None = None
    holders: dict[str, list[PlannedAssignment]] = field(default_factory=dict)
    mass: list[tuple[str, str]] = field(default_factory=list)  # (short name, head title) of its mass organizations
    cells: list[tuple[PlannedUnit, list[PlannedUnit]]] = field(default_factory=list)  # (cell, its party groups)


@dataclass
class District:
    area: AdminArea
    bare_name: str
    committee_name: str
    units: dict[str, PlannedUnit]
    holders: dict[str, list[PlannedAssignment]] = field(default_factory=dict)


def _counts(base: float, scale: float, minimum: int = 0) -> int:
    return max(minimum, int(round(base * scale)))


# About 5,000 of the ~19,600 people at scale 1 are the leaders of the city and the 126 communes,
# whose number does not grow with the scale; cells and staff grow this much faster above 1 so
# that `--scale N` gives about N × 20,000 people (`--scale 25` ≈ Hà Nội's 500,000).
STAFF_GROWTH_ABOVE_ONE = 19_600 / 14_600


def staff_multiplier(scale: float) -> float:
    """How many times the scale-1 cells and staff to build for `--scale scale`."""
    return scale if scale <= 1 else 1 + (scale - 1) * STAFF_GROWTH_ABOVE_ONE


class Plan:
    """The city in memory. `build()` fills it; `write()` stores it; nothing is written before."""

    def __init__(self, *, scale: float = 1.0, seed: int = 2025, as_of: dt.date | None = None):
        if not (0 < scale <= 100):
            raise DemoError("--scale phải lớn hơn 0 và không quá 100.")
        self.scale = scale
        self.growth = staff_multiplier(scale)
        self.seed = seed
        self.as_of = min(as_of or REFERENCE_DATE, today())
        self.rng = random.Random(seed)
        self.units: list[PlannedUnit] = []
        self.seats: list[PlannedSeat] = []
        self.assignments: list[PlannedAssignment] = []
        self.people: list[PlannedPerson] = []
        self._seat_index: dict[tuple[int, str], PlannedSeat] = {}
        self._codes: set[str] = set()
        self.titles: dict[str, Title] = {}
        self.communes: list[Commune] = []
        self.districts: dict[str, District] = {}
        self.root: PlannedUnit | None = None
        self.city_units: dict[str, PlannedUnit] = {}  # the city's units by key ("BTC", "SYT", "SYT_P1"…)
        self.party_agencies: list[tuple[hanoi.Agency, PlannedUnit, list[PlannedUnit]]] = []
        self.departments: list[tuple[hanoi.Agency, PlannedUnit, list[PlannedUnit], list[PlannedUnit]]] = []
        self.blocks: dict[str, PlannedUnit] = {}
        self.city_people: dict[str, list[PlannedAssignment]] = {}
        self.retirees: list[PlannedPerson] = []
        self._staff_plan: list[tuple[PlannedSeat, int, str, str]] = []
        self._city_bundles: list[tuple[BundleSpec, dict, dict]] = []  # (spec, units, options)
        self._grassroots_of_agency: dict[str, tuple[PlannedUnit, str]] = {}
        self._division_cells: dict[str, PlannedUnit] = {}
        self._service_cells: list[tuple[PlannedUnit, PlannedSeat]] = []
        self._commune_of_seat: dict[int, Commune] = {}
        self._legacy_staff_seat: dict[str, PlannedSeat] = {}
        # Each person's bookings: the "same seat twice at once" check reads these, not the seat's
        # (a staff seat can have thousands of holders).
        self._by_person: dict[int, list[PlannedAssignment]] = defaultdict(list)
        # What the regulations engine reads: family ties, discipline, planning, grades, votes.
        self.records: RecordPlanner | None = None

    # Tree -------------------------------------------------------------------------------------
    def unit(self, parent: PlannedUnit | None, name: str, code: str, kind: str, **fields) -> PlannedUnit:
        if code in self._codes:
            raise DemoError(f"mã đơn vị trùng: {code}")
        self._codes.add(code)
        unit = PlannedUnit(name=name, code=code, kind=str(kind), parent=parent, **fields)
        if parent is not None and parent.dissolved_on and (
            unit.dissolved_on is None or unit.dissolved_on > parent.dissolved_on
        ):
            raise DemoError(f"{name}: đơn vị cấp trên đã giải thể")
        self.units.append(unit)
        return unit

    def seat(self, unit: PlannedUnit, title_code: str, seat_count: int = 1, *, staff: bool = False) -> PlannedSeat:
        key = (id(unit), title_code)
        if key in self._seat_index:
            seat = self._seat_index[key]
            seat.seat_count = max(seat.seat_count, seat_count)
            return seat
        title = self.titles[title_code]
        if str(unit.kind) not in title.unit_kinds:
            raise DemoError(f"chức danh {title_code} không áp dụng cho loại đơn vị {unit.kind}")
        key_post = title.is_leadership and (title.is_head or title_code.startswith("pho-bi-thu")) and unit.level <= 3
        seat = PlannedSeat(unit=unit, title=title, seat_count=seat_count, is_key_post=key_post, staff=staff)
        self._seat_index[key] = seat
        self.seats.append(seat)
        return seat

    def seat_of(self, unit: PlannedUnit, title_code: str) -> PlannedSeat:
        return self._seat_index[(id(unit), title_code)]

    # Booking ----------------------------------------------------------------------------------
    def can_book(self, seat: PlannedSeat, start: dt.date, end: dt.date | None, person=None) -> bool:
        unit = seat.unit
        if not unit.exists_on(start) or start > self.as_of:
            return False
        if unit.dissolved_on and (end is None or end > unit.dissolved_on):
            return False
        if end is not None and end < start:
            return False
        if person is not None and any(
            b.seat is seat and _overlap(b.start, b.end, start, end) for b in self._by_person.get(person.key, ())
        ):
            return False
        return seat.staff or peak_holders(seat.bookings, start, end) < seat.seat_count

    def book(
        self, person: PlannedPerson, seat: PlannedSeat, start: dt.date, end: dt.date | None, kind: str, *,
        main: bool, note: str = "",
    ) -> PlannedAssignment:  # fmt: skip
        if not self.can_book(seat, start, end, person):
            raise DemoError(
                f"không xếp được {person.full_name} vào «{seat.title.name} – {seat.unit.name}» từ {start} đến {end}"
            )
        if start < person.birth_date:
            raise DemoError(f"{person.full_name}: bắt đầu công tác trước ngày sinh")
        number, issued_on, body = self._decision(seat, kind, start)
        assignment = PlannedAssignment(
            person=person, seat=seat, kind=str(kind), start=start, end=end, main=main,
            decision_number=number, decision_date=issued_on, issuing_body=body, note=note,
        )  # fmt: skip
        seat.bookings.append(assignment)
        self.assignments.append(assignment)
        self._by_person[person.key].append(assignment)
        return assignment

    def end(self, assignment: PlannedAssignment, day: dt.date, note: str = "") -> None:
        if day < assignment.start:
            raise DemoError("ngày kết thúc trước ngày bắt đầu")
        assignment.end = day
        if note:
            assignment.note = note

    def _decision(self, seat: PlannedSeat, kind: str, start: dt.date) -> tuple[str, dt.date, str]:
        rng = self.rng
        title = seat.title
        unit = seat.unit
        top = unit.top
        issued = max(start - dt.timedelta(days=rng.randint(1, 20)), dt.date(1990, 1, 1))
        n = rng.randint(12, 2400)
        party_unit = unit.kind in {K.PARTY_AGENCY, *K_PARTY}
        if kind == AK.ELECTION and unit.kind in (K.PEOPLES_COUNCIL, K.PEOPLES_COMMITTEE):
            council = unit.name.replace("Ủy ban nhân dân", "Hội đồng nhân dân")
            return f"{n}/NQ-HĐND", issued, council
        if kind == AK.ELECTION and unit.kind in (K.FATHERLAND_FRONT, K.MASS_ORGANIZATION):
            # Elected by the organization's own congress or committee.
            return f"{n}/NQ-{'MTTQ' if unit.kind == K.FATHERLAND_FRONT else 'ĐH'}", issued, unit.name
        body = title.managing_body
        if body == ManagingBody.POLITBURO:
            return f"{n}-QĐNS/TW", issued, "Bộ Chính trị"
        if body == ManagingBody.PROVINCIAL_STANDING:
            if party_unit or kind in (AK.DESIGNATION, AK.ROTATION):
                return f"{n}-QĐ/TU", issued, "Ban Thường vụ Thành ủy Hà Nội"
            return f"{n}/QĐ-UBND", issued, "Ủy ban nhân dân Thành phố Hà Nội"
        if body == ManagingBody.AFFILIATED_STANDING:
            suffix = "QU" if top.kind == K.DISTRICT_COMMITTEE else "ĐU"
            return f"{n}-QĐ/{suffix}", issued, f"Ban Thường vụ {top.name}"
        if body == ManagingBody.GRASSROOTS_COMMITTEE:
            return f"{n}-QĐ/ĐU", issued, top.name if top.kind in K_PARTY else unit.parent.name
        # Diện thủ trưởng: the head of the agency the seat belongs to.
        agency = unit
        while agency.parent is not None and agency.kind in (K.DIVISION, K.PUBLIC_SERVICE_UNIT):
            agency = agency.parent
        short = agency.short_name or "UBND"
        return f"{n}/QĐ-{short}", issued, agency.name

    # People helpers ---------------------------------------------------------------------------
    def person(self, profile: str, *, unit_kind: str, title_code: str, sector: str = "commune", **kwargs):
        category = kwargs.pop("category", None) or category_for(title_code, unit_kind)
        planned = self.factory.new(profile, category=category, sector=sector, **kwargs)
        self.people.append(planned)
        return planned

    def earliest_start(self, person: PlannedPerson, age: int = 23) -> dt.date:
        return add_years(person.birth_date, age)

    def fill_bundle(
        self, spec: BundleSpec, units: dict[str, PlannedUnit], person: PlannedPerson, start: dt.date,
        end: dt.date | None = None, *, main_kind: str | None = None, note: str = "",
    ) -> list[PlannedAssignment]:  # fmt: skip
        _name, _profile, seats, _sector = spec
        booked = []
        for index, (unit_key, title_code, kind) in enumerate(seats):
            seat = self.seat_of(units[unit_key], title_code)
            if index and not self.can_book(seat, start, end, person):
                continue  # a concurrent seat already full (e.g. a spare Phó Bí thư seat taken)
            booked.append(
                self.book(person, seat, start, end, (main_kind or kind) if index == 0 else kind, main=index == 0,
                          note=note if index == 0 else "")  # fmt: skip
            )
        return booked

    def end_bundle(self, assignments: list[PlannedAssignment], day: dt.date, note: str = "") -> None:
        for a in assignments:
            if a.end is None or a.end > day:
                self.end(a, day, note if a.main else "")

    def random_day(self, start: dt.date, end: dt.date) -> dt.date:
        if end <= start:
            return start
        return start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))

    # ------------------------------------------------------------------------------------------
    def build(self) -> "Plan":
        self._load_reference_data()
        self._build_city_structure()
        self._build_districts()
        self._build_communes()
        self._fill_city()
        self._fill_districts()
        self._legacy_to_communes()
        self._fill_communes()
        self._commune_stories()
        self._city_committee_terms()
        self._fill_cells()
        self._fill_staff()
        self.records = RecordPlanner(self)
        self.records.stories()
        self._finish()
        self.records.records()
        return self

    # Reference data ---------------------------------------------------------------------------
    def _load_reference_data(self) -> None:
        self.titles = {t.code: t for t in Title.objects.all()}
        areas = AdminArea.objects.all()
        new_provinces = {a.code: a for a in areas.filter(regime="2025", level=1)}
        hanoi_area = new_provinces.get("01")
        legacy_hanoi = areas.filter(regime="legacy", level=1, code="01").first()
        if hanoi_area is None or legacy_hanoi is None:
            raise DemoError("Chưa có dữ liệu đơn vị hành chính của Hà Nội (chạy `canbo areas load`).")
        self.hanoi_area = hanoi_area
        communes = list(areas.filter(regime="2025", level=3, parent=hanoi_area).order_by("code"))
        districts = list(areas.filter(regime="legacy", level=2, parent=legacy_hanoi).order_by("code"))
        self.hanoi_commune_areas = communes
        self.legacy_district_areas = districts

        by_province: dict[str, list[int]] = defaultdict(list)
        for pk, province_code in areas.filter(regime="2025", level=3).values_list("pk", "parent__code").order_by("code"):
            by_province[province_code].append(pk)
        # The legacy province that registered births in each 2025 commune (its citizen-ID digits).
        legacy_votes: dict[int, Counter] = defaultdict(Counter)
        district_votes: dict[int, Counter] = defaultdict(Counter)
        rows = AreaSuccession.objects.filter(new__regime="2025", new__level=3, old__level=3).values_list(
            "new_id", "old__parent__parent__code", "old__parent__code"
        )
        for new_id, old_province, old_district in rows:
            legacy_votes[new_id][old_province] += 1
            district_votes[new_id][old_district] += 1
        # Ties go to the smaller code, so that the row order of the query never changes the city.
        legacy_province = {pk: min(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0] for pk, votes in legacy_votes.items()}
        self.primary_district = {
            pk: min(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0] for pk, votes in district_votes.items()
        }
        # Every legacy district that gave a commune (or part of one) to each 2025 commune.
        self.source_districts = {pk: sorted(votes) for pk, votes in district_votes.items()}
        wards = frozenset(a.pk for a in communes if a.kind == "phường")
        self.places = Places(
            hanoi_communes=tuple(a.pk for a in communes),
            communes_by_province={code: tuple(ids) for code, ids in by_province.items() if code != "01"},
            legacy_province=legacy_province,
            ward_ids=wards,
        )
        self.factory = PersonFactory(self.rng, self.places, self.as_of)

    # Structure: the city ----------------------------------------------------------------------
    def _staff_seat(self, unit: PlannedUnit, title_code: str, base: float, sector: str, profile: str = "staff"):
        seat = self.seat(unit, title_code, 1, staff=True)
        self._staff_plan.append((seat, _counts(base, self.growth), sector, profile))
        return seat

    def _build_city_structure(self) -> None:
        root = self.unit(None, ROOT_NAME, "HN", K.PROVINCIAL_COMMITTEE, area_id=self.hanoi_area.pk, short_name="Thành ủy")
        self.root = root
        self.seat(root, "bi-thu-thanh-uy")
        self.seat(root, "pho-bi-thu-thuong-truc-thanh-uy")
        self.seat(root, "pho-bi-thu-thanh-uy", 2)
        units = {"root": root}

        def city_bundle(name, profile, *seats, sector="party", **options):
            self._city_bundles.append((_bundle(name, profile, *seats, sector=sector), units, options))

        city_bundle("bi_thu_tu", "top", ("root", "bi-thu-thanh-uy", AK.ELECTION), head=True, since=(2024, 2025))
        city_bundle("pbt_tt_tu", "top", ("root", "pho-bi-thu-thuong-truc-thanh-uy", AK.ELECTION), head=True,
                    since=(2021, 2025))  # fmt: skip

        # Party agencies of the city committee, each with its divisions.
        for agency in hanoi.PARTY_AGENCIES:
            unit = self.unit(root, agency.name, f"HN-{agency.code}", K.PARTY_AGENCY, short_name=agency.code)
            units[agency.code] = unit
            self.seat(unit, agency.head)
            self.seat(unit, f"pho-{agency.head}", agency.deputies)
            city_bundle(f"head_{agency.code}", "head", (agency.code, agency.head, AK.APPOINTMENT), sector=agency.sector,
                        head=True, btv=True)  # fmt: skip
            for i in range(agency.deputies - 1):  # one deputy seat stays free for moves
                city_bundle(f"dep_{agency.code}_{i}", "deputy", (agency.code, f"pho-{agency.head}", AK.APPOINTMENT),
                            sector=agency.sector, bch=i == 0 and agency.code == "BTC")  # fmt: skip
            divisions = []
            for d_index, division in enumerate(agency.divisions, 1):
                div = self.unit(unit, division.name, f"HN-{agency.code}-P{d_index}", K.DIVISION)
                divisions.append(div)
                self._division_seats(div, division, agency.sector, units, f"{agency.code}_P{d_index}")
            self.party_agencies.append((agency, unit, divisions))

        # HĐND and UBND of the city, the departments.
        hdnd = self.unit(root, "Hội đồng nhân dân Thành phố Hà Nội", "HN-HDND", K.PEOPLES_COUNCIL, short_name="HĐND")
        units["hdnd"] = hdnd
        self.seat(hdnd, "chu-tich-hdnd-tp")
        self.seat(hdnd, "pho-chu-tich-hdnd-tp", 3)
        self._staff_seat(hdnd, "chuyen-vien", 12, "law")
        ubnd = self.unit(root, "Ủy ban nhân dân Thành phố Hà Nội", "HN-UBND", K.PEOPLES_COMMITTEE, short_name="UBND")
        units["ubnd"] = ubnd
        self.seat(ubnd, "chu-tich-ubnd-tp")
        self.seat(ubnd, "pho-chu-tich-ubnd-tp", 7)
        city_bundle("ct_ubnd_tp", "top", ("ubnd", "chu-tich-ubnd-tp", AK.ELECTION),
                    ("root", "pho-bi-thu-thanh-uy", AK.ELECTION), head=True, since=(2023, 2025))  # fmt: skip
        city_bundle("ct_hdnd_tp", "top", ("hdnd", "chu-tich-hdnd-tp", AK.ELECTION),
                    ("root", "pho-bi-thu-thanh-uy", AK.ELECTION), head=True, since=(2021, 2025))  # fmt: skip
        for i in range(5):
            city_bundle(f"pct_ubnd_tp{i}", "head", ("ubnd", "pho-chu-tich-ubnd-tp", AK.ELECTION), sector="economy",
                        btv=i < 2, bch=i >= 2)  # fmt: skip
        for i in range(3):
            city_bundle(f"pct_hdnd_tp{i}", "head", ("hdnd", "pho-chu-tich-hdnd-tp", AK.ELECTION), sector="law", bch=True)

        for agency in hanoi.DEPARTMENTS:
            dept = self.unit(ubnd, agency.name, f"HN-UB-{agency.code}", K.DEPARTMENT, short_name=agency.code)
            units[agency.code] = dept
            self.seat(dept, agency.head)
            self.seat(dept, f"pho-{agency.head}", agency.deputies + 1)  # one place stays free for moves
            city_bundle(f"head_{agency.code}", "head", (agency.code, agency.head, AK.APPOINTMENT), sector=agency.sector,
                        head=True, reappoint=True)  # fmt: skip
            for i in range(agency.deputies):
                city_bundle(f"dep_{agency.code}_{i}", "deputy", (agency.code, f"pho-{agency.head}", AK.APPOINTMENT),
                            sector=agency.sector, reappoint=True)  # fmt: skip
            divisions, services = [], []
            for d_index, division in enumerate(agency.divisions, 1):
                div = self.unit(dept, division.name, f"HN-UB-{agency.code}-P{d_index}", K.DIVISION)
                divisions.append(div)
                self._division_seats(div, division, agency.sector, units, f"{agency.code}_P{d_index}")
            for s_index, service in enumerate(agency.services, 1):
                psu = self.unit(dept, service.name, f"HN-UB-{agency.code}-DV{s_index}", K.PUBLIC_SERVICE_UNIT)
                services.append(psu)
                key = f"{agency.code}_DV{s_index}"
                units[key] = psu
                head = "hieu-truong" if service.school else "giam-doc-dvsn"
                self.seat(psu, head)
                self.seat(psu, f"pho-{head}", service.deputies)
                sector = "education" if service.school else ("health" if agency.sector == "health" else agency.sector)
                city_bundle(f"head_{key}", "manager", (key, head, AK.APPOINTMENT), sector=sector, head=True,
                            min_age=38, reappoint=True)  # fmt: skip
                for i in range(service.deputies):
                    city_bundle(f"dep_{key}_{i}", "manager", (key, f"pho-{head}", AK.APPOINTMENT), sector=sector,
                                reappoint=True)  # fmt: skip
                profile = "teacher" if service.school else ("health" if agency.sector == "health" else "staff")
                self._staff_seat(psu, "vien-chuc", service.staff, sector, profile)
            self.departments.append((agency, dept, divisions, services))

        # The Fatherland Front and the mass organizations.
        front = self.unit(root, "Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố Hà Nội", "HN-MTTQ", K.FATHERLAND_FRONT,
                          short_name="MTTQ")  # fmt: skip
        units["mttq"] = front
        self.seat(front, "chu-tich-mttq-tp")
        self.seat(front, "pho-chu-tich-mttq-tp", 5)
        self._staff_seat(front, "chuyen-vien", 10, "front")
        city_bundle("ct_mttq_tp", "head", ("mttq", "chu-tich-mttq-tp", AK.ELECTION), sector="front", head=True, btv=True)
        for i in range(4):
            city_bundle(f"pct_mttq_tp{i}", "deputy", ("mttq", "pho-chu-tich-mttq-tp", AK.ELECTION), sector="front",
                        bch=i == 0)  # fmt: skip
        for name, short, head, deputies in hanoi.CITY_MASS_ORGANIZATIONS:
            org = self.unit(front, name, f"HN-MTTQ-{short}", K.MASS_ORGANIZATION, short_name=short)
            units[short] = org
            self.seat(org, head)
            self.seat(org, f"pho-{head}", deputies)
            self._staff_seat(org, "chuyen-vien", 6, "front")
            women = short == "HLHPN"
            profile = "youth" if short == "TD" else "head"
            city_bundle(f"head_{short}", profile, (short, head, AK.ELECTION), sector="front", head=True, bch=True,
                        female=True if women else (False if short == "HCCB" else None))  # fmt: skip
            for i in range(deputies):
                city_bundle(f"dep_{short}_{i}", "youth" if short == "TD" else "deputy", (short, f"pho-{head}", AK.ELECTION),
                            sector="front", female=True if women else None)  # fmt: skip

        # Committees of the city's agencies, their grassroots organizations and cells.
        for name, short in hanoi.AGENCY_BLOCKS:
            block = self.unit(root, name, f"HN-{short}", K.AFFILIATED_COMMITTEE, short_name=short)
            units[short] = block
            self.blocks[short] = block
            self.seat(block, "bi-thu-dang-uy-khoi")
            self.seat(block, "pho-bi-thu-dang-uy-khoi", 2)
            self._staff_seat(block, "chuyen-vien", 6, "party")
            city_bundle(f"bt_{short}", "head", (short, "bi-thu-dang-uy-khoi", AK.ELECTION), head=True, btv=True)
            for i in range(2):
                city_bundle(f"pbt_{short}_{i}", "deputy", (short, "pho-bi-thu-dang-uy-khoi", AK.ELECTION))
        for agency, unit, divisions in self.party_agencies:
            self._agency_party_organization(self.blocks["DUCQD"], agency, unit, divisions, [], units)
        for agency, dept, divisions, services in self.departments:
            self._agency_party_organization(self.blocks["DUUB"], agency, dept, divisions, services, units)
        self.city_units = units

    def _division_seats(self, div: PlannedUnit, division: hanoi.Division, sector: str, units: dict, key: str) -> None:
        units[key] = div
        self.seat(div, division.head)
        self.seat(div, f"pho-{division.head}", division.deputies)
        self._staff_seat(div, "chuyen-vien", division.staff, sector)
        self._city_bundles.append((_bundle(f"head_{key}", "manager", (key, division.head, AK.APPOINTMENT), sector=sector),
                                   units, {"head": True, "reappoint": True}))  # fmt: skip
        for i in range(division.deputies):
            self._city_bundles.append(
                (_bundle(f"dep_{key}_{i}", "manager", (key, f"pho-{division.head}", AK.APPOINTMENT), sector=sector),
                 units, {"reappoint": True})
            )

    def _agency_party_organization(self, block, agency, unit, divisions, services, units) -> None:
        """Đảng bộ <agency> (or Chi bộ when small) with a cell per division and per public service unit."""
        large = len(divisions) + len(services) >= 3
        kind = K.GRASSROOTS_COMMITTEE if large else K.GRASSROOTS_CELL
        prefix = "Đảng bộ" if large else "Chi bộ"
        org = self.unit(block, f"{prefix} {agency.name}", f"{block.code}-{agency.code}", kind)
        head_title = "bi-thu-dang-uy-co-so" if large else "bi-thu-chi-bo-co-so"
        self.seat(org, head_title)
        self.seat(org, f"pho-{head_title}")
        self._grassroots_of_agency[agency.code] = (org, head_title)
        if not large:
            return
        for d_index, div in enumerate(divisions, 1):
            cell = self.unit(org, f"Chi bộ {div.name}", f"{org.code}-CB{d_index}", K.PARTY_CELL)
            self.seat(cell, "bi-thu-chi-bo")
            self.seat(cell, "pho-bi-thu-chi-bo")
            self._division_cells[f"{agency.code}_P{d_index}"] = cell
        for s_index, (psu, spec) in enumerate(zip(services, agency.services, strict=True), 1):
            n = _counts(spec.cells, self.growth, 1)
            for c in range(1, n + 1):
                name = f"Chi bộ {psu.name}" if n == 1 else f"Chi bộ số {c} {psu.name}"
                cell = self.unit(org, name, f"{org.code}-DV{s_index}-{c}", K.PARTY_CELL)
                self.seat(cell, "bi-thu-chi-bo")
                self.seat(cell, "pho-bi-thu-chi-bo")
                self._service_cells.append((cell, self.seat_of(psu, "vien-chuc")))

    # Structure: legacy districts ----------------------------------------------------------------
    def _build_districts(self) -> None:
        root = self.root
        for area in self.legacy_district_areas:
            kind = area.kind
            bare = area.name.split(" ", 2)[-1] if kind == "thị xã" else area.name.split(" ", 1)[1]
            committee = {"quận": "Quận ủy", "huyện": "Huyện ủy", "thị xã": "Thị ủy"}.get(kind, "Quận ủy")
            level = kind if kind in ("quận", "huyện", "thị xã") else "quận"
            # Bắc and Nam Từ Liêm were made districts from 1 April 2014 (Nghị quyết 132/NQ-CP).
            established = dt.date(2014, 4, 1) if "Từ Liêm" in bare else None
            common = {"established_on": established, "dissolved_on": LEGACY_END}
            code = f"HN-Q{area.code}"
            qu = self.unit(root, f"{committee} {bare}", code, K.DISTRICT_COMMITTEE, area_id=area.pk, **common)
            hd = self.unit(qu, f"Hội đồng nhân dân {level} {bare}", f"{code}-HDND", K.PEOPLES_COUNCIL, area_id=area.pk,
                           **common)  # fmt: skip
            ub = self.unit(qu, f"Ủy ban nhân dân {level} {bare}", f"{code}-UBND", K.PEOPLES_COMMITTEE, area_id=area.pk,
                           **common)  # fmt: skip
            btc = self.unit(qu, f"Ban Tổ chức {committee} {bare}", f"{code}-BTC", K.PARTY_AGENCY, **common)
            ubkt = self.unit(qu, f"Ủy ban Kiểm tra {committee} {bare}", f"{code}-UBKT", K.PARTY_AGENCY, **common)
            units = {"qu": qu, "hd": hd, "ub": ub, "btc": btc, "ubkt": ubkt}
            for _name, _profile, seats, _sector in DISTRICT_BUNDLES:
                for unit_key, title_code, _kind in seats:
                    seat = self.seat(units[unit_key], title_code)
                    same = [s for s in DISTRICT_BUNDLES if any(k == unit_key and t == title_code for k, t, _ in s[2])]
                    seat.seat_count = len(same)
            self.seat(ub, "chuyen-vien", 1, staff=True)
            self.districts[area.code] = District(area=area, bare_name=bare, committee_name=f"{committee} {bare}",
                                                 units=units)  # fmt: skip

    # Structure: the 126 communes ----------------------------------------------------------------
    def _build_communes(self) -> None:
        root = self.root
        for area in self.hanoi_commune_areas:
            kind = area.kind if area.kind in ("phường", "xã") else "xã"
            prefix = area.name.split(" ", 1)[0]
            bare = area.name[len(prefix) + 1 :] if fold(prefix) in ("phuong", "xa") else area.name
            label = f"{kind} {bare}"
            code = f"HN-X{area.code}"
            est = {"established_on": NEW_START}
            du = self.unit(root, f"Đảng ủy {label}", code, K.AFFILIATED_COMMITTEE, area_id=area.pk, **est)
            units = {"du": du}
            units["vp"] = self.unit(du, f"Văn phòng Đảng ủy {label}", f"{code}-VP", K.PARTY_AGENCY, **est)
            units["xd"] = self.unit(du, f"Ban Xây dựng Đảng Đảng ủy {label}", f"{code}-XDD", K.PARTY_AGENCY, **est)
            units["kt"] = self.unit(du, f"Ủy ban Kiểm tra Đảng ủy {label}", f"{code}-UBKT", K.PARTY_AGENCY, **est)
            units["hd"] = self.unit(du, f"Hội đồng nhân dân {label}", f"{code}-HDND", K.PEOPLES_COUNCIL, area_id=area.pk,
                                    **est)  # fmt: skip
            ub = units["ub"] = self.unit(du, f"Ủy ban nhân dân {label}", f"{code}-UBND", K.PEOPLES_COMMITTEE,
                                         area_id=area.pk, short_name="UBND", **est)  # fmt: skip
            economy = "Phòng Kinh tế, Hạ tầng và Đô thị" if kind == "phường" else "Phòng Kinh tế"
            units["d1"] = self.unit(ub, f"Văn phòng HĐND và UBND {label}", f"{code}-UB-VP", K.DIVISION, **est)
            units["d2"] = self.unit(ub, f"{economy} {label}", f"{code}-UB-KT", K.DIVISION, **est)
            units["d3"] = self.unit(ub, f"Phòng Văn hóa - Xã hội {label}", f"{code}-UB-VHXH", K.DIVISION, **est)
            units["pv"] = self.unit(ub, f"Trung tâm Phục vụ hành chính công {label}", f"{code}-UB-PVHCC",
                                    K.PUBLIC_SERVICE_UNIT, **est)  # fmt: skip
            units["s1"] = self.unit(ub, f"Trường Mầm non {bare}", f"{code}-UB-MN", K.PUBLIC_SERVICE_UNIT, **est)
            units["s2"] = self.unit(ub, f"Trường Tiểu học {bare}", f"{code}-UB-TH", K.PUBLIC_SERVICE_UNIT, **est)
            mt = units["mt"] = self.unit(du, f"Ủy ban Mặt trận Tổ quốc Việt Nam {label}", f"{code}-MTTQ",
                                         K.FATHERLAND_FRONT, **est)  # fmt: skip
            mass = []
            for org_name, short, head, commune_only in hanoi.COMMUNE_MASS_ORGANIZATIONS:
                if commune_only and kind == "phường":
                    continue
                org = self.unit(mt, f"{org_name} {label}", f"{code}-MTTQ-{short}", K.MASS_ORGANIZATION, **est)
                units[f"m_{short}"] = org
                self.seat(org, head)
                self.seat(org, f"pho-{head}")
                mass.append((short, head))
            units["c1"] = self.unit(du, f"Chi bộ Trường Mầm non {bare}", f"{code}-CBMN", K.GRASSROOTS_CELL, **est)
            units["c2"] = self.unit(du, f"Chi bộ Trường Tiểu học {bare}", f"{code}-CBTH", K.GRASSROOTS_CELL, **est)
            units["cq"] = self.unit(du, f"Chi bộ Cơ quan Ủy ban nhân dân {label}", f"{code}-CBCQ", K.PARTY_CELL, **est)
            # The commune's committee, council and people's committee took over from those of the
            # legacy districts its area came from (the official old → new mapping of the areas).
            sources = [self.districts[c] for c in self.source_districts.get(area.pk, ()) if c in self.districts]
            for key, legacy_key in (("du", "qu"), ("hd", "hd"), ("ub", "ub")):
                units[key].predecessors = [d.units[legacy_key] for d in sources]
            commune = Commune(area=area, bare_name=bare, kind=kind, units=units,
                              district_code=self.primary_district.get(area.pk))  # fmt: skip
            commune.mass = mass
            seat_users: Counter = Counter()
            for _name, _profile, seats, _sector in COMMUNE_BUNDLES:
                for unit_key, title_code, _kind in seats:
                    seat_users[(unit_key, title_code)] += 1
            for (unit_key, title_code), users in seat_users.items():
                spare = 1 if title_code.startswith("uv-") else 0
                self.seat(units[unit_key], title_code, users + spare)
            # Heads of the mass organizations sit on the executive committee too.
            self.seat(du, "uv-bch-dang-uy-xa").seat_count += len(mass)
            for key, title, base, sector, profile in (
                ("vp", "cong-chuc-xa", hanoi.COMMUNE_STAFF["party_office"], "office", "staff"),
                ("xd", "cong-chuc-xa", hanoi.COMMUNE_STAFF["party_building"], "party", "staff"),
                ("kt", "cong-chuc-xa", hanoi.COMMUNE_STAFF["inspection"], "inspection", "staff"),
                ("mt", "cong-chuc-xa", hanoi.COMMUNE_STAFF["front"], "front", "staff"),
                ("d1", "cong-chuc-xa", hanoi.COMMUNE_STAFF["office"], "office", "staff"),
                ("d2", "cong-chuc-xa", hanoi.COMMUNE_STAFF["economy"], "economy", "staff"),
                ("d3", "cong-chuc-xa", hanoi.COMMUNE_STAFF["society"], "culture", "staff"),
                ("pv", "vien-chuc", hanoi.COMMUNE_STAFF["service_centre"], "office", "staff"),
                ("s1", "vien-chuc", hanoi.COMMUNE_STAFF["school"], "education", "teacher"),
                ("s2", "vien-chuc", hanoi.COMMUNE_STAFF["school"], "education", "teacher"),
            ):
                seat = self._staff_seat(units[key], title, base, sector, profile)
                self._commune_of_seat[id(seat)] = commune
            # Residential party cells (chi bộ tổ dân phố / thôn) and a few party groups.
            base = hanoi.CELLS_PER_WARD if kind == "phường" else hanoi.CELLS_PER_COMMUNE
            n_cells = _counts(base * self.rng.uniform(0.7, 1.3), self.growth, 1)
            for i in range(1, n_cells + 1):
                name = f"Chi bộ tổ dân phố số {i}" if kind == "phường" else f"Chi bộ thôn {self._hamlet(i)}"
                cell = self.unit(du, name, f"{code}-CB{i:04d}", K.PARTY_CELL, **est)
                self.seat(cell, "bi-thu-chi-bo")
                self.seat(cell, "pho-bi-thu-chi-bo")
                groups = []
                if self.rng.random() < 0.25:
                    for g in range(1, self.rng.randint(1, 2) + 1):
                        group = self.unit(cell, f"Tổ đảng số {g}", f"{cell.code}-T{g}", K.PARTY_GROUP, **est)
                        self.seat(group, "to-truong-to-dang")
                        groups.append(group)
                commune.cells.append((cell, groups))
            self.communes.append(commune)

    @staticmethod
    def _hamlet(i: int) -> str:
        names = ("Đông", "Đoài", "Thượng", "Hạ", "Trung", "Nam", "Bắc", "Đình", "Chùa", "Mới")
        return names[i - 1] if i <= len(names) else f"số {i}"

    # People: the city --------------------------------------------------------------------------
    def _fill_city(self) -> None:
        rng = self.rng
        for spec, units, options in self._city_bundles:
            name, profile, seats, sector = spec
            head = options.get("head", False)
            if rng.random() < (HEAD_VACANCY if head else VACANCY):
                continue
            main_unit_key, main_title, main_kind = seats[0]
            main_unit = units[main_unit_key]
            person = self.person(
                profile, unit_kind=main_unit.kind, title_code=main_title, sector=sector, near=None, local_share=0.78,
                female=options.get("female"), min_age=options.get("min_age"),
            )  # fmt: skip
            low, high = options.get("since", (2017, 2025))
            start = self.random_day(dt.date(low, 1, 1), min(dt.date(high, 9, 30), self.as_of))
            start = max(start, self.earliest_start(person, 30 if head else 27))
            if start > self.as_of:
                start = self.as_of
            self.city_people[name] = self._book_with_reappointment(spec, units, person, start, options.get("reappoint"))
        self._city_promotions()

    def _book_with_reappointment(self, spec, units, person, start, reappoint: bool) -> list[PlannedAssignment]:
        """Appointments run five years (Decree 138/2020 art. 41): older ones were renewed once."""
        renewal = add_years(start, 5)
        if reappoint and renewal <= self.as_of:
            first = self.fill_bundle(spec, units, person, start, renewal - DAY)
            return first + self.fill_bundle(spec, units, person, renewal, None, main_kind=AK.REAPPOINTMENT)
        return self.fill_bundle(spec, units, person, start)

    def _current(self, booked: list[PlannedAssignment], day: dt.date) -> list[PlannedAssignment]:
        return [a for a in booked if a.covers(day)]

    def cut_bundle(self, booked: list[PlannedAssignment], day: dt.date, note: str = "") -> list[PlannedAssignment]:
        """End a holder's posts on `day`; drop segments planned after it (a renewal that never came)."""
        kept = []
        for a in booked:
            if a.start > day:
                a.seat.bookings.remove(a)
                self.assignments.remove(a)
                self._by_person[a.person.key].remove(a)
                continue
            if a.end is None or a.end > day:
                self.end(a, day, note if a.main else "")
            kept.append(a)
        return kept

    def _city_promotions(self) -> None:
        """Some directors moved up to the city's people's committee (or retired); a deputy took over."""
        rng = self.rng
        units = self.city_units
        for agency, _dept, _divisions, _services in self.departments:
            if agency.head != "giam-doc-so" or rng.random() > 0.3:
                continue
            head_name, deputy_name = f"head_{agency.code}", f"dep_{agency.code}_0"
            head = self.city_people.get(head_name)
            deputy = self.city_people.get(deputy_name)
            if not head or not deputy:
                continue
            day = self.random_day(dt.date(2022, 1, 1), min(dt.date(2025, 12, 31), self.as_of - dt.timedelta(days=60)))
            old = [a for a in head if a.main and a.covers(day) and a.start < day]
            successor = [a for a in deputy if a.main and a.covers(day) and a.start < day]
            if not old or not successor:
                continue
            old_person, new_person = old[0].person, successor[0].person
            head = self.cut_bundle(head, day)
            self.cut_bundle(deputy, day)
            spec = _bundle(head_name, "head", (agency.code, "giam-doc-so", AK.APPOINTMENT), sector=agency.sector)
            self.city_people[head_name] = head + self.fill_bundle(spec, units, new_person, day + DAY)
            ubnd_seat = self.seat_of(units["ubnd"], "pho-chu-tich-ubnd-tp")
            if self.can_book(ubnd_seat, day + DAY, None, old_person):
                self.book(old_person, ubnd_seat, day + DAY, None, AK.ELECTION, main=True)
            else:
                old[0].note = "Nghỉ hưu theo chế độ"
                self.retirees.append(old_person)
            later = day + dt.timedelta(days=rng.randint(20, 120))
            if later > self.as_of:
                continue
            # Deputies are at least 36, so the start (at most a few years back) is well past their 30th birthday.
            newcomer = self.person("deputy", unit_kind=K.DEPARTMENT, title_code="pho-giam-doc-so", sector=agency.sector,
                                   local_share=0.78, min_age=36)  # fmt: skip
            dep_spec = _bundle(deputy_name, "deputy", (agency.code, "pho-giam-doc-so", AK.APPOINTMENT),
                               sector=agency.sector)  # fmt: skip
            self.city_people[deputy_name] = self.fill_bundle(dep_spec, units, newcomer, later)

    # People: legacy districts -------------------------------------------------------------------
    def _fill_districts(self) -> None:
        rng = self.rng
        for code in sorted(self.districts):
            district = self.districts[code]
            congress = self.random_day(dt.date(2020, 7, 15), dt.date(2020, 9, 15))
            election = self.random_day(dt.date(2021, 6, 22), dt.date(2021, 7, 5))
            for spec in DISTRICT_BUNDLES:
                name, profile, seats, sector = spec
                main_key, main_title, _kind = seats[0]
                person = self.person(profile, unit_kind=district.units[main_key].kind, title_code=main_title,
                                     sector="party" if name in DISTRICT_PARTY_MAINS else "commune",
                                     local_share=0.75, min_age=46 if profile == "head" else 40)  # fmt: skip
                if profile == "head":
                    start = congress if name in DISTRICT_PARTY_MAINS or name == "bi_thu" else election
                    if name in ("tb_tc",):
                        start = self.random_day(congress, dt.date(2022, 12, 31))
                else:
                    start = self.random_day(dt.date(2016, 7, 1), dt.date(2023, 12, 31))
                start = max(start, self.earliest_start(person, 30), district.units["qu"].established_on or dt.date.min)
                booked = []
                # Heads re-elected at the 2020 congress also held the post in the previous term.
                if profile == "head" and rng.random() < 0.3:
                    earlier = start - dt.timedelta(days=rng.randint(900, 1800))
                    if earlier >= self.earliest_start(person, 32) and district.units["qu"].exists_on(earlier):
                        booked += self.fill_bundle(spec, district.units, person, earlier, start - DAY)
                booked += self.fill_bundle(spec, district.units, person, start, LEGACY_END)
                district.holders[name] = booked
        self._district_promotions()
        self._district_rotations()
        # Staff of the old people's committees; many carry on in the new communes (see _fill_staff).
        self._legacy_staff_seat = {code: self.seat_of(d.units["ub"], "chuyen-vien") for code, d in self.districts.items()}

    def _district_promotions(self) -> None:
        """A Phó Chủ tịch became Chủ tịch when the Chủ tịch moved to a department of the city."""
        rng = self.rng
        spec_by_name = {s[0]: s for s in DISTRICT_BUNDLES}
        for code in sorted(self.districts):
            if rng.random() > 0.35:
                continue
            district = self.districts[code]
            day = self.random_day(dt.date(2022, 3, 1), dt.date(2024, 9, 30))
            chair = [a for a in district.holders["ct_ubnd"] if a.covers(day)]
            deputy = [a for a in district.holders["pct_ubnd1"] if a.covers(day)]
            if not chair or not deputy or chair[0].start >= day or deputy[0].start >= day:
                continue
            target = self._free_city_deputy_seat(day + DAY, chair[0].person)
            if target is None:
                continue
            self.end_bundle(chair, day)
            self.book(chair[0].person, target, day + DAY, None, AK.TRANSFER, main=True)
            self.end_bundle(deputy, day)
            promoted = deputy[0].person
            district.holders["ct_ubnd"] = [a for a in district.holders["ct_ubnd"] if a.end and a.end <= day] + \
                self.fill_bundle(spec_by_name["ct_ubnd"], district.units, promoted, day + DAY, LEGACY_END)  # fmt: skip
            later = day + dt.timedelta(days=rng.randint(30, 150))
            newcomer = self.person("deputy", unit_kind=K.PEOPLES_COMMITTEE, title_code="pho-chu-tich-ubnd-huyen",
                                   local_share=0.75, min_age=40)  # fmt: skip
            district.holders["pct_ubnd1"] = [a for a in district.holders["pct_ubnd1"] if a.end and a.end <= day] + \
                self.fill_bundle(spec_by_name["pct_ubnd1"], district.units, newcomer, later, LEGACY_END)  # fmt: skip

    def _district_rotations(self) -> None:
        """Secretaries rotated between districts (luân chuyển), in pairs, on the same day."""
        rng = self.rng
        codes = sorted(self.districts)
        rng.shuffle(codes)
        spec = DISTRICT_BUNDLES[0]
        for a_code, b_code in list(zip(codes[::2], codes[1::2], strict=False))[:3]:
            a, b = self.districts[a_code], self.districts[b_code]
            day = self.random_day(dt.date(2022, 6, 1), dt.date(2024, 6, 30))
            cur_a = [x for x in a.holders["bi_thu"] if x.covers(day) and x.start < day]
            cur_b = [x for x in b.holders["bi_thu"] if x.covers(day) and x.start < day]
            if not cur_a or not cur_b:
                continue
            self.end_bundle(cur_a, day)
            self.end_bundle(cur_b, day)
            person_a, person_b = cur_a[0].person, cur_b[0].person
            kept_a = [x for x in a.holders["bi_thu"] if x.end and x.end <= day]
            kept_b = [x for x in b.holders["bi_thu"] if x.end and x.end <= day]
            a.holders["bi_thu"] = kept_a + self.fill_bundle(spec, a.units, person_b, day + DAY, LEGACY_END,
                                                            main_kind=AK.ROTATION)  # fmt: skip
            b.holders["bi_thu"] = kept_b + self.fill_bundle(spec, b.units, person_a, day + DAY, LEGACY_END,
                                                            main_kind=AK.ROTATION)  # fmt: skip

    def _free_city_deputy_seat(self, day: dt.date, person) -> PlannedSeat | None:
        candidates = [self.seat_of(dept, "pho-giam-doc-so") for agency, dept, _d, _s in self.departments
                      if agency.head == "giam-doc-so"]  # fmt: skip
        candidates += [self.seat_of(unit, f"pho-{agency.head}") for agency, unit, _d in self.party_agencies]
        self.rng.shuffle(candidates)
        for seat in candidates:
            if self.can_book(seat, day, None, person):
                return seat
        return None

    # 1 July 2025: district leaders to the new communes -------------------------------------------
    def _legacy_to_communes(self) -> None:
        rng = self.rng
        spec_by_name = {s[0]: s for s in COMMUNE_BUNDLES}
        communes_of: dict[str, list[Commune]] = defaultdict(list)
        for commune in self.communes:
            if commune.district_code:
                communes_of[commune.district_code].append(commune)
        for code in sorted(self.districts):
            district = self.districts[code]
            landing = [(name, c) for name in LEGACY_LANDING for c in communes_of.get(code, [])]
            leaders = []
            for spec in DISTRICT_BUNDLES:
                leaders += [a for a in district.holders.get(spec[0], []) if a.main and a.covers(LEGACY_END)]
            for last in leaders:
                person = last.person
                roll = rng.random()
                if roll < 0.1:
                    self._retire(last)
                    continue
                if roll < 0.2:
                    seat = self._free_city_deputy_seat(NEW_START, person)
                    if seat is not None:
                        self.book(person, seat, NEW_START, None, AK.TRANSFER, main=True)
                        continue
                while landing:
                    name, commune = landing.pop(0)
                    if name in commune.holders:
                        continue
                    spec = spec_by_name[name]
                    party = spec[2][0][0] in PARTY_SEAT_KEYS
                    commune.holders[name] = self.fill_bundle(
                        spec, commune.units, person, NEW_START, main_kind=AK.TRANSFER if party else AK.ELECTION
                    )
                    break
                else:
                    self._retire(last)

    def _retire(self, last: PlannedAssignment) -> None:
        last.note = "Nghỉ hưu trước tuổi theo Nghị định 178/2024/NĐ-CP"
        self.retirees.append(last.person)

    # People: the communes ---------------------------------------------------------------------
    def _fill_communes(self) -> None:
        rng = self.rng
        for commune in self.communes:
            for spec in COMMUNE_BUNDLES:
                name, profile, seats, sector = spec
                if name in commune.holders:
                    continue
                head = profile == "head"
                if rng.random() < (HEAD_VACANCY if head else VACANCY):
                    continue
                main_key, main_title, _kind = seats[0]
                unit = commune.units[main_key]
                # Heads of communes should come from elsewhere (Quy định 65-QĐ/TW; Hà Nội's NQ 04).
                local = 0.5 if name in ("bi_thu", "ct_ubnd") else 0.75
                female = None
                if name.startswith(("ht", "pht")):  # fewer women head schools than teach in them
                    female = rng.random() < (0.3 if name.startswith("ht") else 0.65)
                person = self.person(profile, unit_kind=unit.kind, title_code=main_title, sector=sector,
                                     near=commune.area.pk, local_share=local, female=female)  # fmt: skip
                start = NEW_START if rng.random() < 0.9 else self.random_day(NEW_START, dt.date(2025, 12, 31))
                start = min(max(start, self.earliest_start(person, 26)), self.as_of)
                commune.holders[name] = self.fill_bundle(spec, commune.units, person, start)
            self._fill_mass_organizations(commune)

    def _fill_mass_organizations(self, commune: Commune) -> None:
        rng = self.rng
        for short, head in commune.mass:
            org = commune.units[f"m_{short}"]
            for title, profile in ((head, "deputy"), (f"pho-{head}", "manager")):
                if rng.random() < VACANCY:
                    continue
                women = short == "PN"
                youth = short == "DTN"
                person = self.person("youth" if youth else profile, unit_kind=org.kind, title_code=title, sector="front",
                                     near=commune.area.pk, local_share=0.85,
                                     female=True if women else (False if short == "CCB" else None),
                                     min_age=45 if short == "CCB" else None)  # fmt: skip
                start = max(NEW_START, self.earliest_start(person, 24))
                seats = [(f"m_{short}", title, AK.ELECTION)]
                if title == head:
                    seats.append(("du", "uv-bch-dang-uy-xa", AK.DESIGNATION))
                commune.holders[f"{short}_{title}"] = self.fill_bundle(
                    _bundle(f"{short}_{title}", profile, *seats), commune.units, person, start
                )

    def _commune_stories(self) -> None:
        """After 1 July 2025: rotations between wards and a few promotions inside a commune."""
        rng = self.rng
        spec_by_name = {s[0]: s for s in COMMUNE_BUNDLES}
        latest = min(dt.date(2026, 8, 31), self.as_of - dt.timedelta(days=30))
        if latest <= dt.date(2025, 10, 1):
            return
        # Rotation: two communes swap their standing deputy secretaries (or party-building heads).
        order = list(self.communes)
        rng.shuffle(order)
        pairs = list(zip(order[::2], order[1::2], strict=False))
        for a, b in pairs[: max(1, len(pairs) // 12)]:
            name = rng.choice(("pbt_tt", "tb_xdd"))
            day = self.random_day(dt.date(2025, 12, 1), latest)
            cur_a = self._current(a.holders.get(name, []), day)
            cur_b = self._current(b.holders.get(name, []), day)
            if not cur_a or not cur_b or cur_a[0].start >= day or cur_b[0].start >= day:
                continue
            self.end_bundle(cur_a, day)
            self.end_bundle(cur_b, day)
            spec = spec_by_name[name]
            a.holders[name] = self.fill_bundle(spec, a.units, cur_b[0].person, day + DAY, main_kind=AK.ROTATION)
            b.holders[name] = self.fill_bundle(spec, b.units, cur_a[0].person, day + DAY, main_kind=AK.ROTATION)
        # Promotion: the chairman moves to a department of the city; a vice-chairman takes over.
        for commune in self.communes:
            if rng.random() > 0.06:
                continue
            day = self.random_day(dt.date(2025, 10, 1), latest)
            chair = self._current(commune.holders.get("ct_ubnd", []), day)
            deputy = self._current(commune.holders.get("pct_ubnd1", []), day)
            if not chair or not deputy or chair[0].start >= day or deputy[0].start >= day:
                continue
            target = self._free_city_deputy_seat(day + DAY, chair[0].person)
            if target is None:
                continue
            self.end_bundle(chair, day)
            self.book(chair[0].person, target, day + DAY, None, AK.TRANSFER, main=True)
            self.end_bundle(deputy, day)
            commune.holders["ct_ubnd"] = self.fill_bundle(spec_by_name["ct_ubnd"], commune.units, deputy[0].person,
                                                          day + DAY, main_kind=AK.ELECTION)  # fmt: skip
            later = day + dt.timedelta(days=rng.randint(20, 90))
            if later <= self.as_of:
                newcomer = self.person("deputy", unit_kind=K.PEOPLES_COMMITTEE, title_code="pho-chu-tich-ubnd-xa",
                                       near=commune.area.pk, local_share=0.75, min_age=36)  # fmt: skip
                commune.holders["pct_ubnd1"] = self.fill_bundle(spec_by_name["pct_ubnd1"], commune.units, newcomer,
                                                                later)  # fmt: skip

    # The city committee's 2025–2030 term: standing committee and executive committee -------------
    def _city_committee_terms(self) -> None:
        if self.as_of < CITY_CONGRESS:
            return
        root = self.root
        btv_people, bch_people = [], []
        for spec, _units, options in self._city_bundles:
            booked = self.city_people.get(spec[0]) or []
            current = [a for a in booked if a.main and a.covers(CITY_CONGRESS)]
            if not current:
                continue
            if options.get("btv"):
                btv_people.append(current[0])
            elif options.get("bch"):
                bch_people.append(current[0])
        for agency, _dept, _d, _s in self.departments:
            current = [a for a in self.city_people.get(f"head_{agency.code}", []) if a.main and a.covers(CITY_CONGRESS)]
            if current and current[0] not in bch_people:
                bch_people.append(current[0])
        # Secretaries of some communes sit on the city committee; those of the two central wards on its BTV.
        central = [c for c in self.communes if c.bare_name in ("Ba Đình", "Hoàn Kiếm")]
        others = [c for c in self.communes if c not in central][:: max(1, len(self.communes) // 26)]
        for commune in central + others:
            current = [a for a in commune.holders.get("bi_thu", []) if a.main and a.covers(CITY_CONGRESS)]
            if current:
                (btv_people if commune in central else bch_people).append(current[0])
        btv = self.seat(root, "uv-btv-thanh-uy", len(btv_people) + 2)
        bch = self.seat(root, "uv-bch-thanh-uy", len(bch_people) + 4)
        for seat, holders in ((btv, btv_people), (bch, bch_people)):
            for main in holders:
                start = max(CITY_CONGRESS, main.start)
                end = main.end
                if end is not None and end < start:
                    continue
                if self.can_book(seat, start, end, main.person):
                    self.book(main.person, seat, start, end, AK.ELECTION, main=False)

    # Cells, groups, agency cells ----------------------------------------------------------------
    def _fill_cells(self) -> None:
        rng = self.rng
        for commune in self.communes:
            for cell, groups in commune.cells:
                for title in ("bi-thu-chi-bo", "pho-bi-thu-chi-bo"):
                    if rng.random() < (0.04 if title == "bi-thu-chi-bo" else 0.15):
                        continue
                    person = self.person("cell", unit_kind=cell.kind, title_code=title, near=commune.area.pk,
                                         local_share=0.93, category=Category.OTHER)  # fmt: skip
                    self.book(person, self.seat_of(cell, title), NEW_START, None, AK.ELECTION, main=True)
                for group in groups:
                    if rng.random() < 0.1:
                        continue
                    person = self.person("cell", unit_kind=group.kind, title_code="to-truong-to-dang",
                                         near=commune.area.pk, local_share=0.93, category=Category.OTHER)  # fmt: skip
                    self.book(person, self.seat_of(group, "to-truong-to-dang"), NEW_START, None, AK.ELECTION, main=True)
        # Grassroots organizations of the city's agencies: the head of the agency is its secretary,
        # the head of each division the secretary of the division's cell.
        for code, (org, head_title) in self._grassroots_of_agency.items():
            agency_head = self.city_people.get(f"head_{code}") or []
            for a in agency_head:
                if a.main and (a.end is None or a.end >= CELL_TERM_START):
                    self._concurrent(a, self.seat_of(org, head_title))
            deputy = self.city_people.get(f"dep_{code}_0") or []
            for a in deputy:
                if a.main and (a.end is None or a.end >= CELL_TERM_START):
                    self._concurrent(a, self.seat_of(org, f"pho-{head_title}"))
        for key, cell in self._division_cells.items():
            for a in self.city_people.get(f"head_{key}") or []:
                if a.main and (a.end is None or a.end >= CELL_TERM_START):
                    self._concurrent(a, self.seat_of(cell, "bi-thu-chi-bo"))
            for a in self.city_people.get(f"dep_{key}_0") or []:
                if a.main and (a.end is None or a.end >= CELL_TERM_START):
                    self._concurrent(a, self.seat_of(cell, "pho-bi-thu-chi-bo"))

    def _concurrent(self, main: PlannedAssignment, seat: PlannedSeat) -> None:
        start = max(main.start, CELL_TERM_START)
        if main.end is not None and main.end < start:
            return
        if self.can_book(seat, start, main.end, main.person):
            self.book(main.person, seat, start, main.end, AK.ELECTION, main=False)

    # Staff ---------------------------------------------------------------------------------------
    def _fill_staff(self) -> None:
        rng = self.rng
        for seat, count, sector, profile in self._staff_plan:
            unit = seat.unit
            commune = self._commune_of_seat.get(id(seat))
            for _ in range(count):
                person = self.person(profile, unit_kind=unit.kind, title_code=seat.title.code, sector=sector,
                                     near=commune.area.pk if commune else None,
                                     local_share=0.8 if commune else 0.74)  # fmt: skip
                first_day = self.earliest_start(person, 23)
                if commune is None:
                    start = self.random_day(max(first_day, dt.date(1995, 1, 1)), self.as_of)
                    kind = AK.APPOINTMENT
                    if start < dt.date(2024, 1, 1) and rng.random() < 0.1:
                        # Came from another agency of the city.
                        other, _c, _s, _p = rng.choice(self._staff_plan)
                        earlier = self.random_day(max(first_day, start - dt.timedelta(days=3650)), start - DAY)
                        if other is not seat and self._commune_of_seat.get(id(other)) is None and \
                                self.can_book(other, earlier, start - DAY, person) and earlier < start:  # fmt: skip
                            self.book(person, other, earlier, start - DAY, AK.APPOINTMENT, main=True)
                            kind = AK.TRANSFER
                    self.book(person, seat, start, None, kind, main=True)
                    continue
                # Commune staff: most came from the old district and ward offices on 1 July 2025.
                start = NEW_START if rng.random() < 0.88 else self.random_day(NEW_START + DAY, self.as_of)
                start = max(start, first_day)
                if start > self.as_of:
                    start = self.as_of
                kind = AK.TRANSFER if start == NEW_START else AK.APPOINTMENT
                legacy_seat = self._legacy_staff_seat.get(commune.district_code or "")
                if kind == AK.TRANSFER and legacy_seat is not None and seat.title.code == "cong-chuc-xa" \
                        and rng.random() < 0.35 and first_day < dt.date(2024, 1, 1):  # fmt: skip
                    hired = self.random_day(max(first_day, dt.date(2005, 1, 1)), dt.date(2024, 6, 30))
                    unit_start = legacy_seat.unit.established_on
                    if unit_start is None or hired >= unit_start:
                        self.book(person, legacy_seat, hired, LEGACY_END, AK.APPOINTMENT, main=True)
                self.book(person, seat, start, None, kind, main=True)
        # Cells of public service units: a viên chức of the unit is secretary.
        for cell, staff_seat in self._service_cells:
            current = [a for a in staff_seat.bookings if a.end is None]
            rng.shuffle(current)
            for title, holder in zip(("bi-thu-chi-bo", "pho-bi-thu-chi-bo"), current, strict=False):
                if holder.person.party_joined_on is None:
                    continue
                self._concurrent(holder, self.seat_of(cell, title))

    # Finishing -----------------------------------------------------------------------------------
    def _finish(self) -> None:
        # Staff seats are sized from their busiest day, with room to recruit.
        for seat in self.seats:
            if seat.staff:
                peak = peak_holders(seat.bookings)
                seat.seat_count = max(1, peak + math.ceil(peak * 0.1))
            if seat.seat_count > 32767:
                raise DemoError("số lượng vị trí vượt quá giới hạn")
        # The record unit: where the person holds their main seat today, or held it last.
        last_main: dict[int, PlannedAssignment] = {}
        for a in self.assignments:
            if not a.main:
                continue
            key = id(a.person)
            best = last_main.get(key)
            if best is None or (a.end or dt.date.max) > (best.end or dt.date.max):
                last_main[key] = a
        keeper = self.city_units["BTC"]
        for person in self.people:
            a = last_main.get(id(person))
            if a is None:
                raise DemoError(f"{person.full_name} không có vị trí công tác nào")
            unit = a.seat.unit
            person.unit = keeper if unit.dissolved_on else unit
        # Never write an assignment that starts after the data date.
        for a in self.assignments:
            if a.start > self.as_of or (a.decision_date and a.decision_date > self.as_of):
                raise DemoError("ngày trong tương lai")

    # Counters used by the command and the tests --------------------------------------------------
    def summary(self) -> dict:
        leadership = [s for s in self.seats if s.title.is_leadership]
        places = sum(s.seat_count for s in leadership if s.unit.exists_on(self.as_of))
        held = sum(
            min(s.seat_count, sum(1 for b in s.bookings if b.covers(self.as_of)))
            for s in leadership
            if s.unit.exists_on(self.as_of)
        )
        return {
            "units": len(self.units),
            "positions": len(self.seats),
            "people": len(self.people),
            "assignments": len(self.assignments),
            "communes": len(self.communes),
            "legacy_districts": len(self.districts),
            "leadership_places": places,
            "leadership_vacant": places - held,
            "retired": len(self.retirees),
            **(self.records.summary() if self.records else {}),
        }
