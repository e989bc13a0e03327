"""Excel reports read back with openpyxl, the 2C résumé PDF, and the `canbo report` command."""

import io
import json
import re
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from canbo.access.policy import AccessPolicy
from canbo.common.dates import today
from canbo.dashboard.selectors import quota_report

from .expected import expected

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def test_quota_workbook_has_merged_headers_and_the_right_numbers(city_client, quota_city):
    day = today()
    url = reverse("dashboard:export_quotas", kwargs={"unit_id": quota_city.root.pk})
    ws = _workbook(city_client.get(url, {"ngay": f"{day:%d/%m/%Y}"})).active
    merged = {str(r) for r in ws.merged_cells.ranges}
    # Title and unit/date rows span the table; two header levels: groups over their columns.
    assert ws["A1"].value.startswith("BÁO CÁO CƠ CẤU")
    assert quota_city.root.name in ws["A2"].value and f"{day:%d/%m/%Y}" in ws["A2"].value
    assert any(r.startswith("A1:") for r in merged) and any(r.startswith("A2:") for r in merged)
    assert {"A4:A5", "B4:B5", "C4:C5", "D4:E4"} <= merged
    headers = {
        ws.cell(row=4, column=col).value: col
        for col in range(1, ws.max_column + 1)
        if ws.cell(row=4, column=col).value
    }
    assert ws.cell(row=4, column=headers["Nữ"]).value == "Nữ"
    assert ws.cell(row=5, column=headers["Nữ"]).value == "Số lượng"
    assert ws.cell(row=5, column=headers["Nữ"] + 1).value == "Tỷ lệ"
    assert ws.freeze_panes == "C7"

    # Rows: sub-units, then the total, each checked against the independent count.
    report = quota_report(quota_city.root, day, AccessPolicy(quota_city.officer))
    names = {ws.cell(row=r, column=2).value: r for r in range(7, ws.max_row + 1)}
    women_col, heads_col = headers["Nữ"], headers["Người đứng đầu"]
    for row in report.rows:
        r = names[row.label]
        want = expected(row.unit, day, own_only=row.own)
        assert ws.cell(row=r, column=3).value == want["headcount"]
        assert ws.cell(row=r, column=women_col).value == want["women"]
        share = ws.cell(row=r, column=women_col + 1)
        assert share.number_format == "0.0%"
        assert share.value == pytest.approx(
            want["women"] / want["headcount"] if want["headcount"] else None
        )
        assert ws.cell(row=r, column=heads_col).value == want["heads"]
    total = names[f"Tổng cộng: {quota_city.root.name}"]
    want = expected(quota_city.root, day)
    assert ws.cell(row=total, column=3).value == want["headcount"]
    assert ws.cell(row=total, column=3).number_format == "#,##0"
    assert ws.cell(row=total + 1, column=women_col + 1).value == pytest.approx(
        0.20
    )  # the target row
    assert ws.cell(row=total + 2, column=women_col + 1).value in {"Đạt", "Chưa đạt"}


def _names(ws, first_row=5) -> set[str]:
    return {ws.cell(row=r, column=2).value for r in range(first_row, ws.max_row + 1)}


def test_people_export_applies_the_people_lists_filters(city_client, quota_city):
    filters = {"gioi_tinh": "F", "dan_toc": "thieu-so"}
    listed = city_client.get(
        reverse("people:person_list"), {**filters, "don_vi": quota_city.root.pk}
    )
    expected_names = {p.full_name for p in listed.context["people"]}
    assert expected_names  # the filter matches someone
    url = reverse("dashboard:export_people", kwargs={"unit_id": quota_city.root.pk})
    ws = _workbook(city_client.get(url, filters)).active
    assert _names(ws) == expected_names
    assert ws.freeze_panes == "C5"
    assert "Giới tính: Nữ" in ws["A2"].value and "Dân tộc thiểu số" in ws["A2"].value


def test_people_export_of_a_drilldown_has_the_figures_people(city_client, quota_city):
    day = today()
    url = reverse("dashboard:export_people", kwargs={"unit_id": quota_city.root.pk})
    ws = _workbook(
        city_client.get(url, {"chi_so": "under_young", "ngay": f"{day:%d/%m/%Y}"})
    ).active
    assert len(_names(ws)) == expected(quota_city.root, day)["under_young"]
    assert city_client.get(url, {"chi_so": "heads"}).status_code == 400


def test_people_export_without_filters_is_the_whole_subtree(city_client, quota_city):
    url = reverse("dashboard:export_people", kwargs={"unit_id": quota_city.ward_a.pk})
    ws = _workbook(city_client.get(url)).active
    # Records kept in the ward and its cell, in service or not (like the people list).
    assert "Lê Thị Chưa Xếp" in _names(ws)
    assert "Người Đứng Đầu 2" not in _names(ws)


_ESCAPES = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}


def pdf_info(content: bytes, key: str) -> str:
    """A text entry of the PDF's document information (a literal string, UTF-16 when not ASCII)."""
    match = re.search(rb"/" + key.encode() + rb" \((.*?)(?<!\\)\)", content, re.S)
    assert match, key
    raw, out, i = match.group(1), bytearray(), 0
    while i < len(raw):
        if raw[i] == 0x5C:
            octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
            if octal:
                out.append(int(octal.group(), 8))
                i += 1 + len(octal.group())
                continue
            out.append(_ESCAPES.get(raw[i + 1], raw[i + 1]))
            i += 2
            continue
        out.append(raw[i])
        i += 1
    return out[2:].decode("utf-16-be") if out.startswith(b"\xfe\xff") else out.decode("latin-1")


def test_resume_pdf_is_a_pdf_with_the_embedded_font_and_the_name(city_client, quota_city):
    person = quota_city.people["a_secretary"]
    response = city_client.get(reverse("dashboard:resume_pdf", kwargs={"person_id": person.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    assert b"/FontFile2" in content  # the TrueType font is embedded, with its Unicode map
    assert b"/ToUnicode" in content
    assert pdf_info(content, "Title") == f"Sơ yếu lý lịch – {person.full_name}"
    assert pdf_info(content, "Subject") == "Mẫu 2C-BNV/2008"


def test_report_command_prints_the_figures_as_json(quota_city, capsys):
    day = today()
    call_command(
        "report", "quotas", "--unit", str(quota_city.root.pk), "--date", day.isoformat(), "--json"
    )
    data = json.loads(capsys.readouterr().out)
    assert data["unit"]["id"] == quota_city.root.pk and data["date"] == day.isoformat()
    want = expected(quota_city.root, day)
    for key in ("headcount", "women", "under_young", "minorities", "heads_non_local"):
        assert data["counts"][key] == want[key], key
    assert data["shares"]["women"]["share"] == pytest.approx(
        round(want["women"] / want["headcount"], 4)
    )
    subs = {s["id"]: s for s in data["sub_units"] if not s["own_records"]}
    assert (
        subs[quota_city.ward_a.pk]["counts"]["headcount"]
        == expected(quota_city.ward_a, day)["headcount"]
    )


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--unit", "abc"], "--unit"),
        (["--unit", "987654321"], "không có đơn vị"),
        (["--unit", "{unit}", "--date", "2024-13-01"], "--date"),
    ],
)
def test_report_command_bad_input_exits_2(quota_city, args, fragment):
    args = [a.replace("{unit}", str(quota_city.root.pk)) for a in args]
    with pytest.raises(CommandError) as exc:
        call_command("report", "quotas", *args, "--json")
    assert exc.value.returncode == 2
    assert fragment in str(exc.value)


def test_report_command_exit_code_from_the_shell():
    result = subprocess.run(
        [sys.executable, "manage.py", "report", "quotas", "--unit", "abc", "--json"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "--unit" in result.stderr
