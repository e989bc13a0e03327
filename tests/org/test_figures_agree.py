"""One name, one set of people, one number on every screen.

Ward A is built so that its three figures differ: 5 records kept there (hồ sơ quản lý), 4 people
holding its seats (người đang giữ vị trí), 3 cadres in service (cán bộ đang công tác). The tree,
the unit page, the people list, the dashboard and the API must each show each figure under its
name, agree where they show the same one, and open it as the list of exactly those people.
"""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from canbo.access import services as access_services
from canbo.dashboard import selectors as dashboard_selectors
from canbo.org.models import Position
from canbo.people.models import Assignment, Person

from .. import factories as f
from .conftest import REFORM

RECORDS = {"Trần Thị Ánh", "Phạm Văn Đức", "Vũ Văn Cường", "Lê Văn Nơi Khác", "Đỗ Thị Nghỉ Hưu"}
HOLDERS = {"Trần Thị Ánh", "Phạm Văn Đức", "Ngô Văn Ngoài Một", "Ngô Văn Ngoài Hai"}
IN_SERVICE = {"Trần Thị Ánh", "Phạm Văn Đức", "Lê Văn Nơi Khác"}


@pytest.fixture
def ward(hn):
    """Ward A with people counted by one figure and not another (see the module docstring)."""
    # Kept in ward B and the city, holding seats of ward A's subtree: holders, not records.
    f.make_assignment(f.make_person(hn.ward_b, "Ngô Văn Ngoài Một"), hn.seats["cell_a"], start_date=REFORM)
    f.make_assignment(f.make_person(hn.root, "Ngô Văn Ngoài Hai"), hn.seats["ward_a_deputy"], start_date=REFORM)
    # Kept in ward A's cell, holding a seat of ward B: a record, in service, not a holder here.
    seat_b = f.make_position(hn.ward_b, hn.deputy)
    f.make_assignment(f.make_person(hn.cell_a, "Lê Văn Nơi Khác"), seat_b, start_date=REFORM)
    # Kept in ward A, retired: a record only.
    retiree = f.make_person(hn.ward_a, "Đỗ Thị Nghỉ Hưu", sex="F", birth_date=dt.date(1960, 1, 1))
    city_deputy = f.make_position(hn.root, hn.deputy)
    f.make_assignment(retiree, city_deputy, start_date=dt.date(2020, 1, 1), end_date=dt.date(2025, 6, 30))
    dashboard_selectors.ROLLUPS.clear()
    return hn


def figure_links(body: str) -> dict[str, tuple[str, str]]:
    """data-figure name → (href, text) of the links a page gives its figures."""
    found = {}
    for match in re.finditer(r'<a [^>]*data-figure="(\w+)"[^>]*href="([^"]*)"[^>]*>(.*?)</a>', body, re.S):
        found.setdefault(match[1], (html.unescape(match[2]), re.sub(r"<[^>]+>", "", match[3]).strip()))
    return found


def listed(client, url) -> tuple[int, set[str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["count"], {p.full_name for p in response.context["people"]}


def test_each_screen_names_its_figures_and_they_agree(ward, as_user):
    hn = ward
    client = as_user(hn.admin)

    tree = client.get(reverse("org:tree_children", kwargs={"unit_id": hn.root.pk})).content.decode()
    node = tree[tree.index(f'id="unit-{hn.ward_a.pk}"') : tree.index(f'id="unit-{hn.ward_b.pk}"')]
    tree_links = figure_links(node)
    assert tree_links["records"][1] == "5 hồ sơ quản lý"
    assert tree_links["holders"][1] == "4 người đang giữ vị trí"

    page = client.get(reverse("org:unit_detail", kwargs={"unit_id": hn.ward_a.pk})).content.decode()
    page_links = figure_links(page)
    assert {key: page_links[key][1] for key in ("records", "holders", "in_service")} == {
        "records": "5", "holders": "4", "in_service": "3"
    }  # fmt: skip
    for label in ("Hồ sơ quản lý", "Người đang giữ vị trí", "Cán bộ đang công tác"):
        assert label in page

    # Every link opens the list of exactly the people counted, with the same count and name.
    expected = {"records": RECORDS, "holders": HOLDERS, "in_service": IN_SERVICE}
    for key, people in expected.items():
        assert tree_links.get(key, page_links[key])[0] == page_links[key][0]
        count, names = listed(client, page_links[key][0])
        assert (count, names) == (len(people), people), key
    records_list = client.get(page_links["records"][0]).content.decode()
    assert "5 hồ sơ quản lý" in records_list
    holders_list = client.get(page_links["holders"][0]).content.decode()
    assert "4 người đang giữ vị trí" in holders_list
    in_service_list = client.get(page_links["in_service"][0]).content.decode()
    assert "3 cán bộ đang công tác" in in_service_list

    dashboard = client.get(reverse("dashboard:unit", kwargs={"unit_id": hn.ward_a.pk}))
    body = dashboard.content.decode()
    assert dashboard.context["report"].total["headcount"] == 3
    assert 'data-figure="headcount">3<' in body and "Cán bộ đang công tác" in body
    assert "Tổng số cán bộ" not in body
    drill = client.get(reverse("dashboard:drilldown", kwargs={"unit_id": hn.ward_a.pk}), {"chi_so": "headcount"})
    assert {p.full_name for p in drill.context["people"]} == IN_SERVICE
    assert figure_links(body)["records"][0] == page_links["records"][0]


def test_the_api_gives_the_same_figures_and_their_people(ward, client):
    hn = ward
    _token, key = access_services.api_token_create(actor=None, user=hn.admin, name="thử")

    def get(url):
        return client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").json()

    figures = get(f"/api/units/{hn.ward_a.pk}/figures")
    assert (figures["records"], figures["holders"], figures["in_service"]) == (5, 4, 3)
    assert set(figures["definitions"]) == {"records", "holders", "in_service"}
    for basis, people in (("records", RECORDS), ("holders", HOLDERS), ("in_service", IN_SERVICE)):
        listed = get(f"/api/people?unit={hn.ward_a.pk}&basis={basis}&limit=100")
        assert (listed["count"], {p["full_name"] for p in listed["items"]}) == (len(people), people), basis
    assert get(f"/api/units/{hn.ward_a.pk}/quotas")["total"]["headcount"]["count"] == 3


def test_the_own_records_link_lists_the_unit_itself_only(ward, as_user):
    hn = ward
    client = as_user(hn.admin)
    page = client.get(reverse("org:unit_detail", kwargs={"unit_id": hn.ward_a.pk})).content.decode()
    url, text = figure_links(page)["own_records"]
    assert text == "3"
    assert listed(client, url) == (3, {"Trần Thị Ánh", "Phạm Văn Đức", "Đỗ Thị Nghỉ Hưu"})


def test_holders_on_a_past_day_follow_the_as_of_date(ward, as_user):
    hn = ward
    client = as_user(hn.admin)
    page = client.get(reverse("org:unit_detail", kwargs={"unit_id": hn.district.pk}), {"ngay": "30/06/2025"})
    url, text = figure_links(page.content.decode())["holders"]
    assert text == "1" and "ngay=30/06/2025" in url
    assert listed(client, url) == (1, {"Lê Văn Quận"})
    response = client.get(url)
    assert "Chức vụ tại ngày xem" in response.content.decode()


def test_a_records_count_outside_the_users_scope_is_not_offered(ward, as_user):
    hn = ward
    officer = as_user(hn.officer_a)
    assert officer.get(reverse("people:person_list"), {"don_vi": hn.ward_b.pk, "dem": "giu-vi-tri"}).status_code == 404


@pytest.fixture
def crowded_ward(hn):
    """Ward B with 12,345 more records, each holding a place of one large seat.

    Written in bulk: through the services this many people would take minutes; the pages read
    plain rows and the dashboard's figures are computed afresh.
    """
    seat = f.make_position(hn.ward_b, f.make_title("chuyen-vien", "Chuyên viên", rank=1), seat_count=20000)
    people = Person.objects.bulk_create(
        [
            Person(unit=hn.ward_b, full_name=f"Người Số {n:05d}", search_name=f"nguoi so {n:05d}", sex="M",
                   birth_date=dt.date(1970 + n % 30, 1 + n % 12, 1 + n % 28), citizen_id=f"9{n:011d}")  # fmt: skip
            for n in range(12_345)
        ],
        batch_size=2000,
    )
    Assignment.objects.bulk_create(
        [Assignment(person=p, position=seat, kind="appointment", start_date=REFORM) for p in people], batch_size=2000
    )
    dashboard_selectors.ROLLUPS.clear()
    return hn, Position.objects.get(pk=seat.pk)


def test_five_digit_figures_use_a_dot_between_thousands_on_every_screen(crowded_ward, as_user):
    hn, _seat = crowded_ward
    client = as_user(hn.admin)
    tree = client.get(reverse("org:tree_children", kwargs={"unit_id": hn.root.pk})).content.decode()
    node = tree[tree.index(f'id="unit-{hn.ward_b.pk}"') :]
    assert "12.346 hồ sơ quản lý" in node and "12.346 người đang giữ vị trí" in node
    assert "Trống 7.655/20.001" in node

    page = client.get(reverse("org:unit_detail", kwargs={"unit_id": hn.ward_b.pk})).content.decode()
    links = figure_links(page)
    assert (links["records"][1], links["holders"][1], links["in_service"][1]) == ("12.346", "12.346", "12.346")
    assert ">20.001<" in page and ">7.655<" in page

    people_list = client.get(links["records"][0]).content.decode()
    assert "12.346 hồ sơ quản lý" in people_list
    everyone = client.get(reverse("people:person_list")).content.decode()
    assert f"{Person.objects.count():,} cán bộ".replace(",", ".") in everyone

    dashboard = client.get(reverse("dashboard:unit", kwargs={"unit_id": hn.ward_b.pk})).content.decode()
    assert 'data-figure="headcount">12.346<' in dashboard
    # No ungrouped number in what the page shows (the charts' JSON data is for the scripts).
    shown = re.sub(r'<script id="chart-data".*?</script>', "", dashboard, flags=re.S)
    assert "12346" not in shown and "12.346" in shown
