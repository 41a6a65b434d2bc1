"""The clocks of plans, in the core's deadline engine (cases.deadlines).

- The plan deadline: a case gets one when it is opened, for the plan type that
  ``starts_clock`` (the arbetsplan: three months from the first visit, lag 1930:173 –
  Eslöv, sources/000; or, where a municipality says so, the jobbplan: five working days
  – Stockholm, sources/003). Until the first visit is recorded it is counted from the
  day the case was opened; recording the first visit counts it again from that day
  (DOMAIN.md §2.2: the first visit starts the arbetsplan clock). Its subject is the case,
  so the core moves it when the case is reassigned. It is met when a plan of any type is
  signed in the case – an introduktionsplan is "fully comparable" with an arbetsplan
  (sources/000), and a jobbplan is the plan where one is required (sources/003).
- Follow-up deadlines: each activity of a signed plan with a follow-up date; met by a
  follow-up (services.follow_up), cancelled when a later version is signed.

Reminders: the engine has one stage before due (SOON). The plan deadline reminds two
weeks before, the jobbplan deadline two days before, a follow-up a week before; overdue
deadlines escalate to the unit managers.
"""

from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from cases.deadlines import (
    DeadlineKind,
    cancel_deadlines,
    deadlines_figures_changed,
    meet_deadlines,
    open_deadline,
    register_kind,
)
from cases.models import Case, Deadline
from cases.workdays import end_of_day

PLAN_DEADLINE = "workplan"
JOBBPLAN_DEADLINE = "jobbplan"
FOLLOW_UP_DEADLINE = "workplan_follow_up"
PLAN_KINDS = (PLAN_DEADLINE, JOBBPLAN_DEADLINE)


def _case_url(deadline: Deadline) -> str:
    return reverse("case_detail", args=[deadline.subject_id]) + "#arbetsplan"


def _activity_url(deadline: Deadline) -> str:
    return reverse("workplans:activity_open", args=[deadline.subject_id])


register_kind(
    DeadlineKind(
        code=PLAN_DEADLINE,
        label="Arbetsplan ska vara undertecknad",
        remind_before=timedelta(days=14),
        url=_case_url,
    )
)
register_kind(
    DeadlineKind(
        code=JOBBPLAN_DEADLINE,
        label="Jobbplan ska vara undertecknad",
        remind_before=timedelta(days=2),
        url=_case_url,
    )
)
register_kind(
    DeadlineKind(
        code=FOLLOW_UP_DEADLINE,
        label="Uppföljning av aktivitet i arbetsplan",
        remind_before=timedelta(days=7),
        url=_activity_url,
    )
)


def kind_for(plan_type) -> str:
    from workplans.models import DeadlineRule

    if plan_type.deadline_rule == DeadlineRule.WORKING_DAYS:
        return JOBBPLAN_DEADLINE
    return PLAN_DEADLINE


def clock_plan_type():
    from workplans.models import PlanType

    return PlanType.objects.filter(starts_clock=True, is_active=True).first()


def has_signed_plan(case: Case) -> bool:
    from workplans.models import PlanVersion

    return PlanVersion.objects.filter(
        plan__case=case, status__in=PlanVersion.FROZEN_STATES
    ).exists()


def plan_deadline_start(case: Case, *, now: datetime | None = None) -> Deadline | None:
    """Open (or open again, counted from the first visit) the case's plan deadline.
    Nothing when the case is closed, already has a signed plan, or no type starts a
    clock. Call inside the transaction of the event (case opened, first visit)."""
    if case.is_closed or has_signed_plan(case):
        return None
    plan_type = clock_plan_type()
    if plan_type is None:
        return None
    start = case.first_visit_on or case.opened_on
    for kind in PLAN_KINDS:
        cancel_deadlines(case, kind=kind)
    return open_deadline(
        kind=kind_for(plan_type),
        subject=case,
        due_at=end_of_day(plan_type.due_on(start)),
        unit=case.unit,
        responsible=case.caseworker,
        now=now,
    )


def plan_deadline_meet(case: Case, *, at: datetime | None = None) -> int:
    return sum(meet_deadlines(case, kind=kind, at=at or timezone.now()) for kind in PLAN_KINDS)


def plan_deadline(case: Case) -> Deadline | None:
    """The case's current plan deadline (open or met), for display."""
    return (
        Deadline.objects.filter(
            subject_type=ContentType.objects.get_for_model(Case),
            subject_id=case.pk,
            kind__in=PLAN_KINDS,
        )
        .exclude(state=Deadline.State.CANCELLED)
        .order_by("-opened_at", "-pk")
        .first()
    )


def follow_up_deadlines_reassign(case: Case, responsible) -> int:
    """Follow-up deadlines go with the case to its new caseworker."""
    from workplans.models import Activity

    return (
        activity_deadlines(Activity.objects.filter(version__plan__case=case).values("pk"))
        .filter(state=Deadline.State.OPEN)
        .update(responsible=responsible)
    )


def follow_up_deadlines_cancel_for_case(case: Case) -> int:
    from workplans.models import Activity

    query = activity_deadlines(Activity.objects.filter(version__plan__case=case).values("pk"))
    query = query.filter(state=Deadline.State.OPEN)
    deadlines_figures_changed(query)  # counted in the plans indicator (reporting)
    return query.update(state=Deadline.State.CANCELLED)


def activity_deadlines(activity_ids) -> QuerySet[Deadline]:
    from workplans.models import Activity

    return Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(Activity),
        subject_id__in=activity_ids,
        kind=FOLLOW_UP_DEADLINE,
    )


def follow_up_deadlines_open(version, *, now: datetime | None = None) -> list[Deadline]:
    """A follow-up deadline for each activity of a newly signed version that has a
    follow-up date and is not finished."""
    from workplans.models import ActivityStatus

    case = version.plan.case
    return [
        open_deadline(
            kind=FOLLOW_UP_DEADLINE,
            subject=activity,
            due_at=end_of_day(activity.follow_up_on),
            unit=case.unit,
            responsible=case.caseworker,
            now=now,
        )
        for activity in version.activities.exclude(
            status__in=[ActivityStatus.DONE, ActivityStatus.CANCELLED]
        ).filter(follow_up_on__isnull=False)
    ]


def follow_up_deadlines_cancel(version) -> int:
    query = activity_deadlines(version.activities.values_list("pk", flat=True)).filter(
        state=Deadline.State.OPEN
    )
    deadlines_figures_changed(query)  # counted in the plans indicator (reporting)
    return query.update(state=Deadline.State.CANCELLED)
