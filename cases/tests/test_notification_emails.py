"""No reminder mail lost, none sent twice (issue 14): a send claimed and then interrupted
is picked up again by the safety net; one handed to the mail server is never repeated."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from cases import notifications
from cases.deadlines import sweep
from cases.models import Notification
from cases.tasks import send_notification_emails, send_pending_notification_emails
from cases.tests.test_deadlines import HOUR, open_callback
from config.celery_app import app

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """What a kill -9 looks like from inside: nothing after this line runs."""


@pytest.fixture
def eager():
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def notification(unit, caseworker):
    now = timezone.now()
    open_callback(unit, unit, caseworker, -HOUR, now)  # any row can be the subject
    sweep(now)
    return Notification.objects.get()


def test_killed_between_claim_and_send_is_sent_once_by_the_safety_net(
    notification, monkeypatch, eager, settings
):
    start = timezone.now()

    def killed(message):
        raise WorkerKilled

    with monkeypatch.context() as patch:
        patch.setattr(notifications, "_message", killed)  # dies after the claim committed
        with pytest.raises(WorkerKilled):
            send_notification_emails.apply(args=[[notification.pk]], throw=True)
    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.SENDING
    assert mail.outbox == []

    # The redelivered message before the claim is stale: nothing happens yet.
    send_notification_emails.apply(args=[[notification.pk]])
    send_pending_notification_emails.apply()
    assert mail.outbox == []

    timeout = settings.VAGEN_NOTIFICATION_CLAIM_TIMEOUT_SECONDS
    with time_machine.travel(start + timedelta(seconds=timeout + 60), tick=False):
        send_pending_notification_emails.apply()  # the beat tick after the timeout
        send_pending_notification_emails.apply()  # and the next one
        send_notification_emails.apply(args=[[notification.pk]])  # a late redelivery
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.SENT
    assert notification.email_attempts == 2


def test_a_lost_celery_message_is_sent_within_two_minutes(notification, eager):
    """PENDING, its message lost with a Redis FLUSHALL: the next beat tick after a
    minute sends it."""
    created = notification.created_at
    with time_machine.travel(created + timedelta(seconds=30), tick=False):
        send_pending_notification_emails.apply()
    assert mail.outbox == []
    with time_machine.travel(created + timedelta(seconds=61), tick=False):
        send_pending_notification_emails.apply()
        send_pending_notification_emails.apply()
    assert len(mail.outbox) == 1
    assert (
        mail.outbox[0]
        .extra_headers["Message-ID"]
        .startswith(f"<vagen-notification-{notification.pk}@")
    )


def test_a_slow_worker_whose_claim_was_taken_over_sends_nothing(notification, settings):
    """Worker A claims and stalls; after the timeout worker B claims and sends; when A
    wakes up its hand-over mark fails (the token is B's), so the recipient gets one."""
    slow = notifications._claim(notification.pk)
    assert slow is not None
    later = timezone.now() + timedelta(
        seconds=settings.VAGEN_NOTIFICATION_CLAIM_TIMEOUT_SECONDS + 1
    )
    with time_machine.travel(later, tick=False):
        assert notifications.send_email(notification.pk) is True
    assert (
        not notifications._mine(slow)
        .filter(email_send_started_at__isnull=True)
        .update(email_send_started_at=timezone.now())
    )
    assert len(mail.outbox) == 1


def test_handed_over_but_unconfirmed_is_not_sent_again(notification, settings):
    """Killed after the mail server may have the message: at most once – left SENDING,
    reported by the safety net as uncertain, never a second mail."""
    settings.EMAIL_BACKEND = "cases.tests.backends.CrashAfterSendBackend"
    with pytest.raises(Exception, match="killed after sending"):
        notifications.send_email(notification.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    later = timezone.now() + timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        result = notifications.requeue_stale_emails()
        assert notifications.send_email(notification.pk) is False
    assert result.stale == [] and result.uncertain == 1
    assert len(mail.outbox) == 1


def test_the_safety_net_runs_every_minute():
    entry = app.conf.beat_schedule["send-pending-notification-emails"]
    assert entry["schedule"] <= 60
