"""`canbo rules …`: retirement, eligibility, deadlines, parameters, and seeding local resolutions.

Bad input (unknown ids, malformed dates, an action the title does not allow) ends with a clear
message and exit code 2, never a traceback.
"""

from django.core.management.base import BaseCommand, CommandError

from canbo.audit.models import AuditEvent
from canbo.planning.models import parse_term
from canbo.regulations.eligibility import ACTIONS, ActionNotAllowed, evaluate_eligibility
from canbo.regulations.params import default_parameters
from canbo.regulations.retirement import retirement_for

from ._cli import dump, fail, get_person, get_position, get_unit, parse_date, parse_month


class Command(BaseCommand):
    help = "Quy định: tuổi nghỉ hưu, điều kiện của cán bộ, thời hạn sắp đến, tham số."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)

        p = sub.add_parser("retirement", help="Tháng nghỉ hưu theo giới tính và tháng sinh")
        p.add_argument("--sex", required=True, help="male|female")
        p.add_argument("--birth", required=True, help="YYYY-MM (hoặc YYYY nếu không rõ tháng)")
        p.add_argument("--json", action="store_true")

        p = sub.add_parser("eligibility", help="Điều kiện của cán bộ cho một hành động với một vị trí")
        p.add_argument("--person", required=True)
        p.add_argument("--action", required=True, help="|".join(ACTIONS))
        p.add_argument("--position", required=True)
        p.add_argument("--date", required=True, help="YYYY-MM-DD")
        p.add_argument("--term", help="nhiệm kỳ quy hoạch, ví dụ 2025-2030")
        p.add_argument("--json", action="store_true")

        p = sub.add_parser("deadlines", help="Thời hạn sắp đến trong một đơn vị và cấp dưới")
        p.add_argument("--unit", required=True)
        p.add_argument("--from", dest="date_from", required=True, help="YYYY-MM-DD")
        p.add_argument("--to", dest="date_to", required=True, help="YYYY-MM-DD")
        p.add_argument("--json", action="store_true")

        p = sub.add_parser("parameters", help="Mọi tham số và giá trị tại một ngày")
        p.add_argument("--date", required=True, help="YYYY-MM-DD")
        p.add_argument("--json", action="store_true")

        p = sub.add_parser("seed-targets", help="Nạp một nghị quyết địa phương mẫu cho một đơn vị")
        p.add_argument("--unit", required=True)
        p.add_argument("--template", required=True, help="hanoi_04_nq_tu | province_seed_003")

    def handle(self, *args, **options):
        handler = getattr(self, "handle_" + options["subcommand"].replace("-", "_"))
        return handler(**options)

    def emit(self, data, as_json: bool, lines):
        if as_json:
            self.stdout.write(dump(data))
        else:
            for line in lines:
                self.stdout.write(line)

    def handle_retirement(self, *, sex, birth, json, **_):
        year, month = parse_month(birth, "--birth")
        try:
            result = retirement_for(sex=sex, birth_year=year, birth_month=month)
        except ValueError as exc:
            raise fail(f"--sex/--birth: {exc}") from None
        data = result.as_json()
        years, months = result.age
        self.emit(data, json, [
            f"Tuổi nghỉ hưu: {years} năm {months} tháng",
            f"Tháng nghỉ hưu: {data['retirement_month']} (hết ngày {result.retirement_date:%d/%m/%Y})",
            f"Hưởng lương hưu từ: {result.pension_from:%d/%m/%Y}",
        ])  # fmt: skip

    def handle_eligibility(self, *, person, action, position, date, term, json, **_):
        if action not in ACTIONS:
            raise fail(f"--action: «{action}» không hợp lệ; chọn một trong {', '.join(ACTIONS)}")
        on = parse_date(date, "--date")
        if term:
            try:
                parse_term(term)
            except ValueError as exc:
                raise fail(f"--term: {exc}") from None
        person_obj, position_obj = get_person(person), get_position(position)
        try:
            decision = evaluate_eligibility(person_obj, action, position_obj, on, term=term)
        except ActionNotAllowed as exc:
            raise fail(f"--action: {exc}") from None
        lines = [
            f"{decision.person_name} – {decision.action_label} – {decision.seat.label()} – {on:%d/%m/%Y}: "
            + ("ĐỦ ĐIỀU KIỆN" if decision.eligible else "KHÔNG ĐỦ ĐIỀU KIỆN")
        ]
        for outcome in decision.outcomes:
            sources = "; ".join(str(r) for r in outcome.references)
            lines.append(f"  [{outcome.status_label}] {outcome.label}: {outcome.reason} ({sources})")
        self.emit(decision.as_dict(), json, lines)

    def handle_deadlines(self, *, unit, date_from, date_to, json, **_):
        from canbo.regulations.deadlines import deadlines_in

        root = get_unit(unit)
        start, end = parse_date(date_from, "--from"), parse_date(date_to, "--to")
        if end < start:
            raise fail("--to: ngày kết thúc không được trước ngày bắt đầu")
        report = deadlines_in(root, start, end)
        lines = [f"{root.name}: {len(report.items)} thời hạn từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}"]
        for item in report.items:
            lines.append(f"  {item.due:%d/%m/%Y} {item.kind_label}: {item.person_name} – {item.detail}")
        self.emit(report.as_dict(), json, lines)

    def handle_parameters(self, *, date, json, **_):
        from canbo.regulations.params import ParameterNotInForce

        on = parse_date(date, "--date")
        rows = []
        for parameter in default_parameters():
            try:
                rows.append(parameter.at(on).as_dict() | {"description": parameter.description})
            except ParameterNotInForce:
                rows.append({"name": parameter.name, "value": None, "description": parameter.description,
                             "to_confirm": parameter.to_confirm})  # fmt: skip
        self.emit({"date": on.isoformat(), "parameters": rows}, json,
                  [f"{r['name']} = {r['value']}" + (" (cần xác nhận)" if r.get("to_confirm") else "") for r in rows])  # fmt: skip

    def handle_seed_targets(self, *, unit, template, **_):
        from django.core.exceptions import ValidationError

        from canbo.regulations.services import resolution_from_template

        root = get_unit(unit)
        try:
            resolution = resolution_from_template(actor=None, scope_unit=root, template=template, source=AuditEvent.Source.CLI)
        except ValueError as exc:
            raise fail(f"--template: {exc}") from None
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages), returncode=2) from None
        self.stdout.write(f"Đã nạp {resolution} cho {root.name} ({resolution.targets.count()} chỉ tiêu).")
