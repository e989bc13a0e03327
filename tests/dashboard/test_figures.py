"""Every figure of the dashboard against an independent count, for the unit and each sub-unit,
on today's date and on a date before the 2025 reform; drill-down lists as long as their figures."""

import datetime as dt

import pytest
from django.urls import reverse

from canbo.access.policy import AccessPolicy
from canbo.common.dates import today
from canbo.dashboard.selectors import KPI_KEYS, build_catalogue, quota_report
from canbo.dashboard.targets import Status

from .expected import expected

BEFORE_REFORM = dt.date(2024, 3, 15)


def figures_match(report, unit, day, *, own_only=False, counts=None):
    want = expected(unit, day, own_only=own_only)
    got = report.total if counts is None else counts
    mismatched = {
        k: (got.get(k, 0), want.get(k, 0))
        for k in report.catalogue.indicators
        if got.get(k, 0) != want.get(k, 0)
    }
    assert not mismatched, mismatched


@pytest.mark.parametrize("day", [None, BEFORE_REFORM], ids=["today", "before-reform"])
def test_every_figure_of_the_city_and_each_sub_unit(quota_city, day):
    day = day or today()
    policy = AccessPolicy(quota_city.officer)
    report = quota_report(quota_city.root, day, policy)
    figures_match(report, quota_city.root, day)
    for row in report.rows:
        figures_match(report, row.unit, day, own_only=row.own, counts=row.counts)
    # The rows add up to the total: nothing is lost or counted twice between sub-units.
    for key in report.catalogue.indicators:
        assert sum(row.counts[key] for row in report.rows) == report.total[key], key


def test_the_data_exercises_every_kind_of_figure(quota_city):
    """Guards the test above against passing on zeros."""
    report = quota_report(quota_city.root, today(), AccessPolicy(quota_city.officer))
    t = report.total
    assert (
        t["headcount"] == 45
    )  # 40 staff + 5 heads; the retiree and the record without a seat are out
    for key in ("women", "under_young", "under_youth", "minorities", "past_retirement"):
        assert 0 < t[key] < t["headcount"], key
    assert (t["heads"], t["heads_known"], t["heads_non_local"], t["heads_unknown"]) == (5, 4, 1, 1)
    assert sum(t[f"retire_{y}"] for y in report.catalogue.years) > 0
    assert sum(1 for k in report.catalogue.indicators if k.startswith("degree_") and t[k]) >= 4


def test_the_legacy_district_counts_only_while_it_existed(quota_city):
    policy = AccessPolicy(quota_city.officer)
    old = quota_report(quota_city.root, BEFORE_REFORM, policy)
    new = quota_report(quota_city.root, today(), policy)
    old_rows = {row.unit.pk: row for row in old.rows}
    assert old_rows[quota_city.district.pk].counts["headcount"] == 1
    assert old_rows[quota_city.district.pk].exists
    assert quota_city.district.pk not in {row.unit.pk for row in new.rows}


def test_kpis_carry_targets_and_status(quota_city):
    report = quota_report(quota_city.root, today(), AccessPolicy(quota_city.officer))
    kpis = {s.indicator.key: s for s in report.kpis()}
    assert list(kpis) == list(KPI_KEYS)
    women = kpis["women"]
    assert women.target is not None and women.target.value == 0.20
    assert women.status == (Status.MET if women.count / women.base >= 0.20 else Status.NOT_MET)
    assert kpis["minorities"].status == Status.NO_TARGET
    heads = kpis["heads_non_local"]
    assert (heads.count, heads.base) == (1, 4)
    assert heads.status == Status.NOT_MET  # 25% against 50%


def test_status_compares_exactly():
    from canbo.dashboard.targets import status_of, target_for

    target = target_for("women", today())
    assert status_of(1, 5, target) == Status.MET  # exactly 20%
    assert status_of(199, 1000, target) == Status.NOT_MET
    assert status_of(0, 0, target) == Status.NO_DATA
    assert status_of(3, 10, None) == Status.NO_TARGET


def test_targets_are_dated(quota_city):
    # The reference targets start in 2021: a view of 2020 has none.
    report = quota_report(quota_city.root, dt.date(2020, 6, 1), AccessPolicy(quota_city.officer))
    assert all(share.target is None for share in report.kpis())


def _drill(client, unit, key, day, own=False):
    query = {"chi_so": key, "ngay": f"{day:%d/%m/%Y}"}
    if own:
        query["pham_vi"] = "rieng"
    response = client.get(reverse("dashboard:drilldown", kwargs={"unit_id": unit.pk}), query)
    assert response.status_code == 200, (key, response.status_code)
    return response


@pytest.mark.parametrize("day", [None, BEFORE_REFORM], ids=["today", "before-reform"])
def test_every_drilldown_list_has_as_many_rows_as_its_figure(city_client, quota_city, day):
    day = day or today()
    report = quota_report(quota_city.root, day, AccessPolicy(quota_city.officer))
    for key in build_catalogue(day).indicators:
        response = _drill(city_client, quota_city.root, key, day)
        assert response.context["count"] == report.total[key], key
    for row in report.rows:
        for key in ("headcount", *KPI_KEYS, "heads", "degree_0", "pt_3", f"retire_{day.year + 1}"):
            response = _drill(city_client, row.unit, key, day, own=row.own)
            assert response.context["count"] == row.counts[key], (row.label, key)


def test_drilldown_lists_the_very_people_counted(city_client, quota_city):
    from .expected import serving_people

    day = today()
    response = _drill(city_client, quota_city.root, "women", day)
    listed = {p.pk for p in response.context["people"]}
    assert listed == {p.pk for p in serving_people(quota_city.root, day) if p.sex == "F"}
    heads = _drill(city_client, quota_city.root, "heads_non_local", day).context["heads"]
    assert [row.assignment.person.pk for row in heads] == [quota_city.people["b_secretary"].pk]
    body = _drill(city_client, quota_city.root, "heads_non_local", day).content.decode()
    assert "Người Đứng Đầu 2" in body and "Không là người địa phương" in body


def test_unknown_indicator_is_a_clear_error(city_client, quota_city):
    response = city_client.get(
        reverse("dashboard:drilldown", kwargs={"unit_id": quota_city.root.pk}), {"chi_so": "bogus"}
    )
    assert response.status_code == 400
    assert "Chỉ số «bogus»" in response.content.decode()
