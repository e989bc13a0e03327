"""A city with two wards, A and B, each with a unit below it, a seat, a person holding it:
the world of the access tests. Ward B's names are distinctive so a leak shows in any page."""

import datetime as dt
from dataclasses import dataclass

from canbo.access.models import Role
from canbo.areas.models import AdminArea
from canbo.org.models import UnitKind

from .. import factories as f

WARD_B_MARKERS = ("Phường Thử Nghiệm Bê", "Chi bộ Bê Một", "Bùi Thị Bê Mật")


@dataclass
class Ward:
    unit: object
    cell: object
    position: object
    person: object
    assignment: object


@dataclass
class World:
    root: object
    a: Ward
    b: Ward
    title: object
    area: object
    officer: object


def _ward(root, title, *, name, cell_name, person_name, code, sex):
    unit = f.make_unit(name, parent=root, code=code)
    cell = f.make_unit(cell_name, parent=unit, kind=UnitKind.PARTY_CELL, code=f"{code}-CB1")
    position = f.make_position(unit, title, is_key_post=True)
    person = f.make_person(cell, person_name, sex=sex)
    assignment = f.make_assignment(person, position, start_date=dt.date(2021, 1, 1), decision_number=f"{code}/QĐ-1")
    return Ward(unit=unit, cell=cell, position=position, person=person, assignment=assignment)


def build_world() -> World:
    root = f.make_unit("Đảng bộ Thành phố Thử Nghiệm", kind=UnitKind.PROVINCIAL_COMMITTEE, code="TN")
    title = f.make_title("bi-thu", "Bí thư", is_head=True, rank=10)
    a = _ward(root, title, name="Phường Thử Nghiệm A", cell_name="Chi bộ A Một", person_name="Nguyễn Văn An", code="TN-A", sex="M")
    b = _ward(root, title, name=WARD_B_MARKERS[0], cell_name=WARD_B_MARKERS[1], person_name=WARD_B_MARKERS[2], code="TN-B", sex="F")
    # Reference data loaded from the official lists has no service: it is never edited by users.
    area = AdminArea.objects.create(regime=AdminArea.Regime.TWO_TIER, level=AdminArea.Level.PROVINCE, code="99", name="Tỉnh Thử Nghiệm", kind="tỉnh")
    officer = f.make_user("officer_a", grants=[(a.unit, Role.OFFICER)])
    return World(root=root, a=a, b=b, title=title, area=area, officer=officer)
