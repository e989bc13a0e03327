"""`canbo backup FILE [--json]`: the whole database in one file, with its manifest.

pg_dump on PostgreSQL, the SQLite online backup API on SQLite (never dumpdata, which loses the
microseconds of audit timestamps). Events not sealed yet are sealed first. The file is created
readable by its owner only and is never overwritten. Exit status 2 when the backup cannot be made.
"""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from canbo.audit.backup import BackupError, create_backup

from ._console import dump, fail


class Command(BaseCommand):
    help = "Sao lưu toàn bộ cơ sở dữ liệu vào một tệp (kèm bảng kê số dòng và đầu chuỗi băm nhật ký)."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="Tệp sao lưu sẽ tạo (chưa được tồn tại).")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, file, as_json, **options):
        try:
            manifest = create_backup(Path(file))
        except BackupError as exc:
            raise fail(str(exc)) from None
        if as_json:
            self.stdout.write(dump({"file": file, **manifest}))
            return
        head = manifest["audit"]["head"]
        self.stdout.write(
            _("Đã sao lưu vào «%(file)s»: %(tables)s bảng, %(rows)s dòng, %(bytes)s byte.")
            % {"file": file, "tables": len(manifest["tables"]), "rows": sum(manifest["tables"].values()),
               "bytes": manifest["data"]["bytes"]}  # fmt: skip
        )
        if head:
            self.stdout.write(
                _("Đầu chuỗi: mắt xích số %(seq)s, sự kiện số %(event_id)s, mã băm %(hash)s.") % head
            )
