"""The tree page and its lazy children endpoint: scope, counts, as-of date, name filter."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canbo.access.policy import AccessPolicy
from canbo.common.dates import today
from canbo.org import selectors

from .. import factories as f
from .test_selectors import expected_counts

TREE = reverse("org:tree")


def children_url(unit):
    return reverse("org:tree_children", kwargs={"unit_id": unit.pk})


def test_tree_needs_login(client, hn):
    response = client.get(TREE)
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_tree_root_is_the_users_scope_only(hn, as_user):
    body = as_user(hn.officer_a).get(TREE).content.decode()
    assert [n.unit for n in as_user(hn.officer_a).get(TREE).context["nodes"]] == [hn.ward_a]
    assert "Đảng ủy phường Ba Đình" in body
    assert "Hoàn Kiếm" not in body and "Thành phố Hà Nội" not in body


def test_superuser_root_is_the_city(hn, as_user):
    response = as_user(hn.admin).get(TREE)
    assert [n.unit for n in response.context["nodes"]] == [hn.root]
    # A single root opens at once: its children load with the page.
    assert f'hx-get="{children_url(hn.root)}"' in response.content.decode()
    assert 'hx-trigger="load"' in response.content.decode()


def test_children_endpoint_counts_match_an_independent_count(hn, as_user):
    response = as_user(hn.admin).get(children_url(hn.root), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    nodes = response.context["nodes"]
    assert [n.unit for n in nodes] == [hn.ward_a, hn.ward_b]
    for node in nodes:
        assert node.counts == expected_counts(node.unit, today())
    body = response.content.decode()
    # Ward A: 3 records (2 + the cell's), 2 people holding its 4 places, 2 empty; ward B: full.
    ward_a = body[body.index(f'id="unit-{hn.ward_a.pk}"') : body.index(f'id="unit-{hn.ward_b.pk}"')]
    assert "3 hồ sơ quản lý" in ward_a and "2 người đang giữ vị trí" in ward_a
    assert "Trống 2/4" in ward_a and "1 đơn vị trực thuộc" in ward_a
    ward_b = body[body.index(f'id="unit-{hn.ward_b.pk}"') :]
    assert "1 hồ sơ quản lý" in ward_b and "1 người đang giữ vị trí" in ward_b and "Đủ 1/1" in ward_b
    # A leaf has nothing to expand; a node with children expands through HTMX.
    assert f'hx-get="{children_url(hn.ward_a)}"' in ward_a
    assert "hx-get" not in ward_b


def test_children_endpoint_query_count_does_not_grow(hn, as_user, django_assert_max_num_queries):
    client = as_user(hn.admin)
    with CaptureQueriesContext(connection) as few:
        client.get(children_url(hn.root))
    for n in range(10):
        ward = f.make_unit(f"Đảng ủy xã Thử {n}", parent=hn.root, code=f"HN-X{n}", established_on=hn.ward_a.established_on)
        f.make_unit(f"Chi bộ thôn {n}", parent=ward, code=f"HN-X{n}-1")
        f.make_position(ward, hn.secretary)
        f.make_person(ward, f"Đỗ Văn Số {n}")
    with django_assert_max_num_queries(8), CaptureQueriesContext(connection) as many:
        response = client.get(children_url(hn.root))
    assert len(response.context["nodes"]) == 12
    assert len(many) == len(few)


def test_as_of_before_the_reform_shows_the_district_and_after_hides_it(hn, as_user):
    client = as_user(hn.admin)
    before = client.get(children_url(hn.root), {"ngay": "15/03/2025"}).content.decode()
    assert "Đảng bộ quận Hai Bà Trưng" in before and "giải thể 30/06/2025" in before
    assert "phường Ba Đình" not in before
    # The district's own children are lazy-loaded as of the same date.
    assert f'{children_url(hn.district)}?ngay=15/03/2025' in before
    after = client.get(children_url(hn.root), {"ngay": "01/07/2025"}).content.decode()
    assert "Hai Bà Trưng" not in after
    assert "phường Ba Đình" in after and "phường Hoàn Kiếm" in after
    legacy = client.get(children_url(hn.district), {"ngay": "30/06/2025"}).content.decode()
    assert "Đảng ủy phường Lê Đại Hành" in legacy


def test_bad_as_of_date_is_reported_in_vietnamese(hn, as_user):
    body = as_user(hn.admin).get(TREE, {"ngay": "31/02/2025"}).content.decode()
    assert "không hợp lệ" in body and "dd/mm/yyyy" in body


def test_children_of_another_ward_are_404(hn, as_user):
    client = as_user(hn.officer_a)
    assert client.get(children_url(hn.ward_b)).status_code == 404
    assert client.get(children_url(hn.root)).status_code == 404
    assert client.get(children_url(hn.ward_a)).status_code == 200
    assert client.get(reverse("org:tree_children", kwargs={"unit_id": 999999})).status_code == 404


def test_filter_finds_units_by_name_without_diacritics_in_scope(hn, as_user):
    response = as_user(hn.admin).get(TREE, {"q": "hoan kiem"})
    assert [n.unit for n in response.context["results"]] == [hn.ward_b]
    body = response.content.decode()
    assert "Đảng ủy phường Hoàn Kiếm" in body and "Đảng bộ Thành phố Hà Nội" in body  # its parent, shown as the path
    officer = as_user(hn.officer_a).get(TREE, {"q": "hoan kiem"})
    assert officer.context["results"] == []
    assert "Hoàn Kiếm" not in officer.content.decode()


def test_filter_through_htmx_swaps_only_the_panel(hn, as_user):
    response = as_user(hn.admin).get(TREE, {"q": "ba dinh"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="tree-panel")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="tree-panel">')
    assert "<html" not in body
    assert re.search(r"Đảng ủy phường Ba Đình", body)


def test_counts_for_an_officer_cover_their_subtree(hn, as_user):
    response = as_user(hn.officer_a).get(TREE)
    (node,) = response.context["nodes"]
    assert node.counts == selectors.subtree_counts([hn.ward_a], today(), AccessPolicy(hn.admin))[hn.ward_a.pk]
