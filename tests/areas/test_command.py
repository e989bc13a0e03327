"""`canbo areas load` and `canbo areas find`: output for people and machines, exit code 2 on bad input."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from canbo.areas.models import AdminArea
from canbo.cli import main


def run(*args) -> str:
    out = StringIO()
    call_command("areas", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_one_province_prints_counts_per_regime_and_level():
    output = run("load", "--province", "01")
    assert "Ba cấp (trước 01/07/2025): Cấp tỉnh: 1, Cấp huyện: 30, Cấp xã: 526" in output
    assert "Hai cấp (từ 01/07/2025): Cấp tỉnh: 1, Cấp xã: 126" in output
    assert "Thêm mới 684" in output
    assert AdminArea.objects.count() == 1 + 30 + 526 + 1 + 126

    again = json.loads(run("load", "--province", "1", "--json"))
    assert again["legacy.commune"] == 526 and again["2025.commune"] == 126
    assert (again["created"], again["updated"], again["successions_created"]) == (0, 0, 0)
    assert again["successions"] > 526


def test_find_lists_matches_as_text_and_json(hanoi_areas):
    output = run("find", "ba dinh")
    lines = output.splitlines()
    assert lines[0].split() == ["2025", "00004", "Phường", "Ba", "Đình,", "Thành", "phố", "Hà", "Nội"]
    assert "Quận Ba Đình, Thành phố Hà Nội" in lines[1]

    rows = json.loads(run("find", "ba dinh", "--regime", "legacy", "--json"))
    assert rows == [
        {
            "id": hanoi_areas["legacy_district"].pk,
            "regime": "legacy",
            "level": 2,
            "code": "001",
            "kind": "quận",
            "name": "Quận Ba Đình",
            "full_name": "Quận Ba Đình, Thành phố Hà Nội",
        }
    ]
    assert "Không tìm thấy" in run("find", "khong co dau nay")


@pytest.mark.parametrize(
    "args, message",
    [
        (["find", "ba dinh", "--regime", "foo"], "--regime: «foo» không hợp lệ"),
        (["find", "ba dinh", "--level", "9"], "--level"),
        (["find", "ba dinh", "--limit", "0"], "--limit"),
        (["find", " "], "TEXT"),
        (["load", "--province", "99"], "Mã tỉnh «99»"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(db, capsys, monkeypatch, args, message):
    # run_from_argv closes every connection on its way out, the test's own included.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_info:
        main(["areas", *args])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not AdminArea.objects.exists()


def test_call_command_raises_command_error_with_returncode_2(db):
    with pytest.raises(CommandError) as error:
        call_command("areas", "find", "x", "--regime", "foo")
    assert error.value.returncode == 2
