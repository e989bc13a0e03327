"""`canbo audit verify [--json] [--no-seal] [--anchor FILE]`, `canbo audit seal [--json]`.

verify recomputes every event's content hash and walks the hash chain; exit 0 when intact, 1
with the first broken link otherwise. It first seals events not linked yet (--no-seal: only
report them). --anchor FILE keeps the chain's head between runs in a file off the database: the
next run must find that link again, unchanged, so that removing the newest events shows too.
"""

import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.audit.chain import sweep
from canbo.audit.verification import verify

from ._console import dump, fail, failed_check


def read_anchor(path: Path) -> dict | None:
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        anchor = {"seq": int(data["seq"]), "hash": str(data["hash"])}
    except (OSError, ValueError, KeyError, TypeError):
        raise fail(_("Tệp mốc «%(path)s» không đọc được hoặc không đúng định dạng.") % {"path": path}) from None
    if anchor["seq"] < 0 or len(anchor["hash"]) != 64:
        raise fail(_("Tệp mốc «%(path)s» không đọc được hoặc không đúng định dạng.") % {"path": path})
    return anchor


def write_anchor(path: Path, head: dict | None) -> None:
    data = {**(head or {"seq": 0, "event_id": None, "hash": "0" * 64}), "verified_at": timezone.now().isoformat()}
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, path)


class Command(BaseCommand):
    help = "Nhật ký thay đổi: kiểm tra chuỗi băm (verify), gắn các sự kiện chưa vào chuỗi (seal)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify,seal}")
        p = sub.add_parser("verify", help="Kiểm tra toàn bộ chuỗi băm; báo mắt xích hỏng đầu tiên.")
        p.add_argument("--json", action="store_true", dest="as_json")
        p.add_argument("--no-seal", action="store_true", help="Không gắn sự kiện chưa vào chuỗi, chỉ báo số lượng.")
        p.add_argument("--anchor", metavar="FILE", help="Tệp lưu mốc đầu chuỗi giữa các lần kiểm tra.")
        p = sub.add_parser("seal", help="Gắn vào chuỗi mọi sự kiện chưa có mắt xích.")
        p.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, subcommand, **options):
        getattr(self, f"_{subcommand}")(**options)

    def _seal(self, *, as_json, **_options):
        report = sweep()
        if as_json:
            self.stdout.write(dump(report))
        else:
            self.stdout.write(
                _("Đã gắn %(sealed)s sự kiện vào chuỗi (%(late)s sự kiện đã chờ quá 5 phút).") % report
            )

    def _verify(self, *, as_json, no_seal, anchor, **_options):
        anchor_path = Path(anchor) if anchor else None
        expected = read_anchor(anchor_path) if anchor_path else None
        result = verify(seal_first=not no_seal, anchor=expected)
        if result.intact and anchor_path:
            try:
                write_anchor(anchor_path, result.head)
            except OSError as exc:
                raise fail(_("Không ghi được tệp mốc «%(path)s»: %(error)s") % {"path": anchor_path, "error": exc.strerror or exc}) from None
        if as_json:
            self.stdout.write(dump({**result.as_json(), "checked_at": timezone.now()}))
        else:
            for line in describe(result):
                self.stdout.write(line)
        if not result.intact:
            raise failed_check(result.problem.message())


def describe(result) -> list[str]:
    """The verification in a few Vietnamese lines (also used by `canbo restore`)."""
    lines = []
    if result.intact:
        lines.append(_("Chuỗi băm nhật ký nguyên vẹn: %(links)s mắt xích, %(events)s sự kiện.") % {
            "links": result.links, "events": result.events})  # fmt: skip
    else:
        lines.append(_("CHUỖI BĂM NHẬT KÝ BỊ PHÁ VỠ: %(message)s") % {"message": result.problem.message()})
        lines.append(_("%(links)s mắt xích đầu tiên đúng.") % {"links": result.links})
    if result.head:
        lines.append(_("Đầu chuỗi: mắt xích số %(seq)s, sự kiện số %(event_id)s, mã băm %(hash)s.") % result.head)
    if result.swept and result.swept["late"]:
        lines.append(_("Cảnh báo: %(late)s sự kiện chưa được gắn vào chuỗi sau hơn 5 phút (từ sự kiện số %(first)s); đã gắn.") % {
            "late": result.swept["late"], "first": result.swept["first_late_id"]})  # fmt: skip
    if result.unsealed:
        lines.append(_("%(count)s sự kiện chưa có mắt xích.") % {"count": result.unsealed})
    lines.append(_("Thời gian kiểm tra: %(seconds)s giây.") % {"seconds": f"{result.seconds:.1f}"})
    return lines
