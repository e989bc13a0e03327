"""`canbo check --unit ID --date YYYY-MM-DD [--json] [--reform JSON]`: the violations of a unit's
subtree on a date. Without --unit it is Django's system check, unchanged.

A reform (`--reform '{"targets.women.committee": 0.30}'`) runs the same check with draft values
in memory and prints what would change; nothing is saved.
"""

from django.core.management.commands.check import Command as SystemCheckCommand

from canbo.regulations.compliance import RULES, check_unit, diff_reports, reform_keys
from canbo.regulations.params import default_parameters, parse_reform

from ._cli import dump, fail, get_unit, parse_date


class Command(SystemCheckCommand):
    help = "Kiểm tra tuân thủ quy định của một đơn vị và cấp dưới (--unit); không có --unit: kiểm tra hệ thống của Django."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--unit", help="mã đơn vị")
        parser.add_argument("--date", help="YYYY-MM-DD")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--reform", help='dự thảo thay đổi tham số, JSON: {"targets.women.committee": 0.30}')

    def handle(self, *app_labels, **options):
        if options.get("unit") is None:
            if options.get("date") or options.get("reform") or options.get("json"):
                raise fail("--unit: cần mã đơn vị để kiểm tra tuân thủ")
            return super().handle(*app_labels, **options)
        root = get_unit(options["unit"])
        on = parse_date(options.get("date"), "--date")
        params = default_parameters()
        reform = None
        if options.get("reform"):
            try:
                reform = parse_reform(options["reform"])
                reformed = params.with_reform(reform, extra_keys=reform_keys())
            except ValueError as exc:
                raise fail(f"--reform: {exc}") from None
        report = check_unit(root, on, params=params)
        if reform is None:
            if options["json"]:
                self.stdout.write(dump(report.as_dict()))
            else:
                self._print(report)
            return
        after = check_unit(root, on, params=reformed)
        diff = diff_reports(report, after)
        if options["json"]:
            self.stdout.write(dump({
                "unit": {"id": root.pk, "name": root.name}, "date": on.isoformat(), "reform": reform,
                "counts": diff["counts"], "added": [f.as_dict() for f in diff["added"]],
                "removed": [f.as_dict() for f in diff["removed"]], "current": report.as_dict(), "reformed": after.as_dict(),
            }))  # fmt: skip
            return
        self.stdout.write(f"{root.name} – {on:%d/%m/%Y} – dự thảo {reform}")
        for row in diff["counts"]:
            self.stdout.write(f"  {row['label']}: {row['before']} → {row['after']}")

    def _print(self, report):
        self.stdout.write(f"{report.root_name} – {report.on:%d/%m/%Y}: {len(report.findings)} vi phạm, cảnh báo")
        counts = report.counts()
        for rule_id, (label, _refs) in RULES.items():
            self.stdout.write(f"  {label}: {counts[rule_id]}")
            for finding in (f for f in report.findings if f.rule_id == rule_id):
                self.stdout.write(f"    [{finding.severity}] {finding.unit_name}: {finding.message}")
