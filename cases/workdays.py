"""The working-day calendar and statutory time (DOMAIN.md §6).

Working day: Monday–Friday that is not a public holiday (lag 1989:253 om allmänna
helgdagar) nor midsommarafton, julafton or nyårsafton, which count as holidays for
deadlines (lag 1930:173 om beräkning av lagstadgad tid, 2 §) and for our working-day
targets. Calendar rules are computed on Europe/Stockholm dates; instants stay aware.
"""

import calendar
import math
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "STOCKHOLM",
    "add_working_days",
    "add_working_hours",
    "end_of_day",
    "first_of_month",
    "last_of_month",
    "next_month",
    "holiday_dates",
    "is_working_day",
    "statutory_deadline",
]

STOCKHOLM = ZoneInfo("Europe/Stockholm")

_DAY = timedelta(days=1)
_SATURDAY = 5


def _eves(year: int) -> set[date]:
    """Midsommarafton (the Friday 19–25 June), julafton and nyårsafton."""
    june_19 = date(year, 6, 19)
    midsummer_eve = june_19 + timedelta(days=(4 - june_19.weekday()) % 7)
    return {midsummer_eve, date(year, 12, 24), date(year, 12, 31)}


@lru_cache(maxsize=512)
def holiday_dates(year: int) -> frozenset[date]:
    """Public holidays of ``year`` plus the three eves; ordinary weekends not included.

    The ``holidays`` package (Sweden) gives the public holidays of lag 1989:253 under the
    PUBLIC category; it leaves out Sundays unless asked (``include_sundays``) – we test
    weekdays ourselves – and puts the eves in its DE_FACTO category (newer releases only).
    We add the eves ourselves as well, so the calendar does not depend on the release
    installed. The package covers 1953–2100; outside that only the eves are known.
    """
    categories = [holidays.PUBLIC]
    if "de_facto" in holidays.Sweden.supported_categories:
        categories.append("de_facto")
    official = holidays.Sweden(years=year, categories=tuple(categories))
    return frozenset(set(official) | _eves(year))


def is_working_day(day: date) -> bool:
    """Monday–Friday and not a holiday or eve (DOMAIN.md §6). A ``datetime`` counts by
    its Europe/Stockholm date and must be aware."""
    day = _local_date(day)
    return day.weekday() < _SATURDAY and day not in holiday_dates(day.year)


def add_working_days(day: date, n: int) -> date:
    """The n-th working day after ``day`` (``day`` itself need not be one).

    ``n == 0`` returns ``day`` unchanged; a negative ``n`` counts backwards, giving the
    |n|-th working day before ``day``.
    """
    current = _local_date(day)
    step = _DAY if n > 0 else -_DAY
    remaining = abs(n)
    while remaining:
        current += step
        if current.weekday() < _SATURDAY and current not in holiday_dates(current.year):
            remaining -= 1
    return current


def next_working_day(day: date) -> date:
    """``day`` if it is a working day, otherwise the first working day after it."""
    day = _local_date(day)
    return day if is_working_day(day) else add_working_days(day, 1)


def add_working_hours(start: datetime, hours: float) -> datetime:
    """``start`` plus ``hours`` of working time (the 24-working-hour callback target).

    DOMAIN.md §6: time runs only on working days, 00:00–24:00 Europe/Stockholm; a start
    on a non-working day starts the clock at 00:00 of the next working day. A target that
    ends exactly at 24:00 of a working day is returned as 00:00 of the next calendar day
    (the same instant): Monday 00:00 + 24 h → Tuesday 00:00, Friday 00:00 + 24 h →
    Saturday 00:00. ``hours == 0`` returns the instant the clock starts.

    Daylight saving changes on Sundays, so a working day always has 24 hours; the sum is
    done on Stockholm wall-clock dates and the result is an aware Stockholm datetime.
    Raises ValueError for a naive ``start`` or negative/non-finite ``hours``.
    """
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("add_working_hours() needs a timezone-aware start.")
    hours = float(hours)
    if not math.isfinite(hours) or hours < 0:
        raise ValueError("hours must be a finite number ≥ 0.")

    local = start.astimezone(STOCKHOLM)
    day = local.date()
    into_day = timedelta(
        hours=local.hour, minutes=local.minute, seconds=local.second, microseconds=local.microsecond
    )
    if not is_working_day(day):
        day, into_day = add_working_days(day, 1), timedelta(0)

    total = into_day + timedelta(hours=hours)
    whole_days, rest = divmod(total, timedelta(hours=24))
    if whole_days and not rest:
        # Ends at 24:00 of the whole_days-th working day (counting ``day`` as the first).
        return _midnight(add_working_days(day, whole_days - 1) + _DAY)
    # Aware + timedelta is wall-clock arithmetic; ``rest`` < 24 h stays on a working day,
    # which never has a DST change, so the wall-clock time exists and is unambiguous.
    return _midnight(add_working_days(day, whole_days)) + rest


def statutory_deadline(
    start: date, *, days: int = 0, weeks: int = 0, months: int = 0, years: int = 0
) -> date:
    """The last day of a period counted from ``start`` (lag 1930:173, DOMAIN.md §6).

    Years and months first (the same date; if that date does not exist in the month, its
    last day), then weeks (the same weekday), then days. If that day is a Saturday, Sunday,
    public holiday, midsommarafton, julafton or nyårsafton, the deadline is the next
    working day. Periods must not be negative.
    """
    if min(days, weeks, months, years) < 0:
        raise ValueError("Periods are counted forwards; use non-negative values.")
    day = _local_date(start)
    year, month_index = divmod(day.month - 1 + months + 12 * years, 12)
    year += day.year
    month = month_index + 1
    end = date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    end += timedelta(weeks=weeks, days=days)
    return next_working_day(end)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=STOCKHOLM)


def _local_date(value: date) -> date:
    """A date as is; an aware datetime as its Stockholm date. Naive datetimes are refused:
    which day they mean is unknown."""
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("A naive datetime has no calendar date; pass a date.")
        return value.astimezone(STOCKHOLM).date()
    return value


def end_of_day(day: date) -> datetime:
    """A deadline "senast <day>" runs to the last minute of that day in Stockholm."""
    return datetime.combine(day, time(23, 59), tzinfo=STOCKHOLM)


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    """The first day of the month after ``day``'s month."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def last_of_month(day: date) -> date:
    return next_month(day) - _DAY
