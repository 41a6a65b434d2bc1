"""Verkställighet: the clocks of favourable decisions under SoL (2025:400) 12 kap. 1 §.

34 kap. 1 §: a favourable decision under 12 kap. 1 § that has not been executed within
three months of the day of the decision – or whose execution was interrupted and not
resumed within three months of the interruption – is reported to IVO and the revisorer
every quarter; 34 kap. 2 § reports it again when executed; 34 kap. 3 § counts it in a
quarterly statistics report to kommunfullmäktige (``cases.board_reports``).

"Three months" is counted as lag (1930:173) om beräkning av lagstadgad tid counts a
period in months (DOMAIN.md §6, ``cases.workdays.statutory_deadline``): it ends on the
same date three months later, on the last day of that month when the date does not exist
there (2026-01-31 → 2026-04-30, 2025-11-30 → 2026-02-28), and a last day on a Saturday,
Sunday, public holiday, midsommarafton, julafton or nyårsafton moves to the next working
day (2 §). A decision of 2026-01-15 is executed in time on 2026-04-15 (day 90) and late on
2026-04-16 (day 91).

Execution is derived from payments: the decision is executed on the payment day of its
attested payment (an unattested proposal pays nothing). An interruption and its
resumption are recorded by the caseworker – Vägen's one payment per decision cannot show
them.
"""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.deadlines import (
    DeadlineKind,
    cancel_deadlines,
    meet_deadlines,
    open_deadline,
    register_kind,
)
from cases.models import Decision, DecisionItem, ExecutionClock, Payment, User
from cases.services.errors import DecisionError
from cases.workdays import end_of_day, statutory_deadline

EXECUTION = "decision_execution"
# SoL 34 kap. 1 §: three months from the decision (or the interruption).
EXECUTION_MONTHS = 3

register_kind(
    DeadlineKind(
        code=EXECUTION,
        label=str(gettext_lazy("Verkställ beslutet inom tre månader (SoL 34 kap. 1 §)")),
        remind_before=timedelta(days=14),
        url=lambda deadline: reverse(
            "decision_detail",
            args=[
                ExecutionClock.objects.values_list("decision_id", flat=True).get(
                    pk=deadline.subject_id
                )
            ],
        ),
    )
)

FAVOURABLE = (DecisionItem.Outcome.GRANTED, DecisionItem.Outcome.PARTLY)


def execution_due_on(start: date) -> date:
    """The last day of execution in time (34 kap. 1 §, lag 1930:173; module docstring)."""
    return statutory_deadline(start, months=EXECUTION_MONTHS)


def reported_items(decision: Decision):
    """The items that make a decision reportable: favourable, under a basis that says so
    (``LegalBasis.execution_reporting`` – 12 kap. 1 §)."""
    return decision.items.filter(outcome__in=FAVOURABLE, legal_basis__execution_reporting=True)


def _open_clock(
    decision: Decision, *, kind: str, started_on: date, reason: str = ""
) -> ExecutionClock:
    clock = ExecutionClock.objects.create(
        decision=decision,
        unit_id=decision.case.unit_id,
        kind=kind,
        started_on=started_on,
        due_on=execution_due_on(started_on),
        interruption_reason=reason,
    )
    open_deadline(
        kind=EXECUTION,
        subject=clock,
        due_at=end_of_day(clock.due_on),
        unit=decision.case.unit,
        responsible=decision.case.caseworker,
    )
    return clock


def _end_clock(clock: ExecutionClock, *, on: date, ending: str) -> None:
    clock.ended_on, clock.ending = on, ending
    clock.version += 1
    clock.save(update_fields=["ended_on", "ending", "version"])
    if ending == ExecutionClock.Ending.CANCELLED:
        cancel_deadlines(clock, kind=EXECUTION)
    else:
        meet_deadlines(clock, kind=EXECUTION)


def execution_decision_final(decision: Decision) -> ExecutionClock | None:
    """Called in the transaction that makes ``decision`` final: open its clock when it is
    favourable under 12 kap. 1 §, and end the clock of the decision it replaces (that one
    will not be executed any more; the new decision has its own clock)."""
    decided_on = decision.decided_on
    assert decided_on is not None  # set by _finalise before this is called
    if decision.replaces_id is not None:
        for clock in ExecutionClock.objects.select_for_update().filter(
            decision_id=decision.replaces_id, ended_on__isnull=True
        ):
            _end_clock(clock, on=decided_on, ending=ExecutionClock.Ending.CANCELLED)
    if not reported_items(decision).exists():
        return None
    return _open_clock(decision, kind=ExecutionClock.Kind.DECISION, started_on=decided_on)


def execution_payment_attested(payment: Payment) -> None:
    """An attested payment executes the decision on its payment day (34 kap. 1–2 §§)."""
    for clock in ExecutionClock.objects.select_for_update().filter(
        decision_id=payment.decision_id, ended_on__isnull=True, kind=ExecutionClock.Kind.DECISION
    ):
        _end_clock(
            clock, on=max(payment.pay_on, clock.started_on), ending=ExecutionClock.Ending.EXECUTED
        )


def executed_on(decision: Decision) -> date | None:
    clock = decision.execution_clocks.filter(kind=ExecutionClock.Kind.DECISION).first()
    if clock is None or clock.ending != ExecutionClock.Ending.EXECUTED:
        return None
    return clock.ended_on


def _check_day(on: date) -> None:
    if on > timezone.localdate():
        raise DecisionError(_("Datumet kan inte ligga i framtiden."))


@transaction.atomic
def execution_interrupt(
    decision: Decision, *, actor: User, on: date, reason: str
) -> ExecutionClock:
    """The execution stopped on ``on``: a new three-month clock (34 kap. 1 § andra
    meningen). Only for an executed decision without a running clock; the same form
    posted twice gives one clock (a running clock with that day is returned)."""
    Decision.objects.select_for_update().filter(pk=decision.pk).first()
    _check_day(on)
    running = decision.execution_clocks.filter(ended_on__isnull=True).first()
    if running is not None:
        if running.kind == ExecutionClock.Kind.INTERRUPTION and running.started_on == on:
            return running
        raise DecisionError(_("Verkställigheten är redan avbruten eller inte påbörjad."))
    executed = executed_on(decision)
    if executed is None:
        raise DecisionError(_("Beslutet är inte verkställt – det kan inte avbrytas."))
    last = decision.execution_clocks.order_by("-started_on", "-pk").first()
    if on < executed or (last is not None and last.ended_on and on < last.ended_on):
        raise DecisionError(_("Avbrottet kan inte ligga före verkställigheten."))
    if not reason.strip():
        raise DecisionError(_("Skriv varför verkställigheten avbröts."))
    try:
        with transaction.atomic():
            return _open_clock(
                decision,
                kind=ExecutionClock.Kind.INTERRUPTION,
                started_on=on,
                reason=reason.strip(),
            )
    except IntegrityError:
        raise DecisionError(_("Verkställigheten är redan avbruten.")) from None


def _lock(clock: ExecutionClock, version: int | None) -> ExecutionClock:
    clock = ExecutionClock.objects.select_for_update().get(pk=clock.pk)
    if version is not None and version != clock.version:
        raise DecisionError(
            _("Uppgifterna har ändrats av någon annan. Ladda om sidan och försök igen.")
        )
    return clock


@transaction.atomic
def execution_resume(
    clock: ExecutionClock, *, actor: User, on: date, version: int | None = None
) -> ExecutionClock:
    """The interrupted execution was resumed on ``on``: the clock ends (34 kap. 2 §)."""
    clock = _lock(clock, version)
    if clock.kind != ExecutionClock.Kind.INTERRUPTION or not clock.is_running:
        raise DecisionError(_("Det finns inget pågående avbrott att avsluta."))
    _check_day(on)
    if on < clock.started_on:
        raise DecisionError(_("Verkställigheten kan inte återupptas före avbrottet."))
    _end_clock(clock, on=on, ending=ExecutionClock.Ending.RESUMED)
    return clock


@transaction.atomic
def execution_delay_reason(
    clock: ExecutionClock, *, actor: User, reason: str, version: int | None = None
) -> ExecutionClock:
    """The caseworker's reason for the delay, as reported to IVO and the revisorer
    (34 kap. 1 § tredje stycket). A stale form is refused, never overwrites."""
    clock = _lock(clock, version)
    reason = reason.strip()
    if not reason:
        raise DecisionError(_("Skriv skälet till dröjsmålet."))
    if reason == clock.delay_reason:
        return clock
    clock.delay_reason, clock.delay_reason_by, clock.delay_reason_at = (
        reason,
        actor,
        timezone.now(),
    )
    clock.version += 1
    clock.save(update_fields=["delay_reason", "delay_reason_by", "delay_reason_at", "version"])
    return clock
