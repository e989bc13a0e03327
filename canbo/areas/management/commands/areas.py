"""`canbo areas load [--province 01 …] [--json]` and `canbo areas find TEXT [--regime 2025|legacy] [--json]`."""

import json
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from canbo.areas.loaders import LEVEL_KEYS, load_areas, normalize_province_codes
from canbo.areas.models import AdminArea
from canbo.areas.selectors import search_areas

BAD_INPUT = 2


class Command(BaseCommand):
    # Like loaddata: reference data loads even while an unrelated part of the project fails its checks.
    requires_system_checks = []
    help = _("Nạp và tra cứu đơn vị hành chính (ba cấp trước 01/07/2025 và hai cấp từ 01/07/2025).")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{load,find}")
        load = actions.add_parser("load", help=_("Nạp danh mục đơn vị hành chính từ dữ liệu chính thức (chạy lại không thay đổi gì)."))
        load.add_argument(
            "--province",
            action="append",
            default=[],
            metavar="MÃ",
            help=_("Chỉ nạp tỉnh có mã hai chữ số này (có thể lặp lại), ví dụ 01 là Hà Nội."),
        )
        load.add_argument("--json", action="store_true", help=_("In kết quả dạng JSON."))
        find = actions.add_parser("find", help=_("Tìm đơn vị hành chính theo tên (không cần dấu)."))
        find.add_argument("text", metavar="TEXT", help=_("Tên cần tìm, ví dụ: ba dinh"))
        find.add_argument("--regime", help=_("2025 (hai cấp) hoặc legacy (ba cấp)."))
        find.add_argument("--level", help=_("1 cấp tỉnh, 2 cấp huyện, 3 cấp xã."))
        find.add_argument("--limit", default="20", help=_("Số kết quả tối đa (mặc định 20)."))
        find.add_argument("--json", action="store_true", help=_("In kết quả dạng JSON."))

    def handle(self, *args, action: str, **options):
        if action == "load":
            self._load(options)
        else:
            self._find(options)

    def _load(self, options) -> None:
        try:
            provinces = normalize_province_codes(options["province"]) if options["province"] else None
        except ValueError as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from None
        started = time.monotonic()
        result = load_areas(provinces=provinces)
        seconds = time.monotonic() - started
        if options["json"]:
            self.stdout.write(json.dumps({**result, "seconds": round(seconds, 2)}, ensure_ascii=False))
            return
        self.stdout.write(_("Đã nạp đơn vị hành chính trong %(seconds).1f giây.") % {"seconds": seconds})
        level_labels = dict(AdminArea.Level.choices)
        for regime, regime_label in AdminArea.Regime.choices:
            counts = [
                f"{level_labels[level]}: {result[key]}"
                for level, name in LEVEL_KEYS.items()
                if (key := f"{regime}.{name}") in result
            ]
            if counts:
                self.stdout.write(f"  {regime_label}: " + ", ".join(counts))
        self.stdout.write(
            _("  Chuyển đổi cũ → mới: %(successions)d. Thêm mới %(created)d, cập nhật %(updated)d đơn vị.") % result
        )

    def _find(self, options) -> None:
        regime = options["regime"]
        if regime is not None and regime not in AdminArea.Regime.values:
            raise CommandError(
                _("--regime: «%(value)s» không hợp lệ; dùng 2025 hoặc legacy.") % {"value": regime}, returncode=BAD_INPUT
            )
        level = _positive_int(options["level"], "--level") if options["level"] is not None else None
        if level is not None and level not in AdminArea.Level.values:
            raise CommandError(_("--level: dùng 1, 2 hoặc 3."), returncode=BAD_INPUT)
        limit = _positive_int(options["limit"], "--limit")
        if not options["text"].strip(" ,"):
            raise CommandError(_("TEXT: hãy nhập tên cần tìm."), returncode=BAD_INPUT)
        areas = search_areas(options["text"], regime=regime, level=level, limit=limit)
        if options["json"]:
            rows = [
                {
                    "id": area.pk,
                    "regime": area.regime,
                    "level": area.level,
                    "code": area.code,
                    "kind": area.kind,
                    "name": area.name,
                    "full_name": area.full_name,
                }
                for area in areas
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        if not areas:
            self.stdout.write(_("Không tìm thấy đơn vị hành chính nào."))
        for area in areas:
            self.stdout.write(f"{area.regime:<7} {area.code:<6} {area.full_name}")


def _positive_int(value: str, option: str) -> int:
    try:
        number = int(value)
        if number < 1:
            raise ValueError
    except ValueError:
        raise CommandError(
            _("%(option)s: «%(value)s» phải là số nguyên dương.") % {"option": option, "value": value}, returncode=BAD_INPUT
        ) from None
    return number
