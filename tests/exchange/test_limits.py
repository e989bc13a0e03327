"""Issue 8, point 2: an upload cannot exhaust the server.

A zip bomb is refused from the sizes its directory declares, before any part is inflated or
parsed; a cell longer than the limit is a row error; values quoted in messages are cut; a job
stores only the first errors of its report, with the count of the rest.
"""

import io
import random
import string
import time
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from canbo.exchange import xlsx
from canbo.exchange.models import ImportJob
from canbo.exchange.xlsx import SpreadsheetRefused, XlsxReader

from .conftest import PEOPLE_HEADERS, cid, do_import, people_rows, workbook_bytes

SHEET = "xl/worksheets/sheet1.xml"


def with_sheet(data: bytes, write_sheet) -> bytes:
    """`data` (a workbook) with its first sheet replaced by what `write_sheet(handle)` streams."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename == SHEET:
                with target.open(SHEET, "w", force_zip64=True) as handle:
                    write_sheet(handle)
            else:
                target.writestr(info, source.read(info.filename))
    return out.getvalue()


def bomb(megabytes: int = 64) -> bytes:
    """A people file whose one data cell holds `megabytes` MB of the letter A: a few KB on disk."""

    def write(handle):
        handle.write(
            b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<sheetData><row r="1">'
            + b"".join(b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (col.encode(), h.encode()) for col, h in zip("ABCDE", PEOPLE_HEADERS, strict=True))
            + b'</row><row r="2"><c r="B2" t="inlineStr"><is><t>'
        )
        chunk = b"A" * 2**20
        for _ in range(megabytes):
            handle.write(chunk)
        handle.write(b"</t></is></c></row></sheetData></worksheet>")

    return with_sheet(workbook_bytes(people_rows()), write)


@pytest.fixture(scope="module")
def bomb_file() -> bytes:
    return bomb()


@pytest.fixture
def no_parsing(monkeypatch):
    """Fails the test if any XML of the package is parsed."""

    def refuse():
        raise AssertionError("the package was parsed")

    monkeypatch.setattr(xlsx, "_new_parser", refuse)


def test_a_zip_bomb_is_refused_from_its_directory_without_parsing(bomb_file, no_parsing):
    assert len(bomb_file) < 200_000  # 64 MB inflated
    start = time.perf_counter()
    with pytest.raises(SpreadsheetRefused) as refused:
        XlsxReader(bomb_file)
    assert time.perf_counter() - start < 0.5
    assert refused.value.message == (
        "Tệp có phần «xl/worksheets/sheet1.xml» nén bất thường (giải nén lớn gấp hơn 100 lần), dấu hiệu của tệp "
        "được tạo để làm quá tải hệ thống; hệ thống không đọc tệp này. Hãy mở tệp trong Excel, kiểm tra nội dung "
        "rồi lưu lại."
    )


def test_the_import_reports_the_refusal(bomb_file, city, no_parsing):
    report = do_import(bomb_file, commit=True)
    assert not report.committed and report.refused.startswith("Tệp có phần «xl/worksheets/sheet1.xml» nén bất thường")


def test_the_inflated_size_of_the_whole_package_is_limited(settings, city, no_parsing):
    """Incompressible text, so that only the total size can refuse it."""
    settings.CANBO_IMPORT_MAX_UNCOMPRESSED_MB = 1
    rng = random.Random(8)
    names = ["".join(rng.choices(string.ascii_letters, k=40)) for _ in range(30_000)]  # ~1.2 MB of text
    data = workbook_bytes(people_rows(*[[cid(), name, "Nam", "17/05/1980", "HN-BADINH"] for name in names]))
    report = do_import(data)
    assert report.refused == (
        "Tệp khi giải nén lớn hơn 1 MB, vượt giới hạn của hệ thống; hệ thống không đọc tệp này. "
        "Hãy chia thành nhiều tệp nhỏ hơn."
    )


def test_a_package_of_too_many_parts_is_refused(settings, city, no_parsing):
    settings.CANBO_IMPORT_MAX_PARTS = 20
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(21):
            archive.writestr(f"x/{n}.xml", "<a/>")
    assert do_import(out.getvalue()).refused.startswith("Tệp gồm hơn 20 phần, vượt giới hạn của hệ thống")


def test_the_upload_page_shows_the_refusal_from_the_worker(client, officer_a, city, worker, bomb_file):
    client.force_login(officer_a)
    response = worker(client.post, reverse("exchange:upload"), {"loai": "people", "tep": SimpleUploadedFile("b.xlsx", bomb_file)})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == ImportJob.Status.INVALID
    assert "nén bất thường" in client.get(f"{reverse('exchange:job')}?luot={job.pk}").content.decode()


def test_a_cell_longer_than_the_limit_is_a_row_error(settings, city):
    settings.CANBO_IMPORT_MAX_CELL_CHARS = 500
    data = workbook_bytes(
        people_rows(
            [cid(1980), "Nguyễn Văn An", "Nam", "17/05/1980", "HN-BADINH"],
            [cid(1981), "B" * 5000, "Nam", "17/05/1981", "HN-BADINH"],  # a shared string (openpyxl)
        )
    )
    inline = with_sheet(
        data,
        lambda handle: handle.write(
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
            + b"".join(b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (col.encode(), h.encode()) for col, h in zip("ABCDE", PEOPLE_HEADERS, strict=True))
            + b'</row><row r="2"><c r="A2" t="inlineStr"><is><t>' + cid(1982).encode() + b"</t></is></c>"
            + b'<c r="B2" t="inlineStr"><is><t>Tr\xe1\xba\xa7n V\xc4\x83n C\xe1\xba\xa3</t></is></c><c r="C2" t="inlineStr"><is><t>Nam</t></is></c>'
            + b'<c r="D2" t="inlineStr"><is><t>' + b"9" * 5000 + b"</t></is></c>"
            + b'<c r="E2" t="inlineStr"><is><t>HN-BADINH</t></is></c></row></sheetData></worksheet>'
        ),
    )
    message = "Ô có hơn 500 ký tự, vượt giới hạn của một ô; hãy rút gọn nội dung."
    assert [(e.cell, e.message) for e in do_import(data).errors] == [("B3", message)]
    assert [(e.cell, e.message) for e in do_import(inline).errors] == [("D2", message)]


def test_values_quoted_in_messages_are_cut(city):
    long_date = "1" * 5000
    data = workbook_bytes(people_rows([cid(1980), "Nguyễn Văn An", "Nam", long_date, "HN-BADINH"]))
    [error] = do_import(data).errors
    assert error.message == f"Ngày «{'1' * 100}…» không hợp lệ; ghi theo dạng dd/mm/yyyy, ví dụ 17/05/1980."


def test_a_job_stores_the_first_errors_and_counts_the_rest(settings, client, officer_a, city, worker):
    settings.CANBO_IMPORT_REPORT_MAX_ISSUES = 5
    data = workbook_bytes(people_rows(*[[cid(1980), f"Người {n}", "Nam", "31/02/1980", "HN-BADINH"] for n in range(12)]))
    client.force_login(officer_a)
    worker(client.post, reverse("exchange:upload"), {"loai": "people", "tep": SimpleUploadedFile("a.xlsx", data)})
    job = ImportJob.objects.get()
    assert (job.error_count, len(job.errors)) == (12, 5)
    page = client.get(f"{reverse('exchange:job')}?luot={job.pk}").content.decode()
    assert "Và 7 lỗi khác: xem trong báo cáo lỗi tải về." in page
    response = client.get(f"{reverse('exchange:job_errors')}?luot={job.pk}")
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[1][0].startswith("12 lỗi, 0 cảnh báo")
    assert rows[-1][3:] == ("Lỗi", "… và 7 mục khác không được lưu: báo cáo chỉ giữ 5 mục đầu tiên.")
