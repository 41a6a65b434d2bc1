"""scripts/test_clock.py (`make test-clock`): the moments it runs the suite at."""

import importlib.util
import sys
from datetime import UTC, date, datetime
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "test_clock.py"
spec = importlib.util.spec_from_file_location("test_clock_script", SCRIPT)
clock = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = clock  # dataclasses look their module up there
spec.loader.exec_module(clock)


def utc(moments):
    return [(m.label, m.utc) for m in moments]


def test_the_moments_after_1_december_2026():
    assert utc(clock.moments(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))) == [
        ("nyårsafton 23:30", datetime(2026, 12, 31, 22, 30, tzinfo=UTC)),
        ("nyårsdagen 00:30", datetime(2026, 12, 31, 23, 30, tzinfo=UTC)),
        ("sommartid börjar, 02:30 (finns inte)", datetime(2027, 3, 28, 1, 30, tzinfo=UTC)),
        ("midsommarafton 09:00", datetime(2027, 6, 25, 7, 0, tzinfo=UTC)),
        ("vintertid börjar, första 02:30", datetime(2027, 10, 31, 0, 30, tzinfo=UTC)),
        ("vintertid börjar, andra 02:30", datetime(2027, 10, 31, 1, 30, tzinfo=UTC)),
    ]


def test_a_moment_just_passed_moves_to_next_year():
    after = clock.moments(datetime(2027, 6, 25, 7, 1, tzinfo=UTC))
    # October 2027 twice, the turn of the year (both still 2027 in UTC), March, June 2028.
    assert [m.utc.year for m in after] == [2027, 2027, 2027, 2027, 2028, 2028]
    assert after[-1].label == "midsommarafton 09:00"
    assert after[-1].local.date() == date(2028, 6, 23)


def test_calendar_helpers():
    assert clock.last_sunday(2026, 3) == date(2026, 3, 29)
    assert clock.last_sunday(2026, 10) == date(2026, 10, 25)
    assert clock.midsommarafton(2026) == date(2026, 6, 19)
    assert clock.midsommarafton(2030) == date(2030, 6, 21)
    gap = clock.moments(datetime(2027, 1, 5, tzinfo=UTC))[0]
    assert gap.wall == "2027-03-28 03:30 CEST"  # what the clock shows at that instant
