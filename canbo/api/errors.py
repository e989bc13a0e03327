"""Error responses of the API: their documented shapes, and 422 messages in Vietnamese.

401 and 404 answer `{"detail": "Unauthorized" | "Not Found"}` (ninja's own, unchanged: an
object outside the caller's scope must answer exactly like a missing one). A request ninja
refuses before the endpoint runs (a bad query or path parameter) answers 422 with one entry
per bad parameter; each message names the parameter, in Vietnamese.
"""

from django.utils.translation import gettext as _
from ninja.errors import ValidationError

from .schemas import Error, ValidationErrorOut

UNAUTHORIZED = {401: Error}
NOT_FOUND = {404: Error}
INVALID = {422: ValidationErrorOut}
# Every operation needs a token or a session, and takes typed parameters.
COMMON = {**UNAUTHORIZED, **INVALID}


def _messages() -> dict[str, str]:
    return {
        "missing": _("thiếu giá trị"),
        "int_parsing": _("phải là số nguyên"),
        "int_from_float": _("phải là số nguyên"),
        "int_type": _("phải là số nguyên"),
        "greater_than_equal": _("phải lớn hơn hoặc bằng %(ge)s"),
        "greater_than": _("phải lớn hơn %(gt)s"),
        "less_than_equal": _("phải nhỏ hơn hoặc bằng %(le)s"),
        "less_than": _("phải nhỏ hơn %(lt)s"),
        "string_pattern_mismatch": _("không đúng dạng quy định (%(pattern)s)"),
        "string_too_long": _("dài quá %(max_length)s ký tự"),
        "literal_error": _("phải là một trong các giá trị: %(expected)s"),
        "enum": _("phải là một trong các giá trị: %(expected)s"),
        "bool_parsing": _("phải là true hoặc false"),
        "date_parsing": _("ngày không hợp lệ (dùng YYYY-MM-DD)"),
        "date_from_datetime_parsing": _("ngày không hợp lệ (dùng YYYY-MM-DD)"),
        "date_from_datetime_inexact": _("ngày không hợp lệ (dùng YYYY-MM-DD)"),
        "date_type": _("ngày không hợp lệ (dùng YYYY-MM-DD)"),
    }


def _parameter(loc) -> str:
    names = [str(part) for part in loc[1:]] or [str(part) for part in loc]
    return ".".join(names)


def _message(error: dict, messages: dict[str, str]) -> str:
    template = messages.get(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if template is None:
        # Our validators (params.py) and endpoints raise their message in Vietnamese already.
        text = str(ctx.get("error") or "") or _("giá trị không hợp lệ")
    else:
        try:
            text = template % ctx
        except (KeyError, TypeError, ValueError):  # a bound pydantic did not report: its own words
            text = error.get("msg", "")
    return f"{_parameter(error.get('loc', ()))}: {text}"


def validation_error(request, exc: ValidationError, *, api):
    messages = _messages()
    detail = [{**error, "msg": _message(error, messages)} for error in exc.errors]
    return api.create_response(request, {"detail": detail}, status=422)


def parameter_error(source: str, name: str, message: str) -> ValidationError:
    """A 422 raised by an endpoint, shaped like ninja's own (e.g. a date with no rules in force)."""
    error = {"type": "value_error", "loc": [source, name], "msg": message, "ctx": {"error": message}}
    return ValidationError([error])
