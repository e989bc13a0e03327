"""`canbo audit verify|seal` and `canbo dbgrants` on the console: output, JSON, exit status."""

import json

import pytest
from django.db import connection, transaction

from canbo.audit.models import AuditLink

from .. import factories as f
from .conftest import drop_event_trigger, run, sql

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_the_test_connection")]


@pytest.fixture
def people(city):
    with transaction.atomic():
        return [f.make_person(city["ward_a"], name) for name in ("Lê Văn Dũng", "Phạm Thị Hoa", "Vũ Văn Khánh")]


def test_seal_then_verify_as_json(people, capsys):
    code, out, _err = run(capsys, "audit", "seal", "--json")
    assert code == 0 and json.loads(out)["sealed"] == AuditLink.objects.count() > 0
    code, out, _err = run(capsys, "audit", "verify", "--json")
    result = json.loads(out)
    assert code == 0
    assert result["intact"] is True and result["problem"] is None
    assert result["links"] == result["events"] == AuditLink.objects.count()
    assert result["head"]["seq"] == result["links"]


def test_verify_in_words(people, capsys):
    code, out, _err = run(capsys, "audit", "verify")
    assert code == 0
    assert "Chuỗi băm nhật ký nguyên vẹn" in out and "Đầu chuỗi: mắt xích số" in out


def test_a_broken_chain_exits_1_with_the_first_broken_link(people, capsys):
    run(capsys, "audit", "seal")
    link = AuditLink.objects.order_by("seq")[2]
    drop_event_trigger()
    sql("UPDATE audit_auditevent SET actor_label = 'người khác' WHERE id = %s", [link.event_id])
    code, out, err = run(capsys, "audit", "verify", "--json")
    assert code == 1
    problem = json.loads(out)["problem"]
    assert (problem["kind"], problem["seq"], problem["event_id"]) == ("content_changed", link.seq, link.event_id)
    assert f"Nội dung sự kiện số {link.event_id} (mắt xích số {link.seq}) đã bị sửa sau khi ghi." in err
    code, out, _err = run(capsys, "audit", "verify")
    assert code == 1 and "CHUỖI BĂM NHẬT KÝ BỊ PHÁ VỠ" in out


def test_no_seal_only_counts_pending_events(people, capsys):
    code, out, _err = run(capsys, "audit", "verify", "--no-seal", "--json")
    result = json.loads(out)
    assert code == 0 and result["links"] == 0 and result["unsealed"] == result["events"] > 0
    assert AuditLink.objects.count() == 0


def test_the_anchor_file_catches_removed_newest_events(people, capsys, tmp_path):
    anchor = tmp_path / "audit-head.json"
    code, _out, _err = run(capsys, "audit", "verify", "--anchor", str(anchor))
    assert code == 0
    saved = json.loads(anchor.read_text())
    head = AuditLink.objects.order_by("-seq").first()
    assert (saved["seq"], saved["hash"]) == (head.seq, head.link_hash)
    if connection.vendor == "postgresql":
        sql("SET CONSTRAINTS ALL IMMEDIATE")
        sql("ALTER TABLE audit_auditlink DISABLE TRIGGER audit_auditlink_append_only")
        sql("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only")
    sql("DELETE FROM audit_auditevent WHERE id = %s", [head.event_id])
    sql("DELETE FROM audit_auditlink WHERE seq = %s", [head.seq])
    code, out, err = run(capsys, "audit", "verify", "--anchor", str(anchor), "--json")
    assert code == 1
    assert json.loads(out)["problem"]["kind"] == "anchor"
    assert json.loads(anchor.read_text()) == saved  # a failed run keeps the anchor


def test_an_unreadable_anchor_exits_2(people, capsys, tmp_path):
    anchor = tmp_path / "audit-head.json"
    anchor.write_text("{not json")
    code, _out, err = run(capsys, "audit", "verify", "--anchor", str(anchor))
    assert code == 2 and "không đọc được hoặc không đúng định dạng" in err


def test_dbgrants_refuses_sqlite_with_exit_2(capsys):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    code, _out, err = run(capsys, "dbgrants", "--role", "canbo_app", "--json")
    assert code == 2
    assert "dbgrants chỉ dùng cho PostgreSQL" in err
