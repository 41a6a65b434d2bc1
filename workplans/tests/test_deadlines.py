"""The plan clock: three months from the first visit (lag 1930:173) or five working
days for a jobbplan, reminders once per stage, escalation, met by a signed plan, and
follow-up dates as deadlines."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from cases.deadlines import sweep
from cases.models import ClosingReason, Deadline, Meeting, Notification
from cases.roles import Role
from cases.services.casework import case_close, case_reassign, meeting_plan, meeting_record
from cases.tests.factories import CaseFactory
from cases.workdays import STOCKHOLM
from workplans import deadlines
from workplans.models import PlanType
from workplans.services import follow_up_record, workplan_sign
from workplans.tests.conftest import ready_plan, scan, signed_plan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("first_visit", "due"),
    [
        # Same date three months on.
        (date(2026, 9, 3), date(2026, 12, 3)),
        # Month ends: the date does not exist → the month's last day (lag 1930:173 2 §).
        (date(2026, 8, 31), date(2026, 11, 30)),
        (date(2027, 3, 31), date(2027, 6, 30)),
        # … and that last day is a Sunday → the next working day.
        (date(2026, 11, 30), date(2027, 3, 1)),
        # Leap year: 29 February exists in 2028.
        (date(2027, 11, 30), date(2028, 2, 29)),
        # Before holidays: julafton, juldagen and the weekend → Monday 28 December.
        (date(2026, 9, 24), date(2026, 12, 28)),
        # Midsommarafton (a Friday) → Monday.
        (date(2026, 3, 19), date(2026, 6, 22)),
        # Nyårsdagen (a Friday) and the weekend → Monday 4 January.
        (date(2026, 10, 1), date(2027, 1, 4)),
        # Nyårsafton as the first visit: 31 March is an ordinary Tuesday.
        (date(2025, 12, 31), date(2026, 3, 31)),
    ],
)
def test_three_months_from_the_first_visit(first_visit, due, arbetsplan):
    assert arbetsplan.due_on(first_visit) == due


@pytest.mark.parametrize(
    ("first_visit", "due"),
    [
        (date(2026, 11, 23), date(2026, 11, 30)),  # Monday → the next Monday
        # Before Christmas: julafton, juldagen, annandag jul, nyårsafton, nyårsdagen and
        # trettondedag jul do not count.
        (date(2026, 12, 23), date(2027, 1, 5)),
        # Midsommar: the eve and midsommardagen (Saturday) do not count.
        (date(2026, 6, 18), date(2026, 6, 26)),
        # A first visit on a Saturday: counting starts on Monday.
        (date(2026, 11, 21), date(2026, 11, 27)),
    ],
)
def test_jobbplan_within_five_working_days(first_visit, due):
    assert PlanType.objects.get(code="jobbplan").due_on(first_visit) == due


def plan_deadline(case):
    return Deadline.objects.get(
        subject_id=case.pk, kind__in=deadlines.PLAN_KINDS, state=Deadline.State.OPEN
    )


def test_opening_a_case_registers_the_plan_deadline(case, caseworker):
    deadline = plan_deadline(case)
    assert deadline.kind == deadlines.PLAN_DEADLINE
    assert deadline.responsible == caseworker
    assert deadline.unit == case.unit
    expected = PlanType.objects.get(code="arbetsplan").due_on(case.opened_on)
    assert deadline.due_at == datetime.combine(expected, time(23, 59), tzinfo=STOCKHOLM)
    # Two weeks before on the calendar, at the same time of day (even across DST).
    assert timezone.localtime(deadline.remind_at) == datetime.combine(
        expected - timedelta(days=14), time(23, 59), tzinfo=STOCKHOLM
    )


@pytest.mark.parametrize(
    ("opened_at", "due", "hours_between"),
    [
        # Due 31 March: the clocks go forward on 28 March 2027 → the two weeks are 1 h short.
        (datetime(2026, 12, 31, 12, tzinfo=STOCKHOLM), date(2027, 3, 31), 14 * 24 - 1),
        # Due 2 November: the clocks go back on 31 October 2027 → one hour longer.
        (datetime(2027, 8, 2, 12, tzinfo=STOCKHOLM), date(2027, 11, 2), 14 * 24 + 1),
        # No change in between.
        (datetime(2027, 4, 1, 12, tzinfo=STOCKHOLM), date(2027, 7, 1), 14 * 24),
    ],
)
def test_plan_reminder_is_two_calendar_weeks_before_across_dst(
    caseworker, applicant, opened_at, due, hours_between
):
    with time_machine.travel(opened_at, tick=False):
        case = CaseFactory(caseworker=caseworker, applicant=applicant)
    deadline = plan_deadline(case)
    assert timezone.localtime(deadline.due_at) == datetime.combine(due, time(23, 59), STOCKHOLM)
    assert timezone.localtime(deadline.remind_at) == datetime.combine(
        due - timedelta(days=14), time(23, 59), tzinfo=STOCKHOLM
    )
    assert deadline.due_at - deadline.remind_at == timedelta(hours=hours_between)


def record_first_visit(case, actor, day):
    meeting = meeting_plan(
        case,
        actor=actor,
        kind=Meeting.Kind.FIRST_VISIT,
        planned_at=datetime.combine(day, time(9, 30), tzinfo=STOCKHOLM),
    )
    meeting_record(meeting, actor=actor, state=Meeting.State.HELD, client_attended=True)


def test_the_first_visit_restarts_the_clock_from_its_date(case, caseworker):
    first_visit = timezone.localdate() - timedelta(days=40)
    record_first_visit(case, caseworker, first_visit)

    deadline = plan_deadline(case)
    due = PlanType.objects.get(code="arbetsplan").due_on(first_visit)
    assert deadline.due_at.astimezone(STOCKHOLM).date() == due
    # The clock counted from the opening day is gone, not doubled.
    assert Deadline.objects.filter(subject_id=case.pk, kind="workplan", state="open").count() == 1


def test_a_municipality_requiring_a_jobbplan_gets_the_five_day_clock(caseworker, applicant):
    from cases.tests.factories import CaseFactory

    PlanType.objects.update(starts_clock=False)
    PlanType.objects.filter(code="jobbplan").update(starts_clock=True)
    case = CaseFactory(caseworker=caseworker, applicant=applicant)

    deadline = plan_deadline(case)
    assert deadline.kind == deadlines.JOBBPLAN_DEADLINE
    due = PlanType.objects.get(code="jobbplan").due_on(case.opened_on)
    assert deadline.due_at.astimezone(STOCKHOLM).date() == due


def recipients(stage):
    return sorted(
        Notification.objects.filter(stage=stage, deadline__kind="workplan").values_list(
            "recipient__username", flat=True
        )
    )


def test_reminders_fire_once_per_stage_and_escalate_to_the_unit_manager(
    case, caseworker, unit_manager
):
    deadline = plan_deadline(case)

    sweep(deadline.remind_at - timedelta(hours=1))
    assert recipients("soon") == []

    sweep(deadline.remind_at + timedelta(hours=1))
    sweep(deadline.remind_at + timedelta(hours=2))
    sweep(deadline.due_at - timedelta(hours=1))
    assert recipients("soon") == [caseworker.username]

    sweep(deadline.due_at + timedelta(minutes=5))
    sweep(deadline.due_at + timedelta(days=3))
    assert recipients("overdue") == sorted([caseworker.username, unit_manager.username])
    assert recipients("soon") == [caseworker.username]


def test_a_signed_plan_meets_the_deadline_and_no_reminder_follows(case, caseworker):
    deadline = plan_deadline(case)
    signed_plan(case, caseworker)

    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.MET
    sweep(deadline.due_at + timedelta(days=1))
    assert not Notification.objects.filter(deadline=deadline).exists()


def test_one_signature_does_not_meet_the_deadline(case, caseworker):
    plan = ready_plan(case, caseworker)
    workplan_sign(
        plan.versions.get(),
        actor=caseworker,
        party="client",
        method="in_person",
        signed_on=timezone.localdate(),
        scanned_copy=scan(),
    )
    assert plan_deadline(case).state == Deadline.State.OPEN


def test_a_first_visit_after_signing_does_not_reopen_the_clock(case, caseworker):
    signed_plan(case, caseworker)
    record_first_visit(case, caseworker, timezone.localdate() - timedelta(days=1))
    assert not Deadline.objects.filter(
        subject_id=case.pk, kind="workplan", state=Deadline.State.OPEN
    ).exists()


def follow_up_deadlines(plan, state=Deadline.State.OPEN):
    version = plan.versions.get(status="signed")
    return deadlines.activity_deadlines(version.activities.values("pk")).filter(state=state)


def test_follow_up_dates_of_a_signed_plan_become_deadlines(case, caseworker):
    plan = ready_plan(case, caseworker)
    version = plan.versions.get()
    # A plan that is not signed is not an agreement yet: no follow-up clocks.
    assert not deadlines.activity_deadlines(version.activities.values("pk")).exists()

    today = timezone.localdate()
    workplan_sign(
        version,
        actor=caseworker,
        party="client",
        method="in_person",
        signed_on=today,
        scanned_copy=scan(),
    )
    workplan_sign(
        version, actor=caseworker, party="caseworker", method="in_person", signed_on=today
    )

    due = {d.subject_id: d.due_at.astimezone(STOCKHOLM).date() for d in follow_up_deadlines(plan)}
    assert due == {a.pk: a.follow_up_on for a in version.activities.all()}
    assert {d.responsible for d in follow_up_deadlines(plan)} == {caseworker}


def test_a_follow_up_meets_the_follow_up_deadlines_it_covers(case, caseworker):
    plan = signed_plan(case, caseworker)
    version = plan.versions.get(status="signed")
    first, _second = version.activities.order_by("position")

    follow_up_record(version, actor=caseworker, held_on=timezone.localdate())

    # Both follow-up dates (30 and 31 days ahead) are beyond the two-week window.
    assert follow_up_deadlines(plan).count() == 2
    assert first.follow_up_on > timezone.localdate() + timedelta(days=14)


def test_a_follow_up_near_the_date_meets_it(case, caseworker):
    from workplans.services import activity_add, plan_make_ready
    from workplans.tests.conftest import draft_plan

    plan = draft_plan(case, caseworker, activities=0)
    version = plan.versions.get()
    activity_add(
        plan,
        actor=caseworker,
        what="Kontakta Arbetsförmedlingen",
        follow_up_on=timezone.localdate() + timedelta(days=5),
    )
    plan_make_ready(version, actor=caseworker)
    today = timezone.localdate()
    workplan_sign(
        version,
        actor=caseworker,
        party="client",
        method="in_person",
        signed_on=today,
        scanned_copy=scan(),
    )
    workplan_sign(
        version, actor=caseworker, party="caseworker", method="in_person", signed_on=today
    )
    assert follow_up_deadlines(plan).count() == 1

    follow_up_record(plan.versions.get(status="signed"), actor=caseworker, held_on=today)

    assert follow_up_deadlines(plan).count() == 0
    assert follow_up_deadlines(plan, Deadline.State.MET).count() == 1


def test_follow_up_reminders_fire_once_per_stage(case, caseworker):
    plan = signed_plan(case, caseworker, activities=1)
    deadline = follow_up_deadlines(plan).get()

    for _ in range(3):
        sweep(deadline.remind_at + timedelta(hours=1))
    for _ in range(2):
        sweep(deadline.due_at + timedelta(hours=1))

    stages = list(
        Notification.objects.filter(deadline=deadline, recipient=caseworker).values_list(
            "stage", flat=True
        )
    )
    assert sorted(stages) == ["overdue", "soon"]


def test_reassigning_the_case_moves_plan_and_follow_up_deadlines(
    case, caseworker, make_user, unit_manager
):
    plan = signed_plan(case, caseworker)
    other = make_user(Role.CASEWORKER)
    # A second case-level clock would be met already; open follow-ups must move.
    case_reassign(case, other, actor=unit_manager)

    assert {d.responsible for d in follow_up_deadlines(plan)} == {other}


def test_closing_the_case_cancels_its_plan_clocks(case, caseworker):
    plan = signed_plan(case, caseworker)
    case_close(case, actor=caseworker, reason=ClosingReason.objects.first())

    assert follow_up_deadlines(plan).count() == 0
    assert not Deadline.objects.filter(
        subject_id=case.pk, kind__in=deadlines.PLAN_KINDS, state=Deadline.State.OPEN
    ).exists()


def test_closing_an_unplanned_case_cancels_the_plan_deadline(case, caseworker):
    deadline = plan_deadline(case)
    case_close(case, actor=caseworker, reason=ClosingReason.objects.first())
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.CANCELLED


def test_reminder_links_lead_to_the_case_and_the_plan(case, caseworker, client):
    from cases.deadlines import url_for

    deadline = plan_deadline(case)
    assert url_for(deadline) == f"/arenden/{case.pk}/#arbetsplan"
    plan = signed_plan(case, caseworker, activities=1)
    follow_up = follow_up_deadlines(plan).get()
    client.force_login(caseworker)
    response = client.get(url_for(follow_up))
    assert response.status_code == 302
    assert response["Location"] == f"/arbetsplaner/{plan.pk}/#uppfoljning"
