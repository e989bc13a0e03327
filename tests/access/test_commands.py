"""`canbo token …` and `canbo grant …`: the key printed once, JSON output, bad input as a
Vietnamese message with exit code 2 and no traceback."""

import json

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connections

from canbo.access.models import ApiToken, Grant, Role
from canbo.access.services import api_token_user
from canbo.audit.models import AuditEvent

from .. import factories as f


@pytest.fixture
def user(city):
    return f.make_user("lan")


def run(*args) -> str:
    import io

    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def run_as_console(capsys, monkeypatch, *argv) -> tuple[int, str]:
    """Run like `canbo ARGS` in a shell: returns the exit code and stderr."""
    # run_from_argv closes the connections when done, which would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["canbo", *argv]).execute()
    return exc.value.code, capsys.readouterr().err


def test_token_create_prints_a_working_key_and_json(user):
    text = run("token", "create", "lan", "--name", "Báo cáo tuần")
    key = next(line for line in text.splitlines() if line.startswith("cb_"))
    assert api_token_user(key) == user
    data = json.loads(run("token", "create", "lan", "--name", "Kho dữ liệu", "--json"))
    assert data["username"] == "lan" and data["name"] == "Kho dữ liệu"
    assert api_token_user(data["key"]) == user
    assert AuditEvent.objects.filter(action="api_token.create", source=AuditEvent.Source.CLI).count() == 2
    listing = json.loads(run("token", "list", "lan", "--json"))
    assert [t["name"] for t in listing] == ["Báo cáo tuần", "Kho dữ liệu"]
    assert "cb_" not in json.dumps(listing)


def test_token_revoke(user):
    data = json.loads(run("token", "create", "lan", "--name", "x", "--json"))
    assert "Đã thu hồi" in run("token", "revoke", str(data["id"]))
    assert api_token_user(data["key"]) is None
    assert ApiToken.objects.get().revoked_at is not None


def test_grant_add_and_list(city, user):
    text = run("grant", "add", "lan", "HN-BADINH", "officer")
    assert "HN-BADINH" in text
    grant = Grant.objects.get(user=user)
    assert (grant.unit, grant.role) == (city["ward_a"], Role.OFFICER)
    event = AuditEvent.objects.get(action="grant.create")
    assert (event.unit_id, event.source) == (city["ward_a"].pk, AuditEvent.Source.CLI)
    rows = json.loads(run("grant", "list", "lan", "--json"))
    assert [(r["unit_code"], r["role"]) for r in rows] == [("HN-BADINH", "officer")]
    assert "Đã thu hồi" in run("grant", "revoke", str(grant.pk))
    assert not Grant.objects.exists()


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["token", "create", "nobody", "--name", "x"], "Không có người dùng «nobody»"),
        (["token", "create", "lan", "--name", "   "], "Cần đặt tên"),
        (["token", "revoke", "abc"], "không phải là số"),
        (["token", "revoke", "999"], "Không có mã truy cập số 999"),
        (["grant", "add", "lan", "NO-SUCH-UNIT", "officer"], "Không có đơn vị mã «NO-SUCH-UNIT»"),
        (["grant", "add", "lan", "HN-BADINH", "boss"], "Vai trò «boss» không hợp lệ"),
        (["grant", "list", "nobody"], "Không có người dùng «nobody»"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(capsys, monkeypatch, user, argv, fragment):
    code, err = run_as_console(capsys, monkeypatch, *argv)
    assert code == 2
    assert fragment in err
    assert "Traceback" not in err
    assert not Grant.objects.exists() and not ApiToken.objects.exists()


def test_twice_revoked_token_is_refused(user):
    data = json.loads(run("token", "create", "lan", "--name", "x", "--json"))
    run("token", "revoke", str(data["id"]))
    with pytest.raises(CommandError) as exc:
        run("token", "revoke", str(data["id"]))
    assert exc.value.returncode == 2 and "đã bị thu hồi" in str(exc.value)


def test_missing_arguments_exit_2(capsys, monkeypatch, user):
    code, err = run_as_console(capsys, monkeypatch, "grant", "add", "lan")
    assert code == 2 and "Traceback" not in err
