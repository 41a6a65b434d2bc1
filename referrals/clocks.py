"""The referral's clocks in the one deadline engine (DESIGN.md "Deadlines"):

- ``referral_response``: the provider's answer is expected within the provider's
  ``response_days`` working days of sending (``cases.workdays.add_working_days``; DOMAIN.md
  §6 – weekends, public holidays, midsommarafton, julafton and nyårsafton do not count),
  by the end of that day. Met when the referral is accepted or declined.
- ``referral_follow_up``: a started stay is followed up within the provider's
  ``follow_up_days`` (moved to the next working day); each follow-up meets it and opens the
  next. Past it the stay is flagged (Burlöv 2013, sources/002: the jobbklubb lesson).

Registered on import (ReferralsConfig.ready imports this module).
"""

from datetime import date, datetime, timedelta

from django.urls import reverse

from cases.deadlines import DeadlineKind, register_kind
from cases.workdays import add_working_days, end_of_day, next_working_day

REFERRAL_RESPONSE = "referral_response"
REFERRAL_FOLLOW_UP = "referral_follow_up"


def _referral_url(deadline) -> str:
    # The deadline's subject is the referral: no lookup needed to link to it.
    return reverse("referrals:referral_detail", args=[deadline.subject_id])


register_kind(
    DeadlineKind(
        code=REFERRAL_RESPONSE,
        label="Svar på remiss",
        remind_before=timedelta(days=1),
        url=_referral_url,
    )
)
register_kind(
    DeadlineKind(
        code=REFERRAL_FOLLOW_UP,
        label="Uppföljning av pågående insats",
        remind_before=timedelta(days=7),
        url=_referral_url,
    )
)


def response_due_at(sent_on: date, working_days: int) -> datetime:
    """The end of the ``working_days``-th working day after ``sent_on``."""
    return end_of_day(add_working_days(sent_on, working_days))


def follow_up_due_on(from_day: date, days: int) -> date:
    """``days`` calendar days after ``from_day``, moved to a working day if it is not one."""
    return next_working_day(from_day + timedelta(days=days))


def follow_up_due_at(from_day: date, days: int) -> datetime:
    return end_of_day(follow_up_due_on(from_day, days))
