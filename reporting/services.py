"""Writes of the unit manager's follow-up: case reviews and the monthly log review."""

from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cases.deadlines import DeadlineKind, open_deadline, register_kind
from cases.models import Case, Unit, User
from cases.roles import Role
from cases.workdays import end_of_day
from reporting.models import AccessLogReview, CaseReview, ReviewAction

REVIEW_ACTION = "review_action"

register_kind(
    DeadlineKind(
        code=REVIEW_ACTION,
        label="Åtgärd från ärendegenomgång",
        remind_before=timezone.timedelta(days=2),
        url=lambda deadline: reverse("reporting:case_reviews"),
    )
)


class ReviewError(Exception):
    pass


@transaction.atomic
def case_review_record(
    *,
    actor: User,
    caseworker: User,
    held_on: date,
    cases: list[Case],
    notes: str = "",
    actions: list[tuple[str, date]] = (),
) -> CaseReview:
    """Record an ärendegenomgång; each agreed action becomes a deadline for the
    caseworker in the deadline engine."""
    unit = actor.unit
    if unit is None or caseworker.unit_id != unit.pk or not caseworker.has_role(Role.CASEWORKER):
        raise ReviewError("Välj en handläggare i din enhet.")
    if held_on > timezone.localdate():
        raise ReviewError("Datumet kan inte ligga i framtiden.")
    if any(case.unit_id != unit.pk for case in cases):
        raise ReviewError("Bara ärenden i din enhet kan ingå.")
    review = CaseReview.objects.create(
        unit=unit, caseworker=caseworker, manager=actor, held_on=held_on, notes=notes.strip()
    )
    review.cases.set(cases)
    for what, due_on in actions:
        action = ReviewAction.objects.create(review=review, what=what.strip(), due_on=due_on)
        open_deadline(
            kind=REVIEW_ACTION,
            subject=action,
            due_at=end_of_day(due_on),
            unit=unit,
            responsible=caseworker,
        )
    return review


def access_log_review_mark(
    *, actor: User, unit: Unit, month: date, notes: str = ""
) -> AccessLogReview:
    """Mark the month's access-log review done (once per unit and month)."""
    month = month.replace(day=1)
    try:
        with transaction.atomic():
            return AccessLogReview.objects.create(
                unit=unit, month=month, reviewed_by=actor, notes=notes.strip()
            )
    except IntegrityError:
        return AccessLogReview.objects.get(unit=unit, month=month)
