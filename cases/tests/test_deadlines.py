"""The deadline engine: stages, recipients, idempotency under reruns, concurrency,
crashes and a flushed broker – against PostgreSQL and real Redis."""

import threading
import time
from datetime import timedelta

import pytest
import redis
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from cases.deadlines import meet_deadlines, open_deadline, sweep
from cases.models import Deadline, Notification
from cases.roles import Role
from cases.tasks import send_notification_emails, sweep_deadlines
from cases.tests.backends import WorkerKilledAfterSend

HOUR = timedelta(hours=1)


@pytest.fixture
def subject(unit):
    return unit  # any model instance can be a deadline's subject


def open_callback(subject, unit, responsible, due_in, now):
    return open_deadline(
        kind="callback",
        subject=subject,
        due_at=now + due_in,
        unit=unit,
        responsible=responsible,
        now=now - 24 * HOUR,
    )


def recipients(stage):
    return sorted(
        Notification.objects.filter(stage=stage).values_list("recipient__username", flat=True)
    )


@pytest.mark.django_db
def test_stages_go_to_the_right_people(subject, unit, caseworker, unit_manager):
    now = timezone.now()
    deadline = open_callback(subject, unit, caseworker, 2 * HOUR, now)

    assert sweep(now - 3 * HOUR).notifications == []  # not yet in the reminder window
    sweep(now)
    assert recipients("soon") == [caseworker.username]
    deadline.refresh_from_db()
    assert deadline.stage == Deadline.Stage.SOON

    sweep(now + 3 * HOUR)
    assert recipients("overdue") == sorted([caseworker.username, unit_manager.username])
    deadline.refresh_from_db()
    assert deadline.stage == Deadline.Stage.OVERDUE


@pytest.mark.django_db
def test_unassigned_deadline_reminds_the_unit_managers(
    subject, unit, unit_manager, make_user, other_unit
):
    make_user(Role.UNIT_MANAGER, unit=other_unit)  # another unit's manager hears nothing
    now = timezone.now()
    open_callback(subject, unit, None, HOUR, now)

    sweep(now)

    assert recipients("soon") == [unit_manager.username]


@pytest.mark.django_db
def test_met_deadline_is_not_reminded(subject, unit, caseworker, unit_manager):
    now = timezone.now()
    open_callback(subject, unit, caseworker, -HOUR, now)
    meet_deadlines(subject, kind="callback", at=now)

    assert sweep(now + HOUR).notifications == []
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_sweep_twice_creates_each_notification_once(subject, unit, caseworker, unit_manager):
    now = timezone.now()
    for hours in (-5, -1, 1, 3):
        open_callback(subject, unit, caseworker, hours * HOUR, now)

    first = sweep(now)
    count = Notification.objects.count()
    Deadline.objects.update(stage=Deadline.Stage.NONE)  # even if the stage were lost
    second = sweep(now)

    assert len(first.notifications) == count == 2 * 2 + 2  # 2 overdue × 2 people, 2 soon
    assert second.notifications == []
    assert Notification.objects.count() == count


@pytest.mark.django_db
def test_a_sweep_killed_mid_run_leaves_nothing_and_the_rerun_does_all(subject, unit, caseworker):
    now = timezone.now()
    open_callback(subject, unit, caseworker, -HOUR, now)

    class Killed(Exception):
        pass

    with pytest.raises(Killed), transaction.atomic():
        sweep(now)
        raise Killed  # the worker dies before the transaction commits

    assert not Notification.objects.exists()
    assert len(sweep(now).notifications) == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_create_each_notification_once(subject, unit, caseworker, unit_manager):
    now = timezone.now()
    for i in range(200):
        open_callback(subject, unit, caseworker, (i % 7 - 3) * HOUR, now)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(sweep(now))
        except Exception as error:  # noqa: BLE001 – reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    created = [pk for result in results for pk in result.notifications]
    assert len(created) == len(set(created)) == Notification.objects.count()
    per_key = Notification.objects.values_list("deadline_id", "stage", "recipient_id")
    assert len(set(per_key)) == len(per_key)


@pytest.mark.django_db
def test_email_sent_once_per_notification_after_commit(
    subject, unit, caseworker, unit_manager, django_capture_on_commit_callbacks, settings
):
    from config.celery_app import app

    app.conf.task_always_eager = True
    try:
        now = timezone.now()
        open_callback(subject, unit, caseworker, -HOUR, now)
        with django_capture_on_commit_callbacks(execute=True):
            sweep(now)
    finally:
        app.conf.task_always_eager = False

    assert sorted(m.to[0] for m in mail.outbox) == sorted([caseworker.email, unit_manager.email])
    body = mail.outbox[0].body
    assert "/kontakter/" in body or "/aviseringar/" in body
    assert caseworker.last_name not in mail.outbox[0].subject
    assert set(Notification.objects.values_list("email_state", flat=True)) == {"sent"}

    send_notification_emails.apply(args=[list(Notification.objects.values_list("pk", flat=True))])
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_task_killed_after_sending_is_retried_without_a_second_email(
    subject, unit, caseworker, settings
):
    now = timezone.now()
    open_callback(subject, unit, caseworker, -HOUR, now)
    sweep(now)
    notification = Notification.objects.get()
    settings.EMAIL_BACKEND = "cases.tests.backends.CrashAfterSendBackend"

    result = send_notification_emails.apply(args=[[notification.pk]])
    assert isinstance(result.result, WorkerKilledAfterSend)
    assert len(mail.outbox) == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_notification_emails.apply(args=[[notification.pk]])  # the redelivered message

    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.SENDING


@pytest.mark.django_db
def test_recipient_without_email_gets_inbox_only(subject, unit, make_user):
    worker = make_user(Role.CASEWORKER, email="")
    now = timezone.now()
    open_callback(subject, unit, worker, -HOUR, now)

    sweep(now)

    assert Notification.objects.get().email_state == Notification.EmailState.SKIPPED


@pytest.fixture
def celery_worker_on_redis(settings):
    """A real Celery worker thread consuming from the test Redis."""
    from celery.contrib.testing.worker import start_worker

    from config.celery_app import app

    app.control.purge()  # messages left by earlier runs are not this test's
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield app


def wait_for(predicate, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_redis_flushed_between_sweeps_loses_no_deadline(
    settings, subject, unit, caseworker, celery_worker_on_redis
):
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    now = timezone.now()
    first = open_callback(subject, unit, caseworker, -HOUR, now)

    sweep_deadlines.delay()
    assert wait_for(lambda: Notification.objects.filter(deadline=first).exists())

    second = open_callback(subject, unit, caseworker, -HOUR, now)
    client.flushdb()  # Redis restarted empty: queued messages are gone
    sweep_deadlines.delay()  # the next beat tick

    assert wait_for(lambda: Notification.objects.filter(deadline=second).exists())
    assert Notification.objects.filter(deadline=first).count() == 1
