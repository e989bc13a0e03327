"""Pages of the quota dashboard: a unit's figures, the drill-down lists, the Excel and PDF reports.

Every read goes through the request's access policy: a unit or person outside it answers 404.
"""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from canbo.access.policy import policy_for
from canbo.common.dates import today
from canbo.org.selectors import visible_ancestors_map
from canbo.people.selectors import person_for_resume, with_current_posts
from canbo.regulations.params import ParameterNotInForce
from canbo.web.params import as_of_context, as_of_date

from . import charts, exports, people_export
from .resume_pdf import resume_pdf as build_resume_pdf
from .selectors import (
    DEFINITIONS,
    GROUPS,
    HEADS,
    build_catalogue,
    drilldown_heads,
    drilldown_people,
    quota_report,
)

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCOPE_PARAM, OWN_SCOPE = "pham_vi", "rieng"
INDICATOR_PARAM = "chi_so"


def _as_of(request) -> dict:
    day, error = as_of_date(request)
    try:
        build_catalogue(day)  # the figures are defined by dated parameters (age bands, targets)
    except ParameterNotInForce as exc:
        day, error = today(), f"{exc}: chưa thể tính số liệu cho ngày này. Đang hiển thị ngày hôm nay."
    return as_of_context(request, day, error)


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _file_stem(unit, day: dt.date, kind: str) -> str:
    return f"{kind}-{slugify(unit.code) or unit.pk}-{day:%Y%m%d}"


@login_required
@require_GET
def home(request):
    """The dashboard of the user's first root unit."""
    root = policy_for(request).root_units().first()
    if root is None:
        raise PermissionDenied(_("Bạn chưa được phân quyền xem đơn vị nào."))
    return redirect("dashboard:unit", unit_id=root.pk)


@login_required
@require_GET
def unit_dashboard(request, unit_id):
    policy = policy_for(request)
    unit = policy.get_unit(unit_id)
    context = _as_of(request)
    report = quota_report(unit, context["as_of"], policy)
    context.update(
        unit=unit,
        report=report,
        kpis=report.kpis(),
        rows=report.rows,
        rows_html=charts.subunit_rows_html(report, context["as_of_query"]),
        ancestors=visible_ancestors_map([unit], policy)[unit.pk],
        definitions=DEFINITIONS,
        groups=GROUPS,
        tables=charts.tables(report),
        chart_data=charts.chart_data(report),
        exists_on_day=unit.exists_on(context["as_of"]),
        as_of_is_today=context["as_of"] == today(),
    )
    return render(request, "dashboard/unit.html", context)


@login_required
@require_GET
def drilldown(request, unit_id):
    """The people (or head seats) behind one figure, so it can be checked by hand."""
    policy = policy_for(request)
    unit = policy.get_unit(unit_id)
    context = _as_of(request)
    day = context["as_of"]
    catalogue = build_catalogue(day)
    key = (request.GET.get(INDICATOR_PARAM) or "headcount").strip()
    own_only = request.GET.get(SCOPE_PARAM) == OWN_SCOPE
    context.update(
        unit=unit,
        own_only=own_only,
        key=key,
        ancestors=visible_ancestors_map([unit], policy)[unit.pk],
    )
    if key not in catalogue:
        context["error"] = _("Chỉ số «%(key)s» không có vào ngày %(day)s.") % {
            "key": key,
            "day": f"{day:%d/%m/%Y}",
        }
        return render(request, "dashboard/drilldown.html", context, status=400)
    indicator = catalogue[key]
    context.update(indicator=indicator, group_label=GROUPS[indicator.group])
    if indicator.population == HEADS:
        seats = drilldown_heads(unit, day, policy, indicator, own_only=own_only)
        paginator = Paginator(seats, PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        context.update(
            heads=charts.head_rows(page.object_list, policy), definition=DEFINITIONS["heads"]
        )
    else:
        people = drilldown_people(unit, day, policy, indicator, own_only=own_only)
        paginator = Paginator(
            with_current_posts(people, day).order_by("search_name", "id"), PAGE_SIZE
        )
        page = paginator.get_page(request.GET.get("page"))
        rows = list(page.object_list)
        for person in rows:
            person.age_then = person.age_on(day)
        context.update(people=rows, definition=DEFINITIONS["headcount"])
    context.update(
        page=page,
        count=paginator.count,
        page_range=paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        query_without_page=_query_without(request, "page"),
    )
    return render(request, "dashboard/drilldown.html", context)


def _query_without(request, name: str) -> str:
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()


@login_required
@require_GET
def export_quotas(request, unit_id):
    """The statistical table (units as rows, shares as columns) as an Excel workbook."""
    policy = policy_for(request)
    unit = policy.get_unit(unit_id)
    day = _as_of(request)["as_of"]
    report = quota_report(unit, day, policy)
    return _attachment(
        exports.quota_workbook(report), XLSX, _file_stem(unit, day, "chi-tieu-co-cau") + ".xlsx"
    )


@login_required
@require_GET
def export_people(request, unit_id):
    """The people of the unit's subtree, with the people list's filters (and a figure's, if given)."""
    policy = policy_for(request)
    unit = policy.get_unit(unit_id)
    day = _as_of(request)["as_of"]
    try:
        selection = people_export.select(request.GET, unit=unit, day=day, policy=policy)
    except people_export.BadFilter as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    content = exports.people_workbook(selection)
    return _attachment(content, XLSX, _file_stem(unit, day, "danh-sach-can-bo") + ".xlsx")


@login_required
@require_GET
def resume_pdf(request, person_id):
    """The person's 2C résumé (Mẫu 2C) as a printable PDF."""
    policy = policy_for(request)
    person = policy.get_person(person_id)
    person = person_for_resume(type(person).objects.filter(pk=person.pk)).get()
    content = build_resume_pdf(person, printed_on=today())
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="so-yeu-ly-lich-{person.pk}.pdf"'
    return response
