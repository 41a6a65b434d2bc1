"""Ej verkställda beslut (SoL 2025:400 34 kap. 1–3 §§), hand-computed.

Three months are counted as lag (1930:173) counts months (cases.services.execution): a
decision of Thu 2026-01-15 must be executed by Wed 2026-04-15 – day 90 – and one executed
on Thu 2026-04-16, day 91, is reported. Quarters end 31 Mar, 30 Jun, 30 Sep, 31 Dec.
"""

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine

from cases.board_reports import non_execution_rows, statistics
from cases.deadlines import deadlines_for
from cases.models import Deadline, ExecutionClock
from cases.roles import Role
from cases.services import decisions as svc
from cases.services import execution as ex
from cases.services.errors import DecisionError
from cases.tests.factories import PersonFactory
from cases.tests.letters import applied_case, decide, item
from cases.workdays import STOCKHOLM, end_of_day

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 10):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, 0, tzinfo=STOCKHOLM), tick=False
    )


def granted(caseworker, on: date, *, kind="livelihood", amount="1000", basis="sol2025-12-1"):
    with at(on):
        extra = [] if kind == "livelihood" else [(kind, Decimal(amount), "")]
        application = applied_case(
            caseworker,
            month=on.replace(day=1),
            applicant=PersonFactory(birth_date=date(1985, 3, 3)),
            items=extra,
        )
        return decide(application, caseworker, [item(kind, "granted", amount, basis)])


def pay(decision, on: date, *, by, attester):
    """Register and attest the payment on ``on`` (the day the decision is executed)."""
    with at(on):
        payment = svc.payment_create(
            decision, actor=by, payee=decision.application.applicant, amount=Decimal(1), pay_on=on
        )
        svc.payment_attest(payment, actor=attester)


def rows(unit, year, quarter):
    return {row.reference: row for row in non_execution_rows([unit.pk], year, quarter)}


@pytest.fixture
def attester(make_user):
    return make_user(Role.CASEWORKER)


# --- three months -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decided", "last_day"),
    [
        (date(2026, 1, 15), date(2026, 4, 15)),  # same date: 90 days later
        (date(2026, 1, 31), date(2026, 4, 30)),  # 31 April does not exist: the month's last
        (date(2025, 11, 30), date(2026, 3, 2)),  # 28 Feb 2026 is a Saturday → Monday
        (date(2025, 10, 1), date(2026, 1, 2)),  # nyårsdagen → Friday 2 January
        (date(2025, 12, 31), date(2026, 3, 31)),
    ],
)
def test_three_months_as_lag_1930_173_counts_them(decided, last_day):
    assert ex.execution_due_on(decided) == last_day


def test_executed_on_day_90_is_not_reported_on_day_91_it_is(caseworker, attester, unit):
    on_time = granted(caseworker, date(2026, 1, 15))
    late = granted(caseworker, date(2026, 1, 15))
    pay(on_time, date(2026, 4, 15), by=caseworker, attester=attester)  # day 90
    pay(late, date(2026, 4, 16), by=caseworker, attester=attester)  # day 91

    assert rows(unit, 2026, 1) == {}  # not yet three months on 31 March
    q2 = rows(unit, 2026, 2)
    assert set(q2) == {late.reference}
    row = q2[late.reference]
    assert (row.status, row.ended_on, row.days) == ("Verkställt", date(2026, 4, 16), 91)
    assert row.decided_on == date(2026, 1, 15)
    assert row.insats == "Försörjningsstöd (norm och skäliga kostnader)"
    assert rows(unit, 2026, 3) == {}  # reported again once, when executed – then no more


def test_month_end_decision_executed_on_the_clamped_day_is_in_time(caseworker, attester, unit):
    in_time = granted(caseworker, date(2026, 1, 30))  # → 30 April
    clamped = granted(caseworker, date(2026, 1, 31))  # → 30 April (no 31 April)
    pay(in_time, date(2026, 4, 30), by=caseworker, attester=attester)
    pay(clamped, date(2026, 4, 30), by=caseworker, attester=attester)
    late = granted(caseworker, date(2026, 1, 31))
    pay(late, date(2026, 5, 4), by=caseworker, attester=attester)  # 1 May is a holiday

    assert set(rows(unit, 2026, 2)) == {late.reference}


def test_not_executed_is_reported_every_quarter_until_executed(caseworker, attester, unit):
    decision = granted(caseworker, date(2026, 1, 15))

    q2 = rows(unit, 2026, 2)[decision.reference]
    assert (q2.status, q2.ended_on, q2.days, q2.reported_before) == (
        "Inte verkställt",
        None,
        166,  # 15 Jan → 30 Jun
        False,
    )
    pay(decision, date(2026, 7, 10), by=caseworker, attester=attester)
    q3 = rows(unit, 2026, 3)[decision.reference]
    assert (q3.status, q3.ended_on, q3.days, q3.reported_before) == (
        "Verkställt",
        date(2026, 7, 10),
        176,
        True,
    )
    assert rows(unit, 2026, 4) == {}


def test_quarter_boundary_31_march_1_april(caseworker, attester, unit):
    due_31_march = granted(caseworker, date(2025, 12, 31))  # last day 31 March
    due_30_march = granted(caseworker, date(2025, 12, 30))  # last day 30 March
    executed_31 = granted(caseworker, date(2025, 12, 30))
    executed_1_april = granted(caseworker, date(2025, 12, 30))
    pay(executed_31, date(2026, 3, 31), by=caseworker, attester=attester)
    pay(executed_1_april, date(2026, 4, 1), by=caseworker, attester=attester)

    q1 = rows(unit, 2026, 1)
    # On 31 March the decision of 31 December can still be executed in time: not in Q1.
    assert set(q1) == {due_30_march.reference, executed_31.reference, executed_1_april.reference}
    assert q1[executed_31.reference].status == "Verkställt"
    assert q1[executed_1_april.reference].status == "Inte verkställt"
    q2 = rows(unit, 2026, 2)
    assert set(q2) == {due_31_march.reference, due_30_march.reference, executed_1_april.reference}
    assert q2[executed_1_april.reference].ended_on == date(2026, 4, 1)
    assert q2[due_30_march.reference].reported_before is True
    assert q2[due_31_march.reference].reported_before is False


def test_quarter_boundary_31_december_1_january(caseworker, attester, unit):
    late_in_q4 = granted(caseworker, date(2025, 9, 30))  # last day Tue 30 December
    due_2_january = granted(caseworker, date(2025, 10, 1))  # 1 January → 2 January
    pay(late_in_q4, date(2026, 1, 2), by=caseworker, attester=attester)

    q4 = rows(unit, 2025, 4)
    assert set(q4) == {late_in_q4.reference}
    assert q4[late_in_q4.reference].status == "Inte verkställt"
    assert q4[late_in_q4.reference].days == 92  # 30 Sep → 31 Dec
    q1 = rows(unit, 2026, 1)
    assert set(q1) == {late_in_q4.reference, due_2_january.reference}
    assert q1[late_in_q4.reference].status == "Verkställt"
    assert q1[late_in_q4.reference].ended_on == date(2026, 1, 2)


# --- interruption ---------------------------------------------------------------------------


def interrupted(caseworker, attester, *, on: date):
    decision = granted(caseworker, date(2026, 1, 15))
    pay(decision, date(2026, 1, 20), by=caseworker, attester=attester)
    with at(on):
        clock = ex.execution_interrupt(
            decision, actor=caseworker, on=on, reason="Leverantören kunde inte leverera."
        )
    return decision, clock


def test_interrupted_and_resumed_within_three_months_is_not_reported(caseworker, attester, unit):
    decision, clock = interrupted(caseworker, attester, on=date(2026, 2, 10))
    assert clock.due_on == date(2026, 5, 11)  # 10 May 2026 is a Sunday
    with at(date(2026, 5, 11)):
        ex.execution_resume(clock, actor=caseworker, on=date(2026, 5, 11))

    assert rows(unit, 2026, 2) == {}


def test_interruption_not_resumed_is_reported_then_reported_again(caseworker, attester, unit):
    decision, clock = interrupted(caseworker, attester, on=date(2026, 2, 10))

    assert rows(unit, 2026, 1) == {}  # the decision itself was executed in time
    q2 = rows(unit, 2026, 2)[decision.reference]
    assert (q2.status, q2.interrupted_on, q2.days) == (
        "Avbrott – inte återupptaget",
        date(2026, 2, 10),
        140,  # 10 Feb → 30 Jun
    )
    with at(date(2026, 7, 1)):
        ex.execution_resume(clock, actor=caseworker, on=date(2026, 7, 1))
    q3 = rows(unit, 2026, 3)[decision.reference]
    assert (q3.status, q3.ended_on) == ("Verkställigheten återupptagen", date(2026, 7, 1))


def test_resumed_on_day_after_the_last_day_is_reported(caseworker, attester, unit):
    decision, clock = interrupted(caseworker, attester, on=date(2026, 2, 10))
    with at(date(2026, 5, 12)):
        ex.execution_resume(clock, actor=caseworker, on=date(2026, 5, 12))

    assert rows(unit, 2026, 2)[decision.reference].ended_on == date(2026, 5, 12)


def test_interruption_posted_twice_is_one_clock_and_needs_an_execution(caseworker, attester):
    not_paid = granted(caseworker, date(2026, 1, 15))
    with at(date(2026, 2, 1)), pytest.raises(DecisionError):
        ex.execution_interrupt(not_paid, actor=caseworker, on=date(2026, 2, 1), reason="x")
    decision, clock = interrupted(caseworker, attester, on=date(2026, 2, 10))
    with at(date(2026, 2, 10)):
        again = ex.execution_interrupt(
            decision, actor=caseworker, on=date(2026, 2, 10), reason="Samma igen."
        )
    assert again.pk == clock.pk
    assert decision.execution_clocks.count() == 2


# --- the clock in the deadline engine ---------------------------------------------------------


def test_the_clock_is_a_deadline_met_by_the_attested_payment(caseworker, attester):
    decision = granted(caseworker, date(2026, 1, 15))
    clock = decision.execution_clocks.get()
    deadline = deadlines_for(clock, ex.EXECUTION).get()
    assert deadline.due_at == end_of_day(date(2026, 4, 15))
    assert deadline.responsible == caseworker
    assert deadline.state == Deadline.State.OPEN
    with at(date(2026, 2, 1)):
        payment = svc.payment_create(
            decision,
            actor=caseworker,
            payee=decision.application.applicant,
            amount=Decimal(1),
            pay_on=date(2026, 2, 1),
        )
    clock.refresh_from_db()
    assert clock.is_running  # a proposed payment pays nothing
    with at(date(2026, 2, 1)):
        svc.payment_attest(payment, actor=attester)
    clock.refresh_from_db()
    deadline.refresh_from_db()
    assert (clock.ended_on, clock.ending) == (date(2026, 2, 1), ExecutionClock.Ending.EXECUTED)
    assert deadline.state == Deadline.State.MET


def test_refusals_and_12_2_grants_have_no_clock(caseworker):
    beyond = granted(caseworker, date(2026, 1, 15), kind="dental", basis="sol2025-12-2")
    assert not beyond.execution_clocks.exists()


def test_delay_reason_refuses_a_stale_form(caseworker, unit_manager):
    decision = granted(caseworker, date(2026, 1, 15))
    clock = decision.execution_clocks.get()
    ex.execution_delay_reason(
        clock, actor=caseworker, reason="Väntar på intyg.", version=clock.version
    )
    with pytest.raises(DecisionError):
        ex.execution_delay_reason(clock, actor=unit_manager, reason="Annat.", version=clock.version)
    clock.refresh_from_db()
    assert clock.delay_reason == "Väntar på intyg."


def test_fullmaktige_statistics_count_no_individuals(caseworker, attester, unit):
    waiting = granted(caseworker, date(2025, 12, 1))  # not executed: 1 Dec → 30 Jun > 6 months
    late = granted(caseworker, date(2026, 1, 15), kind="furniture", amount="2000")
    pay(late, date(2026, 5, 1), by=caseworker, attester=attester)
    lines = {line.insats: line for line in statistics(non_execution_rows([unit.pk], 2026, 2))}

    livelihood = lines["Försörjningsstöd (norm och skäliga kostnader)"]
    furniture = lines["Möbler och husgeråd"]
    assert (livelihood.not_executed, livelihood.executed, livelihood.bands) == (1, 0, (0, 1, 0))
    assert (furniture.not_executed, furniture.executed, furniture.bands) == (0, 1, (1, 0, 0))
    assert waiting.reference not in str(lines)


# --- on the decision page and in the lists ----------------------------------------------------


def test_caseworker_records_the_reason_on_the_decision_page(
    client, caseworker, make_user, other_unit, unit
):
    from django.urls import reverse

    decision = granted(caseworker, date(2026, 1, 15))
    clock = decision.execution_clocks.get()
    url = reverse("execution_action", args=[decision.pk, "skal"])
    stranger = make_user(Role.CASEWORKER, unit=other_unit)
    data = {"clock": clock.pk, "version": clock.version, "reason": "Väntar på hyresavtal."}
    with at(date(2026, 5, 4)):
        client.force_login(stranger)
        assert client.post(url, data).status_code == 404
        client.force_login(caseworker)
        page = client.get(reverse("decision_detail", args=[decision.pk])).content.decode()
        assert "Inte verkställt inom tre månader" in page
        assert client.post(url, data).status_code == 302
        stale = client.post(url, {**data, "reason": "Något annat."}, follow=True)
    assert "ändrats av någon annan" in stale.content.decode()
    clock.refresh_from_db()
    assert clock.delay_reason == "Väntar på hyresavtal."
    assert rows(unit, 2026, 2)[decision.reference].reason == "Väntar på hyresavtal."


def test_lists_take_a_fixed_number_of_queries(
    caseworker, attester, unit, django_assert_num_queries
):
    from cases.board_reports import delegation_rows

    granted(caseworker, date(2026, 1, 15))
    with django_assert_num_queries(5):
        assert len(non_execution_rows([unit.pk], 2026, 2)) == 1
        assert len(delegation_rows([unit.pk], start=date(2026, 1, 1), end=date(2026, 1, 31))) == 1
    for _ in range(3):
        granted(caseworker, date(2026, 1, 15))
    with django_assert_num_queries(5):
        assert len(non_execution_rows([unit.pk], 2026, 2)) == 4
        assert len(delegation_rows([unit.pk], start=date(2026, 1, 1), end=date(2026, 1, 31))) == 4


def test_a_replaced_decision_stops_its_clock_and_the_new_one_starts_its_own(caseworker, unit):
    old = granted(caseworker, date(2026, 1, 15))
    with at(date(2026, 5, 4)):
        draft = svc.decision_replace(old, actor=caseworker)
        new = svc.decision_submit(draft, actor=caseworker)
    old_clock = old.execution_clocks.get()
    assert (old_clock.ending, old_clock.ended_on) == (
        ExecutionClock.Ending.CANCELLED,
        date(2026, 5, 4),
    )
    assert deadlines_for(old_clock, ex.EXECUTION).get().state == Deadline.State.CANCELLED
    assert new.execution_clocks.get().due_on == date(2026, 8, 4)
    q2 = rows(unit, 2026, 2)
    # Late since 16 April, then no longer to be executed: reported once with that ending.
    assert q2[old.reference].status == "Beslutet har upphört att gälla"
    assert new.reference not in q2
