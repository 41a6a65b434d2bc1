"""A real worker killed with SIGKILL between the claim and the send (issue 14: three
reminder mails stayed SENDING for good under ``kill -9``).

A Celery worker process (solo pool) on the test Redis takes the e-mail task, commits
the claim (PENDING → SENDING) and is killed right there. Nothing is sent, and within the
claim timeout nothing is sent again either; once the claim is stale, the safety net –
the beat task, run by a second real worker – queues it again and the mail goes out
exactly once. Mails are files (Django's file backend), counted in a temporary folder.
The claim timeout is three seconds here, so the test waits that long for real."""

import os
import pathlib
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from cases.deadlines import sweep
from cases.models import Notification
from cases.notifications import requeue_stale_emails
from cases.tasks import (
    clear_expired_sessions,
    send_notification_emails,
    send_pending_notification_emails,
)
from cases.tests.test_deadlines import HOUR, open_callback
from config.celery_app import app

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = pathlib.Path(__file__).with_name("celery_worker_script.py")
CLAIM_TIMEOUT = 3


def wait_for(condition, *, timeout=60.0, what=""):
    """Poll another process's progress (a worker is not ours to step through)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def queue(settings):
    """A queue of this test's own on the test Redis, removed afterwards."""
    name = f"vagen-kill-test-{uuid.uuid4().hex[:8]}"
    settings.VAGEN_NOTIFICATION_CLAIM_TIMEOUT_SECONDS = CLAIM_TIMEOUT
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = name
    yield name
    app.conf.task_default_queue = previous
    with app.connection_for_write() as conn:
        conn.default_channel.queue_delete(name)


@pytest.fixture
def start_worker(tmp_path):
    workers: list[subprocess.Popen] = []
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "VAGEN_TEST_DATABASE_URL": url,
        "VAGEN_NOTIFICATION_CLAIM_TIMEOUT_SECONDS": str(CLAIM_TIMEOUT),
    }

    def start(queue, mail_dir, marker=None):
        args = [sys.executable, str(SCRIPT), queue, str(mail_dir)]
        if marker:
            args.append(str(marker))
        worker = subprocess.Popen(  # noqa: S603 – our own script, our own interpreter
            args,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=tmp_path.joinpath(f"worker-{len(workers)}.log").open("w"),
        )
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()
            worker.wait(30)


def test_a_worker_killed_after_the_claim_the_mail_goes_once(
    unit, caseworker, queue, start_worker, tmp_path
):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    marker = tmp_path / "claimed"
    now = timezone.now()
    open_callback(unit, unit, caseworker, -HOUR, now)
    sweep(now)
    notification = Notification.objects.get()
    assert notification.email_state == Notification.EmailState.PENDING

    doomed = start_worker(queue, mail_dir, marker)
    send_notification_emails.apply_async(args=[[notification.pk]], queue=queue)
    wait_for(marker.exists, what="the claim")
    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.SENDING
    assert notification.email_send_started_at is None

    doomed.send_signal(signal.SIGKILL)
    assert doomed.wait(30) == -signal.SIGKILL
    assert list(mail_dir.iterdir()) == []

    # Within the claim timeout the safety net leaves the claim alone.
    assert requeue_stale_emails().stale == []
    stale_at = notification.email_claimed_at + timedelta(seconds=CLAIM_TIMEOUT)
    wait_for(lambda: timezone.now() > stale_at, what="the claim to go stale")

    start_worker(queue, mail_dir)
    send_pending_notification_emails.apply_async(queue=queue)  # the beat's safety net
    wait_for(
        lambda: (
            Notification.objects.get(pk=notification.pk).email_state == Notification.EmailState.SENT
        ),
        what="the mail to be sent",
    )
    # The safety net and the message once more: nothing more is sent. An expired
    # session, cleared by a task queued behind them, says when the worker got past both.
    sentinel = Session.objects.create(
        session_key=f"kill-test-{uuid.uuid4().hex[:20]}",
        session_data="",
        expire_date=timezone.now() - timedelta(days=1),
    )
    send_pending_notification_emails.apply_async(queue=queue)
    send_notification_emails.apply_async(args=[[notification.pk]], queue=queue)
    clear_expired_sessions.apply_async(queue=queue)
    wait_for(
        lambda: not Session.objects.filter(pk=sentinel.pk).exists(),
        what="the worker to get past the repeated tasks",
    )

    mails = list(mail_dir.iterdir())
    assert len(mails) == 1
    assert caseworker.email in mails[0].read_text()
    notification.refresh_from_db()
    assert notification.email_attempts == 2  # the killed claim and the one that sent
