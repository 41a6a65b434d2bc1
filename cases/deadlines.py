"""The deadline engine: kinds, opening and meeting deadlines, and the sweep.

DESIGN.md "Deadlines, reminders and notifications". Other apps register their kinds
(workplan, appeal_forward, referral_response, supplement, …) with ``register_kind`` in
their AppConfig.ready(); ``cases`` imports none of them.

The sweep is set-based: one INSERT … SELECT … ON CONFLICT DO NOTHING writes every due
notification and two UPDATEs advance the stages, so its query count is fixed however
many deadlines are open, and a rerun, a retried task or two sweeps at once cannot
create a second notification (unique deadline, stage, recipient).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.urls import reverse
from django.utils import timezone

from cases.models import Deadline, Notification, Unit, User
from cases.roles import Role


@dataclass(frozen=True)
class DeadlineKind:
    code: str
    label: str  # Swedish, shown in inboxes and e-mails: what must be done
    remind_before: timedelta  # the SOON stage starts this long before due_at
    url: Callable[[Deadline], str]  # where the responsible person acts on it


_KINDS: dict[str, DeadlineKind] = {}


def register_kind(kind: DeadlineKind) -> None:
    _KINDS[kind.code] = kind


def get_kind(code: str) -> DeadlineKind:
    return _KINDS[code]


def registered_kinds() -> dict[str, DeadlineKind]:
    return dict(_KINDS)


def remind_from(due_at: datetime, lead: timedelta) -> datetime:
    """When the SOON stage starts: ``lead`` before ``due_at``. A lead of whole days counts
    calendar days on Stockholm's clock – 14 days before 31 March 23:59 is 17 March 23:59,
    although the clocks moved in between (13 × 24 + 23 hours) – shorter leads are
    elapsed time."""
    if lead % timedelta(days=1):
        return due_at - lead
    # Arithmetic on an aware datetime in one zone keeps the wall-clock time.
    return timezone.localtime(due_at) - lead


def open_deadline(
    *,
    kind: str,
    subject: models.Model,
    due_at: datetime,
    unit: Unit,
    responsible: User | None = None,
    now: datetime | None = None,
) -> Deadline:
    """Open a deadline; call inside the transaction of the event that causes it."""
    spec = get_kind(kind)
    opened = now or timezone.now()
    return Deadline.objects.create(
        kind=kind,
        subject=subject,
        due_at=due_at,
        remind_at=max(min(opened, due_at), remind_from(due_at, spec.remind_before)),
        unit=unit,
        responsible=responsible,
        opened_at=opened,
    )


def deadlines_for(subject: models.Model, kind: str | None = None) -> models.QuerySet[Deadline]:
    query = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    )
    return query.filter(kind=kind) if kind else query


def meet_deadlines(
    subject: models.Model, *, kind: str | None = None, at: datetime | None = None
) -> int:
    """Mark the subject's open deadlines met; returns how many."""
    return (
        deadlines_for(subject, kind)
        .filter(state=Deadline.State.OPEN)
        .update(state=Deadline.State.MET, met_at=at or timezone.now())
    )


def cancel_deadlines(subject: models.Model, *, kind: str | None = None) -> int:
    return (
        deadlines_for(subject, kind)
        .filter(state=Deadline.State.OPEN)
        .update(state=Deadline.State.CANCELLED)
    )


def reassign_deadlines(
    subject: models.Model, responsible: User | None, *, kind: str | None = None
) -> int:
    return (
        deadlines_for(subject, kind)
        .filter(state=Deadline.State.OPEN)
        .update(responsible=responsible)
    )


@dataclass(frozen=True)
class SweepResult:
    notifications: list[int]  # ids of the notifications this sweep created
    soon: int  # deadlines moved to SOON
    overdue: int  # deadlines moved to OVERDUE


# Deadlines reaching a stage, in SQL over cases_deadline AS d. Parameters: now (x2).
_SOON = "d.state = 'open' AND d.stage = 'none' AND d.remind_at <= %s AND d.due_at > %s"
_OVERDUE = "d.state = 'open' AND d.stage IN ('none', 'soon') AND d.due_at <= %s"


def _sweep_sql() -> str:
    deadline = Deadline._meta.db_table
    notification = Notification._meta.db_table
    user = User._meta.db_table
    user_groups = User.groups.through._meta.db_table
    group = Group._meta.db_table
    # Who hears of a stage: SOON → the responsible person, or the unit managers when
    # nobody (active) is responsible; OVERDUE → the responsible person and, as
    # escalation, the unit managers.
    # Table names come from model metadata; every value is a query parameter.
    responsible = f"""
        SELECT d.id, %s, r.id, %s, CASE WHEN r.email = '' THEN 'skipped' ELSE 'pending' END
        FROM {deadline} d JOIN {user} r ON r.id = d.responsible_id AND r.is_active = %s
        WHERE {{condition}}"""  # noqa: S608
    managers = f"""
        SELECT d.id, %s, m.id, %s, CASE WHEN m.email = '' THEN 'skipped' ELSE 'pending' END
        FROM {deadline} d
        JOIN {user} m ON m.unit_id = d.unit_id AND m.is_active = %s
        JOIN {user_groups} ug ON ug.user_id = m.id
        JOIN {group} g ON g.id = ug.group_id AND g.name = %s
        LEFT JOIN {user} r ON r.id = d.responsible_id
        WHERE {{condition}}"""  # noqa: S608
    parts = [
        responsible.format(condition=_SOON),
        managers.format(condition=f"{_SOON} AND (r.id IS NULL OR r.is_active = %s)"),
        responsible.format(condition=_OVERDUE),
        managers.format(condition=_OVERDUE),
    ]
    return (
        f"INSERT INTO {notification} (deadline_id, stage, recipient_id, created_at, email_state) "
        + " UNION ALL ".join(parts)
        + " ON CONFLICT (deadline_id, stage, recipient_id) DO NOTHING RETURNING id"
    )


def sweep(now: datetime | None = None) -> SweepResult:
    """Write the notifications every open deadline has reached and advance the stages.
    Safe to run again, concurrently, or after a crash: the database remembers."""
    now = now or timezone.now()
    at = connection.ops.adapt_datetimefield_value(now)
    soon, overdue = Notification.Stage.SOON.value, Notification.Stage.OVERDUE.value
    manager_group = Role.UNIT_MANAGER.value
    params = [
        *(soon, at, True, at, at),
        *(soon, at, True, manager_group, at, at, False),
        *(overdue, at, True, at),
        *(overdue, at, True, manager_group, at),
    ]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_sweep_sql(), params)
            created = [row[0] for row in cursor.fetchall()]
        open_ = Deadline.objects.filter(state=Deadline.State.OPEN)
        moved_overdue = open_.filter(
            stage__in=[Deadline.Stage.NONE, Deadline.Stage.SOON], due_at__lte=now
        ).update(stage=Deadline.Stage.OVERDUE)
        moved_soon = open_.filter(
            stage=Deadline.Stage.NONE, remind_at__lte=now, due_at__gt=now
        ).update(stage=Deadline.Stage.SOON)
        if created:
            from cases.notifications import enqueue_emails

            transaction.on_commit(lambda: enqueue_emails(created))
    return SweepResult(notifications=created, soon=moved_soon, overdue=moved_overdue)


def notify(deadline: Deadline, stage: str, recipients: Iterable[User]) -> list[Notification]:
    """Notify now, outside the sweep (e.g. acute need → the on-duty caseworker).
    Idempotent like the sweep: an existing (deadline, stage, recipient) is kept."""
    created = []
    for user in recipients:
        notification, was_created = Notification.objects.get_or_create(
            deadline=deadline,
            stage=stage,
            recipient=user,
            defaults={
                "email_state": Notification.EmailState.PENDING
                if user.email
                else Notification.EmailState.SKIPPED
            },
        )
        if was_created:
            created.append(notification)
    if created:
        from cases.notifications import enqueue_emails

        ids = [n.pk for n in created]
        transaction.on_commit(lambda: enqueue_emails(ids))
    return created


def unit_managers(unit: Unit) -> list[User]:
    return list(unit.managers())


def url_for(deadline: Deadline) -> str:
    try:
        return get_kind(deadline.kind).url(deadline)
    except KeyError:
        return reverse("inbox")
