"""Fixtures and helpers of the exchange tests: workbooks built with openpyxl, imports run in-process."""

import datetime as dt
import io

import openpyxl
import pytest

from canbo.access.models import Role
from canbo.access.policy import AccessPolicy
from canbo.exchange.engine import run_import
from canbo.exchange.importers import importer_for
from canbo.exchange.services import ConsolePolicy
from canbo.exchange.workbooks import write_table_workbook

from .. import factories as f

PEOPLE_HEADERS = ["Số định danh cá nhân", "Họ và tên", "Giới tính", "Ngày sinh", "Mã đơn vị quản lý hồ sơ"]


def workbook_bytes(rows: list[list], *, before: list[list] = (), hidden: set[str] = (), setup=None) -> bytes:
    """A one-sheet workbook: `before` rows (titles), then `rows` (header first); columns whose
    letter is in `hidden` are hidden; `setup(ws)` may adjust cells."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    for row in [*before, *rows]:
        ws.append(row)
    for letter in hidden:
        ws.column_dimensions[letter].hidden = True
    if setup:
        setup(ws)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_bytes(kind: str, unit, policy=None) -> bytes:
    importer = importer_for(kind)
    out = io.BytesIO()
    write_table_workbook(importer, importer.export_rows(policy or ConsolePolicy(), unit), out)
    return out.getvalue()


def read_sheet(data: bytes, index: int = 0) -> list[tuple]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return list(wb.worksheets[index].iter_rows(values_only=True))


def do_import(data: bytes, kind: str = "people", *, user=None, commit: bool = False):
    policy = AccessPolicy(user) if user is not None else ConsolePolicy()
    return run_import(data, kind=kind, actor=user, policy=policy, commit=commit)


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def worker(settings, django_capture_on_commit_callbacks):
    """Runs a call with the background worker inline: every job it queues runs, in this thread,
    when the transaction that queued it commits (here, at the end of the call).

    `worker(upload, client, data)`, `worker(client.post, url, data)`.
    """
    settings.TASKS = IMMEDIATE_TASKS

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def cid(year: int = 1980, *, female: bool = False) -> str:
    return f.citizen_id_for(birth_year=year, female=female)


@pytest.fixture
def admin(db):
    return f.make_user("admin", superuser=True)


@pytest.fixture
def officer_a(city):
    return f.make_user("officer_a", grants=[(city["ward_a"], Role.OFFICER)])


@pytest.fixture
def reader(city):
    return f.make_user("reader", grants=[(city["root"], Role.READER)])


@pytest.fixture
def seat_a(city):
    """A one-holder seat of ward A (its secretary)."""
    title = f.make_title("bi-thu", "Bí thư", is_head=True, rank=10)
    return f.make_position(city["ward_a"], title)


def people_rows(*rows) -> list[list]:
    return [PEOPLE_HEADERS, *[list(r) for r in rows]]


BIRTH = dt.date(1980, 5, 17)


