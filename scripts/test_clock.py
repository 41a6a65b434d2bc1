#!/usr/bin/env python3
"""`make test-clock`: the suite without the browser and stack tests under a faked clock
(libfaketime) at the moments that break date-dependent code, computed from today's real
date:

- the next nyårsafton 23:30 and nyårsdagen 00:30 in Stockholm (the year turns in Sweden
  an hour before it does in UTC; a new year has no riksnorm until it is loaded),
- the next spring-forward night (last Sunday of March; 02:30 local does not exist, the
  clock shows 03:30 CEST at that instant) and the next fall-back night (last Sunday of
  October, the first 02:30 – an hour that comes twice),
- the next midsommarafton (the Friday between 19 and 25 June; a de-facto holiday in the
  working-day calendar) at 09:00.

Each moment runs pytest with its clock – and every child process's – moved to that
instant (UTC, ticking); PostgreSQL and Redis keep their real clocks. The script prints
each moment with its passed/failed counts and the failing tests, and exits non-zero if
any moment failed.

    scripts/test_clock.py --list              # print the moments only
    scripts/test_clock.py [--only N] [-- PYTEST ARGS]

Environment: VAGEN_LIBFAKETIME (path of libfaketime.so.1) if it is not where Debian puts it.
"""

from __future__ import annotations

import argparse
import glob
import os
import subprocess  # noqa: S404 – runs pytest, our own command line
import sys
import xml.etree.ElementTree as ET  # noqa: S405 – parses the report pytest just wrote
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
ROOT = Path(__file__).resolve().parent.parent
LIBFAKETIME_GLOBS = (
    "/usr/lib/*-linux-gnu/faketime/libfaketime.so.1",  # Debian, Ubuntu
    "/usr/lib/faketime/libfaketime.so.1",
    "/usr/local/lib/faketime/libfaketime.so.1",
)


@dataclass(frozen=True)
class Moment:
    label: str
    local: datetime  # aware, Europe/Stockholm (fold says which of a repeated hour)

    @property
    def utc(self) -> datetime:
        return self.local.astimezone(UTC)

    @property
    def wall(self) -> str:
        """What a clock in Stockholm shows at the instant (02:30 in a gap shows 03:30)."""
        return f"{self.utc.astimezone(STOCKHOLM):%Y-%m-%d %H:%M %Z}"


def last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() - 6) % 7)


def midsommarafton(year: int) -> date:
    june_19 = date(year, 6, 19)
    return june_19 + timedelta(days=(4 - june_19.weekday()) % 7)  # Friday 19–25 June


def _local(day: date, at: time, *, fold: int = 0) -> datetime:
    return datetime.combine(day, at, tzinfo=STOCKHOLM).replace(fold=fold)


def _next(now: datetime, make) -> datetime:
    """The first of ``make(year)`` for this year and the next that is still ahead."""
    for year in (now.year, now.year + 1):
        candidate = make(year)
        if candidate.astimezone(UTC) > now.astimezone(UTC):
            return candidate
    raise AssertionError("unreachable: next year's moment is always ahead")


def moments(now: datetime) -> list[Moment]:
    """The nasty moments after ``now`` (aware), in time order."""
    found = [
        Moment("nyårsafton 23:30", _next(now, lambda y: _local(date(y, 12, 31), time(23, 30)))),
        Moment("nyårsdagen 00:30", _next(now, lambda y: _local(date(y, 1, 1), time(0, 30)))),
        # 02:30 on the spring-forward night does not exist; fold=0 reads it with the
        # winter offset, i.e. the instant 30 minutes after the change (03:30 CEST).
        Moment(
            "sommartid börjar, 02:30 (finns inte)",
            _next(now, lambda y: _local(last_sunday(y, 3), time(2, 30))),
        ),
        Moment(
            "vintertid börjar, första 02:30",
            _next(now, lambda y: _local(last_sunday(y, 10), time(2, 30), fold=0)),
        ),
        Moment(
            "vintertid börjar, andra 02:30",
            _next(now, lambda y: _local(last_sunday(y, 10), time(2, 30), fold=1)),
        ),
        Moment(
            "midsommarafton 09:00",
            _next(now, lambda y: _local(midsommarafton(y), time(9, 0))),
        ),
    ]
    return sorted(found, key=lambda m: m.utc)


def find_libfaketime() -> str:
    configured = os.environ.get("VAGEN_LIBFAKETIME")
    if configured:
        return configured
    for pattern in LIBFAKETIME_GLOBS:
        hits = sorted(glob.glob(pattern))
        if hits:
            return hits[0]
    sys.exit(
        "Hittar inte libfaketime (libfaketime.so.1). Installera Debians paket: "
        "apt-get install faketime libfaketime – eller sätt VAGEN_LIBFAKETIME."
    )


@dataclass
class Result:
    moment: Moment
    returncode: int
    passed: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0
    failures: tuple[str, ...] = ()


def read_report(path: Path, result: Result) -> None:
    if not path.exists():
        return
    suite = ET.parse(path).getroot()  # noqa: S314 – our own pytest's report
    if suite.tag == "testsuites":
        suite = suite[0]
    total = int(suite.get("tests", 0))
    result.failed = int(suite.get("failures", 0))
    result.errors = int(suite.get("errors", 0))
    result.skipped = int(suite.get("skipped", 0))
    result.passed = total - result.failed - result.errors - result.skipped
    failing = []
    for case in suite.iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failing.append(f"{case.get('classname')}::{case.get('name')}")
    result.failures = tuple(failing)


def offset_seconds(moment: Moment) -> int:
    """How far the moment is from the real clock now, in whole seconds."""
    return round((moment.utc - datetime.now(UTC)).total_seconds())


def run(moment: Moment, pytest_args: list[str], library: str, reports: Path) -> Result:
    report = reports / f"{moment.utc:%Y%m%dT%H%M}Z.xml"
    report.unlink(missing_ok=True)
    env = {
        **os.environ,
        "LD_PRELOAD": library,
        # A relative offset, not an absolute "@start": every process – pytest and the
        # Celery workers and subprocesses the tests start – then sees the same clock
        # (real time + offset). With "@…" each new process began at the start moment
        # again, so a worker's claim looked minutes old to the test that started it.
        "FAKETIME": f"{offset_seconds(moment):+d}",
        "TZ": "UTC",
        # The monotonic clock is faked too (it keeps ticking at the real rate, so timeouts
        # work): FAKETIME_DONT_FAKE_MONOTONIC=1 makes libfaketime 0.9.10 fail Python's
        # time.sleep() with EINVAL (an absolute clock_nanosleep on CLOCK_MONOTONIC).
        "FAKETIME_DONT_RESET": "1",
    }
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        # Nor the stack tests: SeaweedFS is a Go binary, whose clock libfaketime does not
        # reach (Go reads the time without libc), so every S3 request of a faked-clock
        # process is refused as RequestTimeTooSkewed. They test processes, not calendar
        # rules, and `make test` runs them at the real time.
        "-m",
        "not browser and not stack",
        "-p",
        "no:cacheprovider",
        f"--junitxml={report}",
        *pytest_args,
    ]
    print(
        f"\n== {moment.label}: {moment.wall} ({moment.utc:%Y-%m-%d %H:%M} UTC)",
        flush=True,
    )
    completed = subprocess.run(command, cwd=ROOT, env=env, check=False)  # noqa: S603
    result = Result(moment, completed.returncode)
    read_report(report, result)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="print the moments and stop")
    parser.add_argument(
        "--only", type=int, action="append", help="run only moment N (1-based; repeatable)"
    )
    parser.add_argument("pytest_args", nargs="*", help="after --: arguments for pytest")
    options = parser.parse_args()

    found = moments(datetime.now(UTC))
    if options.only:
        found = [m for i, m in enumerate(found, 1) if i in options.only]
    if options.list:
        for i, moment in enumerate(found, 1):
            print(f"{i}. {moment.wall}  ({moment.utc:%Y-%m-%d %H:%M} UTC)  {moment.label}")
        return 0
    library = find_libfaketime()
    reports = ROOT / "var" / "test-clock"
    reports.mkdir(parents=True, exist_ok=True)
    results = [run(moment, options.pytest_args, library, reports) for moment in found]

    print("\n== make test-clock: resultat per tidpunkt")
    for result in results:
        moment = result.moment
        verdict = "OK" if result.returncode == 0 else f"FEL (pytest {result.returncode})"
        print(
            f"{moment.wall} ({moment.utc:%Y-%m-%d %H:%M} UTC) "
            f"{moment.label:<38} {result.passed:>5} passed {result.failed:>3} failed "
            f"{result.errors:>3} errors  {verdict}"
        )
        for test in result.failures:
            print(f"      {test}")
    return 0 if all(r.returncode == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
