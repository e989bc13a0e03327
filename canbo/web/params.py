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
