"""Shared by the audit tests: running `canbo …` in-process, raw SQL as an intruder would run it,
and a SQLite database on disk for tests with several connections."""

import sqlite3

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


@pytest.fixture
def database_on_disk(transactional_db, tmp_path):
    """On SQLite, run the test on a database file, as SQLite runs in production.

    The SQLite test database lives in memory in shared-cache mode, whose per-table locks fail at
    once with "database table is locked" whatever the busy timeout. The empty test database is
    copied to a file and every connection points there for the test; the in-memory one is kept
    open (closing it would destroy it) and put back afterwards.
    """
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    settings = connection.settings_dict
    in_memory_name = settings["NAME"]
    connection.ensure_connection()
    in_memory = connection.connection
    on_disk = sqlite3.connect(tmp_path / "audit.sqlite3")
    in_memory.backup(on_disk)
    on_disk.close()
    settings["NAME"] = str(tmp_path / "audit.sqlite3")
    connection.connection = None  # the next query opens the file
    try:
        yield
    finally:
        connection.close()
        settings["NAME"] = in_memory_name
        connection.connection = in_memory
