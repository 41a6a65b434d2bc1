"""Celery tasks of the core app: thin – load by id, call a service."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(name="cases.tasks.clear_expired_sessions")
def clear_expired_sessions() -> int:
    """Housekeeping: expired sessions hold no value and are removed daily (idempotent)."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
