"""The Celery application. Configuration lives in Django settings (CELERY_*)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("vagen")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The beat schedule is code, reviewed like code. Later capabilities add their sweeps here.
app.conf.beat_schedule = {
    # The deadline engine (DESIGN.md): reminders and escalations, every few minutes.
    "sweep-deadlines": {
        "task": "cases.tasks.sweep_deadlines",
        "schedule": 120.0,
        "options": {"expires": 110},
    },
    # Exports and imports (reporting): resend jobs whose message was lost; delete old files.
    "requeue-export-import-jobs": {
        "task": "reporting.tasks.requeue_waiting_jobs",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    # Monthly aggregates (reporting.aggregates): services mark months dirty and a task
    # recomputes them after commit; this recomputes what a lost message left dirty, and the
    # current and previous month of every unit.
    "refresh-monthly-aggregates": {
        "task": "reporting.tasks.refresh_dirty_monthly_aggregates",
        "schedule": 900.0,
        "options": {"expires": 890},
    },
    "delete-old-export-import-jobs": {
        "task": "reporting.tasks.delete_old_jobs",
        "schedule": crontab(hour=3, minute=30),
    },
    # The e-mail safety net: a lost message or a worker killed after claiming delays a
    # reminder mail by at most this plus the claim timeout (~2 minutes), never loses it.
    "send-pending-notification-emails": {
        "task": "cases.tasks.send_pending_notification_emails",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Decision letters whose layout message was lost (broker down at the commit): laid
    # out from their stored HTML (cases.services.decisions.pending_letters_lay_out).
    "lay-out-pending-decision-letters": {
        "task": "cases.tasks.lay_out_pending_decision_letters",
        "schedule": 600.0,
        "options": {"expires": 590},
    },
    # Gallring (SoL 16 kap. 1 §): once a year, early January, a dry run of what is due;
    # nothing is destroyed until an administrator approves it in the browser.
    "gallring-dry-run": {
        "task": "cases.tasks.gallring_dry_run",
        "schedule": crontab(month_of_year=1, day_of_month=10, hour=2, minute=0),
    },
    "clear-expired-sessions": {
        "task": "cases.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=15),
    },
    # The e-service's sign-in rows (AuthnRequests, citizen sessions) after a day.
    "clear-old-citizen-sign-ins": {
        "task": "eservice.tasks.clear_old_sign_ins",
        "schedule": crontab(hour=3, minute=20),
    },
}
