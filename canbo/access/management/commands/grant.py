"""`canbo grant add|list|revoke`: who holds which role on which unit, from the console."""

from django.core.management.base import BaseCommand

from canbo.access import services
from canbo.access.models import Grant
from canbo.audit.models import AuditEvent
from canbo.org.models import Unit

from ._console import as_json, bad_input_as_message, fail, row_id, user_by_username


class Command(BaseCommand):
    help = "Cấp, liệt kê, thu hồi quyền của người dùng trên một đơn vị (và toàn bộ đơn vị cấp dưới)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{add,list,revoke}")
        add = actions.add_parser("add", help="Cấp vai trò ROLE trên đơn vị có mã UNIT_CODE.")
        add.add_argument("username")
        add.add_argument("unit_code", metavar="UNIT_CODE")
        add.add_argument("role", metavar="ROLE", help="administrator, officer, reader, inspector, auditor")
        listing = actions.add_parser("list", help="Liệt kê quyền (của một người dùng, nếu nêu tên).")
        listing.add_argument("username", nargs="?")
        listing.add_argument("--json", action="store_true")
        revoke = actions.add_parser("revoke", help="Thu hồi một quyền theo số thứ tự (xem `grant list`).")
        revoke.add_argument("grant_id", metavar="ID")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _add(self, *, username, unit_code, role, **_):
        user = user_by_username(username)
        unit = Unit.objects.filter(code=unit_code.strip()).first()
        if unit is None:
            raise fail(f"Không có đơn vị mã «{unit_code}».")
        with bad_input_as_message():
            grant = services.grant_create(actor=None, user=user, unit=unit, role=role, source=AuditEvent.Source.CLI)
        self.stdout.write(
            f"Đã cấp quyền số {grant.pk}: «{user.get_username()}» – {grant.get_role_display()} – {unit} ({unit.code})."
        )

    def _list(self, *, username, json, **_):
        grants = Grant.objects.select_related("user", "unit").order_by("user__username", "unit__path", "role")
        if username:
            grants = grants.filter(user=user_by_username(username))
        rows = [
            {
                "id": g.pk,
                "username": g.user.get_username(),
                "unit_code": g.unit.code,
                "unit_name": g.unit.name,
                "role": g.role,
                "created_at": g.created_at,
            }
            for g in grants
        ]
        if json:
            self.stdout.write(as_json(rows))
            return
        for g, row in zip(grants, rows, strict=True):
            self.stdout.write(f"{row['id']}\t{row['username']}\t{row['unit_code']}\t{row['unit_name']}\t{g.get_role_display()}")

    def _revoke(self, *, grant_id, **_):
        pk = row_id(grant_id, what="Số quyền")
        grant = Grant.objects.select_related("user", "unit").filter(pk=pk).first()
        if grant is None:
            raise fail(f"Không có quyền số {pk}.")
        label = str(grant)
        with bad_input_as_message():
            services.grant_revoke(actor=None, grant=grant, source=AuditEvent.Source.CLI)
        self.stdout.write(f"Đã thu hồi quyền số {pk}: {label}.")
