"""`canbo titles load|list`: the standard title catalogue from the console."""

import json

from django.core.management.base import BaseCommand
from django.db import transaction

from canbo.audit.models import AuditEvent
from canbo.org.catalogue import STANDARD_TITLES, load_standard_titles
from canbo.org.models import Title


class Command(BaseCommand):
    help = "Nạp danh mục chức danh chuẩn (load) hoặc liệt kê danh mục chức danh (list)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{load,list}")
        load = actions.add_parser("load", help="Tạo các chức danh còn thiếu, đưa chức danh đã sửa về chuẩn.")
        load.add_argument("--json", action="store_true", dest="as_json", help="In kết quả dạng JSON.")
        listing = actions.add_parser("list", help="Liệt kê danh mục chức danh.")
        listing.add_argument("--json", action="store_true", dest="as_json", help="In kết quả dạng JSON.")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _load(self, *, as_json: bool, **_):
        with transaction.atomic():
            changed = load_standard_titles(actor=None, source=AuditEvent.Source.CLI)
        result = {"changed": changed, "standard": len(STANDARD_TITLES), "total": Title.objects.count()}
        if as_json:
            self._write_json(result)
            return
        self.stdout.write(
            f"Danh mục chức danh: {result['changed']} chức danh được tạo hoặc cập nhật; "
            f"{result['standard']} chức danh chuẩn, {result['total']} chức danh trong hệ thống."
        )

    def _list(self, *, as_json: bool, **_):
        titles = Title.objects.order_by("-rank", "name", "code")
        if as_json:
            self._write_json(
                [
                    {
                        "code": t.code,
                        "name": t.name,
                        "managing_body": t.managing_body,
                        "is_head": t.is_head,
                        "rank": t.rank,
                        "unit_kinds": t.unit_kinds,
                        "is_leadership": t.is_leadership,
                    }
                    for t in titles
                ]
            )
            return
        for t in titles:
            flags = ("đứng đầu" if t.is_head else "") if t.is_leadership else "không phải lãnh đạo"
            self.stdout.write(f"{t.code}\t{t.rank}\t{t.name}\t{t.get_managing_body_display()}\t{flags}".rstrip())

    def _write_json(self, data) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
