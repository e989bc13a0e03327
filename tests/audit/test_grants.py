"""`canbo dbgrants` on PostgreSQL: the application's role may insert and read the audit trail but
not change it, and every service still works when connected as that role."""

import json
import os

import psycopg
import pytest
from django.db import connection

from canbo.audit.backup import create_backup
from canbo.audit.grants import table_privileges
from canbo.audit.models import AuditEvent
from canbo.audit.verification import verify

from .. import factories as f
from .conftest import run

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("keep_the_test_connection")]

AUDIT_TABLES = ("audit_auditevent", "audit_auditlink")
PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture
def app_role():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    role = f"canbo_h1_app_{os.getpid()}"
    yield role
    connection.close()
    settings = connection.settings_dict
    with psycopg.connect(host=settings["HOST"], port=settings["PORT"], user=settings["USER"], dbname=settings["NAME"],
                         autocommit=True) as admin:  # fmt: skip
        exists = admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone()
        if exists:
            admin.execute(f'DROP OWNED BY "{role}"')
            admin.execute(f'DROP ROLE "{role}"')


def connect_as(role):
    settings = connection.settings_dict
    return psycopg.connect(host=settings["HOST"], port=settings["PORT"], user=role, password=PASSWORD,
                           dbname=settings["NAME"], autocommit=True)  # fmt: skip


def test_dbgrants_creates_the_role_once_and_grants_least_privilege(app_role, capsys):
    code, out, _err = run(capsys, "dbgrants", "--role", app_role, "--password", PASSWORD, "--json")
    assert code == 0
    result = json.loads(out)
    assert result["created"] is True and sorted(result["audit_tables"]) == sorted(AUDIT_TABLES)
    code, out, _err = run(capsys, "dbgrants", "--role", app_role, "--json")
    assert code == 0 and json.loads(out)["created"] is False  # idempotent
    for table in AUDIT_TABLES:
        assert table_privileges(app_role, table) == ["INSERT", "SELECT"]
    assert table_privileges(app_role, "people_person") == ["DELETE", "INSERT", "SELECT", "UPDATE"]
    assert table_privileges(app_role, "django_migrations") == ["SELECT"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolcreaterole, rolcreatedb, rolcanlogin FROM pg_roles WHERE rolname = %s", [app_role])
        assert cursor.fetchone() == (False, False, False, True)
        cursor.execute("SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = %s)", [app_role])
        assert cursor.fetchone()[0] == 0


def test_the_role_may_insert_and_read_the_audit_trail_but_not_change_it(app_role, city, capsys):
    assert run(capsys, "dbgrants", "--role", app_role, "--password", PASSWORD)[0] == 0
    event = AuditEvent.objects.order_by("id").first()
    with connect_as(app_role) as app:
        assert app.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0] > 0
        app.execute(
            "INSERT INTO audit_auditevent (occurred_at, actor_label, source, action, object_type_id, object_id, object_repr) "
            "VALUES (now(), 'thử', 'cli', 'test.insert', %s, 1, 'thử')",
            [event.object_type_id],
        )
        refused = [
            f"UPDATE {table} SET {column} = {column}" for table, column in (("audit_auditevent", "action"), ("audit_auditlink", "link_hash"))
        ] + [f"DELETE FROM {table}" for table in AUDIT_TABLES] + [f"TRUNCATE {table}" for table in AUDIT_TABLES] + [
            "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only",
            "ALTER TABLE audit_auditlink DISABLE TRIGGER ALL",
            "DROP TRIGGER audit_auditevent_append_only ON audit_auditevent",
            "INSERT INTO django_migrations (app, name, applied) VALUES ('x', 'y', now())",
            "CREATE TABLE canbo_h1_owned (id int)",
        ]  # fmt: skip
        for statement in refused:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(statement)
        app.execute("UPDATE people_person SET full_name = full_name WHERE false")  # ordinary tables stay writable


def test_services_work_connected_as_the_role_and_the_chain_verifies(app_role, capsys, tmp_path):
    assert run(capsys, "dbgrants", "--role", app_role, "--password", PASSWORD)[0] == 0
    settings = connection.settings_dict
    owner = (settings["USER"], settings["PASSWORD"])
    connection.close()
    settings["USER"], settings["PASSWORD"] = app_role, PASSWORD
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == app_role
        unit = f.make_unit("Đảng ủy phường Ba Đình", code="HN-BADINH")
        person = f.make_person(unit, "Đỗ Thị Lan")
        f.make_assignment(person, f.make_position(unit))
        result = verify()
        assert result.intact and result.unsealed == 0 and result.links == AuditEvent.objects.count() >= 4
        assert AuditEvent.objects.filter(action="person.create", object_id=person.pk).exists()
        manifest = create_backup(tmp_path / "as-the-role.backup")  # pg_dump needs only SELECT
        assert manifest["audit"]["head"] == result.head
    finally:
        connection.close()
        settings["USER"], settings["PASSWORD"] = owner


def test_dbgrants_refuses_the_owner_itself(app_role, capsys):
    code, _out, err = run(capsys, "dbgrants", "--role", connection.settings_dict["USER"])
    assert code == 2 and "vai trò chủ sở hữu" in err


def test_dbgrants_refuses_a_role_that_owns_a_table(app_role, capsys):
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{app_role}" LOGIN')
        cursor.execute("CREATE TABLE canbo_h1_owned (id int)")
        cursor.execute(f'ALTER TABLE canbo_h1_owned OWNER TO "{app_role}"')
    try:
        code, _out, err = run(capsys, "dbgrants", "--role", app_role)
        assert code == 2 and "canbo_h1_owned" in err
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE canbo_h1_owned")


def test_dbgrants_refuses_a_bad_role_name(app_role, capsys):
    code, _out, err = run(capsys, "dbgrants", "--role", 'x"; DROP TABLE people_person; --')
    assert code == 2 and "không hợp lệ" in err
