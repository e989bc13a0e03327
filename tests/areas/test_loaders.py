"""Loading the official area lists: counts, idempotence, the 2025 old → new mapping."""

import datetime as dt

import pytest

from canbo.areas.loaders import load_areas
from canbo.areas.models import AdminArea, AreaSuccession
from canbo.areas.selectors import predecessors_of, successors_of


def count(regime: str, level: int) -> int:
    return AdminArea.objects.filter(regime=regime, level=level).count()


@pytest.mark.django_db
def test_whole_country_loads_with_official_counts_kinds_and_mergers_and_a_second_run_changes_nothing():
    first = load_areas()

    assert (count("2025", 1), count("2025", 3)) == (34, 3321)
    assert (count("legacy", 1), count("legacy", 2), count("legacy", 3)) == (63, 696, 10035)
    assert not AdminArea.objects.filter(regime="2025", level=2).exists()
    assert first["created"] == 34 + 3321 + 63 + 696 + 10035
    assert first["successions"] == AreaSuccession.objects.count() > 10035  # divided communes have several successors
    # Every legacy area but the districts (which split across communes) has a successor.
    orphans = AdminArea.objects.filter(regime="legacy").exclude(level=2).filter(successions__isnull=True)
    assert not orphans.exists()
    # …and every new area has predecessors.
    assert not AdminArea.objects.filter(regime="2025", predecessions__isnull=True).exists()

    rows_before = list(AdminArea.objects.order_by("pk").values_list())
    second = load_areas()
    assert (second["created"], second["updated"]) == (0, 0)
    assert (second["successions_created"], second["successions_updated"], second["successions_deleted"]) == (0, 0, 0)
    assert list(AdminArea.objects.order_by("pk").values_list()) == rows_before
    assert AreaSuccession.objects.count() == first["successions"]

    kinds = set(AdminArea.objects.filter(regime="2025", level=3).values_list("kind", flat=True))
    assert kinds == {"phường", "xã", "đặc khu"}
    assert set(AdminArea.objects.filter(regime="legacy", level=2).values_list("kind", flat=True)) >= {
        "quận",
        "huyện",
        "thị xã",
        "thành phố thuộc tỉnh",
    }
    assert set(AdminArea.objects.filter(regime="legacy", level=3).values_list("kind", flat=True)) == {
        "phường",
        "xã",
        "thị trấn",
    }
    areas = AdminArea.objects.with_parents()
    hcmc = areas.get(regime="2025", level=1, code="79")
    assert [a.name for a in predecessors_of(hcmc)] == ["Tỉnh Bình Dương", "Tỉnh Bà Rịa - Vũng Tàu", "Thành phố Hồ Chí Minh"]
    # An island district had no communes: it became a special zone (đặc khu) itself.
    con_dao = areas.get(regime="legacy", level=2, name="Huyện Côn Đảo")
    assert [a.full_name for a in successors_of(con_dao)] == ["Đặc khu Côn Đảo, Thành phố Hồ Chí Minh"]


def test_hanoi_counts_codes_and_dates(hanoi_areas):
    assert (count("2025", 1), count("2025", 3)) == (1, 126)
    assert (count("legacy", 1), count("legacy", 2), count("legacy", 3)) == (1, 30, 526)
    assert AdminArea.objects.filter(regime="2025", level=3, kind="phường").count() == 51
    assert AdminArea.objects.filter(regime="2025", level=3, kind="xã").count() == 75

    province, ward = hanoi_areas["province"], hanoi_areas["ba_dinh"]
    assert (province.name, province.kind, province.code) == ("Thành phố Hà Nội", "thành phố trung ương", "01")
    assert (ward.name, ward.kind, ward.parent) == ("Phường Ba Đình", "phường", province)
    assert (ward.valid_from, ward.valid_to) == (dt.date(2025, 7, 1), None)
    assert ward.search_name == "phuong ba dinh"

    district, commune = hanoi_areas["legacy_district"], hanoi_areas["legacy_commune"]
    assert (district.name, district.kind, district.code) == ("Quận Ba Đình", "quận", "001")
    assert (commune.name, commune.code, commune.parent) == ("Phường Trúc Bạch", "00004", district)
    assert (commune.valid_from, commune.valid_to) == (None, dt.date(2025, 6, 30))
    assert commune.full_name == "Phường Trúc Bạch, Quận Ba Đình, Thành phố Hà Nội"
    assert not commune.valid_on(dt.date(2025, 7, 1)) and ward.valid_on(dt.date(2025, 7, 1))


def test_a_whole_ward_and_a_divided_ward_and_the_province(hanoi_areas):
    ba_dinh = hanoi_areas["ba_dinh"]
    # Phường Trúc Bạch went whole into the new Phường Ba Đình.
    assert successors_of(hanoi_areas["legacy_commune"]) == [ba_dinh]
    link = AreaSuccession.objects.get(old=hanoi_areas["legacy_commune"])
    assert (link.new, link.is_primary, link.effective_on) == (ba_dinh, True, dt.date(2025, 7, 1))

    # Phường Điện Biên was divided among four new wards; one receives the main part.
    dien_bien = AdminArea.objects.get(regime="legacy", level=3, code="00019")
    successors = successors_of(dien_bien)
    assert {a.name for a in successors} == {
        "Phường Ba Đình",
        "Phường Hoàn Kiếm",
        "Phường Ô Chợ Dừa",
        "Phường Văn Miếu - Quốc Tử Giám",
    }
    assert AreaSuccession.objects.filter(old=dien_bien, is_primary=True).count() == 1
    assert successors[0] == AreaSuccession.objects.get(old=dien_bien, is_primary=True).new

    predecessors = {a.name for a in predecessors_of(ba_dinh)}
    assert {"Phường Trúc Bạch", "Phường Quán Thánh", "Phường Điện Biên"} <= predecessors
    assert "Phường Hàng Bạc" not in predecessors
    hang_bac = AdminArea.objects.get(regime="legacy", level=3, name="Phường Hàng Bạc")
    assert successors_of(hang_bac) == [hanoi_areas["hoan_kiem"]]

    assert successors_of(hanoi_areas["legacy_province"]) == [hanoi_areas["province"]]
    # A district's successors are those of its communes.
    assert {"Phường Ba Đình", "Phường Ngọc Hà", "Phường Giảng Võ"} <= {
        a.name for a in successors_of(hanoi_areas["legacy_district"])
    }


def test_reload_repairs_changed_rows_and_successions_and_keeps_hand_entered_ones(hanoi_areas):
    ward = hanoi_areas["ba_dinh"]
    AdminArea.objects.filter(pk=ward.pk).update(name="Phường Sai Tên", search_name="phuong sai ten")
    AreaSuccession.objects.filter(old=hanoi_areas["legacy_commune"]).delete()
    wrong = AreaSuccession.objects.create(old=hanoi_areas["legacy_commune"], new=hanoi_areas["hoan_kiem"])
    later = AreaSuccession.objects.create(
        old=hanoi_areas["legacy_district"], new=hanoi_areas["hoan_kiem"], effective_on=dt.date(2030, 1, 1)
    )

    result = load_areas(provinces={"01"})

    assert (result["created"], result["updated"]) == (0, 1)
    ward.refresh_from_db()
    assert (ward.name, ward.search_name) == ("Phường Ba Đình", "phuong ba dinh")
    assert (result["successions_created"], result["successions_deleted"]) == (1, 1)
    assert not AreaSuccession.objects.filter(pk=wrong.pk).exists()
    assert AreaSuccession.objects.filter(pk=later.pk).exists()  # not the loader's: dated after 2025
    assert successors_of(hanoi_areas["legacy_commune"]) == [ward]


@pytest.mark.django_db
def test_restricting_to_provinces_loads_only_those_and_rejects_unknown_codes():
    result = load_areas(provinces={"1"})  # "1" is read as "01"
    assert result["2025.province"] == result["legacy.province"] == 1
    assert set(AdminArea.objects.filter(level=1).values_list("name", flat=True)) == {"Thành phố Hà Nội"}

    with pytest.raises(ValueError, match="99"):
        load_areas(provinces={"99"})
    with pytest.raises(ValueError, match="abc"):
        load_areas(provinces={"abc"})

    # A legacy province merged into another (Bình Dương → TP Hồ Chí Minh) links when both are loaded.
    load_areas(provinces={"74"})
    binh_duong = AdminArea.objects.get(regime="legacy", level=1, code="74")
    assert successors_of(binh_duong) == []
    load_areas(provinces={"79"})
    load_areas(provinces={"74"})
    assert [a.name for a in successors_of(binh_duong)] == ["Thành phố Hồ Chí Minh"]
