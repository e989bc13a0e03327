"""The unit page: holders and vacancies, as-of date, breadcrumbs, editor buttons, constant query count."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canbo.org import selectors

from .. import factories as f
from .conftest import REFORM


def detail_url(unit):
    return reverse("org:unit_detail", kwargs={"unit_id": unit.pk})


def seat_row(body: str, position) -> str:
    start = body.index(f'id="seat-{position.pk}"')
    return body[start : body.index("</tr>", start)]


def test_unit_page_lists_holders_and_vacancies(hn, as_user):
    response = as_user(hn.officer_a).get(detail_url(hn.ward_a))
    assert response.status_code == 200
    body = response.content.decode()
    secretary = seat_row(body, hn.seats["ward_a"])
    person = hn.people["a_secretary"]
    assert "Bí thư" in secretary and "Chủ chốt" in secretary
    assert reverse("people:person_detail", kwargs={"person_id": person.pk}) in secretary
    assert person.full_name in secretary and "từ 01/07/2025" in secretary and "Chỉ định" in secretary
    assert "Còn trống" not in secretary
    deputy = seat_row(body, hn.seats["ward_a_deputy"])
    assert hn.people["a_deputy"].full_name in deputy
    assert "Còn trống: 1" in deputy and "Chủ chốt" not in deputy
    # Facts, the sub-unit with its figures, the people kept here.
    assert "HN-BADINH" in body and "01/07/2025" in body
    assert "Chi bộ tổ dân phố số 1" in body
    assert hn.people["a_deputy"].full_name in body[body.index("Hồ sơ quản lý tại chính đơn vị") :]
    assert hn.people["cell_member"].full_name not in body  # kept in the cell, not here


def test_as_of_date_shows_the_holders_of_that_day(hn, as_user):
    client = as_user(hn.admin)
    seat = hn.seats["district"]
    past = client.get(detail_url(hn.district), {"ngay": "01/06/2025"}).content.decode()
    assert hn.people["district_secretary"].full_name in seat_row(past, seat)
    assert "Còn trống" not in seat_row(past, seat)
    now = client.get(detail_url(hn.district)).content.decode()
    # Dissolved since: no seat at all today, so nobody in it and nothing to fill.
    assert f'id="seat-{seat.pk}"' not in now
    assert "Không tồn tại vào ngày xem" in now


def test_breadcrumbs_show_only_visible_ancestors(hn, as_user):
    officer = as_user(hn.officer_a).get(detail_url(hn.cell_a)).content.decode()
    crumbs = officer[officer.index('class="breadcrumb') : officer.index("</ol>")]
    assert "Đảng ủy phường Ba Đình" in crumbs and "Thành phố Hà Nội" not in crumbs
    admin = as_user(hn.admin).get(detail_url(hn.cell_a)).content.decode()
    crumbs = admin[admin.index('class="breadcrumb') : admin.index("</ol>")]
    assert "Đảng bộ Thành phố Hà Nội" in crumbs and "Đảng ủy phường Ba Đình" in crumbs


def test_editor_sees_edit_buttons_and_reader_does_not(hn, as_user):
    seat = hn.seats["ward_a_deputy"]
    edit_links = [
        reverse("org:unit_update", kwargs={"unit_id": hn.ward_a.pk}),
        reverse("org:unit_create", kwargs={"unit_id": hn.ward_a.pk}),
        reverse("org:position_create", kwargs={"unit_id": hn.ward_a.pk}),
        reverse("org:unit_move", kwargs={"unit_id": hn.ward_a.pk}),
        reverse("org:position_update", kwargs={"position_id": seat.pk}),
        reverse("people:assignment_create", kwargs={"position_id": seat.pk}),
    ]
    officer = as_user(hn.officer_a).get(detail_url(hn.ward_a)).content.decode()
    assert all(link in officer for link in edit_links)
    reader = as_user(hn.reader).get(detail_url(hn.ward_a)).content.decode()
    assert not any(link in reader for link in edit_links)
    assert reverse("org:unit_history", kwargs={"unit_id": hn.ward_a.pk}) not in reader


EDIT_URLS = [
    ("org:unit_update", "unit_id"),
    ("org:unit_create", "unit_id"),
    ("org:unit_move", "unit_id"),
    ("org:position_create", "unit_id"),
]


def all_urls_of(unit, seat):
    urls = [reverse(name, kwargs={kw: unit.pk}) for name, kw in EDIT_URLS]
    urls.append(reverse("org:position_update", kwargs={"position_id": seat.pk}))
    return urls


def test_ward_officer_gets_404_for_another_wards_pages(hn, as_user):
    client = as_user(hn.officer_a)
    read_urls = [
        reverse(name, kwargs={"unit_id": hn.ward_b.pk}) for name in ("org:unit_detail", "org:tree_children", "org:unit_history")
    ]
    for url in read_urls + all_urls_of(hn.ward_b, hn.seats["ward_b"]):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "X"}).status_code == 404, url
    # Their own ward answers.
    for url in all_urls_of(hn.ward_a, hn.seats["ward_a"]):
        assert client.get(url).status_code == 200, url


def test_reader_cannot_edit(hn, as_user):
    client = as_user(hn.reader)
    assert client.get(detail_url(hn.ward_a)).status_code == 200
    name_before = hn.ward_a.name
    for url in all_urls_of(hn.ward_a, hn.seats["ward_a"]):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "Đổi tên", "code": "X", "kind": "party_cell", "seat_count": 5}).status_code == 404
    hn.ward_a.refresh_from_db()
    assert hn.ward_a.name == name_before


def _grow(hn, n):
    """More seats, holders, sub-units and people in ward A."""
    for i in range(n):
        title = f.make_title(f"uy-vien-{i}", f"Ủy viên Ban Thường vụ {i}", rank=5)
        seat = f.make_position(hn.ward_a, title, seat_count=2, is_key_post=i % 2 == 0)
        holder = f.make_person(hn.ward_a, f"Ngô Văn Thêm {i}")
        f.make_assignment(holder, seat, start_date=REFORM)
        sub = f.make_unit(f"Chi bộ tổ dân phố số {i + 10}", parent=hn.ward_a, code=f"HN-BADINH-T{i}")
        f.make_position(sub, hn.secretary)
        f.make_person(sub, f"Lý Thị Mới {i}", sex="F")


@pytest.mark.parametrize("user", ["admin", "officer_a"])
def test_unit_page_query_count_does_not_grow(hn, as_user, user, django_assert_max_num_queries):
    client = as_user(getattr(hn, user))
    url = detail_url(hn.ward_a)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _grow(hn, 8)
    with django_assert_max_num_queries(20), CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["seats"]) == 10 and len(response.context["children"]) == 9
    assert len(many) == len(few)


def test_people_list_is_capped_with_a_link_to_the_full_list(hn, as_user):
    for i in range(selectors.UNIT_PEOPLE_SHOWN + 2):
        f.make_person(hn.cell_a, f"Đinh Văn Hồ Sơ {i:03d}", birth_date=dt.date(1990, 1, 1))
    response = as_user(hn.officer_a).get(detail_url(hn.cell_a))
    assert len(response.context["people"]) == selectors.UNIT_PEOPLE_SHOWN
    assert response.context["people_total"] == selectors.UNIT_PEOPLE_SHOWN + 3
    assert f"{reverse('people:person_list')}?don_vi={hn.cell_a.pk}" in response.content.decode()
