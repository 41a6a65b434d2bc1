"""The deadline engine: kinds, opening and meeting deadlines, and the sweep.

DESIGN.md "Deadlines, reminders and notifications". Other apps register their kinds
(workplan, appeal_forward, referral_response, supplement, …) with ``register_kind`` in
their AppConfig.ready(); ``cases`` imports none of them.

The sweep is set-based: one statement advances every stage (UPDATE … RETURNING) and
writes the notifications of the moved rows (INSERT … SELECT … ON CONFLICT DO NOTHING),
so its query count is fixed however many deadlines are open, and a rerun, a retried
task or two sweeps at once cannot create a second notification (unique deadline,
stage, recipient). Its e-mails leave as one Celery message after commit.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.urls import reverse
from django.utils import timezone

from cases.figures import figures_changed, month_of
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
    # The plans indicator counts deadlines by the month they fall due (reporting).
    figures_changed(unit_id=unit.pk, months=[due_at])
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
    query = deadlines_for(subject, kind).filter(state=Deadline.State.OPEN)
    deadlines_figures_changed(query)
    return query.update(state=Deadline.State.MET, met_at=at or timezone.now())


def cancel_deadlines(subject: models.Model, *, kind: str | None = None) -> int:
    query = deadlines_for(subject, kind).filter(state=Deadline.State.OPEN)
    deadlines_figures_changed(query)
    return query.update(state=Deadline.State.CANCELLED)


def deadlines_figures_changed(query: models.QuerySet[Deadline]) -> None:
    """Before ``query``'s deadlines are met or cancelled: the months they fall due in are
    to be counted again (cases.figures; the plans indicator counts met and cancelled)."""
    touched: dict[int, set] = defaultdict(set)
    for unit_id, due_at in query.values_list("unit_id", "due_at").order_by():
        touched[unit_id].add(month_of(due_at))
    for unit_id, months in touched.items():
        figures_changed(unit_id=unit_id, months=months)


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


def _sweep_sql() -> str:
    """One statement: the UPDATE that moves every deadline that reached a stage (NONE →
    SOON, NONE/SOON → OVERDUE) returns the moved rows, and the INSERT writes their
    notifications from those rows – no second scan of cases_deadline. Two sweeps at once
    are serialised by the row locks of the UPDATE: the second re-checks the stage of a
    row the first moved (READ COMMITTED) and skips it; ON CONFLICT is the last guard."""
    deadline = Deadline._meta.db_table
    notification = Notification._meta.db_table
    user = User._meta.db_table
    user_groups = User.groups.through._meta.db_table
    group = Group._meta.db_table
    # Who hears of a stage: SOON → the responsible person, or the unit managers when
    # nobody (active) is responsible; OVERDUE → the responsible person and, as
    # escalation, the unit managers.
    # Table names come from model metadata; every value is a query parameter.
    return f"""
        WITH moved AS (
            UPDATE {deadline} d
            SET stage = CASE WHEN d.due_at <= %(now)s THEN %(overdue)s ELSE %(soon)s END
            WHERE d.state = 'open' AND (
                (d.stage = 'none' AND d.remind_at <= %(now)s AND d.due_at > %(now)s)
                OR (d.stage IN ('none', 'soon') AND d.due_at <= %(now)s)
            )
            RETURNING d.id, d.stage, d.responsible_id, d.unit_id
        ),
        recipients AS (
            SELECT m.id AS deadline_id, m.stage, r.id AS user_id, r.email
            FROM moved m JOIN {user} r ON r.id = m.responsible_id AND r.is_active
            UNION ALL
            SELECT m.id, m.stage, u.id, u.email
            FROM moved m
            JOIN {user} u ON u.unit_id = m.unit_id AND u.is_active
            JOIN {user_groups} ug ON ug.user_id = u.id
            JOIN {group} g ON g.id = ug.group_id AND g.name = %(manager_group)s
            LEFT JOIN {user} r ON r.id = m.responsible_id
            WHERE m.stage = %(overdue)s OR r.id IS NULL OR NOT r.is_active
        ),
        created AS (
            INSERT INTO {notification}
                (deadline_id, stage, recipient_id, created_at, email_state)
            SELECT deadline_id, stage, user_id, %(now)s,
                   CASE WHEN email = '' THEN 'skipped' ELSE 'pending' END
            FROM recipients
            ON CONFLICT (deadline_id, stage, recipient_id) DO NOTHING
            RETURNING id
        )
        SELECT
            (SELECT count(*) FROM moved WHERE stage = %(soon)s),
            (SELECT count(*) FROM moved WHERE stage = %(overdue)s),
            (SELECT coalesce(array_agg(id ORDER BY id), '{{}}') FROM created)
    """  # noqa: S608


def sweep(now: datetime | None = None) -> SweepResult:
    """Write the notifications every open deadline has reached and advance the stages,
    in one statement. Safe to run again, concurrently, or after a crash: the database
    remembers. The e-mails are queued after commit as one Celery message (a task that
    fans the batches out in the worker), so the broker is never touched inside the
    transaction and the sweep's cost does not grow with the number of e-mails."""
    now = now or timezone.now()
    params = {
        "now": connection.ops.adapt_datetimefield_value(now),
        "soon": Notification.Stage.SOON.value,
        "overdue": Notification.Stage.OVERDUE.value,
        "manager_group": Role.UNIT_MANAGER.value,
    }
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_sweep_sql(), params)
            moved_soon, moved_overdue, created = cursor.fetchone()
        created = list(created)
        if created:
            from cases.notifications import enqueue_email_range

            first, last = created[0], created[-1]
            transaction.on_commit(lambda: enqueue_email_range(first, last))
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
