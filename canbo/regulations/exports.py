"""Deadline lists as CSV (UTF-8 with BOM, for Excel) and as an Excel workbook (openpyxl).

Names and details are text, never formulas (`canbo.common.spreadsheets`).
"""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook

from canbo.common.spreadsheets import csv_field, write_only_row

HEADER = ["Ngày đến hạn", "Quá hạn", "Loại thời hạn", "Cán bộ", "Mã cán bộ", "Đơn vị", "Chi tiết", "Căn cứ"]


def _rows(report):
    for item in report.items:
        yield [
            item.due.strftime("%d/%m/%Y"),
            "x" if item.overdue else "",
            item.kind_label,
            item.person_name,
            item.person_id,
            item.unit_name,
            item.detail,
            item.reference,
        ]


def _filename(report, unit, extension: str) -> str:
    return f"thoi-han-{unit.code}-{report.start:%Y%m%d}-{report.end:%Y%m%d}.{extension}"


def deadlines_csv(report, unit) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows([csv_field(value) for value in row] for row in _rows(report))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, unit, "csv")}"'
    return response


def deadlines_xlsx(report, unit) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Thời hạn")
    sheet.append(write_only_row(sheet, [f"{unit.name}: thời hạn từ {report.start:%d/%m/%Y} đến {report.end:%d/%m/%Y}"]))
    sheet.append(HEADER)
    for row in _rows(report):
        sheet.append(write_only_row(sheet, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, unit, "xlsx")}"'
    return response
