"""Figures of the quota dashboard: a unit's subtree and each direct sub-unit, as of a date.

Who is counted (the headcount, shown on the page): a person whose record is kept (Person.unit)
in the unit or below it, and who holds at least one seat (an assignment, anywhere) on the date,
that is, someone in service on that day; retirees keep their record but hold no seat. The record
unit is today's: the system keeps no dated history of where a record was kept.

Heads are counted by seat, not by record: every head seat (Title.is_head) of the subtree held on
the date, wherever the holder's record is. "Local" is the regulations' rule
(`canbo.regulations.locality`: hometown, birthplace or long residence in the area of the seat's
unit, legacy areas mapped to the 2025 areas through AreaSuccession).

Every figure is computed for each unit's own records and seats (`own_figures`), for all units
at once or for a few, in a constant number of queries: one aggregate over people, one over their
degrees, one over head seats (plus the area lists the locality rule loads). The roll-ups
(`canbo.dashboard.rollup`) keep them for a day and sum them over any subtree. The drill-down
lists use the same filters, so a list always has as many rows as its figure.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connections
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from canbo.access.policy import AccessPolicy
from canbo.areas.models import AdminArea, AreaSuccession
from canbo.org.models import Unit
from canbo.people import catalogues as c
from canbo.people.models import Assignment, Degree, Person
from canbo.people.populations import Basis
from canbo.people.selectors import years_before
from canbo.regulations.calendar import month_end
from canbo.regulations.locality import AreaIndex, PlaceFacts, local_reasons
from canbo.regulations.params import ParameterNotInForce, default_parameters
from canbo.regulations.retirement import retirement_for

from .rollup import RollupStore
from .targets import TARGET_PARAMETERS, Status, Target, parameter, status_of, target_for

STEPLEN = Unit.steplen
PEOPLE = "people"
HEADS = "heads"
RETIREMENT_YEARS = 5
SEXES = (c.Sex.MALE, c.Sex.FEMALE)

GROUPS = {
    "core": _("Cơ cấu đội ngũ"),
    "political_theory": _("Lý luận chính trị"),
    "state_management": _("Quản lý nhà nước"),
    "degree": _("Trình độ chuyên môn cao nhất"),
    "pyramid": _("Tháp tuổi"),
    "retirement": _("Đến tuổi nghỉ hưu"),
    "heads": _("Người đứng đầu"),
}
# The shares shown as KPI cards, each against its target.
KPI_KEYS = ("women", "under_young", "under_youth", "minorities", "heads_non_local")

DEFINITIONS = {
    "headcount": _(
        "Cán bộ đang công tác: người có hồ sơ do đơn vị hoặc đơn vị cấp dưới quản lý và đang giữ ít nhất một vị trí "
        "(quá trình công tác còn hiệu lực, ở bất kỳ đơn vị nào) vào ngày xem. Người đã nghỉ hưu hoặc thôi giữ mọi vị trí "
        "không được tính, nên số này có thể nhỏ hơn số hồ sơ quản lý trên cây tổ chức; người giữ vị trí ở đây nhưng có "
        "hồ sơ do đơn vị khác quản lý được tính ở đơn vị đó. Đơn vị quản lý hồ sơ là đơn vị hiện tại của hồ sơ."
    ),
    "heads": _(
        "Người đứng đầu: mỗi vị trí có chức danh người đứng đầu của đơn vị hoặc đơn vị cấp dưới đang có người giữ "
        "vào ngày xem (một người giữ hai vị trí đứng đầu được tính hai lần). Người địa phương: quê quán, nơi sinh, "
        "hoặc thường trú đủ số năm theo quy định tại địa bàn của đơn vị (kể cả địa bàn cũ trước sắp xếp đã nhập "
        "vào địa bàn này). Vị trí chưa xác định được địa bàn hoặc người thiếu cả quê quán, nơi sinh, nơi thường trú "
        "không tính vào tỷ lệ."
    ),
    "age": _("Tuổi tính theo ngày sinh, tròn năm, vào ngày xem."),
    "retirement": _(
        "Năm đến tuổi nghỉ hưu theo Bộ luật Lao động 2019 (Điều 169) và Nghị định 135/2020/NĐ-CP; năm đầu chỉ tính "
        "những người nghỉ hưu từ tháng của ngày xem trở đi."
    ),
}


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    group: str
    population: str = PEOPLE
    q: Q | None = None  # filter on Person (people indicators)
    base: str | None = "headcount"  # the figure a share is taken of; None: a count only
    aggregated: bool = True  # False: computed by a separate query (degrees) or in Python (heads)


@dataclass(frozen=True)
class AgeBand:
    key: str
    label: str
    earliest: dt.date | None  # birth dates, inclusive
    latest: dt.date | None

    def q(self) -> Q:
        q = Q()
        if self.earliest is not None:
            q &= Q(birth_date__gte=self.earliest)
        if self.latest is not None:
            q &= Q(birth_date__lte=self.latest)
        return q


def age_band(key: str, label: str, day: dt.date, low: int | None, high: int | None) -> AgeBand:
    """People aged `low`..`high` (whole years, inclusive; None open) on `day`, as birth dates."""
    latest = years_before(day, low) if low is not None else None
    earliest = years_before(day, high + 1) + dt.timedelta(days=1) if high is not None else None
    return AgeBand(key, label, earliest, latest)


def pyramid_bands(day: dt.date) -> list[AgeBand]:
    step = parameter("age_bands.pyramid_step", day).value
    edges = list(range(25, 61, step))
    bands = [
        age_band(
            f"duoi-{edges[0]}", str(_("Dưới %(age)d") % {"age": edges[0]}), day, None, edges[0] - 1
        )
    ]
    for low, high in zip(edges, edges[1:], strict=False):
        bands.append(age_band(f"{low}-{high - 1}", f"{low}–{high - 1}", day, low, high - 1))
    bands.append(
        age_band(f"tu-{edges[-1]}", str(_("Từ %(age)d") % {"age": edges[-1]}), day, edges[-1], None)
    )
    return bands


def retirement_windows(day: dt.date, years: list[int]) -> tuple[dict, dict]:
    """Birth-date ranges of the people reaching retirement in each year, and of those already past it.

    Returns ({(sex, year): (earliest, latest)}, {sex: latest birth date already retired}). The
    retirement month only grows with the birth month (the age rises by 3 or 4 months a year), so
    each year is one contiguous range of birth months; a birth date known only to the year is
    stored as 1 January, the month the regulations assume for it.
    """
    params = default_parameters()
    current = (day.year, day.month)
    windows: dict[tuple[str, int], tuple[dt.date, dt.date]] = {}
    past: dict[str, dt.date | None] = {}
    for sex in SEXES:
        past[sex] = None
        for birth_year in range(day.year - 75, years[-1] - 50):
            for birth_month in range(1, 13):
                try:
                    r = retirement_for(
                        sex=sex, birth_year=birth_year, birth_month=birth_month, params=params
                    )
                except ValueError:
                    continue
                if (r.year, r.month) < current:
                    past[sex] = month_end(birth_year, birth_month)
                    continue
                if r.year not in years:
                    continue
                start = dt.date(birth_year, birth_month, 1)
                end = month_end(birth_year, birth_month)
                low, high = windows.get((sex, r.year), (start, end))
                windows[(sex, r.year)] = (min(low, start), max(high, end))
    return windows, past


def _highest_degree_q(level: int) -> Q:
    degrees = Degree.objects.filter(person=OuterRef("pk"))
    if level == 0:
        return ~Q(Exists(degrees))
    return Q(Exists(degrees.filter(level=level))) & ~Q(Exists(degrees.filter(level__gt=level)))


NOTHING = Q(pk__in=[])


@dataclass
class Catalogue:
    """The indicators in force on a date (age bands and retirement years depend on it)."""

    day: dt.date
    young: int
    youth: int
    bands: list[AgeBand]
    years: list[int]
    indicators: dict[str, Indicator] = field(default_factory=dict)

    def add(self, indicator: Indicator) -> None:
        self.indicators[indicator.key] = indicator

    def group(self, name: str) -> list[Indicator]:
        return [i for i in self.indicators.values() if i.group == name]

    def __getitem__(self, key: str) -> Indicator:
        return self.indicators[key]

    def __contains__(self, key: str) -> bool:
        return key in self.indicators


def build_catalogue(day: dt.date) -> Catalogue:
    young = parameter("age_bands.young", day).value
    youth = parameter("age_bands.youth", day).value
    years = [day.year + n for n in range(RETIREMENT_YEARS)]
    cat = Catalogue(day=day, young=young, youth=youth, bands=pyramid_bands(day), years=years)
    sex_label = dict(c.Sex.choices)

    # The same name as on the tree, the unit page and the people list (canbo.people.populations).
    cat.add(Indicator("headcount", Basis.IN_SERVICE.label, "core", q=Q(), base=None))
    cat.add(Indicator("women", _("Nữ"), "core", q=Q(sex=c.Sex.FEMALE)))
    cat.add(Indicator("men", _("Nam"), "core", q=Q(sex=c.Sex.MALE)))
    cat.add(Indicator("under_young", str(_("Dưới %(age)d tuổi") % {"age": young}), "core",
                      q=Q(birth_date__gt=years_before(day, young))))  # fmt: skip
    cat.add(Indicator("under_youth", str(_("Dưới %(age)d tuổi") % {"age": youth}), "core",
                      q=Q(birth_date__gt=years_before(day, youth))))  # fmt: skip
    cat.add(Indicator("minorities", _("Dân tộc thiểu số"), "core", q=~Q(ethnicity=c.KINH)))
    for value, label in c.PoliticalTheory.choices:
        cat.add(Indicator(f"pt_{value}", label, "political_theory", q=Q(political_theory=value)))
    for value, label in c.StateManagement.choices:
        cat.add(Indicator(f"sm_{value}", label, "state_management", q=Q(state_management=value)))
    for value, label in reversed(c.DegreeLevel.choices):
        cat.add(
            Indicator(
                f"degree_{value}", label, "degree", q=_highest_degree_q(value), aggregated=False
            )
        )
    cat.add(
        Indicator(
            "degree_0",
            _("Chưa có bằng chuyên môn"),
            "degree",
            q=_highest_degree_q(0),
            aggregated=False,
        )
    )
    for band in cat.bands:
        for sex in SEXES:
            label = f"{band.label} – {sex_label[sex]}"
            cat.add(Indicator(f"age_{band.key}_{sex}", label, "pyramid", q=Q(sex=sex) & band.q()))

    windows, past = retirement_windows(day, years)
    for year in years:
        by_sex = {}
        for sex in SEXES:
            window = windows.get((sex, year))
            by_sex[sex] = Q(sex=sex, birth_date__range=window) if window else NOTHING
            label = f"{year} – {sex_label[sex]}"
            cat.add(Indicator(f"retire_{year}_{sex}", label, "retirement", q=by_sex[sex]))
        label = str(_("Nghỉ hưu năm %(year)d") % {"year": year})
        cat.add(
            Indicator(
                f"retire_{year}", label, "retirement", q=by_sex[c.Sex.MALE] | by_sex[c.Sex.FEMALE]
            )
        )
    overdue = NOTHING
    for sex in SEXES:
        if past[sex] is not None:
            overdue |= Q(sex=sex, birth_date__lte=past[sex])
    cat.add(
        Indicator(
            "past_retirement", _("Đã qua tuổi nghỉ hưu, còn giữ vị trí"), "retirement", q=overdue
        )
    )

    cat.add(
        Indicator(
            "heads",
            _("Vị trí người đứng đầu có người giữ"),
            "heads",
            HEADS,
            base=None,
            aggregated=False,
        )
    )
    cat.add(Indicator("heads_known", _("Xác định được là người địa phương hay không"), "heads", HEADS,
                      base="heads", aggregated=False))  # fmt: skip
    cat.add(Indicator("heads_non_local", _("Người đứng đầu không là người địa phương"), "heads", HEADS,
                      base="heads_known", aggregated=False))  # fmt: skip
    cat.add(Indicator("heads_unknown", _("Chưa xác định được (thiếu địa bàn hoặc nơi sinh, quê quán, thường trú)"),
                      "heads", HEADS, base="heads", aggregated=False))  # fmt: skip
    return cat


# People ----------------------------------------------------------------------------------------


def people_in_service(
    unit: Unit, day: dt.date, policy: AccessPolicy, *, own_only: bool = False
) -> QuerySet[Person]:
    """The headcount's people: record kept in the subtree (or in `unit` only), holding a seat on `day`."""
    people = _serving(day).filter(policy.path_q(field="unit__path"))
    return people.filter(unit=unit) if own_only else people.filter(unit__path__startswith=unit.path)


@dataclass
class FigureBlock:
    """Figures of many units at once: a row per unit, (unit id, a count for each key)."""

    keys: list[str]
    rows: list[tuple[int, ...]]

    @classmethod
    def from_dicts(cls, keys: list[str], counts: dict[int, dict[str, int]]) -> "FigureBlock":
        return cls(keys, [(unit, *(c.get(key, 0) for key in keys)) for unit, c in counts.items()])


def _fetch(query: str, params, using: str) -> list[tuple]:
    with connections[using].cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def own_people_counts(day: dt.date, cat: Catalogue, unit_ids=None) -> FigureBlock:
    """The people indicators of the records kept in each unit itself (not below), in one query.

    The query is the ORM's, read through the cursor: the counts are plain integers already, and
    Django's per-value converters would cost more than the query on a province (50 columns ×
    tens of thousands of units).
    """
    aggregates = {
        ind.key: Count("id", filter=ind.q) if ind.key != "headcount" else Count("id")
        for ind in cat.indicators.values()
        if ind.population == PEOPLE and ind.aggregated
    }
    rows = _serving(day, unit_ids).order_by().values("unit_id").annotate(**aggregates)
    sql, params = rows.query.sql_with_params()
    return FigureBlock(list(aggregates), _fetch(sql, params, rows.db))


def own_degree_counts(day: dt.date, unit_ids=None) -> FigureBlock:
    """People by highest degree and record unit, in one query.

    The people query is compiled by the ORM and wrapped in SQL that takes each person's highest
    degree level before counting, which the ORM cannot nest (an aggregate over an aggregate).
    """
    base = _serving(day, unit_ids).order_by().values("id", "unit_id")
    sql, params = base.query.sql_with_params()
    degree = connections[base.db].ops.quote_name(Degree._meta.db_table)
    query = (
        "SELECT t.unit_id, t.highest, COUNT(*) FROM ("
        f" SELECT b.id, b.unit_id, MAX(d.level) AS highest FROM ({sql}) b"
        f" LEFT JOIN {degree} d ON d.person_id = b.id GROUP BY b.id, b.unit_id"
        ") t GROUP BY t.unit_id, t.highest"
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for unit_id, highest, n in _fetch(query, params, base.db):
        counts[unit_id][f"degree_{highest or 0}"] = n
    keys = ["degree_0", *(f"degree_{value}" for value in c.DegreeLevel.values)]
    return FigureBlock.from_dicts(keys, counts)


def _serving(day: dt.date, unit_ids=None) -> QuerySet[Person]:
    """Everyone holding a seat on `day` (optionally only records kept in `unit_ids`)."""
    serving = Assignment.objects.filter(Assignment.current_on_q(day), person=OuterRef("pk"))
    people = Person.objects.filter(Exists(serving))
    return people if unit_ids is None else people.filter(unit_id__in=unit_ids)


# Heads -----------------------------------------------------------------------------------------

LOCAL, NON_LOCAL, UNKNOWN = "local", "non_local", "unknown"


@dataclass
class HeadSeat:
    assignment_id: int
    person_id: int
    unit_id: int
    unit_path: str
    area_id: int | None
    status: str
    reasons: list[str]


def _areas_by_path(unit: Unit | None = None) -> dict[str, int]:
    """Units that have an area (of `unit`'s subtree and above it; all when None): a seat's area is
    its nearest one's."""
    units = Unit.objects.filter(area__isnull=False)
    if unit is not None:
        ancestors = [unit.path[: STEPLEN * d] for d in range(1, unit.depth)]
        units = units.filter(Q(path__startswith=unit.path) | Q(path__in=ancestors))
    return dict(units.values_list("path", "area_id"))


def _nearest_area(path: str, areas: dict[str, int]) -> int | None:
    for end in range(len(path), 0, -STEPLEN):
        area = areas.get(path[:end])
        if area is not None:
            return area
    return None


_AREA_INDEX: dict = {}


def area_fingerprint() -> tuple:
    """Row counts, largest id and sums of links of the area tables: it changes when they do."""
    return (
        tuple(
            AdminArea.objects.aggregate(
                n=Count("id"), top=Max("id"), parents=Sum("parent_id")
            ).values()
        ),
        tuple(
            AreaSuccession.objects.aggregate(
                n=Count("id"), old=Sum("old_id"), new=Sum("new_id")
            ).values()
        ),
    )


def area_index() -> AreaIndex:
    """The regulations' area index, kept between requests while the area tables are unchanged.

    Areas are reference data, changed only by `canbo areas load`; loading all of them (tens of
    thousands of rows) on every page would cost more than the figures themselves.
    """
    fingerprint = area_fingerprint()
    cached = _AREA_INDEX.get("index")
    if cached is None or cached[0] != fingerprint:
        cached = _AREA_INDEX["index"] = (fingerprint, AreaIndex())
    return cached[1]


class _OnDay:
    """The regulations' parameters with each value read once: the locality rule asks for the same
    two parameters, on the same day, for every head."""

    def __init__(self, params):
        self._params = params
        self._values: dict = {}

    def get(self, name: str, on: dt.date):
        key = (name, on)
        if key not in self._values:
            try:
                self._values[key] = self._params.get(name, on)
            except ParameterNotInForce as exc:
                self._values[key] = exc
        value = self._values[key]
        if isinstance(value, ParameterNotInForce):
            raise value
        return value


def _head_seats_held(day: dt.date) -> QuerySet[Assignment]:
    return Assignment.objects.filter(Assignment.current_on_q(day), position__title__is_head=True)


def head_seats(
    unit: Unit, day: dt.date, policy: AccessPolicy, *, own_only: bool = False
) -> list[HeadSeat]:
    """Every head seat of the subtree held on `day`, with whether its holder is local."""
    seats = _head_seats_held(day).filter(policy.path_q(field="position__unit__path"))
    if own_only:
        seats = seats.filter(position__unit=unit)
    else:
        seats = seats.filter(position__unit__path__startswith=unit.path)
    return _classified(seats, day, lambda: _areas_by_path(unit))


def _classified(seats: QuerySet[Assignment], day: dt.date, load_areas) -> list[HeadSeat]:
    rows = list(
        seats.order_by("position__unit__path", "id").values_list(
            "id", "person_id", "position__unit_id", "position__unit__path", "person__hometown_id",
            "person__birthplace_id", "person__residence_id", "person__residence_since",
        )
    )  # fmt: skip
    if not rows:
        return []
    areas = load_areas()
    params = _OnDay(default_parameters())
    index = area_index()
    result = []
    for assignment_id, person_id, unit_id, path, hometown, birthplace, residence, since in rows:
        seat = (assignment_id, person_id, unit_id, path)
        area = _nearest_area(path, areas)
        if area is None:
            result.append(HeadSeat(*seat, None, UNKNOWN, [str(_("đơn vị chưa gắn địa bàn"))]))
            continue
        if hometown is None and birthplace is None and residence is None:
            reasons = [str(_("thiếu quê quán, nơi sinh và nơi thường trú"))]
            result.append(HeadSeat(*seat, area, UNKNOWN, reasons))
            continue
        try:
            reasons = local_reasons(
                PlaceFacts(hometown, birthplace, residence, since), area, day, params, index
            )
        except ParameterNotInForce:
            reasons = [str(_("chưa có quy định về người địa phương vào ngày xem"))]
            result.append(HeadSeat(*seat, area, UNKNOWN, reasons))
            continue
        result.append(HeadSeat(*seat, area, LOCAL if reasons else NON_LOCAL, reasons))
    return result


HEAD_FILTERS = {
    "heads": lambda s: True,
    "heads_known": lambda s: s.status != UNKNOWN,
    "heads_non_local": lambda s: s.status == NON_LOCAL,
    "heads_unknown": lambda s: s.status == UNKNOWN,
}


def own_head_counts(day: dt.date, unit_ids=None) -> FigureBlock:
    """The head-seat figures of each unit's own seats (not below)."""
    seats = _head_seats_held(day)
    if unit_ids is not None:
        seats = seats.filter(position__unit_id__in=unit_ids)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(HEAD_FILTERS, 0))
    for seat in _classified(seats, day, _areas_by_path):
        unit = counts[seat.unit_id]
        for key, matches in HEAD_FILTERS.items():
            unit[key] += matches(seat)
    return FigureBlock.from_dicts(list(HEAD_FILTERS), counts)


def own_figures(day: dt.date, cat: Catalogue, unit_ids=None) -> list[FigureBlock]:
    """Every figure of the records and seats of each unit itself (all units, or `unit_ids`)."""
    return [
        own_people_counts(day, cat, unit_ids),
        own_degree_counts(day, unit_ids),
        own_head_counts(day, unit_ids),
    ]


# The report ------------------------------------------------------------------------------------


@dataclass
class Share:
    indicator: Indicator
    count: int
    base: int
    target: Target | None = None

    @property
    def share(self) -> float | None:
        return self.count / self.base if self.base else None

    @property
    def percent(self) -> float | None:
        return None if self.share is None else self.share * 100

    @cached_property
    def status(self) -> str:
        return status_of(self.count, self.base, self.target)

    @property
    def status_label(self) -> str:
        return Status.LABELS[self.status]

    @property
    def badge(self) -> str:
        return Status.BADGES[self.status]

    def as_dict(self) -> dict:
        return {
            "count": self.count,
            "base": self.base,
            "share": None if self.share is None else round(self.share, 4),
            "target": self.target.as_dict() if self.target else None,
            "status": self.status,
        }


@dataclass
class Row:
    """One line of the sub-units table: a direct sub-unit, or the records kept in the unit itself."""

    unit: Unit
    counts: dict[str, int]
    own: bool = False
    exists: bool = True
    label: str = ""


@dataclass
class QuotaReport:
    unit: Unit
    day: dt.date
    catalogue: Catalogue
    total: dict[str, int]
    rows: list[Row]
    targets: dict[str, Target | None]

    def count(self, key: str, counts: dict[str, int] | None = None) -> int:
        return (self.total if counts is None else counts).get(key, 0)

    def share(self, key: str, counts: dict[str, int] | None = None) -> Share:
        indicator = self.catalogue[key]
        counts = self.total if counts is None else counts
        base = counts.get(indicator.base, 0) if indicator.base else 0
        return Share(indicator, counts.get(key, 0), base, self.targets.get(key))

    def kpis(self) -> list[Share]:
        return [self.share(key) for key in KPI_KEYS]

    def row_shares(self, row: Row) -> list[Share]:
        return [self.share(key, row.counts) for key in KPI_KEYS]

    def as_dict(self) -> dict:
        def figures(counts: dict[str, int]) -> dict:
            return {
                "counts": {key: counts.get(key, 0) for key in self.catalogue.indicators},
                "shares": {key: self.share(key, counts).as_dict() for key in KPI_KEYS},
            }

        return {
            "unit": {"id": self.unit.pk, "code": self.unit.code, "name": self.unit.name},
            "date": self.day.isoformat(),
            "definitions": {key: str(text) for key, text in DEFINITIONS.items()},
            "indicators": {
                key: {"label": str(ind.label), "group": ind.group, "base": ind.base}
                for key, ind in self.catalogue.indicators.items()
            },
            **figures(self.total),
            "sub_units": [
                {
                    "id": row.unit.pk,
                    "code": row.unit.code,
                    "name": row.label,
                    "own_records": row.own,
                    "exists_on_date": row.exists,
                    **figures(row.counts),
                }
                for row in self.rows
            ],
        }


def children_of(unit: Unit, policy: AccessPolicy) -> list[Unit]:
    """All direct sub-units (also those not existing on the date: their people may still be counted)."""
    return list(
        Unit.objects.filter(
            policy.path_q(), path__startswith=unit.path, depth=unit.depth + 1
        ).order_by("path")
    )


def quota_report(unit: Unit, day: dt.date, policy: AccessPolicy) -> QuotaReport:
    """The dashboard's figures for `unit`'s subtree and each direct sub-unit.

    They are read from the day's roll-ups (`canbo.dashboard.rollup`): the own figures of every
    unit, built once per day and kept current with each audited write, summed over a subtree.
    """
    cat = build_catalogue(day)
    totals = ROLLUPS.totals(day, cat)
    rows: list[Row] = []
    own = totals.own(unit)
    if any(own.values()):
        rows.append(
            Row(
                unit,
                own,
                own=True,
                label=str(_("Hồ sơ, vị trí tại chính %(unit)s") % {"unit": unit.name}),
            )
        )
    for child in children_of(unit, policy):
        counts = totals.subtree(child)
        exists = child.exists_on(day)
        if exists or any(counts.values()):
            rows.append(Row(child, counts, exists=exists, label=child.name))
    targets = {key: target_for(key, day) for key in TARGET_PARAMETERS}
    return QuotaReport(
        unit=unit, day=day, catalogue=cat, total=totals.subtree(unit), rows=rows, targets=targets
    )


ROLLUPS = RollupStore(compute=own_figures, fingerprint=area_fingerprint)


# Drill-down ------------------------------------------------------------------------------------


def drilldown_people(
    unit: Unit, day: dt.date, policy: AccessPolicy, indicator: Indicator, *, own_only=False
):
    people = people_in_service(unit, day, policy, own_only=own_only)
    return people.filter(indicator.q) if indicator.q else people


def drilldown_heads(
    unit: Unit, day: dt.date, policy: AccessPolicy, indicator: Indicator, *, own_only=False
):
    matches = HEAD_FILTERS[indicator.key]
    return [seat for seat in head_seats(unit, day, policy, own_only=own_only) if matches(seat)]
