"""Shared helpers of the `rules` and `check` commands: parsing that fails with exit code 2."""

import datetime as dt
import json
import re

from django.core.management.base import CommandError

from canbo.common.dates import parse_iso_date
from canbo.org.models import Position, Unit
from canbo.people.models import Person

USAGE_ERROR = 2


def fail(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE_ERROR)


def parse_date(value: str | None, option: str) -> dt.date:
    if not value:
        raise fail(f"{option}: thiếu ngày (YYYY-MM-DD)")
    try:
        return parse_iso_date(value, field=option)
    except ValueError as exc:
        raise fail(str(exc)) from None


def parse_month(value: str | None, option: str) -> tuple[int, int | None]:
    """YYYY-MM, or YYYY alone when the month is unknown."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?", (value or "").strip())
    if not match:
        raise fail(f"{option}: tháng sinh không hợp lệ «{value}» (dùng YYYY-MM)")
    year, month = int(match.group(1)), match.group(2)
    if month is not None and not 1 <= int(month) <= 12:
        raise fail(f"{option}: tháng «{month}» không hợp lệ")
    if not 1900 <= year <= 2100:
        raise fail(f"{option}: năm «{year}» không hợp lệ")
    return year, int(month) if month is not None else None


def parse_id(value, option: str) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        raise fail(f"{option}: mã «{value}» phải là số nguyên") from None
    if number <= 0:
        raise fail(f"{option}: mã «{value}» phải là số dương")
    return number


def get_or_fail(model, pk: int, option: str, label: str):
    query = model.objects.all()
    if model is Position:
        query = query.select_related("unit", "title")
    try:
        return query.get(pk=pk)
    except model.DoesNotExist:
        raise fail(f"{option}: không có {label} mã {pk}") from None


def get_person(value) -> Person:
    return get_or_fail(Person, parse_id(value, "--person"), "--person", "cán bộ")


def get_unit(value) -> Unit:
    return get_or_fail(Unit, parse_id(value, "--unit"), "--unit", "đơn vị")


def get_position(value) -> Position:
    return get_or_fail(Position, parse_id(value, "--position"), "--position", "vị trí")


def dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)
