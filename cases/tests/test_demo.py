"""`load_demo`: idempotent, refused where demo data is not allowed, and working on any
day of any year without a norm table that is not loaded."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone

from cases.demo import DEMO_PASSWORD, DEMO_USERS, demo_month
from cases.models import Application, Case, Decision, NormYear, Unit, User
from cases.tests.factories import copy_norm_year

pytestmark = pytest.mark.django_db


def snapshot():
    users = [
        (
            u.username,
            u.first_name,
            u.last_name,
            u.unit.code if u.unit else None,
            u.password,
            tuple(sorted(g.name for g in u.groups.all())),
            u.is_active,
        )
        for u in User.objects.select_related("unit").prefetch_related("groups").order_by("pk")
    ]
    units = list(Unit.objects.order_by("pk").values_list("pk", "code", "name"))
    memberships = User.groups.through.objects.count()
    return users, units, memberships, Group.objects.count()


def test_load_demo_twice_gives_the_same_data():
    call_command("load_demo")
    first = snapshot()

    call_command("load_demo")

    assert snapshot() == first
    assert len(first[0]) == len(DEMO_USERS)
    assert [code for _, code, _ in first[1]] == ["nord", "syd"]


def test_demo_users_have_the_published_password_and_roles():
    call_command("load_demo")

    for spec in DEMO_USERS:
        user = User.objects.get(username=spec.username)
        assert user.check_password(DEMO_PASSWORD)
        assert user.role == spec.role
        assert (user.unit.code if user.unit else None) == spec.unit_code


def test_load_demo_refused_when_not_allowed(settings):
    settings.VAGEN_DEMO_DATA_ALLOWED = False

    with pytest.raises(CommandError):
        call_command("load_demo")

    assert not User.objects.exists()


# ------------------------------------------------------------ any day of any year

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.mark.parametrize(
    ("now", "month"),
    [
        (datetime(2026, 12, 1, 9, 0, tzinfo=STOCKHOLM), date(2026, 12, 1)),
        (datetime(2026, 12, 31, 23, 30, tzinfo=STOCKHOLM), date(2026, 12, 1)),
        # From 1 January until the year's norm is loaded: last December's tables.
        (datetime(2027, 1, 1, 0, 30, tzinfo=STOCKHOLM), date(2026, 12, 1)),
        (datetime(2027, 6, 25, 9, 0, tzinfo=STOCKHOLM), date(2026, 12, 1)),
        (datetime(2027, 10, 31, 2, 30, tzinfo=STOCKHOLM), date(2026, 12, 1)),
        (datetime(2031, 3, 28, 3, 30, tzinfo=STOCKHOLM), date(2026, 12, 1)),
    ],
)
def test_load_demo_works_on_any_day_within_the_loaded_norm_years(now, month):
    years = set(NormYear.objects.values_list("year", flat=True))
    with time_machine.travel(now, tick=False):
        call_command("load_demo")
        assert demo_month(timezone.localdate()) == month

    applications = Application.objects.all()
    assert applications.exists()
    assert set(applications.values_list("month", flat=True)) == {month}
    assert not applications.filter(calculation__isnull=True).exclude(status="received").exists()
    assert Decision.objects.exists()  # the case decided "this month"
    # The demo never invents a norm for a year that has none.
    assert set(NormYear.objects.values_list("year", flat=True)) == years
    opened = set(Case.objects.values_list("opened_on", flat=True))
    assert max(opened) <= now.date()


def test_load_demo_uses_this_years_norm_once_it_is_loaded():
    copy_norm_year(2026, 2027)
    with time_machine.travel(datetime(2027, 1, 1, 0, 30, tzinfo=STOCKHOLM), tick=False):
        call_command("load_demo")
    assert set(Application.objects.values_list("month", flat=True)) == {date(2027, 1, 1)}


def test_demo_month_needs_some_norm():
    NormYear.objects.update(is_active=False)
    with pytest.raises(ValueError, match="riksnorm"):
        demo_month(date(2027, 1, 1))
