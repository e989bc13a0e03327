"""The dashboard pages: access through the policy, the as-of date, what the page shows, and a
query count that does not grow with the number of people or sub-units."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canbo.dashboard import rollup, selectors
from canbo.org.models import UnitKind
from canbo.people import services as people_services

from .. import factories as f
from .conftest import add_crowd


def unit_url(unit, name="dashboard:unit"):
    return reverse(name, kwargs={"unit_id": unit.pk})


def test_home_redirects_to_the_users_root_unit(client, quota_city):
    client.force_login(quota_city.ward_officer)
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302
    assert response["Location"] == unit_url(quota_city.ward_a)


def test_user_without_grants_is_refused(client, quota_city):
    client.force_login(f.make_user("nobody"))
    assert client.get(reverse("dashboard:home")).status_code == 403


def test_anonymous_goes_to_login(client, quota_city):
    response = client.get(unit_url(quota_city.root))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_another_wards_pages_answer_404(client, quota_city):
    client.force_login(quota_city.ward_officer)
    b = quota_city.ward_b
    for name in (
        "dashboard:unit",
        "dashboard:drilldown",
        "dashboard:export_quotas",
        "dashboard:export_people",
    ):
        assert client.get(unit_url(b, name)).status_code == 404, name
        assert client.get(reverse(name, kwargs={"unit_id": 987654321})).status_code == 404, name
        assert client.get(unit_url(quota_city.ward_a, name)).status_code == 200, name
    pdf = "dashboard:resume_pdf"
    assert (
        client.get(
            reverse(pdf, kwargs={"person_id": quota_city.people["b_secretary"].pk})
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse(pdf, kwargs={"person_id": quota_city.people["a_secretary"].pk})
        ).status_code
        == 200
    )


def test_ward_officer_sees_only_the_ward_in_figures(client, quota_city):
    client.force_login(quota_city.ward_officer)
    response = client.get(unit_url(quota_city.ward_a))
    body = response.content.decode()
    assert "Hoàn Kiếm" not in body
    report = response.context["report"]
    assert {row.unit.pk for row in report.rows} <= {quota_city.ward_a.pk, quota_city.cell_a.pk}


def test_page_shows_kpis_targets_definition_and_charts(city_client, quota_city):
    response = city_client.get(unit_url(quota_city.root))
    assert response.status_code == 200
    body = response.content.decode()
    report = response.context["report"]
    assert f'data-figure="headcount">{report.total["headcount"]}<' in body
    for key in ("women", "under_young", "under_youth", "minorities", "heads_non_local"):
        assert f'data-kpi="{key}"' in body
    assert "Chỉ tiêu" in body and "Chưa đạt" in body and "Không có chỉ tiêu" in body
    assert "đang giữ ít nhất một vị trí" in body  # the headcount's definition is on the page
    assert "vendor/chartjs-4.6.1/chart.umd.min.js" in body
    assert body.count("Bảng số liệu") == 5
    assert 'id="chart-data"' in body
    assert "Đảng ủy phường Ba Đình" in body and "Đảng ủy phường Hoàn Kiếm" in body


def test_as_of_date_changes_the_figures_and_bad_dates_say_so(city_client, quota_city):
    old = city_client.get(unit_url(quota_city.root), {"ngay": "15/03/2024"})
    assert old.context["as_of"] == dt.date(2024, 3, 15)
    assert any(row.unit.pk == quota_city.district.pk for row in old.context["report"].rows)
    bad = city_client.get(unit_url(quota_city.root), {"ngay": "31/02/2024"})
    assert bad.status_code == 200
    assert "không hợp lệ" in bad.content.decode()


def _queries(client, url) -> int:
    """Queries of a request that computes its figures (no report kept from before)."""
    selectors.ROLLUPS.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_people_or_sub_units(city_client, quota_city, monkeypatch):
    # Skipped audit ids are searched among the last hour's events: their number depends on the
    # database's history (rolled-back tests on PostgreSQL), not on the city.
    monkeypatch.setattr(rollup, "GAP_PATIENCE", dt.timedelta(0))
    url = unit_url(quota_city.root)
    drill = unit_url(quota_city.root, "dashboard:drilldown") + "?chi_so=women"
    heads = unit_url(quota_city.root, "dashboard:drilldown") + "?chi_so=heads"
    city_client.get(url)  # loads the area index, kept while the areas do not change
    before = (
        _queries(city_client, url),
        _queries(city_client, drill),
        _queries(city_client, heads),
    )
    for n in range(4):
        ward = f.make_unit(
            f"Đảng ủy xã Thử {n}",
            parent=quota_city.root,
            code=f"HN-X{n}",
            kind=UnitKind.AFFILIATED_COMMITTEE,
        )
        title = f.make_title("bi-thu")
        f.make_assignment(f.make_person(ward, f"Bí Thư Xã {n}"), f.make_position(ward, title))
    add_crowd(quota_city, 30, seed=5, prefix="Thêm ")
    after = (_queries(city_client, url), _queries(city_client, drill), _queries(city_client, heads))
    assert after == before
    assert before[0] <= 16, before
    # A second view before any write reuses the figures: no aggregate query at all (session, user,
    # grants, unit, the area tables' fingerprint (2), the audit events since, sub-units).
    city_client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        city_client.get(url)
    assert len(ctx.captured_queries) <= 8, [q["sql"][:80] for q in ctx.captured_queries]


def _queries_after_a_write(client, url, person) -> int:
    """Queries of the first view after a write to one person's record."""
    client.get(url)
    person.refresh_from_db()
    level = 3 if person.political_theory != 3 else 2
    person = people_services.person_update(actor=None, person=person, political_theory=level)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_after_a_write_only_its_units_are_computed_again(city_client, quota_city):
    url = unit_url(quota_city.root)
    someone = quota_city.people["b_secretary"]
    before = _queries_after_a_write(city_client, url, someone)
    add_crowd(quota_city, 30, seed=7, prefix="Thêm ")
    assert _queries_after_a_write(city_client, url, someone) == before
    # The warm view's 8, the events since, the person's units and head seats, and the units'
    # people, degrees, heads, areas and the area index's fingerprint (2).
    assert before <= 17, before


def test_a_write_shows_at_once_although_reports_are_kept(city_client, quota_city):
    url = unit_url(quota_city.root)
    first = city_client.get(url).context["report"].total["headcount"]
    assert city_client.get(url).context["report"].total["headcount"] == first  # kept: same figures
    newcomer = f.make_person(
        quota_city.ward_b, "Người Mới Đến", sex="F", birth_date=dt.date(1999, 9, 9)
    )
    f.make_assignment(newcomer, quota_city.seats["staff_ward_b"], start_date=dt.date(2024, 1, 1))
    assert city_client.get(url).context["report"].total["headcount"] == first + 1
