"""The list of people: diacritic-free search, filters against independent counts, pagination, query count."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canbo.common.dates import today
from canbo.people import catalogues as c
from canbo.people.models import Person
from canbo.people.selectors import birth_date_range, years_before

from .. import factories as f

LIST = reverse("people:person_list")


def listed(response) -> set[str]:
    return {p.full_name for p in response.context["people"]}


@pytest.fixture
def crowd(city):
    """People across both wards with varied sex, age, ethnicity, theory level and seats."""
    day = today()
    secretary = f.make_title("bi-thu", "Bí thư", rank=90)
    deputy = f.make_title("pho-bi-thu", "Phó Bí thư", rank=80)
    seat_a = f.make_position(city["ward_a"], secretary)
    seat_b = f.make_position(city["ward_b"], secretary)
    deputy_a = f.make_position(city["ward_a"], deputy, seat_count=3)
    rows = [
        # name, unit, sex, age in years (birthday today minus n days), ethnicity, theory
        ("Nguyễn Văn Đức", "ward_a", "M", 45, "01", 3),
        ("Trần Thị Bình", "ward_a", "F", 29, "02", 1),
        ("Lê Thị Cúc", "cell_a", "F", 30, "01", 2),
        ("Phạm Văn Dũng", "cell_a", "M", 52, "06", 3),
        ("Hoàng Thị Em", "ward_b", "F", 55, "01", 4),
        ("Vũ Văn Giang", "committee_b", "M", 38, "03", 0),
        ("Đặng Thị Hoa", "ward_b", "F", 60, "01", 2),
    ]
    people = {}
    for name, unit, sex, age, ethnicity, theory in rows:
        birth = years_before(day, age)
        people[name] = f.make_person(
            city[unit],
            name,
            sex=sex,
            birth_date=birth,
            ethnicity=ethnicity,
            political_theory=theory,
        )
    f.make_assignment(people["Nguyễn Văn Đức"], seat_a, start_date=dt.date(2020, 10, 1))
    f.make_assignment(people["Hoàng Thị Em"], seat_b, start_date=dt.date(2021, 1, 1))
    # A secretary whose term has ended is not a current holder of the title.
    f.make_assignment(
        people["Phạm Văn Dũng"],
        deputy_a,
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2019, 12, 31),
    )
    f.make_assignment(people["Trần Thị Bình"], deputy_a, start_date=dt.date(2022, 1, 1))
    return {"people": people, "secretary": secretary, "deputy": deputy}


def test_search_without_diacritics(officer_client, crowd):
    response = officer_client.get(LIST, {"q": "nguyen van"})
    assert listed(response) == {"Nguyễn Văn Đức"}
    assert "Trần Thị Bình" not in response.content.decode()
    # Typed with diacritics or in upper case, the same person.
    assert listed(officer_client.get(LIST, {"q": "NGUYỄN VĂN"})) == {"Nguyễn Văn Đức"}
    assert listed(officer_client.get(LIST, {"q": "duc"})) == {"Nguyễn Văn Đức"}


def test_search_by_whole_citizen_id(officer_client, crowd):
    person = crowd["people"]["Trần Thị Bình"]
    assert listed(officer_client.get(LIST, {"q": person.citizen_id})) == {"Trần Thị Bình"}


def test_count_line_uses_vietnamese_grouping(officer_client, crowd):
    response = officer_client.get(LIST)
    assert response.context["count"] == 7
    assert "7 cán bộ" in response.content.decode()


def expected(predicate) -> set[str]:
    """The independent answer: every person checked in Python, not through the page's query."""
    return {p.full_name for p in Person.objects.select_related("unit") if predicate(p)}


@pytest.mark.parametrize(
    ("params", "predicate"),
    [
        ({"gioi_tinh": "F"}, lambda p: p.sex == "F"),
        ({"gioi_tinh": "M"}, lambda p: p.sex == "M"),
        ({"tuoi": "duoi-30"}, lambda p: p.age_on(today()) < 30),
        ({"tuoi": "30-39"}, lambda p: 30 <= p.age_on(today()) <= 39),
        ({"tuoi": "40-49"}, lambda p: 40 <= p.age_on(today()) <= 49),
        ({"tuoi": "50-54"}, lambda p: 50 <= p.age_on(today()) <= 54),
        ({"tuoi": "55-tro-len"}, lambda p: p.age_on(today()) >= 55),
        ({"dan_toc": "01"}, lambda p: p.ethnicity == "01"),
        ({"dan_toc": "thieu-so"}, lambda p: p.ethnicity != c.KINH),
        ({"llct": "3"}, lambda p: p.political_theory == 3),
        ({"llct": "0"}, lambda p: p.political_theory == 0),
        (
            {"gioi_tinh": "F", "tuoi": "55-tro-len"},
            lambda p: p.sex == "F" and p.age_on(today()) >= 55,
        ),
    ],
)
def test_filters_match_independent_counts(officer_client, crowd, params, predicate):
    response = officer_client.get(LIST, params)
    want = expected(predicate)
    assert want, "the fixture must give each filter something to find"
    assert listed(response) == want
    assert response.context["count"] == len(want)


def test_subtree_filter_includes_descendants_only(officer_client, crowd, city):
    response = officer_client.get(LIST, {"don_vi": city["ward_a"].pk})
    assert listed(response) == expected(lambda p: p.unit.path.startswith(city["ward_a"].path))
    assert listed(response) == {"Nguyễn Văn Đức", "Trần Thị Bình", "Lê Thị Cúc", "Phạm Văn Dũng"}


def test_title_filter_counts_current_holders_only(officer_client, crowd):
    response = officer_client.get(LIST, {"chuc_danh": crowd["secretary"].pk})
    assert listed(response) == {"Nguyễn Văn Đức", "Hoàng Thị Em"}
    # Phạm Văn Dũng was a deputy until 2019: not a current deputy.
    assert listed(officer_client.get(LIST, {"chuc_danh": crowd["deputy"].pk})) == {"Trần Thị Bình"}


def test_current_posts_column(officer_client, crowd):
    html = officer_client.get(LIST, {"q": "nguyen van duc"}).content.decode()
    assert "Bí thư" in html and "Đảng ủy phường Ba Đình" in html


def test_age_band_boundaries_follow_birthdays():
    day = dt.date(2025, 6, 15)
    earliest, latest = birth_date_range("30-39", day)
    assert (earliest, latest) == (dt.date(1985, 6, 16), dt.date(1995, 6, 15))
    assert birth_date_range("duoi-30", day) == (dt.date(1995, 6, 16), None)
    assert birth_date_range("55-tro-len", day) == (None, dt.date(1970, 6, 15))
    # 29 February: a person born on 28 February turns 30 on that day.
    assert birth_date_range("30-39", dt.date(2028, 2, 29))[1] == dt.date(1998, 2, 28)


def test_ward_officer_sees_only_their_ward(ward_client, crowd):
    names = listed(ward_client.get(LIST))
    assert names == {"Nguyễn Văn Đức", "Trần Thị Bình", "Lê Thị Cúc", "Phạm Văn Dũng"}


def test_subtree_outside_the_policy_is_404(ward_client, crowd, city):
    assert ward_client.get(LIST, {"don_vi": city["ward_b"].pk}).status_code == 404
    assert ward_client.get(LIST, {"don_vi": 987654}).status_code == 404


def test_bad_filter_values_are_ignored_not_fatal(officer_client, crowd):
    response = officer_client.get(LIST, {"tuoi": "bogus", "gioi_tinh": "F", "llct": "x"})
    assert response.status_code == 200
    assert listed(response) == expected(lambda p: p.sex == "F")


def make_many(unit, count, *, sex="M", seat=None):
    for n in range(count):
        person = f.make_person(
            unit,
            f"Người Thử {n:03d}",
            sex=sex,
            birth_date=dt.date(1970 + n % 30, 1 + n % 12, 1 + n % 28),
        )
        if seat is not None:
            f.make_assignment(person, seat, start_date=dt.date(2020, 1, 1))


def test_pagination_keeps_filters(officer_client, city):
    make_many(city["ward_a"], 110)
    make_many(city["ward_b"], 5, sex="F")
    response = officer_client.get(LIST, {"gioi_tinh": "M"})
    assert response.context["count"] == 110
    assert len(response.context["people"]) == 50
    html = response.content.decode()
    assert "gioi_tinh=M&amp;page=2" in html
    last = officer_client.get(LIST, {"gioi_tinh": "M", "page": 3})
    assert len(last.context["people"]) == 10
    first_page = {p.pk for p in response.context["people"]}
    second_page = {
        p.pk for p in officer_client.get(LIST, {"gioi_tinh": "M", "page": 2}).context["people"]
    }
    assert not first_page & second_page
    # A page number past the end shows the last page rather than an error.
    assert officer_client.get(LIST, {"gioi_tinh": "M", "page": 99}).context["page"].number == 3


def count_queries(client, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST, params or {})
    assert response.status_code == 200
    assert response.context["people"], "an empty page would skip the prefetch and prove nothing"
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_rows(officer_client, city, django_assert_max_num_queries):
    seat = f.make_position(city["ward_a"], f.make_title("uy-vien", "Ủy viên"), seat_count=200)
    make_many(city["ward_a"], 3, seat=seat)
    filters = {"q": "nguoi", "chuc_danh": seat.title_id, "tuoi": "50-54", "don_vi": city["root"].pk}
    small, small_filtered = count_queries(officer_client), count_queries(officer_client, filters)
    make_many(city["ward_b"], 60, seat=seat)
    assert count_queries(officer_client) == small
    assert count_queries(officer_client, filters) == small_filtered
    with django_assert_max_num_queries(8):
        officer_client.get(LIST, filters)
