"""A city for the dashboard: people of every kind the figures sort (sex, age, ethnicity,
qualifications, degrees, retirement, heads local or not), built through the real services."""

import datetime as dt
import random
from dataclasses import dataclass, field

import pytest

from canbo.access.models import Role
from canbo.common.dates import today
from canbo.org import services as org_services
from canbo.org.models import UnitKind
from canbo.people import catalogues as c
from canbo.people.selectors import years_before

from .. import factories as f

REFORM = dt.date(2025, 7, 1)


@dataclass
class QuotaCity:
    root: object
    ward_a: object
    ward_b: object
    cell_a: object
    committee_b: object
    district: object  # legacy district, dissolved at the reform
    areas: dict
    seats: dict
    people: dict = field(default_factory=dict)
    officer: object = None
    ward_officer: object = None


def _with_area(unit, area):
    return org_services.unit_update(actor=None, unit=unit, area=area)


def add_crowd(city: QuotaCity, n: int, *, seed: int, prefix: str = "") -> list:
    """`n` people in service with varied attributes, each on a staff seat of their record unit."""
    rng = random.Random(seed)
    day = today()
    units = ["root", "ward_a", "ward_b", "cell_a", "committee_b"]
    ethnicities = ["01"] * 6 + ["02", "03", "06"]
    places = [None, "ba_dinh", "hoan_kiem", "legacy_commune", "province"]
    made = []
    for i in range(n):
        key = units[i % len(units)]
        sex = "F" if rng.random() < 0.45 else "M"
        age = rng.randint(21, 64)
        birth = years_before(day, age) - dt.timedelta(days=rng.randint(0, 360))
        levels = sorted(rng.sample([1, 2, 3, 4, 5], rng.randint(0, 2)))
        person = f.make_person(
            getattr(city, key),
            f"{prefix}Cán Bộ Số {i:03d}",
            sex=sex,
            birth_date=birth,
            ethnicity=rng.choice(ethnicities),
            political_theory=rng.choice(c.PoliticalTheory.values),
            state_management=rng.choice(c.StateManagement.values),
            hometown=city.areas.get(rng.choice(places)) if rng.random() < 0.8 else None,
            degrees=[
                {
                    "level": lv,
                    "field": "Luật",
                    "institution": "Trường Đại học Luật Hà Nội",
                    "year": 2005,
                }
                for lv in levels
            ],
        )
        f.make_assignment(
            person,
            city.seats[f"staff_{key}"],
            start_date=max(birth + dt.timedelta(days=365 * 20), dt.date(2000, 1, 1)),
        )
        made.append(person)
    return made


@pytest.fixture
def quota_city(db, hanoi_areas) -> QuotaCity:
    areas = hanoi_areas
    root = f.make_unit(
        "Đảng bộ Thành phố Hà Nội",
        kind=UnitKind.PROVINCIAL_COMMITTEE,
        code="HN",
        area=areas["province"],
    )
    district = f.make_unit("Đảng bộ quận Hoàn Kiếm (cũ)", parent=root, kind=UnitKind.DISTRICT_COMMITTEE, code="HN-Q-HK",
                           dissolved_on=dt.date(2025, 6, 30), area=areas["legacy_district"])  # fmt: skip
    ward_a = f.make_unit(
        "Đảng ủy phường Ba Đình", parent=root, code="HN-BADINH", area=areas["ba_dinh"]
    )
    ward_b = f.make_unit(
        "Đảng ủy phường Hoàn Kiếm", parent=root, code="HN-HOANKIEM", area=areas["hoan_kiem"]
    )
    cell_a = f.make_unit(
        "Chi bộ tổ dân phố số 1", parent=ward_a, kind=UnitKind.PARTY_CELL, code="HN-BADINH-CB1"
    )
    committee_b = f.make_unit(
        "Ủy ban nhân dân phường Hoàn Kiếm",
        parent=ward_b,
        kind=UnitKind.PEOPLES_COMMITTEE,
        code="HN-HOANKIEM-UB",
    )
    secretary = f.make_title("bi-thu", "Bí thư", is_head=True, rank=10)
    chair = f.make_title("chu-tich-ubnd", "Chủ tịch UBND", is_head=True, rank=9)
    staff = f.make_title("chuyen-vien", "Chuyên viên", is_leadership=False, rank=1)
    units = {
        "root": root,
        "ward_a": ward_a,
        "ward_b": ward_b,
        "cell_a": cell_a,
        "committee_b": committee_b,
    }
    seats = {f"staff_{k}": f.make_position(u, staff, seat_count=200) for k, u in units.items()}
    seats.update(
        {
            "root_secretary": f.make_position(root, secretary),
            "a_secretary": f.make_position(ward_a, secretary),
            "b_secretary": f.make_position(ward_b, secretary),
            "cell_secretary": f.make_position(cell_a, secretary),
            "b_chair": f.make_position(committee_b, chair),
            "district_secretary": f.make_position(district, secretary),
        }
    )
    place = {
        "ba_dinh": areas["ba_dinh"],
        "hoan_kiem": areas["hoan_kiem"],
        "legacy_commune": areas["legacy_commune"],  # Phường Trúc Bạch (cũ) → Phường Ba Đình
        "province": areas["province"],
    }
    city = QuotaCity(root, ward_a, ward_b, cell_a, committee_b, district, place, seats)

    day = today()
    heads = {
        # local to the city: hometown in one of its wards
        "city_secretary": dict(unit=root, seat="root_secretary", hometown=areas["hoan_kiem"]),
        # local through the 2025 mapping: hometown is a legacy commune merged into Ba Đình
        "a_secretary": dict(
            unit=ward_a, seat="a_secretary", sex="F", hometown=areas["legacy_commune"]
        ),
        # not local: everything recorded is in another ward
        "b_secretary": dict(
            unit=ward_b,
            seat="b_secretary",
            sex="F",
            hometown=areas["ba_dinh"],
            birthplace=areas["ba_dinh"],
        ),
        # local by residence: 20 years in Ba Đình (the cell has no area: its ward's counts)
        "cell_secretary": dict(
            unit=cell_a,
            seat="cell_secretary",
            residence=areas["ba_dinh"],
            residence_since=dt.date(2004, 3, 1),
        ),
        # unknown: no place recorded at all
        "b_chair": dict(unit=committee_b, seat="b_chair", ethnicity="02"),
    }
    for n, (key, spec) in enumerate(heads.items()):
        seat = seats[spec.pop("seat")]
        unit = spec.pop("unit")
        person = f.make_person(
            unit, f"Người Đứng Đầu {n}", birth_date=years_before(day, 45 + n), **spec
        )
        f.make_assignment(
            person, seat, start_date=REFORM if unit not in (root,) else dt.date(2020, 10, 1)
        )
        city.people[key] = person
    # Served in the legacy district until the reform, then retired: counted on old dates only.
    retired = f.make_person(district, "Nguyễn Văn Hưu", birth_date=dt.date(1963, 4, 2))
    f.make_assignment(
        retired,
        seats["district_secretary"],
        start_date=dt.date(2020, 10, 1),
        end_date=dt.date(2025, 6, 30),
    )
    city.people["retired"] = retired
    # A record without any seat: never in the headcount.
    city.people["no_seat"] = f.make_person(
        ward_a, "Lê Thị Chưa Xếp", sex="F", birth_date=dt.date(1995, 1, 1)
    )
    add_crowd(city, 40, seed=11)
    city.officer = f.make_user("city_officer", grants=[(root, Role.OFFICER)])
    city.ward_officer = f.make_user("ward_officer", grants=[(ward_a, Role.OFFICER)])
    return city


@pytest.fixture
def city_client(client, quota_city):
    client.force_login(quota_city.officer)
    return client
