"""`canbo token create|revoke|list`: API tokens from the console (the key is printed once)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from canbo.access import services
from canbo.access.models import ApiToken
from canbo.audit.models import AuditEvent

from ._console import as_json, bad_input_as_message, fail, row_id, user_by_username


class Command(BaseCommand):
    help = "Tạo, thu hồi, liệt kê mã truy cập API (Bearer cb_…)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,revoke,list}")
        create = actions.add_parser("create", help="Tạo mã truy cập cho một người dùng; in mã một lần duy nhất.")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="Tên gợi nhớ (hệ thống nào dùng mã này).")
        create.add_argument("--json", action="store_true", help="In kết quả dạng JSON.")
        revoke = actions.add_parser("revoke", help="Thu hồi một mã truy cập theo số thứ tự.")
        revoke.add_argument("token_id", metavar="ID")
        listing = actions.add_parser("list", help="Liệt kê mã truy cập (không bao giờ in lại mã).")
        listing.add_argument("username", nargs="?")
        listing.add_argument("--json", action="store_true")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _create(self, *, username, name, json, **_):
        user = user_by_username(username)
        with bad_input_as_message():
            token, key = services.api_token_create(actor=None, user=user, name=name, source=AuditEvent.Source.CLI)
        if json:
            self.stdout.write(
                as_json({"id": token.pk, "username": user.get_username(), "name": token.name, "key": key, "created_at": token.created_at})
            )
            return
        self.stdout.write(f"Đã tạo mã truy cập số {token.pk} «{token.name}» cho «{user.get_username()}»:")
        self.stdout.write(key)
        self.stdout.write("Mã chỉ hiển thị một lần này; hãy lưu lại ngay. Dùng: Authorization: Bearer <mã>")

    def _revoke(self, *, token_id, **_):
        pk = row_id(token_id, what="Số mã truy cập")
        token = ApiToken.objects.filter(pk=pk).first()
        if token is None:
            raise fail(f"Không có mã truy cập số {pk}.")
        with bad_input_as_message():
            services.api_token_revoke(actor=None, token=token, source=AuditEvent.Source.CLI)
        self.stdout.write(f"Đã thu hồi mã truy cập số {pk} «{token.name}».")

    def _list(self, *, username, json, **_):
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "id")
        if username:
            tokens = tokens.filter(user=user_by_username(username))
        rows = [
            {
                "id": t.pk,
                "username": t.user.get_username(),
                "name": t.name,
                "created_at": t.created_at,
                "last_used_at": t.last_used_at,
                "revoked_at": t.revoked_at,
            }
            for t in tokens
        ]
        if json:
            self.stdout.write(as_json(rows))
            return
        for row in rows:
            state = "đã thu hồi" if row["revoked_at"] else "đang dùng"
            used = f"{timezone.localtime(row['last_used_at']):%d/%m/%Y %H:%M}" if row["last_used_at"] else "chưa dùng"
            self.stdout.write(f"{row['id']}\t{row['username']}\t{row['name']}\t{state}\t{used}")
