"""A household's payment periods and payment day (brutna utbetalningsperioder).

Norrköping's verksamhetsplan 2015 §7.4 (sources/001) moves households off the calendar
month onto their own period – e.g. the 25th to the 24th – for an even workload and
predictable payments. Vägen keeps the application's month as the name of the period:

- the period for month M runs from ``period_start_day`` of M to the day before that day
  in M+1 (start day 1 = the calendar month); the statistics month of a payment is M;
- the payment day is the household's ``payment_day`` in the month before the period
  starts when that day falls before it (money before the period), else in M; a day that
  is not a banking day moves to the working day before (a payment must not arrive late);
- a broken period – assistance starting or ending inside a period – is pro-rated.

Pro-rating (our choice, documented in the README): neither SoL 2025:400 12 kap. 7 § nor
Socialtjänstförordningen 2025:468 12 kap. says how a part of a month is counted; the
common municipal practice following Socialstyrelsen's handbook *Ekonomiskt bistånd –
handbok för socialtjänsten* is a daily amount of the monthly amount ÷ 30. We count the
days covered × monthly amount ÷ 30, never more than the whole month, rounded half up to
whole kronor (the norm is set in whole kronor, DOMAIN.md §4).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from cases.workdays import is_working_day

DAYS_PER_MONTH_FOR_PRORATING = 30


@dataclass(frozen=True)
class Period:
    month: date  # the application's month (first day): the period's name and statistics month
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _add_month(day: date) -> date:
    return date(day.year + (day.month // 12), day.month % 12 + 1, 1)


def period_for(month: date, *, start_day: int = 1) -> Period:
    """The payment period named by ``month`` for a household whose periods start on
    ``start_day`` (1–28)."""
    if not 1 <= start_day <= 28:
        raise ValueError("start_day must be 1–28")
    first = month.replace(day=1)
    start = first.replace(day=start_day)
    end = _add_month(first).replace(day=start_day) - timedelta(days=1)
    return Period(month=first, start=start, end=end)


def payment_date(period: Period, *, payment_day: int | None) -> date:
    """The day the period's bistånd is paid: the household's payment day on or before
    the period's start (the same month, or the month before), else the period's first
    day; moved back to the nearest working day."""
    if payment_day is None:
        day = period.start
    else:
        day = period.start.replace(day=payment_day)
        if day > period.start:
            previous = (period.start.replace(day=1) - timedelta(days=1)).replace(day=payment_day)
            day = previous
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def prorated(amount: Decimal, period: Period, *, covered_from: date, covered_to: date) -> Decimal:
    """``amount`` (a month's) for the part of ``period`` from ``covered_from`` to
    ``covered_to`` (inclusive): days × amount ÷ 30, at most ``amount``, rounded half up
    to whole kronor. The whole period gives ``amount`` exactly."""
    start = max(covered_from, period.start)
    end = min(covered_to, period.end)
    if end < start:
        return Decimal(0)
    if start == period.start and end == period.end:
        return Decimal(amount)
    days = (end - start).days + 1
    part = Decimal(amount) * days / DAYS_PER_MONTH_FOR_PRORATING
    return min(Decimal(amount), part).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def proposed_payment_date(application, *, today: date) -> date:
    """The payment day proposed with a decision on ``application``: its period's payment
    date from the household's period and payment day, never before ``today``."""
    household = application.case.household
    period = period_for(application.month, start_day=household.period_start_day or 1)
    return max(payment_date(period, payment_day=household.payment_day), today)
