"""Celery tasks of the core app: thin – load by id, call a service."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(name="cases.tasks.clear_expired_sessions")
def clear_expired_sessions() -> int:
    """Housekeeping: expired sessions hold no value and are removed daily (idempotent)."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task(name="cases.tasks.sweep_deadlines")
def sweep_deadlines() -> int:
    """Every few minutes: notifications for deadlines that reached a stage."""
    from cases.deadlines import sweep

    return len(sweep().notifications)


@shared_task(name="cases.tasks.send_notification_emails")
def send_notification_emails(notification_ids: list[int]) -> int:
    """One e-mail per notification, at most once (see cases.notifications)."""
    from cases.notifications import send_email

    return sum(send_email(pk) for pk in notification_ids)


@shared_task(name="cases.tasks.send_pending_notification_emails")
def send_pending_notification_emails() -> int:
    """Safety net: e-mails whose Celery message was lost (broker restart) are sent."""
    from cases.notifications import enqueue_emails, pending_email_ids

    ids = pending_email_ids()
    enqueue_emails(ids)
    return len(ids)
