"""`canbo dbgrants --role ROLE [--password PW] [--json]`: the application's least-privilege role.

Run as the owner of the database (the role `canbo migrate` runs as), after every migrate. It
creates ROLE if missing (LOGIN, not superuser, owning nothing), lets it read and write every
table, but only SELECT and INSERT on the audit tables, and SELECT on django_migrations.
Idempotent. Exit status 2 on SQLite, for a bad role name, or a role that owns anything.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from canbo.audit.grants import GrantError, grant_application_role

from ._console import dump, fail


class Command(BaseCommand):
    help = "Tạo và cấp quyền tối thiểu cho vai trò PostgreSQL của ứng dụng (chạy bằng vai trò chủ sở hữu)."

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, help="Tên vai trò ứng dụng dùng để kết nối, ví dụ canbo_app.")
        parser.add_argument("--password", help="Đặt (hoặc đổi) mật khẩu của vai trò.")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, role, password, as_json, **options):
        try:
            result = grant_application_role(role, password=password)
        except GrantError as exc:
            raise fail(str(exc)) from None
        if as_json:
            self.stdout.write(dump(result))
            return
        self.stdout.write(
            _("Vai trò «%(role)s» (%(state)s): đọc và ghi %(tables)s bảng; chỉ SELECT, INSERT trên %(audit)s.")
            % {
                "role": result["role"],
                "state": _("mới tạo") if result["created"] else _("đã có"),
                "tables": result["tables"],
                "audit": ", ".join(result["audit_tables"]),
            }
        )
