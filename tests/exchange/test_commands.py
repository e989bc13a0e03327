"""`canbo import` and `canbo export`: JSON output, exit code 2 on bad input, the round trip."""

import json

import pytest
from django.db import connections

from canbo.audit.models import AuditEvent
from canbo.cli import main
from canbo.people.models import Person

from .. import factories as f
from .conftest import cid, people_rows, read_sheet, workbook_bytes


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    """`canbo …` closes every connection when a command ends, which would end the test's transaction."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


def run(capsys, *argv) -> tuple[int, str, str]:
    """Run `canbo ARGV` in-process as the console does: (exit status, stdout, stderr)."""
    try:
        main(list(argv))
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_dry_run_then_commit_as_json(city, tmp_path, capsys):
    path = tmp_path / "can-bo.xlsx"
    number = cid(1980)
    path.write_bytes(workbook_bytes(people_rows([number, "Nguyễn Văn An", "Nam", "17/05/1980", "HN-BADINH"])))
    code, out, _err = run(capsys, "import", str(path), "--kind", "people", "--dry-run", "--json")
    result = json.loads(out)
    assert code == 0
    assert (result["dry_run"], result["committed"], result["rows"], result["created"], result["errors"]) == (True, False, 1, 1, [])
    assert not Person.objects.filter(citizen_id=number).exists()
    code, out, _err = run(capsys, "import", str(path), "--kind", "people", "--json")
    assert code == 0 and json.loads(out)["committed"] is True
    assert AuditEvent.objects.get(action="person.create", object_id=Person.objects.get(citizen_id=number).pk).source == "import"


def test_import_with_a_bad_row_exits_2_with_the_report(city, tmp_path, capsys):
    path = tmp_path / "can-bo.xlsx"
    path.write_bytes(workbook_bytes(people_rows([cid(1980), "Nguyễn Văn An", "Nam", "17/05/1980", "KHONG-CO"])))
    code, out, err = run(capsys, "import", str(path), "--kind", "people", "--json")
    assert code == 2
    assert json.loads(out)["errors"] == [
        {"row": 2, "column": "Mã đơn vị quản lý hồ sơ", "cell": "E2", "message": "Không có đơn vị mã «KHONG-CO»."}
    ]
    assert "Có 1 lỗi; không có dữ liệu nào được ghi." in err


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"a,b\n1,2\n", "Tệp không phải là bảng tính Excel (.xlsx)."), (None, "Không đọc được tệp")],
)
def test_import_refuses_bad_files_with_exit_2(db, tmp_path, capsys, content, message):
    path = tmp_path / "x.xlsx"
    if content is not None:
        path.write_bytes(content)
    code, out, err = run(capsys, "import", str(path), "--kind", "people", "--json")
    assert code == 2 and message in err
    if content is not None:
        assert json.loads(out)["refused"].startswith(message)


def test_import_as_a_user_keeps_to_their_scope(city, tmp_path, capsys):
    f.make_user("officer_a", grants=[(city["ward_a"], "officer")])
    path = tmp_path / "can-bo.xlsx"
    path.write_bytes(workbook_bytes(people_rows([cid(1980), "Nguyễn Văn An", "Nam", "17/05/1980", "HN-HOANKIEM"])))
    code, out, _err = run(capsys, "import", str(path), "--kind", "people", "--as", "officer_a", "--json")
    assert code == 2 and "Không có quyền" in json.loads(out)["errors"][0]["message"]
    code, _out, err = run(capsys, "import", str(path), "--kind", "people", "--as", "nobody")
    assert code == 2 and "Không có người dùng «nobody»." in err
    code, _out, err = run(capsys, "import", str(path), "--kind", "nothing")
    assert code == 2  # argparse: invalid choice


def test_export_then_import_round_trip(city, tmp_path, capsys):
    f.make_person(city["cell_a"], "Nguyễn Văn An")
    f.make_person(city["committee_b"], "Bùi Thị Bê", sex="F")
    out_file = tmp_path / "xuat.xlsx"
    code, out, _err = run(capsys, "export", "--kind", "people", "--unit", str(city["ward_a"].pk), "--output", str(out_file), "--json")
    assert code == 0 and json.loads(out) == {"file": str(out_file), "kind": "people", "unit": "HN-BADINH", "rows": 1}
    assert [row[1] for row in read_sheet(out_file.read_bytes())[1:]] == ["Nguyễn Văn An"]
    events = AuditEvent.objects.count()
    code, out, _err = run(capsys, "import", str(out_file), "--kind", "people", "--json")
    assert code == 0 and json.loads(out)["unchanged"] == 1 and AuditEvent.objects.count() == events
    code, out, _err = run(capsys, "export", "--kind", "units", "--output", str(tmp_path / "all.xlsx"), "--json")
    assert code == 0 and json.loads(out)["rows"] == 5
    code, _out, err = run(capsys, "export", "--kind", "units", "--unit", "KHONG-CO")
    assert code == 2 and "--unit: không có đơn vị «KHONG-CO»." in err
