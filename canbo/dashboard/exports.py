"""Excel reports in the layouts offices use: the statistical table of structure shares, and a
people list (openpyxl)."""

import io
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from canbo.common.spreadsheets import text_cell, write_only_row
from canbo.people import catalogues as c
from canbo.people.models import Assignment, Degree, Person

from .people_export import Selection
from .selectors import DEFINITIONS, QuotaReport
from .targets import Status

COUNT_FORMAT = "#,##0"
SHARE_FORMAT = "0.0%"
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
TOTAL_FILL = PatternFill("solid", fgColor="FFF2CC")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
BOLD = Font(bold=True)


@dataclass(frozen=True)
class Column:
    group: str  # the upper header ("" for a column spanning both header rows)
    label: str
    key: str  # indicator key, or "" for STT / unit name
    kind: str  # "count", "share", "text", "index"
    width: float = 9


def quota_columns(report: QuotaReport) -> list[Column]:
    cat = report.catalogue
    cols = [
        Column("", _("STT"), "", "index", 5),
        Column("", _("Đơn vị"), "", "text", 42),
        Column("", _("Cán bộ đang công tác"), "headcount", "count", 10),
    ]
    for key in ("women", "under_young", "under_youth", "minorities"):
        group = str(cat[key].label)
        cols += [
            Column(group, _("Số lượng"), key, "count"),
            Column(group, _("Tỷ lệ"), key, "share"),
        ]
    heads = _("Người đứng đầu")
    cols += [
        Column(heads, _("Số vị trí có người giữ"), "heads", "count", 11),
        Column(heads, _("Không là người địa phương"), "heads_non_local", "count", 12),
        Column(heads, _("Tỷ lệ"), "heads_non_local", "share"),
        Column(heads, _("Chưa xác định"), "heads_unknown", "count", 10),
    ]
    for group_key, title in (
        ("political_theory", _("Lý luận chính trị")),
        ("state_management", _("Quản lý nhà nước")),
        ("degree", _("Trình độ chuyên môn cao nhất")),
    ):
        indicators = cat.group(group_key)
        if group_key != "degree":
            indicators = list(reversed(indicators))
        cols += [Column(title, str(i.label), i.key, "count", 11) for i in indicators]
    retire = _("Đến tuổi nghỉ hưu")
    cols += [Column(retire, str(year), f"retire_{year}", "count", 8) for year in cat.years]
    cols.append(Column(retire, _("Đã qua tuổi, còn giữ vị trí"), "past_retirement", "count", 11))
    return cols


def _value(report: QuotaReport, column: Column, counts: dict[str, int]):
    if column.kind == "count":
        return counts.get(column.key, 0)
    share = report.share(column.key, counts)
    return share.share


def quota_workbook(report: QuotaReport) -> bytes:
    """Units as rows, shares as columns, two merged header rows, a title, totals, targets."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Cơ cấu đội ngũ")[:31]
    cols = quota_columns(report)
    last = get_column_letter(len(cols))

    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = _("BÁO CÁO CƠ CẤU, CHẤT LƯỢNG ĐỘI NGŨ CÁN BỘ")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A2:{last}2")
    text_cell(ws["A2"], _("Đơn vị: %(unit)s (gồm các đơn vị trực thuộc) – Số liệu tại ngày %(day)s") % {
        "unit": report.unit.name,
        "day": f"{report.day:%d/%m/%Y}",
    })
    ws["A2"].font = Font(italic=True, size=12)
    ws["A2"].alignment = Alignment(horizontal="center")

    top, sub = 4, 5
    index = 0
    while index < len(cols):
        column = cols[index]
        letter = get_column_letter(index + 1)
        if not column.group:
            ws.merge_cells(f"{letter}{top}:{letter}{sub}")
            ws[f"{letter}{top}"] = column.label
            index += 1
            continue
        span = index
        while span + 1 < len(cols) and cols[span + 1].group == column.group:
            span += 1
        ws.merge_cells(f"{letter}{top}:{get_column_letter(span + 1)}{top}")
        ws[f"{letter}{top}"] = column.group
        for i in range(index, span + 1):
            ws.cell(row=sub, column=i + 1, value=cols[i].label)
        index = span + 1
    numbering = sub + 1
    for i, column in enumerate(cols, start=1):
        ws.cell(row=numbering, column=i, value=f"({i})")
        ws.column_dimensions[get_column_letter(i)].width = column.width
        for row in (top, sub, numbering):
            cell = ws.cell(row=row, column=i)
            cell.alignment = CENTER
            cell.border = BOX
            cell.fill = HEADER_FILL
            cell.font = BOLD if row != numbering else Font(italic=True)
    ws.row_dimensions[sub].height = 45

    def write_row(r: int, number, label: str, counts: dict[str, int], *, bold=False, fill=None):
        for i, column in enumerate(cols, start=1):
            if column.kind == "index":
                value = number
            elif column.kind == "text":
                value = label
            else:
                value = _value(report, column, counts)
            cell = text_cell(ws.cell(row=r, column=i), value)
            cell.border = BOX
            if column.kind == "count":
                cell.number_format = COUNT_FORMAT
            elif column.kind == "share":
                cell.number_format = SHARE_FORMAT
            if column.kind == "text":
                cell.alignment = Alignment(wrap_text=True, vertical="center")
            if bold:
                cell.font = BOLD
            if fill is not None:
                cell.fill = fill

    r = numbering + 1
    for n, row in enumerate(report.rows, start=1):
        write_row(
            r,
            n,
            row.label if row.exists else f"{row.label} ({_('không tồn tại vào ngày này')})",
            row.counts,
        )
        r += 1
    write_row(
        r,
        "",
        _("Tổng cộng: %(unit)s") % {"unit": report.unit.name},
        report.total,
        bold=True,
        fill=TOTAL_FILL,
    )
    r += 1
    # Targets and whether the total meets them, under the share columns.
    for label, kind in ((_("Chỉ tiêu"), "target"), (_("Đánh giá"), "status")):
        ws.cell(row=r, column=2, value=label).font = BOLD
        for i, column in enumerate(cols, start=1):
            cell = ws.cell(row=r, column=i)
            cell.border = BOX
            if column.kind != "share":
                continue
            target = report.targets.get(column.key)
            if kind == "target":
                cell.value = target.value if target else "—"
                cell.number_format = SHARE_FORMAT
            else:
                cell.value = str(Status.LABELS[report.share(column.key).status])
            cell.alignment = Alignment(horizontal="center")
        r += 1

    r += 1
    notes = [
        str(DEFINITIONS["headcount"]),
        str(DEFINITIONS["heads"]),
        str(DEFINITIONS["retirement"]),
    ]
    for key, target in report.targets.items():
        if target is not None:
            flag = f" ({_('cần xác nhận')})" if target.to_confirm else ""
            notes.append(
                f"{_('Chỉ tiêu')} {report.catalogue[key].label}: {target.value:.0%} – {target.reference}{flag}"
            )
    for note in notes:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=min(len(cols), 20))
        cell = text_cell(ws.cell(row=r, column=1), note)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = Font(italic=True, size=9)
        ws.row_dimensions[r].height = 30
        r += 1

    ws.freeze_panes = ws.cell(row=numbering + 1, column=3)
    ws.print_title_rows = f"{top}:{numbering}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


PEOPLE_COLUMNS = (
    (_("STT"), 6),
    (_("Họ và tên"), 28),
    (_("Ngày sinh"), 12),
    (_("Giới tính"), 9),
    (_("Dân tộc"), 12),
    (_("Số định danh cá nhân"), 16),
    (_("Đơn vị quản lý hồ sơ"), 36),
    (_("Chức vụ, vị trí tại ngày báo cáo"), 50),
    (_("Lý luận chính trị"), 16),
    (_("Quản lý nhà nước"), 18),
    (_("Trình độ chuyên môn cao nhất"), 30),
    (_("Ngày vào Đảng"), 13),
    (_("Đối tượng"), 13),
)
CHUNK = 2000


PERSON_FIELDS = (
    "id", "full_name", "birth_date", "birth_date_precision", "sex", "ethnicity", "citizen_id", "unit__name",
    "political_theory", "state_management", "party_joined_on", "category",
)  # fmt: skip


def _labels(choices) -> dict:
    """Choice labels translated once per export, not once per cell."""
    return {value: str(label) for value, label in choices}


def _birth(day, precision: str) -> str:
    if precision == c.DatePrecision.YEAR:
        return f"{day:%Y}"
    if precision == c.DatePrecision.MONTH:
        return f"{day:%m/%Y}"
    return f"{day:%d/%m/%Y}"


def people_workbook(selection: Selection) -> bytes:
    """The people of a selection, one row each, streamed (write-only) so large lists stay small in memory.

    Queries: the ids in order, then per chunk of 2,000 people three plain value queries (people,
    their seats on the day, their degrees); no model instances, so 100,000 rows stay fast.
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Danh sách cán bộ")[:31])
    for i, (_label, width) in enumerate(PEOPLE_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "C5"
    ws.append([_("DANH SÁCH CÁN BỘ")])
    ws.append(write_only_row(ws, ["; ".join(f"{label}: {value}" for label, value in selection.filters)]))
    ws.append([_("Chức vụ tính tại ngày %(day)s") % {"day": f"{selection.day:%d/%m/%Y}"}])
    ws.append([str(label) for label, _width in PEOPLE_COLUMNS])

    sexes, ethnic = _labels(c.Sex.choices), dict(c.ETHNIC_GROUPS)
    theory, management = _labels(c.PoliticalTheory.choices), _labels(c.StateManagement.choices)
    categories, levels = _labels(c.Category.choices), _labels(c.DegreeLevel.choices)
    ids = list(selection.people.order_by("search_name", "id").values_list("id", flat=True))
    n = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = {
            row[0]: row for row in Person.objects.filter(pk__in=chunk).values_list(*PERSON_FIELDS)
        }
        posts: dict[int, list[str]] = defaultdict(list)
        seats = (
            Assignment.objects.filter(Assignment.current_on_q(selection.day), person_id__in=chunk)
            .order_by("-position__title__rank", "start_date", "id")
            .values_list("person_id", "position__title__name", "position__unit__name")
        )
        for person_id, title, unit in seats:
            posts[person_id].append(f"{title} – {unit}")
        top: dict[int, str] = {}
        for person_id, level, field_ in (
            Degree.objects.filter(person_id__in=chunk)
            .order_by("-level", "id")
            .values_list("person_id", "level", "field")
        ):
            top.setdefault(person_id, f"{levels.get(level, level)} {field_}")
        for person_id in chunk:
            (
                _pk,
                name,
                birth,
                precision,
                sex,
                ethnicity,
                citizen_id,
                unit,
                pt,
                sm,
                joined,
                category,
            ) = rows[person_id]
            n += 1
            ws.append(
                write_only_row(ws, [
                    n, name, _birth(birth, precision), sexes.get(sex, sex), ethnic.get(ethnicity, ethnicity), citizen_id,
                    unit, "; ".join(posts.get(person_id, ())), theory.get(pt, pt), management.get(sm, sm),
                    top.get(person_id, ""), joined.strftime("%d/%m/%Y") if joined else "", categories.get(category, category),
                ])
            )  # fmt: skip
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
