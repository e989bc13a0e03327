"""`canbo restore FILE [--app-role ROLE] [--json]`: replace the database with a backup, then check it.

Run it as the owner role with the application stopped. The backup is refused (exit 2, nothing
changed) when it is not one, is damaged or truncated, or does not fit this database. After
restoring, every table's row count must equal the manifest's and the audit chain must verify up
to the manifest's head; otherwise exit 1. On PostgreSQL privileges are not restored: --app-role
grants the application role again (as `canbo dbgrants`).
"""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from canbo.audit.backup import BackupError, restore_backup
from canbo.audit.grants import GrantError

from ._console import dump, fail, failed_check
from .audit import describe


class Command(BaseCommand):
    help = "Khôi phục cơ sở dữ liệu từ một tệp sao lưu, rồi kiểm tra số dòng và chuỗi băm nhật ký."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="Tệp sao lưu do `canbo backup` tạo.")
        parser.add_argument("--app-role", help="PostgreSQL: cấp lại quyền cho vai trò của ứng dụng sau khi khôi phục.")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, file, app_role, as_json, **options):
        if not Path(file).is_file():
            raise fail(_("Không có tệp «%(file)s».") % {"file": file})
        try:
            report = restore_backup(Path(file), app_role=app_role)
        except (BackupError, GrantError) as exc:
            raise fail(str(exc)) from None
        verification = report["verification"]
        if as_json:
            self.stdout.write(dump({"file": file, **report, "verification": verification.as_json()}))
        else:
            self.stdout.write(
                _("Đã khôi phục «%(file)s» (sao lưu lúc %(created)s): %(tables)s bảng, %(rows)s dòng.")
                % {"file": file, "created": report["backup_created_at"], "tables": report["tables"], "rows": report["rows"]}
            )
            for table, counts in report["differences"].items():
                self.stdout.write(
                    _("Bảng %(table)s: bảng kê ghi %(expected)s dòng, cơ sở dữ liệu có %(found)s.")
                    % {"table": table, **counts}
                )
            for line in describe(verification):
                self.stdout.write(line)
        if not report["ok"]:
            raise failed_check(
                verification.problem.message() if verification.problem
                else _("Số dòng sau khi khôi phục khác với bảng kê của bản sao lưu.")
            )  # fmt: skip
