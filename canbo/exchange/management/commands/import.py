"""`canbo import FILE --kind units|people|assignments [--dry-run] [--as USERNAME] [--json]`.

Runs the same import as the pages (one transaction, all or nothing). Without --as the console
acts for the system over the whole tree; with --as it acts as that user, within their scope.
Exit status 2 when the file is refused or any row has an error (nothing is written then).
"""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from canbo.access.policy import AccessPolicy
from canbo.exchange.engine import run_import
from canbo.exchange.importers import registered
from canbo.exchange.services import ConsolePolicy

BAD_INPUT = 2


def fail(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_INPUT)


class Command(BaseCommand):
    help = "Nhập dữ liệu từ tệp Excel (.xlsx): kiểm tra thử với --dry-run, hoặc ghi tất cả (có lỗi thì không ghi gì)."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="Tệp .xlsx theo mẫu của hệ thống.")
        parser.add_argument("--kind", required=True, choices=[i.kind for i in registered()], help="Loại dữ liệu.")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra và xem trước, không ghi.")
        parser.add_argument("--as", dest="username", metavar="USERNAME", help="Nhập với quyền của người dùng này.")
        parser.add_argument("--json", action="store_true", dest="as_json", help="In kết quả dạng JSON.")

    def handle(self, *args, file, kind, dry_run, username, as_json, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise fail(f"Không đọc được tệp «{file}»: {exc.strerror or exc}.") from None
        actor, policy = None, ConsolePolicy()
        if username:
            User = get_user_model()
            try:
                actor = User.objects.get(**{User.USERNAME_FIELD: username})
            except User.DoesNotExist:
                raise fail(f"Không có người dùng «{username}».") from None
            policy = AccessPolicy(actor)
        report = run_import(data, kind=kind, actor=actor, policy=policy, commit=not dry_run)
        result = {"file": str(path), **report.as_dict()}
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2, default=str))
        else:
            self._write_text(report)
        if not report.ok:
            if report.refused:
                raise fail(report.refused)
            raise fail(f"Có {report.error_total} lỗi; không có dữ liệu nào được ghi.")

    def _write_text(self, report) -> None:
        if report.refused:
            return
        for issue in report.errors:
            self.stdout.write(f"Lỗi dòng {issue.row or '-'} [{issue.column or '-'}]: {issue.message}")
        for issue in report.warnings:
            self.stdout.write(f"Cảnh báo dòng {issue.row or '-'} [{issue.column or '-'}]: {issue.message}")
        for row in report.cleared:
            self.stdout.write(f"Dòng {row['row']} sẽ XÓA giá trị của: {', '.join(row['fields'])}." if report.dry_run
                              else f"Dòng {row['row']} đã xóa giá trị của: {', '.join(row['fields'])}.")  # fmt: skip
        verb = "Đã ghi" if report.committed else "Kiểm tra thử" if report.dry_run else "Không ghi"
        self.stdout.write(
            f"{verb}: {report.total_rows} dòng; {report.created} tạo mới, {report.updated} cập nhật, "
            f"{report.unchanged} không đổi, {report.error_total} lỗi."
        )
