"""A city across the 1 July 2025 reform, with seats, holders and users of each role."""

import datetime as dt
from dataclasses import dataclass

import pytest

from canbo.access.models import Role
from canbo.org.models import UnitKind

from .. import factories as f

REFORM = dt.date(2025, 7, 1)
LAST_LEGACY_DAY = dt.date(2025, 6, 30)


@dataclass
class City:
    root: object
    district: object  # legacy district committee, dissolved at the reform
    old_commune: object
    ward_a: object
    ward_b: object
    cell_a: object
    secretary: object  # titles
    deputy: object
    seats: dict
    people: dict
    admin: object
    officer_a: object
    officer_b: object
    reader: object
    auditor: object


def build_city() -> City:
    root = f.make_unit("Đảng bộ Thành phố Hà Nội", kind=UnitKind.PROVINCIAL_COMMITTEE, code="HN")
    district = f.make_unit(
        "Đảng bộ quận Hai Bà Trưng", parent=root, kind=UnitKind.DISTRICT_COMMITTEE, code="HN-Q-HBT", dissolved_on=LAST_LEGACY_DAY
    )
    old_commune = f.make_unit(
        "Đảng ủy phường Lê Đại Hành", parent=district, kind=UnitKind.GRASSROOTS_COMMITTEE, code="HN-Q-HBT-LDH", dissolved_on=LAST_LEGACY_DAY
    )
    ward_a = f.make_unit("Đảng ủy phường Ba Đình", parent=root, code="HN-BADINH", established_on=REFORM)
    ward_b = f.make_unit("Đảng ủy phường Hoàn Kiếm", parent=root, code="HN-HOANKIEM", established_on=REFORM)
    cell_a = f.make_unit("Chi bộ tổ dân phố số 1", parent=ward_a, kind=UnitKind.PARTY_CELL, code="HN-BADINH-CB1", established_on=REFORM)

    secretary = f.make_title("bi-thu", "Bí thư", is_head=True, rank=10)
    deputy = f.make_title("pho-bi-thu", "Phó Bí thư", rank=9)
    seats = {
        "root": f.make_position(root, secretary, is_key_post=True),
        "district": f.make_position(district, secretary, is_key_post=True),
        "ward_a": f.make_position(ward_a, secretary, is_key_post=True),
        "ward_a_deputy": f.make_position(ward_a, deputy, seat_count=2),
        "ward_b": f.make_position(ward_b, secretary, is_key_post=True),
        "cell_a": f.make_position(cell_a, secretary),
    }
    people = {
        "city_secretary": f.make_person(root, "Nguyễn Văn Thành"),
        "district_secretary": f.make_person(district, "Lê Văn Quận"),
        "a_secretary": f.make_person(ward_a, "Trần Thị Ánh", sex="F"),
        "a_deputy": f.make_person(ward_a, "Phạm Văn Đức"),
        "b_secretary": f.make_person(ward_b, "Hoàng Thị Bích", sex="F"),
        "cell_member": f.make_person(cell_a, "Vũ Văn Cường"),
    }
    f.make_assignment(people["city_secretary"], seats["root"], start_date=dt.date(2020, 10, 1))
    f.make_assignment(
        people["district_secretary"], seats["district"], start_date=dt.date(2021, 1, 1), end_date=LAST_LEGACY_DAY
    )
    f.make_assignment(people["a_secretary"], seats["ward_a"], kind="designation", start_date=REFORM)
    f.make_assignment(people["a_deputy"], seats["ward_a_deputy"], kind="designation", start_date=REFORM)
    f.make_assignment(people["b_secretary"], seats["ward_b"], kind="designation", start_date=REFORM)
    return City(
        root=root,
        district=district,
        old_commune=old_commune,
        ward_a=ward_a,
        ward_b=ward_b,
        cell_a=cell_a,
        secretary=secretary,
        deputy=deputy,
        seats=seats,
        people=people,
        admin=f.make_user("admin", superuser=True),
        officer_a=f.make_user("officer_a", grants=[(ward_a, Role.OFFICER)]),
        officer_b=f.make_user("officer_b", grants=[(ward_b, Role.OFFICER)]),
        reader=f.make_user("reader", grants=[(root, Role.READER)]),
        auditor=f.make_user("auditor", grants=[(root, Role.AUDITOR)]),
    )


@pytest.fixture
def hn(db) -> City:
    return build_city()


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login
