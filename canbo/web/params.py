"""Query parameters shared by the pages: the "as of" date (?ngay=dd/mm/yyyy)."""

import datetime as dt

from canbo.common.dates import today

AS_OF_PARAM = "ngay"


def as_of_date(request) -> tuple[dt.date, str | None]:
    """The date the page is shown as of, and an error message (Vietnamese) if the input was bad."""
    raw = (request.GET.get(AS_OF_PARAM) or "").strip()
    if not raw:
        return today(), None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(raw, fmt).date(), None
        except ValueError:
            continue
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
