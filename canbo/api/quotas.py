"""API of the quota dashboard: a unit's figures as of a date, and the people behind each figure.

The figures are the dashboard's own (`canbo.dashboard.selectors.quota_report`, the same report
as the page and `canbo report quotas`), reshaped into typed objects; the lists behind them are
the dashboard's drill-down selectors, so a list always has as many rows as its figure.
"""

import datetime as dt
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.errors import HttpError

from canbo.access.policy import policy_for
from canbo.common.dates import today
from canbo.dashboard.charts import head_rows
from canbo.dashboard.selectors import (
    DEFINITIONS,
    HEADS,
    SEXES,
    Catalogue,
    QuotaReport,
    build_catalogue,
    drilldown_heads,
    drilldown_people,
    quota_report,
)
from canbo.people.selectors import with_current_posts
from canbo.regulations.params import ParameterNotInForce

from . import serializers as s
from .errors import COMMON, NOT_FOUND, parameter_error
from .pagination import LimitParam, OffsetParam, paginate, paginate_list
from .params import FiguresAsOfParam, FiguresDate, id_path
from .schemas import QuotaPeoplePage, QuotaReportOut

router = Router(tags=["quotas"])

INDICATOR_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
# Response field → dashboard indicator of the five shares shown against a target.
KPIS = {
    "women": "women",
    "under_young": "under_young",
    "under_youth": "under_youth",
    "minorities": "minorities",
    "non_local_heads": "heads_non_local",
}


def _not_in_force(exc: ParameterNotInForce) -> Exception:
    """The figures are defined by dated parameters: without them on that day there is nothing to count."""
    return parameter_error("query", "as_of", str(exc))


@router.get(
    "/units/{unit_id}/quotas",
    response={200: QuotaReportOut, **NOT_FOUND, **COMMON},
    summary="Số liệu cơ cấu đội ngũ của đơn vị và các đơn vị trực thuộc",
    description=(
        "Các số liệu của bảng điều khiển vào một ngày: số cán bộ, nữ, dưới 40 và dưới 35 tuổi (ngưỡng là "
        "tham số), dân tộc thiểu số, người đứng đầu không là người địa phương (số, tỷ lệ, chỉ tiêu, kết luận "
        "đạt/chưa đạt), trình độ lý luận chính trị, quản lý nhà nước, chuyên môn, tháp tuổi theo giới tính, "
        "số người đến tuổi nghỉ hưu từng năm trong năm năm tới; cho toàn đơn vị (`total`) và từng đơn vị trực "
        "thuộc trực tiếp (`sub_units`). Mỗi số có mã chỉ số: danh sách người được đếm ở "
        "`/api/units/{unit_id}/quotas/{indicator}/people`. Cùng số liệu với trang Báo cáo và lệnh "
        "`canbo report quotas`."
    ),
)
def unit_quotas(
    request,
    unit_id: int = id_path("Mã (id) đơn vị."),
    as_of: FiguresDate | None = FiguresAsOfParam,
):
    policy = policy_for(request)
    unit = policy.get_unit(unit_id)
    try:
        report = quota_report(unit, as_of or today(), policy)
    except ParameterNotInForce as exc:
        raise _not_in_force(exc) from None
    return report_out(report)


@router.get(
    "/units/{unit_id}/quotas/{indicator}/people",
    response={200: QuotaPeoplePage, **NOT_FOUND, **COMMON},
    summary="Danh sách người (hoặc vị trí người đứng đầu) đứng sau một số liệu",
    description=(
        "Những người được đếm trong một số liệu của `/api/units/{unit_id}/quotas` (cùng ngày, cùng cách "
        "đếm), theo tên. Chỉ số người đứng đầu (`heads…`) liệt kê từng vị trí người đứng đầu được đếm, với "
        "địa bàn và kết luận người địa phương. Chỉ số không có vào ngày xem trả 404."
    ),
)
def quota_people(
    request,
    unit_id: int = id_path("Mã (id) đơn vị."),
    indicator: str = Path(
        ...,
        pattern=INDICATOR_PATTERN,
        description="Mã chỉ số (trường `indicator` của số liệu, ví dụ `women`, `under_young`, `heads_non_local`).",
        example="women",
    ),
    as_of: FiguresDate | None = FiguresAsOfParam,
    scope: Literal["subtree", "own"] = Query(
        "subtree",
        description="subtree: đơn vị và các đơn vị cấp dưới; own: chỉ hồ sơ, vị trí của chính đơn vị.",
    ),
    limit: int = LimitParam,
    offset: int = OffsetParam,
):
    policy = policy_for(request)
    unit = policy.get_unit(unit_id)
    day = as_of or today()
    try:
        catalogue = build_catalogue(day)
    except ParameterNotInForce as exc:
        raise _not_in_force(exc) from None
    if indicator not in catalogue:
        raise HttpError(404, _("Chỉ số «%(key)s» không có vào ngày %(day)s.") % {"key": indicator, "day": f"{day:%d/%m/%Y}"})
    chosen = catalogue[indicator]
    own_only = scope == "own"
    header = {"unit": s.unit_ref(unit), "as_of": day, "indicator": indicator_out(chosen), "scope": scope}
    if chosen.population == HEADS:
        seats = drilldown_heads(unit, day, policy, chosen, own_only=own_only)
        page = paginate_list(
            seats, limit=limit, offset=offset, serialize=lambda rows: [head_item(r) for r in head_rows(rows, policy)]
        )
    else:
        people = with_current_posts(drilldown_people(unit, day, policy, chosen, own_only=own_only), day)
        page = paginate(
            people.order_by("search_name", "id"),
            limit=limit,
            offset=offset,
            serialize=lambda rows: [person_item(p, day) for p in rows],
        )
    return {**header, **page}


# The report, reshaped -------------------------------------------------------------------------


def indicator_out(indicator) -> dict:
    return {
        "key": indicator.key,
        "label": str(indicator.label),
        "group": indicator.group,
        "population": indicator.population,
        "base": indicator.base,
    }


def figure(report: QuotaReport, key: str, counts: dict[str, int]) -> dict:
    share = report.share(key, counts)
    has_base = report.catalogue[key].base is not None
    return {
        "indicator": key,
        "count": share.count,
        "base": share.base if has_base else None,
        "share": None if not has_base or share.share is None else round(share.share, 4),
    }


def share_figure(report: QuotaReport, key: str, counts: dict[str, int]) -> dict:
    share = report.share(key, counts)
    # The target's source is given once for the report (`targets`): it is the same on every row.
    return {**share.as_dict(), "indicator": key, "target": share.target.value if share.target else None}


def _band_ages(band, day: dt.date) -> tuple[int | None, int | None]:
    """Whole-year ages of a pyramid band, from its birth-date range (see selectors.age_band)."""
    low = day.year - band.latest.year if band.latest else None
    high = day.year - (band.earliest - dt.timedelta(days=1)).year - 1 if band.earliest else None
    return low, high


def figures_out(report: QuotaReport, counts: dict[str, int]) -> dict:
    cat: Catalogue = report.catalogue

    def fig(key):
        return figure(report, key, counts)

    def keys(group):
        return [fig(ind.key) for ind in cat.group(group)]

    male, female = SEXES
    pyramid = []
    for band in cat.bands:
        low, high = _band_ages(band, cat.day)
        pyramid.append(
            {
                "band": band.key,
                "label": band.label,
                "min_age": low,
                "max_age": high,
                "men": fig(f"age_{band.key}_{male}"),
                "women": fig(f"age_{band.key}_{female}"),
            }
        )
    retirements = [
        {
            "year": year,
            "total": fig(f"retire_{year}"),
            "men": fig(f"retire_{year}_{male}"),
            "women": fig(f"retire_{year}_{female}"),
        }
        for year in cat.years
    ]
    return {
        "headcount": fig("headcount"),
        **{field: share_figure(report, key, counts) for field, key in KPIS.items()},
        "men": fig("men"),
        "heads": {"seats": fig("heads"), "known": fig("heads_known"), "unknown": fig("heads_unknown")},
        "political_theory": keys("political_theory"),
        "state_management": keys("state_management"),
        "degree": keys("degree"),
        "age_pyramid": pyramid,
        "retirements": retirements,
        "past_retirement": fig("past_retirement"),
    }


def report_out(report: QuotaReport) -> dict:
    cat = report.catalogue
    return {
        "unit": s.unit_ref(report.unit),
        "as_of": report.day,
        "thresholds": {"young": cat.young, "youth": cat.youth},
        "definitions": {key: str(text) for key, text in DEFINITIONS.items()},
        "indicators": [indicator_out(ind) for ind in cat.indicators.values()],
        "targets": [
            {"indicator": key, **target.as_dict()} for key, target in report.targets.items() if target is not None
        ],
        "total": figures_out(report, report.total),
        "sub_units": [
            {
                "unit": s.unit_ref(row.unit),
                "label": row.label,
                "own_records": row.own,
                "exists_on_date": row.exists,
                "figures": figures_out(report, row.counts),
            }
            for row in report.rows
        ],
    }


# The lists behind the figures -----------------------------------------------------------------


def _post(assignment) -> dict:
    position = assignment.position
    return {
        "assignment_id": assignment.pk,
        "position_id": position.pk,
        "title": position.title.name,
        "unit": s.unit_ref(position.unit),
        "start_date": assignment.start_date,
    }


def person_item(person, day: dt.date) -> dict:
    """Expects `with_current_posts` (record unit selected, seats on `day` prefetched)."""
    return {
        "person_id": person.pk,
        "full_name": person.full_name,
        "record_visible": True,  # counted people have their record in the unit's subtree
        "profile": {
            "sex": person.sex,
            "birth_date": person.birth_date,
            "birth_date_precision": person.birth_date_precision,
            "age": person.age_on(day),
            "ethnicity": person.ethnicity,
            "political_theory": person.political_theory,
            "state_management": person.state_management,
            "unit": s.unit_ref(person.unit),
            "posts": [_post(a) for a in person.current_assignments],
        },
        "head_seat": None,
    }


def head_item(row) -> dict:
    """A `canbo.dashboard.charts.HeadRow`: the seat's assignment with its holder's places loaded."""
    assignment, person = row.assignment, row.assignment.person
    return {
        "person_id": person.pk,
        "full_name": person.full_name,
        "record_visible": row.person_visible,
        "profile": None,
        "head_seat": {
            **_post(assignment),
            "area": s.area_ref(row.area),
            "hometown": s.area_ref(person.hometown),
            "birthplace": s.area_ref(person.birthplace),
            "residence": s.area_ref(person.residence),
            "residence_since": person.residence_since,
            "locality": row.status,
            "reasons": [str(r) for r in row.reasons],
        },
    }
