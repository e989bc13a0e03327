import pytest

from canbo.org.models import UnitKind

from . import factories as f


@pytest.fixture
def city(db):
    """A small city: the city committee with two wards, each with a cell and a people's committee."""
    root = f.make_unit("Đảng bộ Thành phố Hà Nội", kind=UnitKind.PROVINCIAL_COMMITTEE, code="HN")
    ward_a = f.make_unit("Đảng ủy phường Ba Đình", parent=root, code="HN-BADINH")
    ward_b = f.make_unit("Đảng ủy phường Hoàn Kiếm", parent=root, code="HN-HOANKIEM")
    cell_a = f.make_unit("Chi bộ tổ dân phố số 1", parent=ward_a, kind=UnitKind.PARTY_CELL, code="HN-BADINH-CB1")
    committee_b = f.make_unit("Ủy ban nhân dân phường Hoàn Kiếm", parent=ward_b, kind=UnitKind.PEOPLES_COMMITTEE, code="HN-HOANKIEM-UB")
    return {"root": root, "ward_a": ward_a, "ward_b": ward_b, "cell_a": cell_a, "committee_b": committee_b}
