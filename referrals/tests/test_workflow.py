"""The referral's states move only along the table in referrals.workflow, every move is
recorded, and stale or impossible moves are refused with a Swedish message."""

from datetime import date
from itertools import product

import pytest

from referrals.models import Referral, ReferralEvent
from referrals.services import (
    ReferralError,
    StaleReferral,
    referral_accept,
    referral_decline,
    referral_end,
    referral_start,
    referral_withdraw,
)
from referrals.workflow import OPEN_STATES, TRANSITIONS, can_move, next_states

pytestmark = pytest.mark.django_db
State = Referral.State
DAY = date(2025, 3, 10)


def move(referral, to_state, actor):
    """Call the service for ``to_state`` with valid data."""
    if to_state == State.ACCEPTED:
        return referral_accept(referral, actor=actor, on=DAY)
    if to_state == State.DECLINED:
        return referral_decline(referral, actor=actor, on=DAY, reason="Fullt")
    if to_state == State.STARTED:
        return referral_start(referral, actor=actor, on=DAY)
    if to_state == State.WITHDRAWN:
        return referral_withdraw(referral, actor=actor, on=DAY, note="Fick jobb")
    if to_state == State.ENDED:
        return referral_end(referral, actor=actor, on=DAY, outcome="work")
    raise AssertionError(to_state)


# The shortest way from "sent" to each state.
PATHS = {
    State.SENT: [],
    State.ACCEPTED: [State.ACCEPTED],
    State.DECLINED: [State.DECLINED],
    State.STARTED: [State.ACCEPTED, State.STARTED],
    State.ENDED: [State.ACCEPTED, State.STARTED, State.ENDED],
    State.WITHDRAWN: [State.WITHDRAWN],
}
TARGETS = [State.ACCEPTED, State.DECLINED, State.STARTED, State.ENDED, State.WITHDRAWN]


def test_the_table_is_the_issues_path_plus_withdrawal():
    assert next_states(State.SENT) == [State.ACCEPTED, State.DECLINED, State.WITHDRAWN]
    assert next_states(State.ACCEPTED) == [State.STARTED, State.WITHDRAWN]
    assert next_states(State.STARTED) == [State.ENDED]
    for final in (State.DECLINED, State.ENDED, State.WITHDRAWN):
        assert next_states(final) == []
    assert set(TRANSITIONS) == set(State.values)
    assert OPEN_STATES == {State.SENT, State.ACCEPTED, State.STARTED}


@pytest.mark.parametrize(("start", "target"), list(product(State.values, TARGETS)))
def test_every_move_is_allowed_exactly_when_the_table_says(
    make_referral, caseworker, start, target
):
    referral = make_referral()
    for step in PATHS[start]:
        referral = move(referral, step, caseworker)
    assert referral.state == start
    events_before = ReferralEvent.objects.filter(referral=referral).count()

    if can_move(start, target):
        moved = move(referral, target, caseworker)
        assert moved.state == target
        event = ReferralEvent.objects.filter(referral=referral).latest("pk")
        assert (event.kind, event.from_state, event.to_state) == ("state", start, target)
        assert event.actor == caseworker
    else:
        with pytest.raises(ReferralError, match="kan inte bli"):
            move(referral, target, caseworker)
        referral.refresh_from_db()
        assert referral.state == start
        assert ReferralEvent.objects.filter(referral=referral).count() == events_before


def test_the_whole_way_is_recorded_as_history(referral, caseworker):
    referral_accept(referral, actor=caseworker, on=date(2025, 3, 5), note="Plats finns")
    referral_start(referral, actor=caseworker, on=date(2025, 3, 10))
    referral_end(referral, actor=caseworker, on=date(2025, 5, 2), outcome="praktik", note="Bra")

    referral.refresh_from_db()
    assert (referral.answered_on, referral.started_on, referral.ended_on) == (
        date(2025, 3, 5),
        date(2025, 3, 10),
        date(2025, 5, 2),
    )
    assert referral.get_outcome_display() == "Praktik"
    history = [(e.kind, e.from_state, e.to_state) for e in referral.events.all()]
    assert history == [
        ("created", "", "sent"),
        ("state", "sent", "accepted"),
        ("state", "accepted", "started"),
        ("state", "started", "ended"),
    ]


def test_history_is_never_changed(referral):
    event = referral.events.get()
    event.note = "ändrad"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        ReferralEvent.objects.filter(referral=referral).update(note="ändrad")


def test_a_stale_version_is_refused(referral, caseworker):
    shown = referral.version
    referral_accept(referral, actor=caseworker, on=DAY, version=shown)
    with pytest.raises(StaleReferral):
        referral_start(referral, actor=caseworker, on=DAY, version=shown)


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (lambda r, u: referral_decline(r, actor=u, on=DAY, reason="  "), "avböjde"),
        (lambda r, u: referral_withdraw(r, actor=u, on=DAY, note=""), "återkallas"),
        (lambda r, u: referral_accept(r, actor=u, on=date(2025, 3, 1)), "före"),
        (lambda r, u: referral_accept(r, actor=u, on=date(2999, 1, 1)), "framtiden"),
    ],
)
def test_moves_need_their_facts(referral, caseworker, action, message):
    with pytest.raises(ReferralError, match=message):
        action(referral, caseworker)
    referral.refresh_from_db()
    assert referral.state == State.SENT


def test_an_outcome_is_required_and_case_closed_is_not_choosable(referral, caseworker):
    referral_accept(referral, actor=caseworker, on=DAY)
    referral_start(referral, actor=caseworker, on=DAY)
    for outcome in ("", "case_closed", "lottovinst"):
        with pytest.raises(ReferralError, match="resultatet"):
            referral_end(referral, actor=caseworker, on=DAY, outcome=outcome)
    with pytest.raises(ReferralError, match="före"):
        referral_end(referral, actor=caseworker, on=date(2025, 3, 9), outcome="work")


def test_the_database_refuses_an_ended_referral_without_outcome(referral):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(state="ended", ended_on=DAY)
