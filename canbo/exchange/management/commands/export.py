"""`canbo export --kind units|people|assignments [--unit ID] [--output FILE] [--json]`.

Writes the kind's records of a unit's subtree (all root units without --unit) in the layout of
the import template, so the file can be edited and imported back.
"""

import itertools
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from canbo.exchange.importers import importer_for, registered
from canbo.exchange.services import ConsolePolicy
from canbo.exchange.workbooks import export_filename, write_table_workbook
from canbo.org.models import Unit

BAD_INPUT = 2


def fail(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_INPUT)


class Command(BaseCommand):
    help = "Xuất đơn vị, cán bộ hoặc quá trình công tác của một đơn vị (gồm cấp dưới) ra tệp Excel theo mẫu nhập."

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=[i.kind for i in registered()], help="Loại dữ liệu.")
        parser.add_argument("--unit", metavar="ID", help="Mã số (id) hoặc mã đơn vị; bỏ trống: toàn bộ cây.")
        parser.add_argument("--output", metavar="FILE", help="Tệp .xlsx sẽ ghi (mặc định: tên theo loại, đơn vị, ngày).")
        parser.add_argument("--json", action="store_true", dest="as_json", help="In kết quả dạng JSON.")

    def handle(self, *args, kind, unit, output, as_json, **options):
        importer = importer_for(kind)
        policy = ConsolePolicy()
        if unit:
            found = Unit.objects.filter(pk=int(unit)).first() if unit.strip().isdigit() else None
            found = found or Unit.objects.filter(code=unit.strip()).first()
            if found is None:
                raise fail(f"--unit: không có đơn vị «{unit}».")
            units = [found]
        else:
            units = list(Unit.objects.get_root_nodes())
        path = Path(output or export_filename(importer, units[0] if unit else None))
        if path.suffix.lower() != ".xlsx":
            raise fail("--output: tệp xuất phải có đuôi .xlsx.")
        rows = itertools.chain.from_iterable(importer.export_rows(policy, u) for u in units)
        try:
            with path.open("wb") as handle:
                count = write_table_workbook(importer, rows, handle)
        except OSError as exc:
            raise fail(f"Không ghi được tệp «{path}»: {exc.strerror or exc}.") from None
        result = {"file": str(path), "kind": kind, "unit": units[0].code if unit else None, "rows": count}
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(f"Đã xuất {count} dòng ra «{path}».")
