"""Area search without diacritics, its ranking and filters, and naming areas without N+1 queries."""

import datetime as dt

from canbo.areas.models import AdminArea
from canbo.areas.selectors import related_chain, search_areas, with_parents
from canbo.people.models import Person

from .. import factories as f


def names(areas) -> list[str]:
    return [a.full_name for a in areas]


def test_search_without_diacritics_finds_the_new_ward_first(hanoi_areas):
    for query in ("ba dinh", "Ba Đình", "BA DINH", "  ba   dinh "):
        results = search_areas(query)
        assert results[0] == hanoi_areas["ba_dinh"], query
        assert results[0].full_name == "Phường Ba Đình, Thành phố Hà Nội"
    # Then the legacy district of the same name; not communes that merely sit inside it.
    assert names(search_areas("ba dinh")) == ["Phường Ba Đình, Thành phố Hà Nội", "Quận Ba Đình, Thành phố Hà Nội"]


def test_names_starting_with_the_query_come_before_a_later_word(hanoi_areas):
    results = [a.name for a in search_areas("dong", regime="2025")]
    assert results == [
        "Phường Đống Đa",
        "Phường Đông Ngạc",
        "Xã Đông Anh",  # the name (after its kind word) starts with the query
        "Phường Hà Đông",
        "Xã Phù Đổng",
        "Xã Sơn Đồng",  # a later word starts with it
    ]
    # Inside a word still matches, after the rest.
    assert [a.name for a in search_areas("ong bien", regime="2025")] == ["Phường Long Biên"]


def test_filters_by_regime_level_date_parent_and_code(hanoi_areas):
    assert names(search_areas("ba dinh", regime="legacy")) == ["Quận Ba Đình, Thành phố Hà Nội"]
    assert names(search_areas("ha noi", level=AdminArea.Level.PROVINCE, on=dt.date(2024, 1, 1))) == ["Thành phố Hà Nội"]
    assert search_areas("ha noi", level=1, on=dt.date(2024, 1, 1))[0] == hanoi_areas["legacy_province"]
    assert search_areas("ha noi", level=1, on=dt.date(2025, 7, 1)) == [hanoi_areas["province"]]
    # After a comma: narrow by the parent (district) or the province.
    assert names(search_areas("truc bach, ba dinh")) == ["Phường Trúc Bạch, Quận Ba Đình, Thành phố Hà Nội"]
    assert search_areas("truc bach, hoan kiem") == []
    assert search_areas("00004", regime="2025") == [hanoi_areas["ba_dinh"]]
    assert search_areas("") == [] and search_areas(" , ") == []
    assert len(search_areas("phuong", limit=5)) == 5


def test_search_names_results_in_one_query(hanoi_areas, django_assert_num_queries):
    with django_assert_num_queries(1):
        results = search_areas("phuong", limit=50)
        labels = [str(a) for a in results]
    assert len(labels) == 50 and all(", Thành phố Hà Nội" in label for label in labels)


def test_lists_of_areas_and_of_people_name_areas_without_extra_queries(hanoi_areas, city, django_assert_num_queries):
    with django_assert_num_queries(1):
        communes = [a.full_name for a in with_parents().filter(regime="legacy", level=3)]
    assert len(communes) == 526 and communes[0].endswith(", Quận Ba Đình, Thành phố Hà Nội")

    for i, area in enumerate(AdminArea.objects.filter(regime="legacy", level=3)[:5]):
        f.make_person(city["ward_a"], f"Người Thử {i}", birthplace=area)
    with django_assert_num_queries(1):
        places = [p.birthplace.full_name for p in Person.objects.select_related(related_chain("birthplace"))]
    assert len(places) == 5 and all(place.count(",") == 2 for place in places)
