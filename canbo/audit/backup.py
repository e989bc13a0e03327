"""Backup and restore of the whole database, checked against a manifest and the audit chain.

Why not `dumpdata`/`loaddata`: they lose the microseconds of audit timestamps and renumber rows,
so the restored audit trail would no longer hash to its chain. A backup here is the database's
own copy: `pg_dump -Fc` on PostgreSQL, the SQLite online backup API on SQLite.

A backup is one tar file holding `manifest.json` and the copy (`database.pgdump` or
`database.sqlite3`). The manifest records the copy's size and sha256, the row count of every
table, the audit chain's head, the migrations applied, the date and the database vendor. It
describes exactly the copied state: on PostgreSQL the counts are read in the transaction whose
snapshot pg_dump is given (`pg_export_snapshot`); on SQLite they are read from the copy itself.

Restore refuses (before touching the database) an archive that is not one, is truncated, whose
copy does not match the manifest's size and hash, comes from the other database vendor or from a
newer version of canbo (migrations unknown here), or, on PostgreSQL, a database holding tables
the backup does not have. After restoring it checks: every table's count equals the manifest,
and the audit chain verifies up to the manifest's head. Restore runs as the owner role (on
PostgreSQL it drops and recreates the tables; objects end up owned by that role and privileges
are not restored, so the application role is granted again: `--app-role`, or `canbo dbgrants`).
"""

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from .chain import sweep
from .models import AuditEvent, AuditLink
from .verification import verify

FORMAT = "canbo-backup/1"
MANIFEST = "manifest.json"
DATA_MEMBER = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
# A restore waits this long for locks held by other sessions, then fails instead of hanging:
# stop the application before restoring.
PG_LOCK_TIMEOUT = "60s"


class BackupError(Exception):
    """The backup or restore is refused; nothing was changed."""


# --------------------------------------------------------------------------------------------
# What a database holds: the manifest's description
# --------------------------------------------------------------------------------------------


def _describe(cursor, tables: list[str], quote) -> dict:
    """Row counts of every table, the chain head and the migrations, through a DB-API cursor."""
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = cursor.fetchone()[0]
    head = None
    if AuditLink._meta.db_table in tables:
        cursor.execute(f"SELECT seq, event_id, link_hash FROM {quote(AuditLink._meta.db_table)} ORDER BY seq DESC LIMIT 1")
        row = cursor.fetchone()
        head = {"seq": row[0], "event_id": row[1], "hash": row[2]} if row else None
    max_event_id = None
    if AuditEvent._meta.db_table in tables:
        cursor.execute(f"SELECT MAX(id) FROM {quote(AuditEvent._meta.db_table)}")
        max_event_id = cursor.fetchone()[0]
    migrations = []
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [list(row) for row in cursor.fetchall()]
    return {
        "tables": counts,
        "audit": {
            "events": counts.get(AuditEvent._meta.db_table),
            "links": counts.get(AuditLink._meta.db_table),
            "max_event_id": max_event_id,
            "head": head,
        },
        "migrations": migrations,
    }


def _table_names(connection) -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def describe_database(using: str = DEFAULT_DB_ALIAS) -> dict:
    connection = connections[using]
    tables = _table_names(connection)
    with connection.cursor() as cursor:
        return _describe(cursor, tables, connection.ops.quote_name)


def _sqlite_describe_file(path: Path) -> dict:
    copy = sqlite3.connect(path)
    try:
        cursor = copy.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        tables = [row[0] for row in cursor.fetchall()]
        return _describe(cursor, tables, lambda name: '"' + name.replace('"', '""') + '"')
    finally:
        copy.close()


# --------------------------------------------------------------------------------------------
# PostgreSQL tools
# --------------------------------------------------------------------------------------------


def _pg_env(connection) -> dict:
    settings = connection.settings_dict
    env = {**os.environ, "PGDATABASE": settings["NAME"]}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings.get(key):
            env[name] = str(settings[key])
    return env


def _run_tool(argv: list[str], env: dict) -> None:
    if shutil.which(argv[0]) is None:
        raise BackupError(_("Không tìm thấy chương trình %(tool)s (cài gói postgresql-client).") % {"tool": argv[0]})
    result = subprocess.run(argv, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(_("%(tool)s thất bại: %(error)s") % {"tool": argv[0], "error": result.stderr.strip()[-2000:]})


def _require_autocommit(connection) -> None:
    if connection.in_atomic_block:
        raise BackupError(_("Sao lưu và khôi phục không chạy được bên trong một giao dịch."))


# --------------------------------------------------------------------------------------------
# Backup
# --------------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _copy_postgresql(connection, target: Path) -> dict:
    """pg_dump of the snapshot the manifest's counts are read in."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        description = _describe(cursor, connection.introspection.table_names(cursor), connection.ops.quote_name)
        _run_tool(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"], _pg_env(connection))
    return description


def _copy_sqlite(connection, target: Path) -> dict:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()
    return _sqlite_describe_file(target)


def create_backup(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Write the backup archive at `path` (which must not exist); returns its manifest."""
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in DATA_MEMBER:
        raise BackupError(_("Cơ sở dữ liệu %(vendor)s không được hỗ trợ.") % {"vendor": vendor})
    path = Path(path)
    if path.exists():
        raise BackupError(_("Tệp «%(path)s» đã có; chọn tên khác (bản sao lưu không bị ghi đè).") % {"path": path})
    if not path.parent.is_dir():
        raise BackupError(_("Không có thư mục «%(path)s».") % {"path": path.parent})
    _require_autocommit(connection)
    swept = sweep(using=using)  # the backup holds a sealed chain, up to the last commit
    try:
        return _write_archive(connection, path, swept)
    except OSError as exc:
        raise BackupError(_("Không ghi được tệp sao lưu «%(path)s»: %(error)s") % {"path": path, "error": exc.strerror or exc}) from None


def _write_archive(connection, path: Path, swept: dict) -> dict:
    vendor = connection.vendor
    member = DATA_MEMBER[vendor]
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".canbo-backup-") as work:
        data = Path(work) / member
        description = _copy_postgresql(connection, data) if vendor == "postgresql" else _copy_sqlite(connection, data)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "vendor": vendor,
            "database": str(connection.settings_dict["NAME"]),
            "data": {"member": member, "bytes": data.stat().st_size, "sha256": _sha256(data)},
            **description,
            "sealed_before_backup": swept["sealed"],
        }
        partial = Path(work) / "archive.tar"
        with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as stream:
            with tarfile.open(fileobj=stream, mode="w", format=tarfile.PAX_FORMAT) as archive:
                text = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(text), int(dt.datetime.now().timestamp()), 0o600
                archive.addfile(info, io.BytesIO(text))
                archive.add(data, arcname=member)
            stream.flush()
            os.fsync(stream.fileno())
        # Under its final name only once complete, and never over a file that appeared meanwhile
        # (link fails if the name exists; the temporary directory goes away with its copy).
        try:
            os.link(partial, path)
        except FileExistsError:
            raise BackupError(_("Tệp «%(path)s» đã có; chọn tên khác (bản sao lưu không bị ghi đè).") % {"path": path}) from None
    return manifest


# --------------------------------------------------------------------------------------------
# Restore
# --------------------------------------------------------------------------------------------


def read_archive(path: Path, work: Path) -> tuple[dict, Path]:
    """The manifest and the copy extracted into `work`, checked against the manifest's size and hash."""
    not_a_backup = _("«%(path)s» không phải là bản sao lưu của canbo, hoặc đã bị cắt cụt hay hỏng.") % {"path": path}
    try:
        with tarfile.open(path, mode="r:") as archive:
            stream = archive.extractfile(MANIFEST)
            manifest = json.loads(stream.read().decode())
            if manifest.get("format") != FORMAT:
                raise BackupError(not_a_backup)
            member = manifest["data"]["member"]
            if member not in DATA_MEMBER.values():
                raise BackupError(not_a_backup)
            source = archive.extractfile(member)
            if source is None:
                raise BackupError(not_a_backup)
            target = work / member
            digest, size = hashlib.sha256(), 0
            with open(target, "wb") as out:
                for block in iter(lambda: source.read(1 << 20), b""):
                    digest.update(block)
                    size += len(block)
                    out.write(block)
    except BackupError:
        raise
    except (tarfile.TarError, OSError, EOFError, KeyError, ValueError, TypeError, AttributeError):
        raise BackupError(not_a_backup) from None
    if size != manifest["data"]["bytes"] or digest.hexdigest() != manifest["data"]["sha256"]:
        raise BackupError(
            _("Bản sao lưu «%(path)s» không khớp với bảng kê của nó (kích thước hoặc mã băm khác): đã hỏng.") % {"path": path}
        )
    return manifest, target


def _check_compatible(manifest: dict, connection) -> None:
    if manifest["vendor"] != connection.vendor:
        raise BackupError(_("Bản sao lưu của %(backup)s không khôi phục được vào %(here)s.")
                      % {"backup": manifest["vendor"], "here": connection.vendor})  # fmt: skip
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in known]
    if unknown:
        raise BackupError(
            _("Bản sao lưu được tạo bởi phiên bản canbo mới hơn (có các migration không có ở đây: %(names)s).")
            % {"names": ", ".join(unknown[:5])}
        )
    if connection.vendor == "postgresql":
        extra = sorted(set(_table_names(connection)) - set(manifest["tables"]))
        if extra:
            raise BackupError(
                _("Cơ sở dữ liệu đang có các bảng không có trong bản sao lưu (%(tables)s): "
                  "hãy khôi phục vào một cơ sở dữ liệu trống.") % {"tables": ", ".join(extra[:5])}
            )  # fmt: skip


def _restore_postgresql(connection, data: Path) -> None:
    connection.close()
    env = {**_pg_env(connection), "PGOPTIONS": f"-c lock_timeout={PG_LOCK_TIMEOUT}"}
    _run_tool(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
         "--exit-on-error", f"--dbname={connection.settings_dict['NAME']}", str(data)],
        env,
    )  # fmt: skip


def _restore_sqlite(connection, data: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(data)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def restore_backup(path: Path, *, using: str = DEFAULT_DB_ALIAS, app_role: str | None = None) -> dict:
    """Replace the database with the backup at `path`, then check it; returns the report."""
    connection = connections[using]
    _require_autocommit(connection)
    with tempfile.TemporaryDirectory(prefix="canbo-restore-") as work:
        manifest, data = read_archive(Path(path), Path(work))
        _check_compatible(manifest, connection)
        if connection.vendor == "postgresql":
            _restore_postgresql(connection, data)
        else:
            _restore_sqlite(connection, data)
    ContentType.objects.clear_cache()
    grants = None
    if app_role:
        from .grants import grant_application_role

        grants = grant_application_role(app_role, using=using)
    return {**check_restored(manifest, using=using), "grants": grants}


def check_restored(manifest: dict, *, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Counts equal to the manifest's and the audit chain intact up to the manifest's head."""
    found = describe_database(using)
    expected = manifest["tables"]
    differences = {
        table: {"expected": expected.get(table), "found": found["tables"].get(table)}
        for table in sorted(set(expected) | set(found["tables"]))
        if expected.get(table) != found["tables"].get(table)
    }
    head = manifest["audit"]["head"]
    verification = verify(using=using, seal_first=False, anchor={"seq": head["seq"], "hash": head["hash"]} if head else None)
    return {
        "ok": not differences and verification.intact,
        "backup_created_at": manifest["created_at"],
        "tables": len(found["tables"]),
        "rows": sum(found["tables"].values()),
        "differences": differences,
        "verification": verification,
    }
