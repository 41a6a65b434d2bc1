"""Sending a referral: the checks before anything is saved, and what the hooks from the
core do with a case's referrals when it is reassigned or closed."""

from datetime import date

import pytest

from cases.models import ClosingReason, Deadline
from cases.roles import Role
from cases.services.casework import case_close, case_reassign
from cases.tests.factories import PersonFactory
from referrals.clocks import REFERRAL_FOLLOW_UP, REFERRAL_RESPONSE
from referrals.models import Referral
from referrals.services import (
    ReferralError,
    referral_accept,
    referral_start,
)
from referrals.tests.factories import ServiceFactory, open_case

pytestmark = pytest.mark.django_db


def deadlines(referral, kind=None):
    from cases.deadlines import deadlines_for

    return deadlines_for(referral, kind)


def referral_clocks():
    """Only the referrals' clocks (the work plans have their own on the same case)."""
    return Deadline.objects.filter(kind__in=[REFERRAL_RESPONSE, REFERRAL_FOLLOW_UP])


def test_a_referral_is_sent_with_a_response_clock(referral, case, caseworker):
    assert referral.state == Referral.State.SENT
    assert referral.reference == f"R-2025-{referral.pk:06d}"
    clock = deadlines(referral).get()
    assert (clock.kind, clock.state, clock.responsible, clock.unit) == (
        REFERRAL_RESPONSE,
        "open",
        caseworker,
        case.unit,
    )
    assert clock.due_at == referral.response_due_at


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reason": "  "}, "anledningen"),
        ({"request": ""}, "efterfrågas"),
        ({"sent_on": date(2024, 12, 31)}, "före"),
        ({"sent_on": date(2999, 1, 1)}, "framtiden"),
        ({"shared_fields": ["identity", "shoe_size"]}, "Okända"),
        ({"shared_fields": ["health"]}, "kartläggning"),
    ],
)
def test_checks_before_saving(make_referral, change, message):
    with pytest.raises(ReferralError, match=message):
        make_referral(**change)
    assert not Referral.objects.exists()
    assert not referral_clocks().exists()


def test_only_a_person_of_the_household(make_referral):
    with pytest.raises(ReferralError, match="hushåll"):
        make_referral(person=PersonFactory())


def test_not_in_a_closed_case(make_referral, case, caseworker):
    case_close(case, actor=caseworker, reason=ClosingReason.objects.first())
    with pytest.raises(ReferralError, match="avslutat"):
        make_referral()


def test_not_to_an_inactive_service(make_referral, service):
    service.provider.is_active = False
    service.provider.save()
    with pytest.raises(ReferralError, match="tar inte emot"):
        make_referral()


def test_a_mapping_of_another_person_is_refused(make_referral, mapping, case):
    from cases.services.people import household_member_add

    partner = PersonFactory()
    household_member_add(
        case.household,
        person=partner,
        role="co_applicant",
        valid_from=date(2025, 1, 2),
        actor=case.caseworker,
    )
    with pytest.raises(ReferralError, match="annan person"):
        make_referral(person=partner, mapping=mapping)


def test_no_response_clock_when_the_provider_expects_none(make_referral):
    service = ServiceFactory(provider__name="Frivilligcentralen", provider__response_days=None)
    referral = make_referral(service=service)
    assert referral.response_due_at is None
    assert not deadlines(referral).exists()


def test_reassigning_the_case_moves_the_clocks(make_user, make_referral, case, caseworker):
    sent = make_referral()
    started = make_referral()
    referral_accept(started, actor=caseworker, on=date(2025, 3, 4))
    referral_start(started, actor=caseworker, on=date(2025, 3, 5))
    colleague = make_user(Role.CASEWORKER)

    case_reassign(case, colleague, actor=make_user(Role.UNIT_MANAGER))

    open_clocks = referral_clocks().filter(state="open")
    assert open_clocks.count() == 2
    assert set(open_clocks.values_list("responsible", flat=True)) == {colleague.pk}
    assert deadlines(sent, REFERRAL_RESPONSE).get().responsible == colleague
    assert deadlines(started, REFERRAL_FOLLOW_UP).get().responsible == colleague


def test_closing_the_case_leaves_nothing_open(make_referral, case, caseworker):
    sent = make_referral()
    accepted = make_referral()
    referral_accept(accepted, actor=caseworker, on=date(2025, 3, 4))
    started = make_referral()
    referral_accept(started, actor=caseworker, on=date(2025, 3, 4))
    referral_start(started, actor=caseworker, on=date(2025, 3, 5))

    case_close(case, actor=caseworker, reason=ClosingReason.objects.get(code="work"))

    states = dict(Referral.objects.values_list("pk", "state"))
    assert states == {sent.pk: "withdrawn", accepted.pk: "withdrawn", started.pk: "ended"}
    started.refresh_from_db()
    assert started.outcome == Referral.Outcome.CASE_CLOSED
    assert started.events.latest("pk").note == "Ärendet avslutades."
    assert not referral_clocks().filter(state="open").exists()
    # Stopped, not done: the clocks still waiting are cancelled, not met.
    assert deadlines(sent).get().state == "cancelled"
    assert deadlines(started, REFERRAL_FOLLOW_UP).get().state == "cancelled"


def test_referrals_of_other_cases_are_untouched(make_referral, case, caseworker):
    other = open_case(caseworker)
    kept = make_referral(case=other, person=other.household.memberships.get().person)
    make_referral()

    case_close(case, actor=caseworker, reason=ClosingReason.objects.first())

    kept.refresh_from_db()
    assert kept.state == "sent"
    assert deadlines(kept).get().state == "open"
