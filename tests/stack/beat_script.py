"""Celery beat for tests/stack/test_beat_once.py: the production scheduler
(config.beat.LockedScheduler, as the settings choose it with a Redis broker) with one
entry every second that sends a harmless task to the test's own queue.

    python tests/stack/beat_script.py QUEUE SCHEDULE_FILE
"""

import os
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from config.celery_app import app  # noqa: E402

queue, schedule = sys.argv[1], sys.argv[2]
assert settings.CELERY_BEAT_SCHEDULER == "config.beat:LockedScheduler"
app.conf.beat_schedule = {
    "probe": {
        "task": "cases.tasks.clear_expired_sessions",
        "schedule": 1.0,
        "options": {"queue": queue, "expires": 60},
    }
}
app.start(["beat", "--schedule", schedule, "--loglevel", "WARNING", "--max-interval", "1"])
