"""The dashboard figures in the API: every count against an independent count, the same numbers as
`canbo report quotas`, shares against their targets, the lists behind each figure, the access
policy, bad dates, and a query count that does not grow with the city."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from canbo.access import services as access_services
from canbo.api import params
from canbo.common.dates import today
from canbo.dashboard import rollup, selectors
from canbo.org.models import UnitKind
from canbo.people.selectors import years_before

from .. import factories as f
from ..dashboard.conftest import add_crowd, quota_city  # noqa: F401  (the dashboard's city, a fixture)
from ..dashboard.expected import expected, serving_people

BEFORE_REFORM = dt.date(2024, 3, 15)


@pytest.fixture
def api(client, quota_city):  # noqa: F811
    """GET as the city officer, with a bearer token."""
    _token, key = access_services.api_token_create(actor=None, user=quota_city.officer, name="báo cáo")

    def get(url, **params):
        return client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {key}")

    return get


def counts_of(figures: dict) -> dict[str, int]:
    """Every count of a `figures` object, by indicator key, read back from its nested shape."""
    found = {}

    def walk(node):
        if isinstance(node, dict):
            if "indicator" in node and "count" in node:
                found[node["indicator"]] = node["count"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(figures)
    return found


def assert_matches_expected(figures, unit, day, keys, *, own_only=False):
    got = counts_of(figures)
    assert set(got) == set(keys), set(keys) ^ set(got)
    want = expected(unit, day, own_only=own_only)
    mismatched = {k: (got[k], want.get(k, 0)) for k in keys if got[k] != want.get(k, 0)}
    assert not mismatched, mismatched


@pytest.mark.parametrize("day", [None, BEFORE_REFORM], ids=["today", "before-reform"])
def test_every_figure_of_the_city_and_each_sub_unit_matches_an_independent_count(api, quota_city, day):  # noqa: F811
    day = day or today()
    response = api(f"/api/units/{quota_city.root.pk}/quotas", as_of=day.isoformat())
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["as_of"] == day.isoformat()
    assert data["unit"] == {"id": quota_city.root.pk, "code": "HN", "name": quota_city.root.name}
    keys = [i["key"] for i in data["indicators"]]
    assert_matches_expected(data["total"], quota_city.root, day, keys)
    units = {u.pk: u for u in (quota_city.root, quota_city.ward_a, quota_city.ward_b, quota_city.district)}
    for row in data["sub_units"]:
        assert_matches_expected(row["figures"], units[row["unit"]["id"]], day, keys, own_only=row["own_records"])
    # The rows add up to the total.
    for key in keys:
        assert sum(counts_of(row["figures"])[key] for row in data["sub_units"]) == counts_of(data["total"])[key], key


def test_the_city_exercises_every_kind_of_figure(api, quota_city):  # noqa: F811
    """Guards the comparison above against passing on zeros."""
    total = api(f"/api/units/{quota_city.root.pk}/quotas").json()["total"]
    assert total["headcount"]["count"] == 45
    for field in ("women", "under_young", "under_youth", "minorities"):
        assert 0 < total[field]["count"] < 45, field
    heads = total["heads"]
    assert (heads["seats"]["count"], heads["known"]["count"], heads["unknown"]["count"]) == (5, 4, 1)
    assert (total["non_local_heads"]["count"], total["non_local_heads"]["base"]) == (1, 4)
    assert sum(y["total"]["count"] for y in total["retirements"]) > 0
    assert sum(1 for d in total["degree"] if d["count"]) >= 4


def test_same_numbers_as_the_report_command(api, quota_city):  # noqa: F811
    out = io.StringIO()
    call_command("report", "quotas", "--unit", str(quota_city.root.pk), "--date", "2024-03-15", "--json", stdout=out)
    command = json.loads(out.getvalue())
    data = api(f"/api/units/{quota_city.root.pk}/quotas", as_of="2024-03-15").json()
    assert counts_of(data["total"]) == command["counts"]
    assert [(r["unit"]["id"], r["own_records"]) for r in data["sub_units"]] == [
        (r["id"], r["own_records"]) for r in command["sub_units"]
    ]
    for ours, theirs in zip(data["sub_units"], command["sub_units"], strict=True):
        assert counts_of(ours["figures"]) == theirs["counts"]
    for field, key in (("women", "women"), ("under_young", "under_young"), ("non_local_heads", "heads_non_local")):
        theirs = command["shares"][key]
        ours = data["total"][field]
        assert (ours["count"], ours["base"], ours["share"], ours["status"]) == (
            theirs["count"], theirs["base"], theirs["share"], theirs["status"]
        ), field  # fmt: skip
        target = next(t for t in data["targets"] if t["indicator"] == key)
        assert ours["target"] == target["value"] == theirs["target"]["value"]
        assert {k: v for k, v in target.items() if k != "indicator"} == theirs["target"]


def test_shares_carry_their_target_and_status(api, quota_city):  # noqa: F811
    data = api(f"/api/units/{quota_city.root.pk}/quotas").json()
    total = data["total"]
    women = total["women"]
    assert women["base"] == total["headcount"]["count"]
    assert women["share"] == round(women["count"] / women["base"], 4)
    assert women["target"] == 0.20
    assert women["status"] == ("met" if women["count"] / women["base"] >= 0.20 else "not_met")
    assert total["minorities"]["status"] == "no_target" and total["minorities"]["target"] is None
    heads = total["non_local_heads"]
    assert (heads["share"], heads["status"], heads["target"]) == (0.25, "not_met", 0.5)
    # A count without a base has no share.
    assert (total["headcount"]["base"], total["headcount"]["share"]) == (None, None)
    # Each target once, with its source.
    targets = {t["indicator"]: t for t in data["targets"]}
    assert set(targets) == {"women", "under_young", "heads_non_local"}  # none set for the others
    assert targets["women"]["name"] == "targets.women_share" and targets["women"]["since"] == "2021-01-01"
    assert targets["women"]["references"][0]["document"] and targets["women"]["to_confirm"] is True
    # The reference targets start in 2021.
    before = api(f"/api/units/{quota_city.root.pk}/quotas", as_of="2020-06-01").json()
    assert all(before["total"][k]["target"] is None for k in ("women", "under_young", "non_local_heads"))
    assert before["total"]["headcount"]["count"] > 0 and before["total"]["women"]["status"] == "no_target"
    assert before["total"]["non_local_heads"]["status"] == "no_data"  # no head seat was held yet
    assert before["targets"] == []


def test_pyramid_and_retirement_years_are_dated(api, quota_city):  # noqa: F811
    data = api(f"/api/units/{quota_city.root.pk}/quotas", as_of="2024-03-15").json()
    assert data["thresholds"] == {"young": 40, "youth": 35}
    bands = data["total"]["age_pyramid"]
    assert [(b["min_age"], b["max_age"]) for b in bands] == [
        (None, 24), (25, 29), (30, 34), (35, 39), (40, 44), (45, 49), (50, 54), (55, 59), (60, None)
    ]  # fmt: skip
    assert bands[1]["label"] == "25–29" and bands[1]["men"]["indicator"] == "age_25-29_M"
    assert [y["year"] for y in data["total"]["retirements"]] == [2024, 2025, 2026, 2027, 2028]
    for year in data["total"]["retirements"]:
        assert year["total"]["count"] == year["men"]["count"] + year["women"]["count"]
    # The legacy district existed then; it is gone from today's rows.
    rows = {r["unit"]["id"]: r for r in data["sub_units"]}
    assert rows[quota_city.district.pk]["exists_on_date"] is True
    now = api(f"/api/units/{quota_city.root.pk}/quotas").json()
    assert quota_city.district.pk not in {r["unit"]["id"] for r in now["sub_units"]}


# The lists behind the figures -----------------------------------------------------------------
def people_url(unit, key):
    return f"/api/units/{unit.pk}/quotas/{key}/people"


@pytest.mark.parametrize("day", [None, BEFORE_REFORM], ids=["today", "before-reform"])
def test_every_list_has_as_many_rows_as_its_figure(api, quota_city, day):  # noqa: F811
    day = (day or today()).isoformat()
    data = api(f"/api/units/{quota_city.root.pk}/quotas", as_of=day).json()
    for key, count in counts_of(data["total"]).items():
        listed = api(people_url(quota_city.root, key), as_of=day, limit=200).json()
        assert (listed["count"], len(listed["items"])) == (count, count), key
        assert listed["indicator"]["key"] == key
    for row in data["sub_units"]:
        counts = counts_of(row["figures"])
        unit = type(quota_city.root).objects.get(pk=row["unit"]["id"])
        scope = "own" if row["own_records"] else "subtree"
        for key in ("headcount", "women", "heads", "heads_non_local", "degree_0", "past_retirement"):
            listed = api(people_url(unit, key), as_of=day, scope=scope).json()
            assert listed["count"] == counts[key], (row["label"], key)


def test_the_list_names_the_very_people_counted(api, quota_city):  # noqa: F811
    day = today()
    listed = api(people_url(quota_city.root, "women"), limit=200).json()
    women = [p for p in serving_people(quota_city.root, day) if p.sex == "F"]
    assert {i["person_id"] for i in listed["items"]} == {p.pk for p in women}
    first = listed["items"][0]
    assert first["head_seat"] is None and first["record_visible"] is True
    person = next(p for p in women if p.pk == first["person_id"])
    assert first["profile"]["age"] == person.age_on(day)
    assert first["profile"]["sex"] == "F"
    assert first["profile"]["unit"]["id"] == person.unit_id
    assert [post["assignment_id"] for post in first["profile"]["posts"]] == [
        a.pk for a in person.assignments.all() if a.is_current_on(day)
    ]
    # Ordered by name (without diacritics), like the dashboard's list.
    assert [i["person_id"] for i in listed["items"]] == [p.pk for p in sorted(women, key=lambda p: (p.search_name, p.pk))]


def test_head_lists_give_the_seat_and_the_verdict(api, quota_city):  # noqa: F811
    non_local = api(people_url(quota_city.root, "heads_non_local")).json()
    [item] = non_local["items"]
    assert item["person_id"] == quota_city.people["b_secretary"].pk and item["profile"] is None
    seat = item["head_seat"]
    assert seat["locality"] == "non_local" and seat["unit"]["id"] == quota_city.ward_b.pk
    assert seat["area"]["name"] == "Phường Hoàn Kiếm" and seat["hometown"]["name"] == "Phường Ba Đình"
    unknown = api(people_url(quota_city.root, "heads_unknown")).json()["items"]
    assert [i["head_seat"]["locality"] for i in unknown] == ["unknown"]
    assert unknown[0]["head_seat"]["reasons"]
    assert non_local["indicator"]["population"] == "heads"


def test_lists_are_paginated(api, quota_city):  # noqa: F811
    seen, offset = [], 0
    while offset is not None:
        page = api(people_url(quota_city.root, "headcount"), limit=7, offset=offset).json()
        assert page["count"] == 45 and len(page["items"]) <= 7
        seen += [i["person_id"] for i in page["items"]]
        offset = page["next_offset"]
    assert len(seen) == len(set(seen)) == 45
    heads = api(people_url(quota_city.root, "heads"), limit=2, offset=4).json()
    assert (heads["count"], len(heads["items"]), heads["next_offset"]) == (5, 1, None)


def test_own_scope_lists_the_records_kept_in_the_unit_itself(api, quota_city):  # noqa: F811
    own = api(people_url(quota_city.root, "headcount"), scope="own", limit=200).json()
    assert own["scope"] == "own"
    assert {i["person_id"] for i in own["items"]} == {p.pk for p in serving_people(quota_city.root, today(), own_only=True)}


# Access and errors ----------------------------------------------------------------------------
def test_a_ward_officer_sees_the_ward_only(client, quota_city):  # noqa: F811
    _token, key = access_services.api_token_create(actor=None, user=quota_city.ward_officer, name="phường")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    for url in ("/api/units/{}/quotas", "/api/units/{}/quotas/women/people"):
        outside = client.get(url.format(quota_city.root.pk), **auth)
        missing = client.get(url.format(987_654_321), **auth)
        assert outside.status_code == missing.status_code == 404
        assert outside.json() == missing.json() == {"detail": "Not Found"}
    ward = client.get(f"/api/units/{quota_city.ward_a.pk}/quotas", **auth).json()
    assert {r["unit"]["id"] for r in ward["sub_units"]} <= {quota_city.ward_a.pk, quota_city.cell_a.pk}
    assert_matches_expected(ward["total"], quota_city.ward_a, today(), [i["key"] for i in ward["indicators"]])
    assert client.get(f"/api/units/{quota_city.ward_a.pk}/quotas").status_code == 401


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        ("1999-12-31", "as_of: số liệu chỉ tính cho các ngày từ 01/01/2000 đến 31/12/2099"),
        ("2100-01-01", "as_of: số liệu chỉ tính cho các ngày từ 01/01/2000 đến 31/12/2099"),
        ("15/03/2024", "as_of: ngày không hợp lệ (dùng YYYY-MM-DD)"),
    ],
)
def test_dates_without_figures_are_422(api, quota_city, as_of, message):  # noqa: F811
    for url in (f"/api/units/{quota_city.root.pk}/quotas", people_url(quota_city.root, "women")):
        response = api(url, as_of=as_of)
        assert response.status_code == 422
        assert [e["msg"] for e in response.json()["detail"]] == [message]
    assert api(f"/api/units/{quota_city.root.pk}/quotas", as_of="2000-01-01").status_code == 200


def test_a_date_before_the_parameters_is_422_even_if_let_through(api, quota_city, monkeypatch):  # noqa: F811
    """The date range is a guard; past it, a parameter not in force is still a 422, not a crash."""
    monkeypatch.setattr(params, "FIGURES_FROM", dt.date(1990, 1, 1))
    for url in (f"/api/units/{quota_city.root.pk}/quotas", people_url(quota_city.root, "women")):
        response = api(url, as_of="1995-06-01")
        assert response.status_code == 422
        [error] = response.json()["detail"]
        assert error["loc"] == ["query", "as_of"]
        assert error["msg"].startswith("as_of: Tham số «age_bands.")
        assert error["msg"].endswith("chưa có (hoặc không còn) giá trị vào ngày 01/06/1995")


def test_an_indicator_unknown_on_the_date_is_404_with_its_name(api, quota_city):  # noqa: F811
    response = api(people_url(quota_city.root, "bogus"))
    assert response.status_code == 404
    assert response.json() == {"detail": f"Chỉ số «bogus» không có vào ngày {today():%d/%m/%Y}."}
    # Retirement years move with the date: 2024's list exists on a 2024 date, not today.
    assert api(people_url(quota_city.root, "retire_2024"), as_of="2024-03-15").status_code == 200
    assert api(people_url(quota_city.root, "retire_2024"), as_of="2026-01-01").status_code == 404
    assert api(people_url(quota_city.root, "Women!")).status_code == 422


# Query counts ---------------------------------------------------------------------------------
def _grow(city, n: int, tag: str) -> None:
    """n more people in service, and n more cells each with a held head seat."""
    add_crowd(city, n, seed=n, prefix=f"{tag} ")
    secretary = f.make_title("bi-thu", "Bí thư", is_head=True, rank=10)
    for i in range(n):
        cell = f.make_unit(f"Chi bộ {tag} {i}", parent=city.ward_a, kind=UnitKind.PARTY_CELL)
        head = f.make_person(cell, f"Bí Thư {tag} {i}", birth_date=years_before(today(), 50), hometown=city.areas["ba_dinh"])
        f.make_assignment(head, f.make_position(cell, secretary), start_date=dt.date(2022, 1, 1))


def _queries(api, url, django_assert_max_num_queries, **params) -> int:
    api(url, **params)  # warm up: the token's last use, the area index
    selectors.ROLLUPS.clear()  # build the figures again: kept figures would hide their cost
    with django_assert_max_num_queries(100) as ctx:
        response = api(url, **params)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("path", "most"),
    [
        # token, grants, unit, the area tables' fingerprint (2), the newest audit event and the
        # last one settled (2), units, people, degrees, heads, areas of the units, the area
        # index's fingerprint (2), sub-units
        ("quotas", 16),
        # token, grants, unit, count, page, the page's seats
        ("quotas/women/people", 6),
        # token, grants, unit, heads, areas of the units, fingerprint (2), then the page: seats with
        # holders and places, the areas, which holders the caller may open
        ("quotas/heads/people", 10),
    ],
)
def test_query_count_does_not_grow_with_the_city(api, quota_city, monkeypatch, path, most, django_assert_max_num_queries):  # noqa: F811
    # Skipped audit ids are searched among the last hour's events: their number depends on the
    # database's history (rolled-back tests on PostgreSQL), not on the city.
    monkeypatch.setattr(rollup, "GAP_PATIENCE", dt.timedelta(0))
    url = f"/api/units/{quota_city.root.pk}/{path}"
    _grow(quota_city, 2, "nhỏ")
    small = _queries(api, url, django_assert_max_num_queries, limit=100)
    _grow(quota_city, 12, "lớn")
    large = _queries(api, url, django_assert_max_num_queries, limit=100)
    assert large == small
    assert large <= most
