"""cases.workdays against DOMAIN.md §6: lag 1989:253 (holidays), the eves, lag 1930:173
(statutory time) and the 24-working-hour callback target. The real calendar, no mocks;
expected dates are written out from the almanac."""

import time as clock
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.workdays import (
    add_working_days,
    add_working_hours,
    holiday_dates,
    is_working_day,
    statutory_deadline,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
CET = timedelta(hours=1)
CEST = timedelta(hours=2)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=STOCKHOLM)


# --- the calendar ------------------------------------------------------------------------

NAMED_DAYS = {
    2025: {
        "nyårsdagen": date(2025, 1, 1),
        "trettondedag jul": date(2025, 1, 6),
        "långfredagen": date(2025, 4, 18),
        "påskdagen": date(2025, 4, 20),
        "annandag påsk": date(2025, 4, 21),
        "första maj": date(2025, 5, 1),
        "Kristi himmelsfärdsdag": date(2025, 5, 29),
        "nationaldagen": date(2025, 6, 6),
        "midsommarafton": date(2025, 6, 20),
        "midsommardagen": date(2025, 6, 21),
        "alla helgons dag": date(2025, 11, 1),
        "julafton": date(2025, 12, 24),
        "juldagen": date(2025, 12, 25),
        "annandag jul": date(2025, 12, 26),
        "nyårsafton": date(2025, 12, 31),
    },
    2026: {  # Easter Sunday 5 April
        "nyårsdagen": date(2026, 1, 1),
        "trettondedag jul": date(2026, 1, 6),
        "långfredagen": date(2026, 4, 3),
        "påskdagen": date(2026, 4, 5),
        "annandag påsk": date(2026, 4, 6),
        "första maj": date(2026, 5, 1),
        "Kristi himmelsfärdsdag": date(2026, 5, 14),
        "nationaldagen": date(2026, 6, 6),
        "midsommarafton": date(2026, 6, 19),
        "midsommardagen": date(2026, 6, 20),
        "alla helgons dag": date(2026, 10, 31),
        "julafton": date(2026, 12, 24),
        "juldagen": date(2026, 12, 25),
        "annandag jul": date(2026, 12, 26),
        "nyårsafton": date(2026, 12, 31),
    },
    2027: {  # Easter Sunday 28 March; alla helgons dag at the end of its window
        "nyårsdagen": date(2027, 1, 1),
        "trettondedag jul": date(2027, 1, 6),
        "långfredagen": date(2027, 3, 26),
        "påskdagen": date(2027, 3, 28),
        "annandag påsk": date(2027, 3, 29),
        "första maj": date(2027, 5, 1),
        "Kristi himmelsfärdsdag": date(2027, 5, 6),
        "nationaldagen": date(2027, 6, 6),
        "midsommarafton": date(2027, 6, 25),
        "midsommardagen": date(2027, 6, 26),
        "alla helgons dag": date(2027, 11, 6),
        "julafton": date(2027, 12, 24),
        "juldagen": date(2027, 12, 25),
        "annandag jul": date(2027, 12, 26),
        "nyårsafton": date(2027, 12, 31),
    },
}

WEEKDAY_OF = {
    "långfredagen": 4,
    "påskdagen": 6,
    "annandag påsk": 0,
    "Kristi himmelsfärdsdag": 3,
    "midsommarafton": 4,
    "midsommardagen": 5,
    "alla helgons dag": 5,
}


@pytest.mark.parametrize(
    ("year", "name", "day"),
    [(year, name, day) for year, days in NAMED_DAYS.items() for name, day in days.items()],
)
def test_every_named_day_is_a_holiday(year, name, day):
    assert day in holiday_dates(year)
    assert not is_working_day(day)
    if name in WEEKDAY_OF:
        assert day.weekday() == WEEKDAY_OF[name]


# Every Monday–Friday that is not a working day, read off the almanac.
WEEKDAY_HOLIDAYS = {
    2025: {
        date(2025, 1, 1),
        date(2025, 1, 6),
        date(2025, 4, 18),
        date(2025, 4, 21),
        date(2025, 5, 1),
        date(2025, 5, 29),
        date(2025, 6, 6),
        date(2025, 6, 20),
        date(2025, 12, 24),
        date(2025, 12, 25),
        date(2025, 12, 26),
        date(2025, 12, 31),
    },
    2026: {
        date(2026, 1, 1),
        date(2026, 1, 6),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 1),
        date(2026, 5, 14),
        date(2026, 6, 19),
        date(2026, 12, 24),
        date(2026, 12, 25),
        date(2026, 12, 31),
    },
    2027: {
        date(2027, 1, 1),
        date(2027, 1, 6),
        date(2027, 3, 26),
        date(2027, 3, 29),
        date(2027, 5, 6),
        date(2027, 6, 25),
        date(2027, 12, 24),
        date(2027, 12, 31),
    },
}


@pytest.mark.parametrize("year", sorted(WEEKDAY_HOLIDAYS))
def test_exactly_these_weekdays_are_not_working_days(year):
    day, found = date(year, 1, 1), set()
    while day.year == year:
        if day.weekday() < 5 and not is_working_day(day):
            found.add(day)
        day += timedelta(days=1)
    assert found == WEEKDAY_HOLIDAYS[year]


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 5),  # trettondagsafton
        date(2026, 4, 2),  # skärtorsdagen
        date(2026, 4, 30),  # valborgsmässoafton
        date(2026, 5, 13),  # the day before Kristi himmelsfärdsdag
        date(2026, 5, 15),  # klämdag after Kristi himmelsfärdsdag
        date(2026, 5, 25),  # annandag pingst, no longer a holiday since 2005
        date(2026, 6, 18),  # the day before midsommarafton
        date(2026, 10, 30),  # allhelgonaafton
        date(2026, 12, 23),
        date(2026, 12, 28),
        date(2026, 1, 2),
        date(2027, 1, 4),
    ],
)
def test_eves_of_eves_and_bridge_days_are_working_days(day):
    assert is_working_day(day)


@given(st.dates(min_value=date(1960, 1, 1), max_value=date(2099, 12, 31)))
def test_weekends_are_never_working_days(day):
    if day.weekday() >= 5:
        assert not is_working_day(day)
    for eve in (date(day.year, 12, 24), date(day.year, 12, 31)):
        assert not is_working_day(eve)


def test_is_working_day_takes_the_stockholm_date_of_an_aware_datetime():
    friday_late_utc = datetime(2026, 3, 13, 23, 30, tzinfo=UTC)  # Saturday 00:30 in Sweden
    assert is_working_day(friday_late_utc) is False
    assert is_working_day(at(2026, 3, 13, 23, 30)) is True
    with pytest.raises(ValueError):
        is_working_day(datetime(2026, 3, 13, 12, 0))  # noqa: DTZ001 – naive on purpose


# --- add_working_days ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 3, 11), 0, date(2026, 3, 11)),
        (date(2026, 3, 14), 0, date(2026, 3, 14)),  # 0 leaves even a Saturday unchanged
        (date(2026, 3, 13), 1, date(2026, 3, 16)),  # Friday → Monday
        (date(2026, 3, 14), 1, date(2026, 3, 16)),  # Saturday → Monday
        (date(2026, 3, 11), 3, date(2026, 3, 16)),
        (date(2026, 5, 13), 1, date(2026, 5, 15)),  # over Kristi himmelsfärdsdag
        (date(2026, 4, 2), 1, date(2026, 4, 7)),  # over Easter
        (date(2027, 3, 25), 1, date(2027, 3, 30)),  # over Easter in March
        (date(2026, 6, 18), 1, date(2026, 6, 22)),  # midsommar week
        (date(2025, 6, 5), 1, date(2025, 6, 9)),  # nationaldagen on a Friday
        (date(2026, 12, 23), 1, date(2026, 12, 28)),  # Christmas week
        (date(2026, 12, 23), 3, date(2026, 12, 30)),
        (date(2026, 12, 23), 4, date(2027, 1, 4)),
        (date(2025, 12, 30), 1, date(2026, 1, 2)),  # nyårsafton → 2 January
        (date(2025, 12, 31), 1, date(2026, 1, 2)),
        (date(2026, 12, 30), 1, date(2027, 1, 4)),  # 2 and 3 January 2027 are a weekend
        (date(2025, 12, 31), 251, date(2026, 12, 30)),  # 2026 has 251 working days
        (date(2025, 12, 31), 252, date(2027, 1, 4)),
        # Negative n counts backwards.
        (date(2026, 3, 16), -1, date(2026, 3, 13)),
        (date(2026, 3, 15), -1, date(2026, 3, 13)),
        (date(2026, 1, 2), -1, date(2025, 12, 30)),
        (date(2026, 4, 7), -1, date(2026, 4, 2)),
        (date(2026, 12, 30), -251, date(2025, 12, 30)),
    ],
)
def test_add_working_days(start, n, expected):
    assert add_working_days(start, n) == expected


def test_add_working_days_is_fast_for_hundreds_of_days():
    add_working_days(date(2026, 1, 1), 1)  # load the calendar for the first year
    began = clock.perf_counter()
    for offset in range(100):
        add_working_days(date(2026, 1, 1) + timedelta(days=offset), 400)
    assert clock.perf_counter() - began < 2.0  # about 100 µs a call in practice


def _working_days_between(first: date, last: date) -> int:
    """Working days in (first, last]."""
    count, day = 0, first
    while day < last:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    n=st.integers(min_value=-300, max_value=300),
)
@settings(deadline=None)
def test_add_working_days_lands_on_the_nth_working_day(start, n):
    result = add_working_days(start, n)
    if n == 0:
        assert result == start
    elif n > 0:
        assert is_working_day(result)
        assert _working_days_between(start, result) == n
    else:
        assert is_working_day(result)
        # start is counted when it is a working day; result itself is not.
        assert _working_days_between(result, start) - is_working_day(start) == -n - 1
    if is_working_day(start):
        assert add_working_days(result, -n) == start


# --- add_working_hours: the 24-working-hour callback target -------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (at(2026, 3, 11, 10), 24, at(2026, 3, 12, 10)),  # Wednesday → Thursday
        (at(2026, 3, 13, 15), 24, at(2026, 3, 16, 15)),  # Friday 15:00 → Monday 15:00
        (at(2026, 3, 14, 10), 24, at(2026, 3, 17, 0)),  # Saturday: clock starts Monday 00:00
        (at(2026, 3, 15, 23, 59), 24, at(2026, 3, 17, 0)),  # Sunday night
        (at(2026, 5, 13, 15), 24, at(2026, 5, 15, 15)),  # before Kristi himmelsfärdsdag
        (at(2026, 5, 14, 9), 24, at(2026, 5, 16, 0)),  # on it: Fri 00:00 → Fri 24:00
        (at(2026, 4, 2, 15), 24, at(2026, 4, 7, 15)),  # skärtorsdagen → after Easter
        (at(2027, 3, 25, 15), 24, at(2027, 3, 30, 15)),  # Easter in March
        (at(2026, 6, 18, 15), 24, at(2026, 6, 22, 15)),  # midsommar week
        (at(2026, 6, 19, 11), 24, at(2026, 6, 23, 0)),  # on midsommarafton
        (at(2026, 12, 23, 15), 24, at(2026, 12, 28, 15)),  # Christmas week
        (at(2026, 12, 24, 10), 24, at(2026, 12, 29, 0)),  # on julafton
        (at(2025, 12, 30, 15), 24, at(2026, 1, 2, 15)),  # over nyårsafton and nyårsdagen
        (at(2026, 12, 30, 15), 24, at(2027, 1, 4, 15)),  # ... and a weekend after them
        (at(2026, 12, 31, 15), 24, at(2027, 1, 5, 0)),
        (at(2026, 3, 11, 10), 72, at(2026, 3, 16, 10)),  # three working days
        (at(2026, 3, 9, 10), 24 * 5, at(2026, 3, 16, 10)),  # a working week
    ],
)
def test_add_working_hours(start, hours, expected):
    result = add_working_hours(start, hours)
    assert result == expected
    assert result.tzinfo is STOCKHOLM
    assert result.replace(tzinfo=None) == expected.replace(tzinfo=None)  # same wall clock


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (at(2026, 3, 11, 10), 0.5, at(2026, 3, 11, 10, 30)),
        (at(2026, 3, 11, 10), 1 / 3, at(2026, 3, 11, 10, 20)),
        (at(2026, 3, 11, 10), 0, at(2026, 3, 11, 10)),
        (at(2026, 3, 14, 10), 0, at(2026, 3, 16, 0)),  # 0 h: the instant the clock starts
        (at(2026, 3, 13, 23, 45), 0.25, at(2026, 3, 14, 0)),  # ends at Friday 24:00
        (at(2026, 3, 13, 23, 45), 0.5, at(2026, 3, 16, 0, 15)),
        (at(2026, 3, 13, 23), 1.5, at(2026, 3, 16, 0, 30)),
        (at(2026, 12, 23, 23, 30), 24.5, at(2026, 12, 29)),  # Wed 24:00 + all of Monday
    ],
)
def test_add_working_hours_fractional_and_zero(start, hours, expected):
    assert add_working_hours(start, hours) == expected


def test_a_target_ending_at_24_00_is_the_next_calendar_days_midnight():
    assert add_working_hours(at(2026, 3, 9), 24) == at(2026, 3, 10)  # Monday → Tuesday 00:00
    assert add_working_hours(at(2026, 3, 13), 24) == at(2026, 3, 14)  # Friday → Saturday 00:00
    assert add_working_hours(at(2026, 12, 23), 24) == at(2026, 12, 24)  # → julafton 00:00
    assert add_working_hours(at(2026, 3, 13), 48) == at(2026, 3, 17)  # Fri + Mon → Tue 00:00


def test_spring_forward_on_the_last_sunday_of_march():
    start = at(2026, 3, 27, 15)  # Friday, CET
    result = add_working_hours(start, 24)
    assert result == at(2026, 3, 30, 15)  # Monday 15:00 on the wall clock
    assert start.utcoffset() == CET
    assert result.utcoffset() == CEST
    # Same-tzinfo subtraction is wall-clock in Python; measure real time in UTC.
    assert result.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=71)
    assert result.astimezone(UTC) == datetime(2026, 3, 30, 13, 0, tzinfo=UTC)


def test_fall_back_on_the_last_sunday_of_october():
    start = at(2026, 10, 23, 15)  # Friday, CEST
    result = add_working_hours(start, 24)
    assert result == at(2026, 10, 26, 15)
    assert start.utcoffset() == CEST
    assert result.utcoffset() == CET
    assert result.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=73)
    assert result.astimezone(UTC) == datetime(2026, 10, 26, 14, 0, tzinfo=UTC)


def test_a_contact_during_the_dst_change_starts_the_clock_on_monday():
    # 01:30 UTC on Sunday 29 March 2026 is 03:30 CEST, just after the gap.
    result = add_working_hours(datetime(2026, 3, 29, 1, 30, tzinfo=UTC), 24)
    assert result == at(2026, 3, 31)
    assert result.utcoffset() == CEST
    # 00:30 UTC on Sunday 25 October 2026 is the first 02:30 of the repeated hour.
    result = add_working_hours(datetime(2026, 10, 25, 0, 30, tzinfo=UTC), 24)
    assert result == at(2026, 10, 27)
    assert result.utcoffset() == CET


def test_a_utc_start_is_counted_on_the_stockholm_calendar():
    # Friday 23:30 UTC is Saturday 00:30 in Stockholm: a non-working day.
    result = add_working_hours(datetime(2026, 3, 13, 23, 30, tzinfo=UTC), 24)
    assert result == at(2026, 3, 17)
    assert result.tzinfo is STOCKHOLM
    # Friday 14:00 UTC is 15:00 in Stockholm.
    assert add_working_hours(datetime(2026, 3, 13, 14, tzinfo=UTC), 24) == at(2026, 3, 16, 15)


def test_add_working_hours_refuses_naive_starts_and_negative_hours():
    with pytest.raises(ValueError):
        add_working_hours(datetime(2026, 3, 11, 10), 24)  # noqa: DTZ001 – naive on purpose
    with pytest.raises(ValueError):
        add_working_hours(at(2026, 3, 11, 10), -1)
    with pytest.raises(ValueError):
        add_working_hours(at(2026, 3, 11, 10), float("nan"))


def _working_time_between(first: datetime, last: datetime) -> timedelta:
    """Elapsed time inside working days between two instants, day by day."""
    total = timedelta(0)
    day = first.astimezone(STOCKHOLM).date()
    while day <= last.astimezone(STOCKHOLM).date():
        if is_working_day(day):
            begin = max(first, midnight(day))
            end = min(last, midnight(day + timedelta(days=1)))
            total += max(end - begin, timedelta(0))
        day += timedelta(days=1)
    return total


instants = st.integers(min_value=0, max_value=12 * 365 * 86_400 * 1_000_000).map(
    lambda micros: datetime(2020, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros)
)
hour_counts = st.one_of(
    st.integers(min_value=0, max_value=24 * 20).map(float),
    st.integers(min_value=0, max_value=24 * 20 * 4).map(lambda quarters: quarters / 4),
    st.floats(min_value=0, max_value=24 * 20, allow_nan=False, allow_infinity=False),
)


@given(start=instants, hours=hour_counts)
@settings(deadline=None)
def test_add_working_hours_counts_exactly_the_working_time(start, hours):
    result = add_working_hours(start, hours)
    local = result.astimezone(STOCKHOLM)
    assert result.tzinfo is STOCKHOLM
    assert result >= start
    assert _working_time_between(start, result) == timedelta(hours=hours)
    # The earliest such instant: inside a working day, or at 00:00 right after one.
    if local.time() == time(0):
        previous_day = local.date() - timedelta(days=1)
        no_time = timedelta(hours=hours) == timedelta(0)
        assert is_working_day(previous_day) or (no_time and is_working_day(local.date()))
    else:
        assert is_working_day(local.date())


@given(
    day=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)).filter(is_working_day),
    time_of_day=st.times(min_value=time(0, 0, 0, 1)),
    days=st.integers(min_value=1, max_value=60),
)
@settings(deadline=None)
def test_whole_working_days_keep_the_time_of_day(day, time_of_day, days):
    # A working day has no DST change, so every wall-clock time on it exists once.
    start = datetime.combine(day, time_of_day, STOCKHOLM)
    expected = datetime.combine(add_working_days(day, days), time_of_day, STOCKHOLM)
    result = add_working_hours(start, 24 * days)
    assert result == expected
    assert result.utcoffset() == expected.utcoffset()


# --- statutory_deadline: lag (1930:173) ----------------------------------------------------


@pytest.mark.parametrize(
    ("start", "periods", "expected"),
    [
        # DOMAIN.md §6: Fri 29 May + 3 weeks = midsommarafton → Monday.
        (date(2026, 5, 29), {"weeks": 3}, date(2026, 6, 22)),
        (date(2026, 3, 2), {"weeks": 2}, date(2026, 3, 16)),  # same weekday
        (date(2026, 3, 27), {"weeks": 1}, date(2026, 4, 7)),  # långfredagen, Easter
        (date(2026, 3, 31), {"months": 1}, date(2026, 4, 30)),  # 31 April → 30 April
        (date(2026, 1, 31), {"months": 1}, date(2026, 3, 2)),  # → Sat 28 Feb → Monday
        (date(2028, 1, 31), {"months": 1}, date(2028, 2, 29)),  # leap year: Tuesday
        (date(2024, 2, 29), {"months": 12}, date(2025, 2, 28)),  # no 29 Feb in 2025
        (date(2024, 2, 29), {"years": 1}, date(2025, 2, 28)),
        (date(2026, 11, 24), {"months": 1}, date(2026, 12, 28)),  # julafton → Monday
        (date(2026, 12, 1), {"months": 1}, date(2027, 1, 4)),  # 1 Jan Fri → Monday
        (date(2026, 10, 15), {"months": 3}, date(2027, 1, 15)),  # over the year
        (date(2026, 12, 21), {"days": 10}, date(2027, 1, 4)),  # nyårsafton → Monday
        (date(2026, 5, 4), {"days": 10}, date(2026, 5, 15)),  # Kristi himmelsfärd
        (date(2026, 6, 5), {"days": 1}, date(2026, 6, 8)),  # nationaldagen on a Saturday
        # Months first, then weeks, then days.
        (date(2026, 1, 30), {"months": 1, "days": 3}, date(2026, 3, 3)),
        (date(2026, 1, 10), {"months": 1, "weeks": 3}, date(2026, 3, 3)),
        (date(2026, 3, 11), {}, date(2026, 3, 11)),
        (date(2026, 3, 14), {}, date(2026, 3, 16)),
    ],
)
def test_statutory_deadline(start, periods, expected):
    assert statutory_deadline(start, **periods) == expected


def test_statutory_deadline_refuses_negative_periods():
    with pytest.raises(ValueError):
        statutory_deadline(date(2026, 3, 11), weeks=-1)


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    weeks=st.integers(min_value=0, max_value=60),
)
@settings(deadline=None)
def test_a_period_in_weeks_ends_on_the_same_weekday_or_the_next_working_day(start, weeks):
    plain_end = start + timedelta(weeks=weeks)
    result = statutory_deadline(start, weeks=weeks)
    assert is_working_day(result)
    assert result >= plain_end
    day = plain_end
    while day < result:
        assert not is_working_day(day)
        day += timedelta(days=1)
    if is_working_day(plain_end):
        assert result == plain_end
        assert result.weekday() == start.weekday()


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    months=st.integers(min_value=0, max_value=36),
)
@settings(deadline=None)
def test_a_period_in_months_ends_on_the_same_date_or_the_months_last_day(start, months):
    result = statutory_deadline(start, months=months)
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    plain_end = next(
        date(year, month, day) for day in range(start.day, 0, -1) if _exists(year, month, day)
    )
    assert is_working_day(result)
    assert result >= plain_end
    assert result - plain_end <= timedelta(days=5)  # no run of non-working days is longer
    day = plain_end
    while day < result:
        assert not is_working_day(day)
        day += timedelta(days=1)


def _exists(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True
