"""Shared by the audit tests: running `canbo …` in-process and raw SQL as an intruder would run it
(the SQLite database on disk for tests with several connections is `database_on_disk` in
tests/conftest.py)."""

import pytest
from django.db import connection, connections

from canbo.cli import main


def run(capsys, *argv) -> tuple[int, str, str]:
    """Run `canbo ARGV` in-process as the console does: (exit status, stdout, stderr)."""
    try:
        main(list(argv))
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def keep_the_test_connection(monkeypatch):
    """`canbo …` closes every connection when a command ends, which would end the test's transaction."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


def sql(statement: str, params=()):
    """Raw SQL on the application's connection: what anyone holding its credentials can run."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def drop_event_trigger():
    """What the application can do on SQLite, and the owner on PostgreSQL (DDL rolls back with the test)."""
    if connection.vendor == "sqlite":
        sql("DROP TRIGGER audit_auditevent_no_update")
    else:
        sql("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses while deferred FK checks are pending
        sql("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only")


def drop_link_trigger():
    if connection.vendor == "sqlite":
        sql("DROP TRIGGER audit_auditlink_no_update")
    else:
        sql("SET CONSTRAINTS ALL IMMEDIATE")
        sql("ALTER TABLE audit_auditlink DISABLE TRIGGER audit_auditlink_append_only")


@pytest.fixture
def restores_triggers(transactional_db):
    """For a test that commits: put the append-only triggers back after it (DDL on SQLite
    commits; outside a test transaction nothing rolls it back)."""
    yield
    import importlib

    append_only = importlib.import_module("canbo.audit.migrations.0002_append_only")
    chain = importlib.import_module("canbo.audit.migrations.0003_chain")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for trigger, create in (("audit_auditevent_no_update", append_only.SQLITE_UP),
                                    ("audit_auditlink_no_update", chain.SQLITE_UP)):  # fmt: skip
                cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = %s", [trigger])
                if not cursor.fetchone():
                    cursor.execute(create)
    else:
        sql("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_append_only")
        sql("ALTER TABLE audit_auditlink ENABLE TRIGGER audit_auditlink_append_only")


