"""Shared by the access commands: finding users, units and rows, and turning bad input into
a one-line message with exit code 2 instead of a traceback."""

import contextlib
import json

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder

BAD_INPUT = 2


def fail(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_INPUT)


@contextlib.contextmanager
def bad_input_as_message():
    try:
        yield
    except ValidationError as exc:
        raise fail(" ".join(exc.messages)) from None
    except PermissionDenied as exc:
        raise fail(str(exc)) from None


def user_by_username(username: str):
    User = get_user_model()
    try:
        return User.objects.get(**{User.USERNAME_FIELD: username})
    except User.DoesNotExist:
        raise fail(f"Không có người dùng «{username}».") from None


def row_id(raw: str, *, what: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise fail(f"{what}: «{raw}» không phải là số.") from None
    if value <= 0:
        raise fail(f"{what}: «{raw}» không phải là số dương.")
    return value


def as_json(data) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
