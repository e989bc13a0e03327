"""Month arithmetic for rules counted in months (service left, effect periods, terms)."""

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def full_months(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end` (0 when `end` is not after `start`)."""
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def format_years_months(months: int) -> str:
    years, rest = divmod(months, 12)
    return f"{years} năm {rest} tháng" if rest else f"{years} năm"


# Working days (ngày làm việc) -----------------------------------------------------------------

WEEKDAY_CODES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
REST_DAYS = "calendar.weekly_rest_days"
HOLIDAYS = "calendar.public_holidays"


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


class WorkingCalendar:
    """Working days of the public sector, from two dated parameters: the weekly rest days
    (`calendar.weekly_rest_days`) and the public holidays (`calendar.public_holidays`: fixed
    dates, and per year the lunar holidays turned into solar dates, compensatory days off and
    Saturdays worked in exchange). Each day is judged by the values in force on that day."""

    def __init__(self, params):
        self.params = params
        self._years: dict[tuple, tuple[frozenset, frozenset, bool]] = {}

    def _year(self, holidays: dict, year: int) -> tuple[frozenset, frozenset, bool]:
        key = (id(holidays), year)
        if key not in self._years:
            fixed = {dt.date(year, int(md[:2]), int(md[3:])) for md in holidays.get("fixed") or ()}
            entry = (holidays.get("by_year") or {}).get(year) or (holidays.get("by_year") or {}).get(str(year))
            off = set(fixed)
            working: set[dt.date] = set()
            if entry:
                off |= {_as_date(d) for d in entry.get("days_off") or ()}
                working = {_as_date(d) for d in entry.get("working_days") or ()}
            self._years[key] = (frozenset(off), frozenset(working), entry is not None)
        return self._years[key]

    def is_working_day(self, day: dt.date) -> bool:
        rest = self.params.get(REST_DAYS, day)
        off, working, _known = self._year(self.params.get(HOLIDAYS, day), day.year)
        if day in working:
            return True
        return WEEKDAY_CODES[day.weekday()] not in rest and day not in off

    def listed(self, day: dt.date) -> bool:
        """Whether the holidays of the day's year are listed (else only fixed dates count)."""
        return self._year(self.params.get(HOLIDAYS, day), day.year)[2]

    def shift(self, day: dt.date, working_days: int) -> dt.date:
        """The `working_days`-th working day after `day` (before it when negative), `day` itself
        not counted: 90 working days before a term ends is `shift(term_end, -90)`."""
        step = dt.timedelta(days=1 if working_days > 0 else -1)
        left = abs(working_days)
        current = day
        while left:
            current += step
            if self.is_working_day(current):
                left -= 1
        return current

    def references(self, day: dt.date) -> list:
        """The parameter values (with their sources) the calendar reads for a day."""
        return [self.params.at(REST_DAYS, day), self.params.at(HOLIDAYS, day)]


def working_calendar(params) -> WorkingCalendar:
    """The calendar of a parameter set (a reform gets its own, since its memo is its own)."""
    calendar_ = params.memo.get("working_calendar")
    if calendar_ is None:
        calendar_ = params.memo["working_calendar"] = WorkingCalendar(params)
    return calendar_
