"""`canbo demo` refuses bad arguments before touching the database."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from canbo.org.models import Unit


@pytest.mark.parametrize("scale", ["abc", "0", "-1", "1000"])
def test_command_refuses_a_bad_scale(db, scale):
    with pytest.raises(CommandError, match="--scale"):
        call_command("demo", "--scale", scale)
    assert not Unit.objects.exists()


def _listening_socket():
    import socket

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    return listener


def test_a_busy_port_is_refused_before_anything_is_built(db):
    with _listening_socket() as busy:
        port = busy.getsockname()[1]
        with pytest.raises(CommandError, match=f"Cổng {port} trên 127.0.0.1 đang được một chương trình khác sử dụng"):
            call_command("demo", "--port", str(port))
    assert not Unit.objects.exists()


@pytest.mark.parametrize("port", ["abc", "0", "70000"])
def test_a_bad_port_is_refused(db, port):
    with pytest.raises(CommandError, match="--port"):
        call_command("demo", "--port", port)


def test_the_printed_address_has_the_port_the_server_will_use(db):
    import io
    import json

    from tests import factories as f

    f.make_unit("Đảng bộ đã có")  # a filled database: --if-empty only prints
    with _listening_socket() as probe:
        port = probe.getsockname()[1]  # a port that was free a moment ago
    out = io.StringIO()
    call_command("demo", "--if-empty", "--json", "--host", "127.0.0.1", "--port", str(port), stdout=out)
    assert json.loads(out.getvalue())["url"] == f"http://127.0.0.1:{port}/"
    out = io.StringIO()
    call_command("demo", "--if-empty", "--json", "--host", "0.0.0.0", "--port", str(port), stdout=out)
    assert json.loads(out.getvalue())["url"] == f"http://127.0.0.1:{port}/"


def test_make_demo_passes_its_port_to_the_printed_address_and_runs_without_debug():
    import subprocess

    from django.conf import settings

    result = subprocess.run(
        ["make", "-n", "demo", "PORT=8123"], cwd=settings.PROJECT_DIR, capture_output=True, text=True, check=True
    )
    commands = result.stdout
    assert "canbo demo --if-empty --host 127.0.0.1 --port 8123" in commands
    assert "canbo runserver 127.0.0.1:8123" in commands
    assert "CANBO_DEBUG" not in commands
