"""`canbo report quotas --unit ID --date YYYY-MM-DD --json`: the dashboard figures of a unit and
its direct sub-units, for scripts. Bad input exits with code 2 and a message in Vietnamese.

The command line is an operator's tool (like `canbo rules`): it reads the whole tree, as the
superuser's access policy does.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from canbo.access.policy import AccessPolicy
from canbo.common.dates import parse_iso_date, today
from canbo.dashboard.selectors import KPI_KEYS, quota_report
from canbo.org.models import Unit
from canbo.people.populations import Basis
from canbo.regulations.params import ParameterNotInForce

USAGE_ERROR = 2


class _Operator:
    """The command line's reader: sees every unit, like a superuser."""

    is_authenticated = True
    is_active = True
    is_superuser = True


def fail(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE_ERROR)


class Command(BaseCommand):
    help = (
        "Báo cáo: số liệu cơ cấu đội ngũ (report quotas) của một đơn vị và các đơn vị trực thuộc."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="report", metavar="{quotas}")
        quotas = sub.add_parser(
            "quotas", help="Số liệu cơ cấu của đơn vị và các đơn vị trực thuộc trực tiếp"
        )
        quotas.add_argument("--unit", required=True, help="mã số (id) của đơn vị")
        quotas.add_argument("--date", help="ngày số liệu, YYYY-MM-DD (mặc định: hôm nay)")
        quotas.add_argument("--json", action="store_true", help="in JSON thay cho bảng")

    def handle(self, *args, **options):
        if options.get("report") != "quotas":
            raise fail(
                "Thiếu loại báo cáo: dùng `canbo report quotas --unit ID --date YYYY-MM-DD --json`"
            )
        raw_unit = str(options["unit"]).strip()
        if not raw_unit.isdigit() or int(raw_unit) <= 0:
            raise fail(f"--unit: mã đơn vị «{raw_unit}» phải là số nguyên dương")
        try:
            unit = Unit.objects.get(pk=int(raw_unit))
        except Unit.DoesNotExist:
            raise fail(f"--unit: không có đơn vị mã {raw_unit}") from None
        day = today()
        if options.get("date"):
            try:
                day = parse_iso_date(options["date"], field="--date")
            except ValueError as exc:
                raise fail(str(exc)) from None
        try:
            report = quota_report(unit, day, AccessPolicy(_Operator()))
        except ParameterNotInForce as exc:
            raise fail(f"--date: {exc}") from None
        data = report.as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{unit.name} – {day:%d/%m/%Y}")
        header = ["Đơn vị", str(Basis.IN_SERVICE.label)] + [str(report.catalogue[k].label) for k in KPI_KEYS]
        self.stdout.write(" | ".join(header))
        lines = [(row.label, row.counts) for row in report.rows] + [("Tổng cộng", report.total)]
        for label, counts in lines:
            cells = [label, str(counts.get("headcount", 0))]
            for key in KPI_KEYS:
                share = report.share(key, counts)
                cells.append(
                    "—"
                    if share.share is None
                    else f"{share.count}/{share.base} ({share.share:.1%})"
                )
            self.stdout.write(" | ".join(cells))
