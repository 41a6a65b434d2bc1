"""A real Celery worker process (solo pool) for tests/test_worker_kill.py.

    python tests/celery_worker_script.py QUEUE MAIL_DIR [CLAIMED_MARKER]

Runs the test settings against the database named by ``VAGEN_TEST_DATABASE_URL`` (the
test's own) and the test Redis, consumes only ``QUEUE`` (also its default queue, so what
its tasks queue comes back to it), and writes e-mails as files into ``MAIL_DIR``
(Django's file backend: a locmem outbox is not visible across processes). With
``CLAIMED_MARKER`` the worker, once a notification's claim is committed, writes the
marker and blocks before the hand-over mark – where the test kills it with SIGKILL.
"""

import os
import pathlib
import sys
import threading

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

queue, mail_dir = sys.argv[1], sys.argv[2]
marker = sys.argv[3] if len(sys.argv) > 3 else None
settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
settings.EMAIL_FILE_PATH = mail_dir
settings.VAGEN_NOTIFICATION_CLAIM_TIMEOUT_SECONDS = int(
    os.environ["VAGEN_NOTIFICATION_CLAIM_TIMEOUT_SECONDS"]
)

if marker:
    from cases import notifications

    def claimed_then_stuck(notification):
        pathlib.Path(marker).write_text(str(notification.pk))
        threading.Event().wait()  # until the test's SIGKILL

    notifications._message = claimed_then_stuck

from config.celery_app import app  # noqa: E402

app.conf.task_default_queue = queue
app.worker_main(
    [
        "worker",
        "--pool=solo",
        "--queues",
        queue,
        "--hostname",
        f"vagen-kill-test-{os.getpid()}@%h",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=WARNING",
    ]
)
