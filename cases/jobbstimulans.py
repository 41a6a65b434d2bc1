"""Jobbstimulans – den särskilda beräkningsregeln – for one person, derived from the
months they received försörjningsstöd (SoL 2025:400 12 kap. 8 §).

The statute (SFS 2025:400, 12 kap. 8 §):

    För den som har fått försörjningsstöd under sex månader i följd ska 25 procent av
    inkomsterna av anställning inte beaktas vid bedömningen av rätten till ekonomiskt
    bistånd (särskild beräkningsregel).

    Den särskilda beräkningsregeln gäller under två år. Därefter måste kravet på att
    försörjningsstöd ska ha lämnats under sex månader i följd uppfyllas på nytt för att
    den särskilda beräkningsregeln ska gälla igen.

    Den särskilda beräkningsregeln gäller inte hemmavarande barns och skolungdomars
    inkomster som anges i 9 § tredje stycket.

How Vägen reads it, month by month (a month is a calendar month):

- *Received försörjningsstöd in a month* is a fact about the person, not about one case:
  a month covered by a final decision (not replaced by a later one) that grants
  försörjningsstöd, paid out, in any case of the municipality where the person belonged
  to the household (``cases.assistance_history`` finds them). A refused, undecided or
  unpaid month breaks the run.
- *Six months in a row*: the six calendar months right before the month assessed. Then
  the rule applies from the seventh month.
- *Two years*: 24 calendar months from the first month the rule was applied – the first
  qualifying month in which the person had income from employment that was assessed
  (``income_months``). Month 24 is the last; in month 25 the rule no longer applies.
  Within the two years it applies whether or not the months in between were on
  försörjningsstöd.
- *Därefter … på nytt*: only months after the two years count towards the next six.
- The third paragraph (never on 12:9 income) is kept by ``cases.calculation``, which
  asks for a status only for income counted as an adult's.

Pure Python: the months in, the status out; no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

__all__ = [
    "COUNTED_SHARE",
    "PERIOD_MONTHS",
    "QUALIFYING_MONTHS",
    "JobbstimulansStatus",
    "Month",
    "jobbstimulans_status",
    "month_label",
]

QUALIFYING_MONTHS = 6  # "sex månader i följd"
PERIOD_MONTHS = 24  # "under två år"
COUNTED_SHARE = Decimal("0.75")  # 25 % of income from employment is not counted

Month = tuple[int, int]  # (year, month)


def _index(month: Month) -> int:
    year, number = month
    return year * 12 + number - 1


def _month(index: int) -> Month:
    return index // 12, index % 12 + 1


def month_label(month: Month) -> str:
    """ "mars 2028" – the month's name in the active language."""
    year, number = month
    return date_format(date(year, number, 1), "YEAR_MONTH_FORMAT")


@dataclass(frozen=True)
class JobbstimulansStatus:
    """SoL 12:8 for one person in one month.

    ``months_in_row``: months with försörjningsstöd in a row right before this month that
    count towards the six (only months after an ended period count). ``period_start``:
    the first month of the two-year period this month lies in – None while no period
    runs (this month starts one if the rule applies and the person has income from
    employment: ``started()``). ``previous_period_end``: the last month of the latest
    period that has ended.
    """

    year: int
    month: int
    months_in_row: int = 0
    period_start: Month | None = None
    previous_period_end: Month | None = None

    @property
    def this_month(self) -> Month:
        return (self.year, self.month)

    @property
    def applies(self) -> bool:
        """Whether 25 % of the person's income from employment is left out this month."""
        return self.period_start is not None or self.months_in_row >= QUALIFYING_MONTHS

    @property
    def month_number(self) -> int:
        """1–24 within a period, else 0."""
        if self.period_start is None:
            return 0
        return _index(self.this_month) - _index(self.period_start) + 1

    @property
    def period_end(self) -> Month | None:
        """The last month (the 24th) of the period, once it has started."""
        if self.period_start is None:
            return None
        return _month(_index(self.period_start) + PERIOD_MONTHS - 1)

    def started(self) -> JobbstimulansStatus:
        """The status once the rule has been applied to income this month: a qualifying
        month without a running period starts the two years now."""
        if self.applies and self.period_start is None:
            return replace(self, period_start=self.this_month)
        return self

    def describe(self) -> str:
        """One Swedish sentence for the application page and the statement."""
        if self.period_start is not None:
            return _("Jobbstimulans gäller t.o.m. %(end)s (månad %(n)d av %(total)d).") % {
                "end": month_label(self.period_end),  # type: ignore[arg-type]
                "n": self.month_number,
                "total": PERIOD_MONTHS,
            }
        if self.applies:
            return _(
                "Jobbstimulans gäller: %(n)d månader i följd med försörjningsstöd. De två "
                "åren räknas från första månaden med inkomst av anställning."
            ) % {"n": QUALIFYING_MONTHS}
        counted = min(self.months_in_row, QUALIFYING_MONTHS)
        if self.previous_period_end is not None:
            return _(
                "Jobbstimulans gällde t.o.m. %(end)s och uppfylls inte på nytt: %(n)d av "
                "%(total)d månader i följd med försörjningsstöd efter de två åren."
            ) % {
                "end": month_label(self.previous_period_end),
                "n": counted,
                "total": QUALIFYING_MONTHS,
            }
        return _(
            "Jobbstimulans uppfylls inte: %(n)d av %(total)d månader i följd med försörjningsstöd."
        ) % {"n": counted, "total": QUALIFYING_MONTHS}

    # The stored form (inside ``Calculation.to_dict``).
    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "month": self.month,
            "months_in_row": self.months_in_row,
            "period_start": list(self.period_start) if self.period_start else None,
            "previous_period_end": (
                list(self.previous_period_end) if self.previous_period_end else None
            ),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> JobbstimulansStatus:
        def month(value) -> Month | None:
            return (int(value[0]), int(value[1])) if value else None

        return cls(
            year=int(data["year"]),
            month=int(data["month"]),
            months_in_row=int(data["months_in_row"]),
            period_start=month(data.get("period_start")),
            previous_period_end=month(data.get("previous_period_end")),
        )


def _as_month(value: Month | date) -> Month:
    if isinstance(value, date):
        return (value.year, value.month)
    year, number = value
    return (int(year), int(number))


def jobbstimulans_status(
    *,
    year: int,
    month: int,
    granted_months: Iterable[Month | date],
    income_months: Iterable[Month | date] = (),
) -> JobbstimulansStatus:
    """The person's 12:8 status in ``year``-``month`` from their history.

    ``granted_months``: the months the person received försörjningsstöd. ``income_months``:
    the months the person had income from employment that was assessed (counted as an
    adult's) – the months a period can start in. Months from this month on are ignored.
    """
    this = _index((year, month))
    granted = {i for i in map(_index, map(_as_month, granted_months)) if i < this}
    income = {i for i in map(_index, map(_as_month, income_months)) if i < this}
    run, start, previous_end = 0, None, None
    cursor = min(granted) if granted else this
    while True:
        if start is not None and cursor - start >= PERIOD_MONTHS:
            # The two years are over; only months from now on count towards the next six.
            previous_end, start, run = start + PERIOD_MONTHS - 1, None, 0
        if cursor == this:
            break
        if start is None and run >= QUALIFYING_MONTHS and cursor in income:
            start = cursor  # the first month the rule was applied
        run = run + 1 if cursor in granted else 0
        cursor += 1
    return JobbstimulansStatus(
        year=year,
        month=month,
        months_in_row=run,
        period_start=_month(start) if start is not None else None,
        previous_period_end=_month(previous_end) if previous_end is not None else None,
    )
