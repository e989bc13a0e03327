"""`canbo demo`: build the synthetic Hà Nội into an empty database and print the demo logins."""

import errno
import json
import socket

from django.core.management.base import BaseCommand, CommandError

from canbo.demo.builder import DemoError, build_demo, existing_logins
from canbo.org.models import Unit

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000
WILDCARD_HOSTS = {"0.0.0.0", "::", ""}


def _n(value: int) -> str:
    """A count the Vietnamese way: 20.000, not 20,000."""
    return f"{value:,}".replace(",", ".")


def _scale(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise CommandError(f"--scale: «{raw}» không phải là số (ví dụ 1, 0.05, 25).") from None
    if not 0 < value <= 100:
        raise CommandError(f"--scale: {raw} phải lớn hơn 0 và không quá 100.")
    return value


def _port(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise CommandError(f"--port: «{raw}» không phải là số cổng (ví dụ 8000).") from None
    if not 1 <= value <= 65535:
        raise CommandError(f"--port: {raw} phải từ 1 đến 65535.")
    return value


def check_port_free(host: str, port: int) -> None:
    """Refuse a port another program listens on: the printed address would open that program."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # The same option runserver sets: a port left in TIME_WAIT by a stopped server is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise CommandError(
                    f"Cổng {port} trên {host} đang được một chương trình khác sử dụng. "
                    f"Chọn cổng khác, ví dụ: make demo PORT={port + 1}"
                ) from None
            raise CommandError(f"Không dùng được địa chỉ {host}:{port}: {exc.strerror}.") from None


def site_url(host: str, port: int) -> str:
    shown = DEFAULT_HOST if host in WILDCARD_HOSTS else host
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


class Command(BaseCommand):
    help = (
        "Dựng dữ liệu mẫu: Thành phố Hà Nội sau ngày 01/07/2025 trên các đơn vị hành chính thật "
        "(khoảng 20.000 cán bộ; --scale 25 ≈ 500.000), rồi in tài khoản đăng nhập thử."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", default="1", help="Hệ số quy mô chi bộ và biên chế (mặc định 1; ví dụ 0.05, 25).")
        parser.add_argument("--seed", type=int, default=2025, help="Hạt giống ngẫu nhiên: cùng hạt giống, cùng dữ liệu.")
        parser.add_argument(
            "--if-empty", action="store_true", help="Nếu đã có dữ liệu đơn vị thì không làm gì, chỉ in tài khoản."
        )
        parser.add_argument("--json", action="store_true", dest="as_json", help="In kết quả dạng JSON.")
        parser.add_argument(
            "--host", default=DEFAULT_HOST, help=f"Địa chỉ máy chủ web sẽ chạy (mặc định {DEFAULT_HOST}), để in đường dẫn."
        )
        parser.add_argument(
            "--port",
            help=f"Cổng máy chủ web sẽ chạy (mặc định {DEFAULT_PORT}); khi có tham số này, "
            "lệnh kiểm tra cổng còn trống trước khi dựng dữ liệu.",
        )

    def handle(self, *args, scale, seed, if_empty, as_json, host, port, **options):
        scale = _scale(scale)
        if port is None:
            port = DEFAULT_PORT
        else:
            port = _port(port)
            check_port_free(host, port)
        self.url = site_url(host, port)
        if Unit.objects.exists():
            if not if_empty:
                raise CommandError(
                    "Cơ sở dữ liệu đã có đơn vị. `canbo demo` chỉ dựng dữ liệu mẫu vào cơ sở dữ liệu trống; "
                    "dùng --if-empty để bỏ qua."
                )
            self._report({"created": False, "logins": existing_logins()}, as_json)
            return
        try:
            result = build_demo(scale=scale, seed=seed)
        except DemoError as exc:
            raise CommandError(str(exc)) from None
        self._report({"created": True, **result}, as_json)

    def _report(self, result: dict, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps({"url": self.url, **result}, ensure_ascii=False, indent=2))
            return
        if result["created"]:
            counts = result["counts"]
            self.stdout.write(
                f"Đã dựng dữ liệu mẫu trong {result['seconds']['total']:.1f} giây: {_n(counts['units'])} đơn vị, "
                f"{_n(counts['positions'])} vị trí, {_n(counts['people'])} cán bộ, "
                f"{_n(counts['assignments'])} quá trình công tác, {_n(counts['audit_events'])} dòng nhật ký."
            )
            if "plan_entries" in counts:
                self.stdout.write(
                    f"Dữ liệu cho quy định: {_n(counts['relations'])} quan hệ gia đình, "
                    f"{_n(counts['discipline_records'])} quyết định kỷ luật, "
                    f"{_n(counts['plan_entries'])} lượt quy hoạch, {_n(counts['grades'])} kết quả xếp loại, "
                    f"{_n(counts['confidence_votes'])} kết quả lấy phiếu tín nhiệm, "
                    f"{_n(counts['local_resolutions'])} nghị quyết địa phương."
                )
        else:
            self.stdout.write("Cơ sở dữ liệu đã có dữ liệu đơn vị; không dựng lại dữ liệu mẫu.")
        logins = result["logins"]
        if not logins:
            self.stdout.write("Chưa có tài khoản dùng thử nào.")
            return
        first, *rest = logins
        lines = [f"Mở {self.url} và đăng nhập: {first['username']} / {first['password']} ({first['description']})"]
        lines += [f"  hoặc {row['username']} / {row['password']} ({row['description']})" for row in rest]
        self.stdout.write("\n".join(lines))
