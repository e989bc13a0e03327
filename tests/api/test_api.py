"""The HTTP API: token and session authentication, scoping by the token's user, the schema,
filters, pagination, and a query count that does not grow with the page."""

import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from ninja.errors import HttpError

from canbo.access import services as access_services
from canbo.access.models import ApiToken, Role
from canbo.api.auth import API_AUTH
from canbo.org.models import UnitKind

from .. import factories as f
from ..access.world import WARD_B_MARKERS, build_world

API_PATHS = {
    "/api/units",
    "/api/units/{unit_id}",
    "/api/units/{unit_id}/positions",
    "/api/positions/{position_id}",
    "/api/people",
    "/api/people/{person_id}",
    "/api/people/{person_id}/assignments",
    "/api/assignments/{assignment_id}",
    "/api/units/{unit_id}/quotas",
    "/api/units/{unit_id}/quotas/{indicator}/people",
}


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def key(world):
    _token, key = access_services.api_token_create(actor=None, user=world.officer, name="tích hợp thử")
    return key


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


# Authentication ----------------------------------------------------------------------------
def test_missing_token_is_401(client, world):
    response = client.get("/api/units")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


@pytest.mark.parametrize("header", ["Bearer cb_not-a-real-key", "Bearer ", "Token cb_x", "Basic b2ZmaWNlcjpwdw=="])
def test_unknown_or_malformed_token_is_401(client, world, header):
    assert client.get("/api/units", HTTP_AUTHORIZATION=header).status_code == 401


def test_valid_token_reads_and_only_its_hash_is_stored(client, world, key):
    response = client.get("/api/units", **bearer(key))
    assert response.status_code == 200
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.values_list(*[fl.attname for fl in ApiToken._meta.concrete_fields]).get()]
    assert key not in stored


def test_revoked_token_is_401(client, world, key):
    assert client.get("/api/units", **bearer(key)).status_code == 200
    access_services.api_token_revoke(actor=None, token=ApiToken.objects.get())
    assert client.get("/api/units", **bearer(key)).status_code == 401


def test_token_of_a_locked_user_is_401(client, world, key):
    world.officer.is_active = False
    world.officer.save()
    assert client.get("/api/units", **bearer(key)).status_code == 401


def test_last_used_is_written_at_most_once_a_minute(client, world, key):
    token = ApiToken.objects.get()
    assert token.last_used_at is None
    client.get("/api/units", **bearer(key))
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/units", **bearer(key))
    assert not any(q["sql"].upper().startswith("UPDATE") for q in queries.captured_queries)
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    client.get("/api/units", **bearer(key))
    assert ApiToken.objects.get().last_used_at > first - dt.timedelta(seconds=1)


def test_logged_in_session_reads_the_api(client, world):
    client.force_login(world.officer)
    response = client.get("/api/people")
    assert response.status_code == 200
    assert [p["full_name"] for p in response.json()["items"]] == ["Nguyễn Văn An"]


def test_session_needs_csrf_on_unsafe_methods_but_a_token_does_not(world, key):
    token_auth, session_auth = API_AUTH
    post = RequestFactory().post("/api/units")
    post.user = world.officer
    post.COOKIES["sessionid"] = "present"
    with pytest.raises(HttpError) as exc:
        session_auth(post)
    assert exc.value.status_code == 403
    get = RequestFactory().get("/api/units")
    get.user = world.officer
    assert session_auth(get) == world.officer
    with_token = RequestFactory().post("/api/units", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert token_auth(with_token) == world.officer
    assert with_token.user == world.officer


# Scoping by the token's user --------------------------------------------------------------
def test_token_sees_only_its_users_subtree(client, world, key):
    units = client.get("/api/units", **bearer(key)).json()
    assert [u["code"] for u in units["items"]] == ["TN-A", "TN-A-CB1"]
    # The parent of the officer's top unit is outside the scope: not revealed.
    assert units["items"][0]["parent_id"] is None
    assert units["items"][1]["parent_id"] == world.a.unit.pk
    people = client.get("/api/people", **bearer(key)).json()
    assert [p["id"] for p in people["items"]] == [world.a.person.pk]


def test_outside_the_subtree_is_404_like_missing(client, world, key):
    missing = 10_000_000
    for url in (
        "/api/units/{}",
        "/api/units/{}/positions",
        "/api/people/{}",
        "/api/people/{}/assignments",
    ):
        obj = world.b.unit if "units" in url else world.b.person
        outside = client.get(url.format(obj.pk), **bearer(key))
        absent = client.get(url.format(missing), **bearer(key))
        assert outside.status_code == absent.status_code == 404
        assert outside.json() == absent.json()
    # Filters naming an outside unit are refused the same way.
    assert client.get(f"/api/units?parent={world.b.unit.pk}", **bearer(key)).json() == {"detail": "Not Found"}
    assert client.get(f"/api/people?unit={world.b.unit.pk}", **bearer(key)).status_code == 404


def test_superuser_token_sees_everything(client, world):
    admin = f.make_user("admin", superuser=True)
    _token, key = access_services.api_token_create(actor=admin, user=admin, name="quản trị")
    units = client.get("/api/units", **bearer(key)).json()
    assert units["count"] == 5
    assert client.get(f"/api/people/{world.b.person.pk}", **bearer(key)).json()["full_name"] == WARD_B_MARKERS[2]


# Content ----------------------------------------------------------------------------------
def test_unit_detail_and_dates_are_iso(client, world, key):
    from canbo.org import services as org_services

    org_services.unit_update(actor=None, unit=world.a.cell, established_on=dt.date(2020, 3, 9))
    data = client.get(f"/api/units/{world.a.cell.pk}", **bearer(key)).json()
    assert data["established_on"] == "2020-03-09"
    assert data["parent_id"] == world.a.unit.pk
    assert data["kind"] == UnitKind.PARTY_CELL
    assert data["child_count"] == 0


def test_unit_positions_show_holders_and_vacancies_as_of_a_date(client, world, key):
    url = f"/api/units/{world.a.unit.pk}/positions"
    today = client.get(url, **bearer(key)).json()
    assert today["as_of"] == timezone.localdate().isoformat()
    [seat] = today["items"]
    assert seat["title"]["code"] == "bi-thu"
    assert [h["person_id"] for h in seat["holders"]] == [world.a.person.pk]
    assert seat["holders"][0]["start_date"] == "2021-01-01"
    assert (today["seat_count"], today["vacancies"], seat["vacancies"]) == (1, 0, 0)
    before = client.get(f"{url}?as_of=2020-12-31", **bearer(key)).json()
    assert before["as_of"] == "2020-12-31"
    assert before["items"][0]["holders"] == []
    assert before["vacancies"] == 1
    seat_detail = client.get(f"/api/positions/{world.a.position.pk}?as_of=2020-12-31", **bearer(key)).json()
    assert seat_detail["unit"]["code"] == "TN-A" and seat_detail["vacancies"] == 1
    assert client.get(f"{url}?as_of=31/12/2020", **bearer(key)).status_code == 422


def test_person_resume_and_work_history(client, world, key):
    from canbo.people import services as people_services

    people_services.person_update(
        actor=None, person=world.a.person, degrees=[{"level": 3, "field": "Luật", "institution": "Đại học Luật Hà Nội", "year": 2002}]
    )
    data = client.get(f"/api/people/{world.a.person.pk}", **bearer(key)).json()
    assert data["birth_date"] == "1980-05-17"
    assert data["citizen_id"] == world.a.person.citizen_id
    assert data["unit"]["id"] == world.a.cell.pk
    assert data["degrees"] == [{"level": 3, "field": "Luật", "institution": "Đại học Luật Hà Nội", "year": 2002}]
    history = client.get(f"/api/people/{world.a.person.pk}/assignments", **bearer(key)).json()
    assert [a["id"] for a in history["items"]] == [world.a.assignment.pk]
    one = client.get(f"/api/assignments/{world.a.assignment.pk}", **bearer(key)).json()
    assert one == history["items"][0]
    assert one["position"]["unit"]["code"] == "TN-A" and one["decision_number"] == "TN-A/QĐ-1"


def test_filters_q_without_diacritics_parent_and_as_of(client, world, key):
    from canbo.org import services as org_services

    old = f.make_unit("Chi bộ Khu phố Đông", parent=world.a.unit, kind=UnitKind.PARTY_CELL, code="TN-A-DONG")
    org_services.unit_update(actor=None, unit=old, established_on=dt.date(2010, 1, 1), dissolved_on=dt.date(2024, 6, 30))
    found = client.get("/api/units?q=khu pho dong", **bearer(key)).json()
    assert [u["code"] for u in found["items"]] == ["TN-A-DONG"]
    assert [u["code"] for u in client.get("/api/units?q=tn-a-dong", **bearer(key)).json()["items"]] == ["TN-A-DONG"]
    children = client.get(f"/api/units?parent={world.a.unit.pk}", **bearer(key)).json()
    assert [u["code"] for u in children["items"]] == ["TN-A-CB1", "TN-A-DONG"]
    now = client.get(f"/api/units?parent={world.a.unit.pk}&as_of=2025-01-01", **bearer(key)).json()
    assert [u["code"] for u in now["items"]] == ["TN-A-CB1"]
    then = client.get(f"/api/units?parent={world.a.unit.pk}&as_of=2024-06-30", **bearer(key)).json()
    assert [u["code"] for u in then["items"]] == ["TN-A-CB1", "TN-A-DONG"]
    f.make_person(old, "Trần Thị Đức Hạnh", sex="F")
    assert [p["full_name"] for p in client.get("/api/people?q=duc hanh", **bearer(key)).json()["items"]] == ["Trần Thị Đức Hạnh"]
    in_cell = client.get(f"/api/people?unit={world.a.cell.pk}", **bearer(key)).json()
    assert [p["full_name"] for p in in_cell["items"]] == ["Nguyễn Văn An"]


# Pagination and query counts --------------------------------------------------------------
def test_pagination_walks_every_row_once(client, world, key):
    for n in range(7):
        f.make_unit(f"Chi bộ số {n + 2}", parent=world.a.unit, kind=UnitKind.PARTY_CELL)
    seen, offset, pages = [], 0, 0
    while offset is not None:
        page = client.get(f"/api/units?limit=3&offset={offset}", **bearer(key)).json()
        assert page["count"] == 9
        assert len(page["items"]) <= 3
        seen += [u["id"] for u in page["items"]]
        offset, pages = page["next_offset"], pages + 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == 9
    assert client.get("/api/units?limit=3&offset=50", **bearer(key)).json() == {"count": 9, "next_offset": None, "items": []}
    assert client.get("/api/units?limit=201", **bearer(key)).status_code == 422
    assert client.get("/api/units?offset=-1", **bearer(key)).status_code == 422


def _queries(client, url, key) -> int:
    client.get(url, **bearer(key))  # warm up: the once-a-minute token write
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **bearer(key))
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def _add_rows(world, n: int, tag: str) -> None:
    """n more cells, people and seats under ward A, and n more past seats in A's person's history."""
    deputy = f.make_title("pho-bi-thu", "Phó Bí thư", rank=9)
    for i in range(n):
        unit = f.make_unit(f"Chi bộ {tag} {i}", parent=world.a.unit, kind=UnitKind.PARTY_CELL)
        person = f.make_person(unit, f"Lê Văn {tag} {i}")
        seat = f.make_position(world.a.unit, f.make_title(f"{tag}-{i}", f"Chức danh {tag} {i}"))
        f.make_assignment(person, seat, start_date=dt.date(2022, 1, 1))
        year = 2000 + i
        f.make_assignment(
            world.a.person, f.make_position(unit, deputy), start_date=dt.date(year, 1, 1), end_date=dt.date(year, 12, 31)
        )


@pytest.mark.parametrize(
    ("url", "most"),
    [
        ("/api/units", 5),
        ("/api/units?q=chi bo", 5),
        # token, grants, unit, totals of every seat (also the page's count), the page, its holders
        ("/api/units/{unit}/positions?limit=5", 6),
        ("/api/people", 5),
        ("/api/people?unit={unit}&q=le van", 5),
        ("/api/people/{person}/assignments?limit=5", 5),
    ],
)
def test_query_count_does_not_grow_with_rows(client, world, key, url, most, django_assert_max_num_queries):
    url = url.format(unit=world.a.unit.pk, person=world.a.person.pk)
    _add_rows(world, 2, "x")
    small = _queries(client, url, key)
    _add_rows(world, 10, "y")
    large = _queries(client, url, key)
    assert large == small
    with django_assert_max_num_queries(most):
        client.get(url, **bearer(key))


def test_seats_and_work_history_are_paginated_with_totals_over_every_row(client, world, key):
    _add_rows(world, 6, "p")
    url = f"/api/units/{world.a.unit.pk}/positions"
    whole = client.get(url, **bearer(key)).json()
    assert whole["count"] == len(whole["items"]) == 7
    seen, offset = [], 0
    while offset is not None:
        page = client.get(f"{url}?limit=3&offset={offset}", **bearer(key)).json()
        assert (page["count"], page["seat_count"], page["vacancies"]) == (7, whole["seat_count"], whole["vacancies"])
        seen += [p["id"] for p in page["items"]]
        offset = page["next_offset"]
    assert seen == [p["id"] for p in whole["items"]]
    # The totals count every seat, not the page: 6 seats filled by the new people, A's own seat held.
    assert (whole["seat_count"], whole["vacancies"]) == (7, 0)
    history_url = f"/api/people/{world.a.person.pk}/assignments"
    history = client.get(history_url, **bearer(key)).json()
    assert history["count"] == 7 and history["next_offset"] is None
    first = client.get(f"{history_url}?limit=4", **bearer(key)).json()
    second = client.get(f"{history_url}?limit=4&offset=4", **bearer(key)).json()
    assert first["next_offset"] == 4 and second["next_offset"] is None
    assert [a["id"] for a in first["items"] + second["items"]] == [a["id"] for a in history["items"]]


# Bad parameters -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "parameter", "message"),
    [
        ("/api/units?limit=201", "limit", "limit: phải nhỏ hơn hoặc bằng 200"),
        ("/api/units?offset=-1", "offset", "offset: phải lớn hơn hoặc bằng 0"),
        ("/api/units?parent=abc", "parent", "parent: phải là số nguyên"),
        ("/api/units?as_of=31/12/2024", "as_of", "as_of: ngày không hợp lệ (dùng YYYY-MM-DD)"),
        # pydantic alone reads "0" as 1 January 1970 and a datetime as its date: not a date here
        ("/api/units?as_of=0", "as_of", "as_of: ngày không hợp lệ (dùng YYYY-MM-DD)"),
        ("/api/units?as_of=2024-01-01T00:00:00", "as_of", "as_of: ngày không hợp lệ (dùng YYYY-MM-DD)"),
        ("/api/units?as_of=2024-02-30", "as_of", "as_of: ngày không hợp lệ (dùng YYYY-MM-DD)"),
        # larger than any id the database can hold: refused, not an overflow in the driver
        ("/api/units/99999999999999999999", "unit_id", "unit_id: phải nhỏ hơn hoặc bằng 9223372036854775807"),
        ("/api/people/0", "person_id", "person_id: phải lớn hơn hoặc bằng 1"),
    ],
)
def test_bad_parameters_are_422_naming_the_parameter_in_vietnamese(client, world, key, url, parameter, message):
    response = client.get(url, **bearer(key))
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][-1] == parameter
    assert error["msg"] == message


# Schema and docs --------------------------------------------------------------------------
def test_openapi_schema_lists_the_paths_and_bearer_auth(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"] == {"title": "canbo API", "version": "1", "description": schema["info"]["description"]}
    assert API_PATHS <= set(schema["paths"])
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"} in [{k: v for k, v in s.items() if k in ("type", "scheme")} for s in schemes.values()]
    for path in API_PATHS:
        params = {p["name"] for p in schema["paths"][path]["get"].get("parameters", []) if p["in"] == "path"}
        # the names the every-route access test knows how to fill (tests/access/test_every_route.py)
        assert params <= {"unit_id", "person_id", "position_id", "assignment_id", "indicator"}


def test_docs_page_uses_vendored_assets_only(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/api/vendor/swagger-ui-5.31.0/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    from django.contrib.staticfiles import finders

    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-init.js"):
        assert finders.find(f"api/vendor/swagger-ui-5.31.0/{asset}"), asset


def test_grants_of_other_roles_scope_the_same_way(client, world):
    reader = f.make_user("reader_b", grants=[(world.b.cell, Role.READER)])
    _token, key = access_services.api_token_create(actor=None, user=reader, name="đọc")
    assert [u["code"] for u in client.get("/api/units", **bearer(key)).json()["items"]] == ["TN-B-CB1"]
    assert client.get(f"/api/units/{world.b.unit.pk}", **bearer(key)).status_code == 404
    assert client.get(f"/api/people/{world.b.person.pk}", **bearer(key)).status_code == 200
