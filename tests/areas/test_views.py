"""The autocomplete endpoint /dia-ban/tim/: login required, suggestions as an HTML fragment."""

import re

import pytest
from django.urls import reverse

from .. import factories as f

URL = "/dia-ban/tim/"


def suggestion_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-area-id="(\d+)"', response.content.decode())]


def test_url_name():
    assert reverse("areas:search") == URL


def test_anonymous_is_sent_to_login(hanoi_areas, client):
    response = client.get(URL, {"q": "ba dinh"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_any_logged_in_user_gets_matches_whatever_their_grants(hanoi_areas, client):
    # Areas are reference data: a user without any grant still gets suggestions.
    client.force_login(f.make_user("no_grants"))
    response = client.get(URL, {"q": "ba dinh"})
    assert response.status_code == 200
    body = response.content.decode()
    ids = suggestion_ids(response)
    assert ids[:2] == [hanoi_areas["ba_dinh"].pk, hanoi_areas["legacy_district"].pk]
    assert f'data-area-label="{hanoi_areas["ba_dinh"].full_name}"' in body
    assert "trước 01/07/2025" in body  # the legacy district is marked as such


def test_filters_and_limit(hanoi_areas, client):
    client.force_login(f.make_user())
    assert suggestion_ids(client.get(URL, {"q": "ba dinh", "regime": "legacy"})) == [hanoi_areas["legacy_district"].pk]
    assert suggestion_ids(client.get(URL, {"q": "ba dinh", "level": "3"})) == [hanoi_areas["ba_dinh"].pk]
    assert suggestion_ids(client.get(URL, {"q": "ha noi", "level": "1", "on": "2024-05-01"})) == [
        hanoi_areas["legacy_province"].pk
    ]
    assert len(suggestion_ids(client.get(URL, {"q": "phuong", "limit": "3"}))) == 3
    empty = client.get(URL, {"q": "khong co dau"})
    assert suggestion_ids(empty) == [] and "Không tìm thấy địa bàn phù hợp." in empty.content.decode()
    assert client.get(URL).content.decode().strip() == ""


@pytest.mark.parametrize("params", [{"regime": "foo"}, {"level": "7"}, {"level": "x"}, {"on": "31/02/2025"}, {"limit": "x"}])
def test_bad_parameters_answer_400(hanoi_areas, client, params):
    client.force_login(f.make_user())
    assert client.get(URL, {"q": "ba dinh", **params}).status_code == 400


def test_query_count_does_not_grow_with_the_number_of_results(hanoi_areas, client, django_assert_max_num_queries):
    client.force_login(f.make_user())
    # Session and user, then one query for the areas with their parents.
    with django_assert_max_num_queries(3):
        few = client.get(URL, {"q": "ba dinh"})
    with django_assert_max_num_queries(3):
        many = client.get(URL, {"q": "phuong", "limit": "50"})
    assert len(suggestion_ids(few)) == 2 and len(suggestion_ids(many)) == 50
