"""Following up a signed plan: a follow-up records each activity's status (the signed
plan itself is not changed) and meets the follow-up deadlines it covers."""

from datetime import date, timedelta
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.idempotency import create_once, made_with
from cases.models import Deadline, User
from workplans import deadlines
from workplans.errors import WorkPlanError
from workplans.models import ActivityStatus, FollowUp, FollowUpEntry, PlanVersion
from workplans.services.plans import _check_case_open, _lock, current_statuses

# A follow-up meeting covers the activities whose follow-up date has come or comes
# within this many days: meetings are often held a little before the date in the plan.
FOLLOW_UP_EARLY = timedelta(days=14)


@transaction.atomic
def follow_up_record(
    version: PlanVersion,
    *,
    actor: User,
    held_on: date,
    participants: str = "",
    note: str = "",
    client_view: str = "",
    statuses: dict[int, tuple[str, str]] | None = None,
    idempotency_key: UUID | None = None,
) -> FollowUp:
    """Record a follow-up of the plan in force. ``statuses`` maps activity ids to (status,
    comment); activities left out keep their current status. The same form posted again
    (``idempotency_key``) returns the follow-up it recorded."""
    version = _lock(version)
    owned = FollowUp.objects.filter(version=version, recorded_by=actor)
    existing = made_with(owned, idempotency_key)
    if existing is not None:
        return existing
    _check_case_open(version.plan.case)
    if version.status != PlanVersion.Status.SIGNED:
        raise WorkPlanError(_("Bara planen som gäller kan följas upp."))
    if held_on > timezone.localdate():
        raise WorkPlanError(_("En uppföljning kan inte registreras i förväg."))
    if held_on < timezone.localtime(version.signed_at).date():
        raise WorkPlanError(_("Uppföljningen kan inte ligga före planens underskrift."))
    statuses = statuses or {}
    current = current_statuses(version)
    if set(statuses) - set(current):
        raise WorkPlanError(_("Aktiviteten finns inte i planen."))
    for status, _comment in statuses.values():
        if status not in ActivityStatus.values:
            raise WorkPlanError(_("Välj status för varje aktivitet."))
    follow_up, _created = create_once(
        owned,
        idempotency_key,
        lambda: FollowUp.objects.create(
            version=version,
            held_on=held_on,
            participants=participants.strip(),
            note=note.strip(),
            client_view=client_view.strip(),
            recorded_by=actor,
            idempotency_key=idempotency_key,
        ),
    )
    if not _created:
        return follow_up
    FollowUpEntry.objects.bulk_create(
        FollowUpEntry(
            follow_up=follow_up,
            activity_id=pk,
            status=statuses.get(pk, (status, ""))[0],
            comment=statuses.get(pk, (status, ""))[1].strip(),
        )
        for pk, status in current.items()
    )
    covered = version.activities.filter(follow_up_on__lte=held_on + FOLLOW_UP_EARLY)
    deadlines.activity_deadlines(covered.values("pk")).filter(state=Deadline.State.OPEN).update(
        state=Deadline.State.MET, met_at=timezone.now()
    )
    return follow_up
