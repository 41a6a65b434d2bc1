"""Celery tasks of the e-service: thin – call a service."""

from celery import shared_task


@shared_task(name="eservice.tasks.clear_old_sign_ins")
def clear_old_sign_ins() -> int:
    """Nightly: old AuthnRequests and ended or idle citizen sessions (eservice.sessions)."""
    from eservice.sessions import clear_old_sign_ins as clear

    return sum(clear())
