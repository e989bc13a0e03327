"""Query parameters shared by the pages: the "as of" date (?ngay=dd/mm/yyyy) and ids."""

import datetime as dt

from django.utils.translation import gettext as _

from canbo.common.dates import today

AS_OF_PARAM = "ngay"
# The years a page may be asked about. Rules and figures do date arithmetic (months and years
# before and after a day), which the first and last days Python knows (0001, 9999) overflow;
# no record of the committee lies outside these years.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


def year_out_of_range(day: dt.date) -> bool:
    return not EARLIEST_YEAR <= day.year <= LATEST_YEAR


def as_of_date(request) -> tuple[dt.date, str | None]:
    """The date the page is shown as of, and an error message (Vietnamese) if the input was bad."""
    raw = (request.GET.get(AS_OF_PARAM) or "").strip()
    if not raw:
        return today(), None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            day = dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
        if year_out_of_range(day):
            return today(), _("Ngày xem «%(raw)s» nằm ngoài các năm %(first)s–%(last)s. Đang hiển thị ngày hôm nay.") % {
                "raw": raw, "first": EARLIEST_YEAR, "last": LATEST_YEAR}  # fmt: skip
        return day, None
    return today(), f"Ngày xem «{raw}» không hợp lệ; dùng dạng dd/mm/yyyy. Đang hiển thị ngày hôm nay."


def as_of_context(request, day: dt.date | None = None, error: str | None = None) -> dict:
    """Template context for the as-of date, with the query string that carries it to the links
    a page renders (empty when the user did not pick a date, so links stay "today")."""
    if day is None:
        day, error = as_of_date(request)
    explicit = bool(request.GET.get(AS_OF_PARAM)) and error is None
    param = f"{AS_OF_PARAM}={day:%d/%m/%Y}" if explicit else ""
    return {
        "as_of": day,
        "as_of_error": error,
        "as_of_param": param,
        "as_of_query": f"?{param}" if param else "",
        "as_of_is_today": day == today(),
    }


# The largest id a bigint column holds: a larger number is no id at all (and SQLite would raise).
MAX_ID = 2**63 - 1


def id_param(params, name: str) -> int | None:
    """The positive integer id in `params[name]` (a QueryDict), or None if absent or not an id.

    A link or a form carries ids; anything else there was typed or tampered with, and is
    treated like an id that does not exist rather than reaching the database as text.
    """
    raw = (params.get(name) or "").strip()
    if not raw.isascii() or not raw.isdigit():
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None
