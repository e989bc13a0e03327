"""What the dashboard page draws: chart series (for Chart.js) and the same numbers as tables,
every cell linked to its drill-down list; and the rows of the heads drill-down."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from canbo.areas.models import AdminArea
from canbo.people import catalogues as c
from canbo.people.models import Assignment

from .selectors import KPI_KEYS, SEXES, QuotaReport, Row


def drill_url(report: QuotaReport, key: str, row: Row | None = None) -> str:
    """The drill-down list of figure `key` of the report (or of one of its rows).

    A page links a thousand figures: the path is reversed once per unit and kept on the report.
    """
    unit = row.unit if row is not None else report.unit
    own = row is not None and row.own
    cache = report.__dict__.setdefault("_drill_prefixes", {})
    prefix = cache.get((unit.pk, own))
    if prefix is None:
        query = {"ngay": f"{report.day:%d/%m/%Y}"}
        if own:
            query["pham_vi"] = "rieng"
        path = reverse("dashboard:drilldown", kwargs={"unit_id": unit.pk})
        prefix = cache[(unit.pk, own)] = f"{path}?{urlencode(query)}&chi_so="
    return prefix + key


@dataclass
class Cell:
    value: int | float | None
    url: str = ""
    percent: bool = False
    status: str = ""  # a share's status, for its colour


@dataclass
class Table:
    id: str
    title: str
    columns: list[str]
    rows: list[tuple[str, list[Cell]]] = field(default_factory=list)
    note: str = ""


def _share_cells(report: QuotaReport, keys, counts=None, row=None) -> list[Cell]:
    cells = []
    for key in keys:
        count = report.count(key, counts)
        share = report.share(key, counts) if report.catalogue[key].base else None
        cells.append(Cell(count, drill_url(report, key, row)))
        if share is not None:
            cells.append(Cell(share.percent, percent=True))
    return cells


def tables(report: QuotaReport) -> dict[str, Table]:
    cat = report.catalogue
    sex_labels = [str(label) for _value, label in c.Sex.choices]
    result: dict[str, Table] = {}

    pyramid = Table("pyramid", _("Tháp tuổi"), [_("Nhóm tuổi"), *sex_labels, _("Cộng")])
    for band in cat.bands:
        keys = [f"age_{band.key}_{sex}" for sex in SEXES]
        cells = [Cell(report.count(k), drill_url(report, k)) for k in keys]
        cells.append(Cell(sum(report.count(k) for k in keys)))
        pyramid.rows.append((band.label, cells))
    result["pyramid"] = pyramid

    retirement = Table(
        "retirement", _("Đến tuổi nghỉ hưu theo năm"), [_("Năm"), *sex_labels, _("Cộng")]
    )
    for year in cat.years:
        cells = [
            Cell(report.count(f"retire_{year}_{sex}"), drill_url(report, f"retire_{year}_{sex}"))
            for sex in SEXES
        ]
        cells.append(Cell(report.count(f"retire_{year}"), drill_url(report, f"retire_{year}")))
        retirement.rows.append((str(year), cells))
    retirement.note = _("Đã qua tuổi nghỉ hưu nhưng còn giữ vị trí: %(n)s người.") % {
        "n": _number(report.count("past_retirement"))
    }
    result["retirement"] = retirement

    for group, title in (
        ("political_theory", _("Lý luận chính trị")),
        ("state_management", _("Quản lý nhà nước")),
        ("degree", _("Trình độ chuyên môn cao nhất")),
    ):
        table = Table(group, title, [_("Trình độ"), _("Số người"), _("Tỷ lệ")])
        for indicator in reversed(cat.group(group)) if group != "degree" else cat.group(group):
            table.rows.append((str(indicator.label), _share_cells(report, [indicator.key])))
        result[group] = table

    return result


def chart_data(report: QuotaReport) -> dict:
    cat = report.catalogue
    oldest_first = list(reversed(cat.bands))

    def series(group: str) -> dict:
        indicators = cat.group(group)
        if group != "degree":
            indicators = list(reversed(indicators))
        return {
            "labels": [str(i.label) for i in indicators],
            "values": [report.count(i.key) for i in indicators],
        }

    return {
        "sexes": [str(label) for _value, label in c.Sex.choices],
        "pyramid": {
            "labels": [band.label for band in oldest_first],
            "male": [report.count(f"age_{band.key}_{c.Sex.MALE}") for band in oldest_first],
            "female": [report.count(f"age_{band.key}_{c.Sex.FEMALE}") for band in oldest_first],
        },
        "retirement": {
            "labels": [str(year) for year in cat.years],
            "male": [report.count(f"retire_{year}_{c.Sex.MALE}") for year in cat.years],
            "female": [report.count(f"retire_{year}_{c.Sex.FEMALE}") for year in cat.years],
        },
        "political_theory": series("political_theory"),
        "state_management": series("state_management"),
        "degree": series("degree"),
        "subunits": {
            "labels": [row.label for row in report.rows],
            "datasets": [
                {
                    "label": str(cat[key].label),
                    "values": [
                        None
                        if (s := report.share(key, row.counts)).percent is None
                        else round(s.percent, 1)
                        for row in report.rows
                    ],
                    "target": None
                    if report.targets.get(key) is None
                    else round(report.targets[key].value * 100, 1),
                }
                for key in KPI_KEYS
            ],
        },
    }


STATUS_CLASSES = {"not_met": "text-danger fw-semibold", "met": "text-success"}


def _number(value: int) -> str:
    from django.contrib.humanize.templatetags.humanize import intcomma

    return intcomma(value)  # the same grouping as the template's numbers


def _count(share) -> str:
    """A share's count; with its base when that is not the headcount (head seats)."""
    if share.indicator.base == "headcount":
        return _number(share.count)
    return f"{_number(share.count)}/{_number(share.base)}"


def subunit_rows_html(report: QuotaReport, as_of_query: str) -> str:
    """The body of the sub-units table, built in Python: a province has over a hundred sub-units
    of a dozen linked cells each, which the template engine renders several times slower."""
    from django.utils.html import format_html, format_html_join

    from .templatetags.dashboard_tags import pct

    not_existing = _("không tồn tại vào ngày xem")
    lines = []
    for row in report.rows:
        if row.own:
            name = format_html('<span class="fst-italic">{}</span>', row.label)
        else:
            path = reverse("dashboard:unit", kwargs={"unit_id": row.unit.pk})
            name = format_html('<a href="{}{}">{}</a>', path, as_of_query, row.label)
        if not row.exists:
            name = format_html(
                '{} <span class="badge text-bg-secondary fw-normal">{}</span>', name, not_existing
            )
        cells = format_html_join(
            "",
            '<td class="text-end"><a class="figure-link" href="{}">{}</a></td>'
            '<td class="text-end {}" title="{}">{}</td>',
            (
                (drill_url(report, s.indicator.key, row), _count(s), STATUS_CLASSES.get(s.status, ""),
                 s.status_label, pct(s.percent))
                for s in report.row_shares(row)
            ),
        )  # fmt: skip
        lines.append(
            format_html(
                '<tr{}><th scope="row" class="fw-normal">{}</th>'
                '<td class="text-end"><a class="figure-link" href="{}">{}</a></td>{}</tr>',
                ' class="table-light"' if row.own else "",
                name,
                drill_url(report, "headcount", row),
                _number(row.counts["headcount"]),
                cells,
            )
        )
    return format_html_join("\n", "{}", ((line,) for line in lines))


@dataclass
class HeadRow:
    assignment: Assignment
    area: AdminArea | None
    status: str
    reasons: list[str]
    person_visible: bool


def head_rows(seats, policy) -> list[HeadRow]:
    """The page's head seats with their holder, seat and area, in three queries whatever the page size."""
    seats = list(seats)
    if not seats:
        return []
    places = [f"person__{name}__parent__parent" for name in ("hometown", "birthplace", "residence")]
    assignments = Assignment.objects.select_related(
        "person", "position__unit", "position__title", *places
    ).in_bulk([s.assignment_id for s in seats])
    areas = AdminArea.objects.with_parents().in_bulk({s.area_id for s in seats if s.area_id})
    person_ids = {s.person_id for s in seats}
    visible = set(policy.people().filter(pk__in=person_ids).values_list("pk", flat=True))
    return [
        HeadRow(
            assignments[s.assignment_id],
            areas.get(s.area_id),
            s.status,
            s.reasons,
            s.person_id in visible,
        )
        for s in seats
    ]
