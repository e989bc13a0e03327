"""The hash chain: each event's content hash, and the append-only table of links.

occurred_at trades auto_now_add for a default: the writer sets it before hashing the event, and
auto_now_add would overwrite it on insert. That is a change of the model state only: altering
the column on SQLite would rebuild the table, and the rebuild would drop the append-only trigger
of 0002 with it.

The content_hash column is nullable without a default so that SQLite adds it in place (ALTER
TABLE ADD COLUMN) rather than rebuilding the table; events written before it carry NULL, and
sealing hashes them from their content.

The links get the protection of the events: UPDATE refused on both databases, DELETE on
PostgreSQL (TRUNCATE stays possible to the owner for test tear-down; the application's role
holds only SELECT and INSERT on both tables, see `canbo dbgrants`).
"""

import django.db.models.deletion
from django.db import migrations, models

import canbo.audit.models

PG_UP = """
CREATE TRIGGER audit_auditlink_append_only
    BEFORE UPDATE OR DELETE ON audit_auditlink
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
"""
PG_DOWN = "DROP TRIGGER IF EXISTS audit_auditlink_append_only ON audit_auditlink;"
SQLITE_UP = """
CREATE TRIGGER audit_auditlink_no_update BEFORE UPDATE ON audit_auditlink
BEGIN
    SELECT RAISE(ABORT, 'audit rows are append-only');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS audit_auditlink_no_update;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="occurred_at",
                    field=models.DateTimeField(
                        db_index=True,
                        default=canbo.audit.models.event_time,
                        editable=False,
                        verbose_name="thời điểm",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="auditevent",
            name="content_hash",
            field=models.CharField(
                blank=True, editable=False, max_length=64, null=True, verbose_name="mã băm nội dung"
            ),
        ),
        migrations.CreateModel(
            name="AuditLink",
            fields=[
                ("seq", models.BigIntegerField(primary_key=True, serialize=False, verbose_name="số thứ tự")),
                ("prev_hash", models.CharField(max_length=64, verbose_name="mã băm mắt xích trước")),
                ("link_hash", models.CharField(max_length=64, verbose_name="mã băm mắt xích")),
                (
                    "event",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="link",
                        to="audit.auditevent",
                        verbose_name="sự kiện nhật ký",
                    ),
                ),
            ],
            options={
                "verbose_name": "mắt xích nhật ký",
                "verbose_name_plural": "chuỗi băm nhật ký",
                "ordering": ["seq"],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
