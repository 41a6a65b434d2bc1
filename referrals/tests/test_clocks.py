"""The referral's clocks: the provider's answer within N working days (DOMAIN.md §6 –
weekends, holidays, midsommarafton, julafton and nyårsafton do not count), and the
follow-up of a started stay, whose overdue state is the long-stay flag."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cases.deadlines import deadlines_for, sweep
from cases.models import Deadline, Notification
from referrals import selectors
from referrals.clocks import (
    REFERRAL_FOLLOW_UP,
    REFERRAL_RESPONSE,
    follow_up_due_at,
    response_due_at,
)
from referrals.models import Referral
from referrals.services import (
    ReferralError,
    referral_accept,
    referral_decline,
    referral_end,
    referral_follow_up_record,
    referral_start,
    referral_withdraw,
)
from referrals.tests.factories import ServiceFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=STOCKHOLM)


@pytest.mark.parametrize(
    ("sent_on", "days", "due"),
    [
        (date(2025, 3, 3), 10, local(2025, 3, 17, 23, 59)),  # two plain weeks
        (date(2025, 3, 7), 1, local(2025, 3, 10, 23, 59)),  # Friday → Monday
        (date(2025, 3, 8), 1, local(2025, 3, 10, 23, 59)),  # sent on a Saturday
        # Midsommarafton (Fri 20 June) and midsommardagen do not count.
        (date(2025, 6, 19), 2, local(2025, 6, 24, 23, 59)),
        # Julafton, juldagen, annandag jul, nyårsafton, nyårsdagen: 23 Dec + 3 → 2 Jan.
        (date(2025, 12, 23), 3, local(2026, 1, 2, 23, 59)),
        # Långfredagen 18 April and annandag påsk 21 April 2025.
        (date(2025, 4, 17), 1, local(2025, 4, 22, 23, 59)),
        # Kristi himmelsfärd Thu 29 May 2025; 6 June (nationaldagen) is a Friday.
        (date(2025, 5, 28), 1, local(2025, 5, 30, 23, 59)),
        (date(2025, 6, 5), 1, local(2025, 6, 9, 23, 59)),
    ],
)
def test_response_due_in_working_days(sent_on, days, due):
    assert response_due_at(sent_on, days) == due


def test_the_due_instant_is_stored_in_utc_across_dst():
    # Summer time: 23:59 in Stockholm is 21:59 UTC; winter time 22:59 UTC.
    assert response_due_at(date(2025, 6, 2), 1).astimezone(ZoneInfo("UTC")).hour == 21
    assert response_due_at(date(2025, 11, 3), 1).astimezone(ZoneInfo("UTC")).hour == 22


def test_follow_up_is_moved_to_a_working_day():
    # 30 days after Fri 21 Nov 2025 is Sun 21 Dec → Mon 22 Dec.
    assert follow_up_due_at(date(2025, 11, 21), 30) == local(2025, 12, 22, 23, 59)
    # 4 days after 19 Dec 2025 is 23 Dec (a working day) – kept.
    assert follow_up_due_at(date(2025, 12, 19), 4) == local(2025, 12, 23, 23, 59)
    # …and 5 days later is julafton → the next working day, 29 Dec.
    assert follow_up_due_at(date(2025, 12, 19), 5) == local(2025, 12, 29, 23, 59)


@pytest.mark.django_db
def test_the_sent_referral_waits_with_the_providers_working_days(make_referral):
    service = ServiceFactory(provider__name="Försäkringskassan", provider__response_days=2)
    referral = make_referral(service=service, sent_on=date(2025, 6, 19))
    assert referral.response_due_at == local(2025, 6, 24, 23, 59)
    clock = deadlines_for(referral, REFERRAL_RESPONSE).get()
    assert clock.due_at == local(2025, 6, 24, 23, 59)


@pytest.mark.django_db
@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_an_answer_meets_the_response_clock(referral, caseworker, answer):
    if answer == "accept":
        referral_accept(referral, actor=caseworker, on=date(2025, 3, 5))
    else:
        referral_decline(referral, actor=caseworker, on=date(2025, 3, 5), reason="Fullt")
    clock = deadlines_for(referral, REFERRAL_RESPONSE).get()
    assert clock.state == Deadline.State.MET and clock.met_at is not None


@pytest.mark.django_db
def test_withdrawal_cancels_the_clocks(referral, caseworker):
    referral_withdraw(referral, actor=caseworker, on=date(2025, 3, 4), note="Fick jobb")
    assert deadlines_for(referral).get().state == Deadline.State.CANCELLED


@pytest.mark.django_db
def test_an_unanswered_referral_reaches_the_caseworker_and_the_manager(
    referral, caseworker, unit_manager
):
    due = referral.response_due_at
    sweep(due - timedelta(minutes=1))
    assert not Notification.objects.exists()  # registered late, so no reminder before
    sweep(due + timedelta(minutes=1))
    sweep(due + timedelta(minutes=2))  # a rerun adds nothing
    stages = set(
        Notification.objects.filter(deadline__kind=REFERRAL_RESPONSE).values_list(
            "stage", "recipient__username"
        )
    )
    assert Notification.objects.count() == 2
    assert stages == {
        ("overdue", caseworker.username),
        ("overdue", unit_manager.username),
    }


# ------------------------------------------------------------------ the long-stay flag


@pytest.fixture
def stay(referral, caseworker):
    """A stay started on Mon 10 March 2025 at a provider that wants a follow-up every 30
    days: due Wed 9 April 2025."""
    referral_accept(referral, actor=caseworker, on=date(2025, 3, 5))
    return referral_start(referral, actor=caseworker, on=date(2025, 3, 10))


@pytest.mark.django_db
def test_a_started_stay_gets_a_follow_up_clock(stay):
    assert stay.follow_up_due_at == local(2025, 4, 9, 23, 59)
    clock = deadlines_for(stay, REFERRAL_FOLLOW_UP).get()
    assert (clock.due_at, clock.state) == (local(2025, 4, 9, 23, 59), "open")


@pytest.mark.django_db
def test_the_stay_is_flagged_once_the_configured_time_passes_without_follow_up(stay):
    assert not stay.is_long_stay(now=local(2025, 4, 9, 23, 58))
    assert stay.is_long_stay(now=local(2025, 4, 10, 0, 0))
    flagged_at = local(2025, 4, 10, 8, 0)
    assert list(selectors.long_stays(Referral.objects.all(), flagged_at)) == [stay]
    assert list(selectors.long_stays(Referral.objects.all(), local(2025, 4, 9, 8))) == []


@pytest.mark.django_db
def test_the_time_is_the_providers_configuration(make_referral, caseworker):
    jobbklubb = ServiceFactory(provider__name="Jobbklubben", provider__follow_up_days=14)
    referral = make_referral(service=jobbklubb)
    referral_accept(referral, actor=caseworker, on=date(2025, 3, 5))
    referral = referral_start(referral, actor=caseworker, on=date(2025, 3, 10))
    assert referral.follow_up_due_at == local(2025, 3, 24, 23, 59)
    assert referral.is_long_stay(now=local(2025, 3, 25))


@pytest.mark.django_db
def test_a_follow_up_clears_the_flag_and_starts_the_next_clock(stay, caseworker):
    flagged_at = local(2025, 4, 14, 9, 0)
    assert stay.is_long_stay(now=flagged_at)

    referral_follow_up_record(stay, actor=caseworker, on=date(2025, 4, 14), note="Trivs")

    stay.refresh_from_db()
    assert not stay.is_long_stay(now=flagged_at)
    assert stay.last_follow_up_on == date(2025, 4, 14)
    assert stay.follow_up_due_at == local(2025, 5, 14, 23, 59)
    clocks = deadlines_for(stay, REFERRAL_FOLLOW_UP).order_by("pk")
    assert [c.state for c in clocks] == ["met", "open"]
    assert clocks.last().due_at == local(2025, 5, 14, 23, 59)
    assert stay.events.latest("pk").kind == "follow_up"


@pytest.mark.django_db
def test_the_next_follow_up_may_be_sooner_never_later(stay, caseworker):
    with pytest.raises(ReferralError, match="högst 30 dagar"):
        referral_follow_up_record(
            stay, actor=caseworker, on=date(2025, 4, 1), note="x", next_on=date(2025, 6, 1)
        )
    with pytest.raises(ReferralError, match="efter"):
        referral_follow_up_record(
            stay, actor=caseworker, on=date(2025, 4, 1), note="x", next_on=date(2025, 4, 1)
        )
    referral_follow_up_record(
        stay,
        actor=caseworker,
        on=date(2025, 4, 1),
        note="Ses om två veckor",
        next_on=date(2025, 4, 15),
    )
    stay.refresh_from_db()
    assert stay.follow_up_due_at == local(2025, 4, 15, 23, 59)


@pytest.mark.django_db
def test_only_a_started_stay_is_followed_up(referral, caseworker):
    with pytest.raises(ReferralError, match="påbörjad"):
        referral_follow_up_record(referral, actor=caseworker, on=date(2025, 3, 4), note="x")


@pytest.mark.django_db
def test_an_ended_stay_is_never_flagged(stay, caseworker):
    referral_end(stay, actor=caseworker, on=date(2025, 4, 2), outcome="studies")
    stay.refresh_from_db()
    assert not stay.is_long_stay(now=local(2026, 1, 1))
    assert not selectors.long_stays(Referral.objects.all(), local(2026, 1, 1)).exists()
    assert deadlines_for(stay, REFERRAL_FOLLOW_UP).get().state == "met"
