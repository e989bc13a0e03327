"""`canbo backup` and `canbo restore` on both databases: the data comes back exactly (ids, audit
timestamps to the microsecond), the chain verifies, and a damaged backup is refused untouched."""

import io
import json
import os
import tarfile

import psycopg
import pytest
from django.db import connection, connections

from canbo.audit.backup import restore_backup
from canbo.audit.models import AuditEvent, AuditLink
from canbo.audit.verification import verify
from canbo.people.models import Person

from .. import factories as f
from .conftest import drop_event_trigger, run, sql

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("keep_the_test_connection")]


@pytest.fixture
def records():
    unit = f.make_unit("Đảng ủy phường Ba Đình", code="HN-BADINH")
    people = [f.make_person(unit, name) for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường")]
    return {"unit": unit, "people": people}


def audit_state():
    return (
        list(AuditEvent.objects.order_by("id").values_list("id", "occurred_at", "action", "after", "content_hash")),
        list(AuditLink.objects.order_by("seq").values_list("seq", "event_id", "link_hash")),
    )


def backup(capsys, path) -> dict:
    code, out, err = run(capsys, "backup", str(path), "--json")
    assert code == 0, err
    return json.loads(out)


def test_backup_then_restore_brings_back_exact_data(records, capsys, tmp_path):
    path = tmp_path / "canbo.backup"
    before = audit_state()
    people_before = list(Person.objects.order_by("id").values_list("id", "full_name"))
    manifest = backup(capsys, path)
    assert os.stat(path).st_mode & 0o077 == 0  # personal data: readable by its owner only
    assert manifest["vendor"] == connection.vendor
    assert manifest["tables"]["audit_auditevent"] == len(before[0])
    assert manifest["audit"]["head"]["seq"] == len(before[1]) == len(before[0])
    assert ["audit", "0003_chain"] in manifest["migrations"]

    # Life goes on after the backup: a new person, a changed one.
    f.make_person(records["unit"], "Phạm Văn Dũng")
    from canbo.people import services

    services.person_update(actor=None, person=records["people"][0], full_name="Nguyễn Văn Ân")
    assert Person.objects.count() == 4

    code, out, err = run(capsys, "restore", str(path), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["ok"] is True and report["differences"] == {}
    assert report["verification"]["intact"] is True
    assert report["verification"]["head"] == manifest["audit"]["head"]
    after = audit_state()
    assert after == before  # same ids, same timestamps to the microsecond, same hashes
    assert any(when.microsecond for _id, when, *_ in after[0])
    assert list(Person.objects.order_by("id").values_list("id", "full_name")) == people_before
    assert verify().intact

    # The restored database goes on: new rows take new ids and join the chain.
    person = f.make_person(records["unit"], "Hoàng Thị Mai")
    assert person.pk > max(pk for pk, _name in people_before)
    assert verify(seal_first=False).intact and verify().links == AuditEvent.objects.count()


def test_backup_refuses_to_overwrite(records, capsys, tmp_path):
    path = tmp_path / "canbo.backup"
    path.write_text("an earlier backup")
    code, _out, err = run(capsys, "backup", str(path))
    assert code == 2 and "đã có" in err
    assert path.read_text() == "an earlier backup"


def test_a_truncated_or_corrupted_backup_is_refused_and_nothing_changes(records, capsys, tmp_path):
    path = tmp_path / "canbo.backup"
    backup(capsys, path)
    f.make_person(records["unit"], "Phạm Văn Dũng")
    state = audit_state()
    data = path.read_bytes()

    truncated = tmp_path / "truncated.backup"
    truncated.write_bytes(data[: len(data) // 2])
    code, _out, err = run(capsys, "restore", str(truncated))
    assert code == 2 and "đã bị cắt cụt hay hỏng" in err

    corrupted = tmp_path / "corrupted.backup"
    with tarfile.open(path) as archive:
        copy = [m for m in archive.getmembers() if m.name != "manifest.json"][0]
    damaged = bytearray(data)
    damaged[copy.offset_data + copy.size // 2] ^= 0xFF  # one byte in the middle of the copy
    corrupted.write_bytes(bytes(damaged))
    code, _out, err = run(capsys, "restore", str(corrupted))
    assert code == 2 and "không khớp với bảng kê" in err

    not_a_backup = tmp_path / "other.tar"
    with tarfile.open(not_a_backup, "w") as archive:
        info = tarfile.TarInfo("hello.txt")
        info.size = 5
        archive.addfile(info, io.BytesIO(b"hello"))
    code, _out, err = run(capsys, "restore", str(not_a_backup))
    assert code == 2

    assert audit_state() == state and Person.objects.count() == 4


def rewrite_manifest(path, target, change):
    """The same copy under an altered manifest (as someone editing the archive would)."""
    with tarfile.open(path) as source, tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as out:
        manifest = json.loads(source.extractfile("manifest.json").read())
        change(manifest)
        text = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(text)
        out.addfile(info, io.BytesIO(text))
        member = source.getmember(manifest["data"]["member"])
        out.addfile(member, source.extractfile(member))


def test_restore_fails_when_counts_differ_from_the_manifest(records, capsys, tmp_path):
    path = tmp_path / "canbo.backup"
    backup(capsys, path)
    edited = tmp_path / "edited.backup"
    rewrite_manifest(path, edited, lambda m: m["tables"].update(people_person=m["tables"]["people_person"] + 1))
    code, out, err = run(capsys, "restore", str(edited), "--json")
    assert code == 1
    assert json.loads(out)["differences"] == {"people_person": {"expected": 4, "found": 3}}


def test_restore_refuses_a_backup_from_a_newer_version(records, capsys, tmp_path):
    path = tmp_path / "canbo.backup"
    backup(capsys, path)
    edited = tmp_path / "newer.backup"
    rewrite_manifest(path, edited, lambda m: m["migrations"].append(["audit", "9999_future"]))
    code, _out, err = run(capsys, "restore", str(edited))
    assert code == 2 and "audit.9999_future" in err


def test_a_backup_of_a_tampered_trail_restores_but_fails_the_check(records, capsys, tmp_path, restores_triggers):
    run(capsys, "audit", "seal")
    target = AuditEvent.objects.get(action="person.create", object_id=records["people"][1].pk)
    drop_event_trigger()
    sql("UPDATE audit_auditevent SET object_repr = 'ai đó' WHERE id = %s", [target.pk])
    path = tmp_path / "canbo.backup"
    backup(capsys, path)
    code, out, _err = run(capsys, "restore", str(path), "--json")
    assert code == 1
    assert json.loads(out)["verification"]["problem"]["event_id"] == target.pk


@pytest.fixture
def scratch_database():
    """A second, empty PostgreSQL database (canbo_h1_…) as the `scratch` connection alias."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    settings = connection.settings_dict
    name = f"canbo_h1_scratch_{os.getpid()}"
    admin = psycopg.connect(host=settings["HOST"], port=settings["PORT"], user=settings["USER"], dbname="postgres",
                            autocommit=True)  # fmt: skip
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    # A connection made here, not declared in settings: Django's test isolation allows it.
    connections["scratch"] = type(connections["default"])({**settings, "NAME": name}, alias="scratch")
    try:
        yield "scratch"
    finally:
        connections["scratch"].close()
        del connections["scratch"]
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


def test_restore_into_an_empty_postgresql_database(records, capsys, tmp_path, scratch_database):
    path = tmp_path / "canbo.backup"
    manifest = backup(capsys, path)
    report = restore_backup(path, using=scratch_database)
    assert report["ok"] and report["differences"] == {}
    assert report["verification"].head == manifest["audit"]["head"]
    restored = list(AuditEvent.objects.using(scratch_database).order_by("id").values_list("id", "occurred_at", "content_hash"))
    assert restored == [row[:2] + row[4:] for row in audit_state()[0]]
    with connections[scratch_database].cursor() as cursor:  # owned by the role that restored it
        cursor.execute("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")
        assert cursor.fetchall() == [(connection.settings_dict["USER"],)]
