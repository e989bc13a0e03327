"""Date helpers: dd/mm/yyyy parsing for the command line, today's date in the local zone."""

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()


def parse_iso_date(value: str, *, field: str) -> dt.date:
    """Parse YYYY-MM-DD (command line) or dd/mm/yyyy; raise ValueError naming the field."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{field}: ngày không hợp lệ «{value}» (dùng YYYY-MM-DD hoặc dd/mm/yyyy)")


def years_between(start: dt.date, end: dt.date) -> int:
    """Whole years from start to end (age on a date)."""
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))
