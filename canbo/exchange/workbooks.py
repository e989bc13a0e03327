"""The workbooks users download: import templates, exports in the same layout, error reports.

A template and an export share one layout (`write_table_workbook`): the data sheet with the
importer's headers (required ones marked "*" and shaded), a "Hướng dẫn" sheet explaining each
column and its allowed values, and a hidden "Danh mục" sheet feeding the drop-down lists. So an
export re-imports unchanged, and a user can fill a template by copying rows from an export.
"""

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.common.dates import today

from .importers.base import Importer
from .importers.columns import CLEAR_MARKER
from .xlsx import (
    STYLE_HEADER,
    STYLE_HEADER_REQUIRED,
    STYLE_TITLE,
    STYLE_WRAP,
    ColumnFormat,
    ListValidation,
    XlsxWriter,
    column_letter,
)

NOTES_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

GENERAL_RULES = (
    "Giữ nguyên dòng tên cột; có thể thêm dòng tên bảng phía trên. Cột có dấu * là bắt buộc.",
    "Ngày ghi theo dạng dd/mm/yyyy (ví dụ 17/05/1980) hoặc dùng ô kiểu Ngày của Excel.",
    "Ô để trống giữ nguyên giá trị đang có (hồ sơ mới nhận giá trị mặc định); bỏ hẳn một cột khỏi tệp cũng vậy. "
    f"Muốn xóa giá trị của một ô (cột văn bản, ngày, địa danh), ghi đúng «{CLEAR_MARKER}» vào ô đó; kết quả kiểm tra "
    "thử liệt kê riêng mọi trường sẽ bị xóa. Cột chọn từ danh sách không xóa được: hãy chọn giá trị phù hợp "
    "(ví dụ «Không»).",
    "Cột không có trong mẫu được bỏ qua và được nêu trong kết quả kiểm tra; cột ẩn không có trong mẫu được bỏ qua.",
    "Hệ thống luôn kiểm tra thử trước: chỉ khi không còn lỗi mới được ghi, và ghi tất cả các dòng hoặc không ghi "
    "dòng nào. Nhập lại đúng tệp đã nhập không thay đổi gì; nhập lại tệp đã sửa thì cập nhật các hồ sơ tương ứng.",
)


def allowed_values(importer: type[Importer], column) -> list[str]:
    return column.allowed_values() or importer.allowed_for(column.field)


def write_table_workbook(importer: type[Importer], rows: Iterable[list], target) -> int:
    """Write the template layout of `importer` with `rows` (cell values in column order); return the row count."""
    columns = importer.columns
    lists = [(index, column, allowed_values(importer, column)) for index, column in enumerate(columns)]
    lists = [(index, column, values) for index, column, values in lists if values]
    validations = []
    for position, (index, column, values) in enumerate(lists):
        letter = column_letter(position)
        source = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
        validations.append(ListValidation(index, 2, source, prompt=column.help))
    book = XlsxWriter(target)
    count = 0
    with book.sheet(
        importer.sheet_name,
        columns=[ColumnFormat(column.width, column.style) for column in columns],
        freeze_rows=1,
        validations=validations,
    ) as sheet:
        header_styles = [STYLE_HEADER_REQUIRED if c.required else STYLE_HEADER for c in columns]
        sheet.row([c.template_header for c in columns], styles=header_styles, height=32)
        for values in rows:
            sheet.row(values)
            count += 1
    _write_notes(book, importer, lists)
    with book.sheet(LISTS_SHEET, columns=[ColumnFormat(28) for _list in lists], hidden=True) as sheet:
        sheet.row([column.header for _index, column, _values in lists], style=STYLE_HEADER)
        longest = max((len(values) for _i, _c, values in lists), default=0)
        for n in range(longest):
            sheet.row([values[n] if n < len(values) else None for _i, _c, values in lists])
    book.close()
    return count


def _write_notes(book: XlsxWriter, importer: type[Importer], lists) -> None:
    with book.sheet(
        NOTES_SHEET,
        columns=[ColumnFormat(28), ColumnFormat(10), ColumnFormat(60, STYLE_WRAP), ColumnFormat(60, STYLE_WRAP)],
        merges=[f"A{n}:D{n}" for n in range(1, 4 + len(GENERAL_RULES))],
    ) as sheet:
        sheet.row([f"Hướng dẫn nhập dữ liệu: {importer.label}"], style=STYLE_TITLE, height=22)
        sheet.row([str(importer.intro)], style=STYLE_WRAP, height=48)
        sheet.row(["Quy tắc chung:"], style=STYLE_HEADER)
        for rule in GENERAL_RULES:
            sheet.row([f"• {rule}"], style=STYLE_WRAP, height=32)
        sheet.row([])
        sheet.row(["Cột", "Bắt buộc", "Nội dung", "Giá trị hợp lệ, ví dụ"], style=STYLE_HEADER)
        for column in importer.columns:
            values = allowed_values(importer, column)
            if values:
                allowed = "; ".join(values)
            else:
                allowed = f"Ví dụ: {column.example()}" if column.example() else ""
            sheet.row(
                [column.header, "Có" if column.required else "", str(column.help or ""), allowed],
                style=STYLE_WRAP,
            )


def export_filename(importer: type[Importer], unit) -> str:
    code = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in unit.code) if unit else "toan-bo"
    return f"{importer.template_filename.replace('mau-nhap-', 'xuat-').removesuffix('.xlsx')}-{code}-{today():%Y%m%d}.xlsx"


def write_error_report(
    *, title: str, errors: list[dict], warnings: list[dict], target, error_total: int | None = None,
    warning_total: int | None = None,
) -> None:  # fmt: skip
    """The stored issues of a job; a job stores only the first ones (its totals say how many there were)."""
    error_total = max(error_total or 0, len(errors))
    warning_total = max(warning_total or 0, len(warnings))
    book = XlsxWriter(target)
    with book.sheet(
        "Kết quả kiểm tra",
        columns=[ColumnFormat(8), ColumnFormat(8), ColumnFormat(26), ColumnFormat(12), ColumnFormat(90, STYLE_WRAP)],
        freeze_rows=3,
        merges=["A1:E1"],
    ) as sheet:
        sheet.row([title], style=STYLE_TITLE, height=22)
        sheet.row([f"{error_total} lỗi, {warning_total} cảnh báo · lập lúc {timezone.localtime():%d/%m/%Y %H:%M}"])
        sheet.row(["Dòng", "Ô", "Cột", "Mức độ", "Nội dung"], style=STYLE_HEADER)
        for level, issues, total in (("Lỗi", errors, error_total), ("Cảnh báo", warnings, warning_total)):
            for issue in issues:
                sheet.row([issue.get("row"), issue.get("cell") or "", issue.get("column") or "", level, issue.get("message", "")])
            if total > len(issues):
                sheet.row(["", "", "", level, _("… và %(n)s mục khác không được lưu: báo cáo chỉ giữ %(kept)s mục đầu tiên.")
                           % {"n": total - len(issues), "kept": len(issues)}])  # fmt: skip
    book.close()
