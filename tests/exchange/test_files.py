"""Files that are not workbooks are refused with a message a user can act on; templates are complete."""

import io
import zipfile

import openpyxl
import pytest

from canbo.exchange.importers import importer_for, registered
from canbo.exchange.workbooks import LISTS_SHEET, NOTES_SHEET, allowed_values, write_table_workbook
from canbo.exchange.xlsx import OLE_MAGIC, XlsxReader
from canbo.people.catalogues import ETHNIC_GROUPS

from .conftest import do_import

ENCRYPTED = "Tệp được bảo vệ bằng mật khẩu (đã mã hóa) nên không đọc được."
NOT_XLSX = "Tệp không phải là bảng tính Excel (.xlsx)."
XLS = "Định dạng .xls (Excel 97-2003) không được hỗ trợ."


def ole_file(*stream_names: str) -> bytes:
    """An OLE compound file as far as the sniffing goes: the magic, a header, directory entries
    naming the streams (UTF-16LE, as in the real format), padding."""
    header = OLE_MAGIC + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00" + b"\x00" * 480
    entries = b"".join(name.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64 for name in stream_names)
    return header + entries + b"\x00" * 1024


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, content in files.items():
            z.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "start"),
    [
        (ole_file("EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"), ENCRYPTED),
        (ole_file("Workbook", "\x05SummaryInformation"), XLS),
        (b"Ho va ten,Ngay sinh\nNguyen Van An,17/05/1980\n", NOT_XLSX),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", NOT_XLSX),
        (zipped({"word/document.xml": b"<w:document/>", "[Content_Types].xml": b"<Types/>"}), NOT_XLSX),
        (b"PK\x03\x04 truncated", NOT_XLSX),
        (zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}), "Tệp OpenDocument (.ods)"),
        (b"", "Tệp rỗng"),
    ],
    ids=["encrypted", "xls", "csv", "pdf", "docx", "broken-zip", "ods", "empty"],
)
def test_files_that_are_not_xlsx_are_refused(db, data, start):
    report = do_import(data)
    assert report.refused.startswith(start), report.refused
    assert not report.ok and report.total_rows == 0


def test_the_encrypted_message_says_how_to_fix_it(db):
    report = do_import(ole_file("EncryptedPackage"))
    assert "gỡ mật khẩu" in report.refused and "lưu lại rồi tải lên" in report.refused


def test_a_sheet_without_the_header_is_refused(db):
    wb = openpyxl.Workbook()
    wb.active.append(["Báo cáo tháng"])
    wb.active.append(["Cột A", "Cột B"])
    out = io.BytesIO()
    wb.save(out)
    report = do_import(out.getvalue())
    assert report.refused.startswith("Không tìm thấy dòng tiêu đề của bảng «Cán bộ» trong tệp")


def test_a_doctype_is_refused(db):
    """Entity-expansion tricks need a DTD: a workbook part that declares one is refused."""
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as src:
        files = {name: src.read(name) for name in src.namelist()}
    body = files["xl/workbook.xml"]
    body = body.split(b"?>", 1)[1] if body.startswith(b"<?xml") else body
    files["xl/workbook.xml"] = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + body
    report = do_import(zipped(files))
    assert report.refused.startswith(NOT_XLSX)


@pytest.mark.parametrize("kind", ["units", "people", "assignments"])
def test_templates_have_headers_notes_and_drop_downs(db, kind):
    importer = importer_for(kind)
    out = io.BytesIO()
    write_table_workbook(importer, [], out)
    wb = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    data, notes, lists = wb.worksheets
    assert (data.title, notes.title, lists.title) == (importer.sheet_name, NOTES_SHEET, LISTS_SHEET)
    assert lists.sheet_state == "hidden" and data.freeze_panes == "A2"
    headers = [c.value for c in data[1]]
    assert headers == [c.template_header for c in importer.columns]
    assert all(h.endswith(" *") == c.required for h, c in zip(headers, importer.columns, strict=True))
    assert data["A1"].font.b
    noted = [row[0] for row in notes.iter_rows(values_only=True)]
    assert all(c.header in noted for c in importer.columns)
    # Every closed list has a drop-down fed by the catalogue sheet.
    listed = [c for c in importer.columns if allowed_values(importer, c)]
    assert len(data.data_validations.dataValidation) == len(listed)
    assert {c.value for c in lists[1]} == {c.header for c in listed}
    # The template re-imports as an empty table, not as an error.
    report = do_import(out.getvalue(), kind)
    assert report.ok and report.total_rows == 0 and report.warnings == []


def test_people_template_lists_the_54_ethnic_groups_and_keeps_ids_as_text(db):
    out = io.BytesIO()
    write_table_workbook(importer_for("people"), [], out)
    wb = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    lists = wb[LISTS_SHEET]
    column = next(c for c in lists[1] if c.value == "Dân tộc").column_letter
    values = [c.value for c in lists[column][1:] if c.value]
    assert values == [name for _code, name in ETHNIC_GROUPS]
    assert wb.worksheets[0].column_dimensions["A"].number_format == "@"  # the citizen ID column is Text
    kinds = next(dv for dv in wb.worksheets[0].data_validations.dataValidation if "C2" in str(dv.sqref))
    assert kinds.formula1.startswith(f"'{LISTS_SHEET}'!$")


def test_assignments_template_lists_the_title_codes(db):
    from .. import factories as f

    f.make_title("bi-thu", "Bí thư", rank=10)
    f.make_title("chu-tich-ubnd", "Chủ tịch UBND", rank=9)
    out = io.BytesIO()
    write_table_workbook(importer_for("assignments"), [], out)
    wb = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    lists = wb[LISTS_SHEET]
    column = next(c for c in lists[1] if c.value == "Mã chức danh").column_letter
    assert [c.value for c in lists[column][1:] if c.value] == ["bi-thu", "chu-tich-ubnd"]


def test_our_reader_reads_what_openpyxl_writes(db):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["a", 1, 2.5, True, None, "=1+1"])  # a formula without a cached value reads as empty
    ws["B2"] = "rich"
    ws.column_dimensions["C"].hidden = True
    out = io.BytesIO()
    wb.save(out)
    book = XlsxReader(out.getvalue())
    stream = book.stream(book.sheets[0])
    assert list(stream) == [(1, ["a", 1, 2.5, True]), (2, [None, "rich"])]
    assert stream.hidden_columns == {2}


def test_registry_lists_the_three_kinds_in_order():
    assert [i.kind for i in registered()][:3] == ["units", "people", "assignments"]
