"""Celery tasks of the core app: thin – load by id, call a service."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(name="cases.tasks.clear_expired_sessions")
def clear_expired_sessions() -> int:
    """Housekeeping: expired sessions hold no value and are removed daily (idempotent)."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task(
    name="cases.tasks.render_decision_letter",
    autoretry_for=(Exception,),
    retry_backoff=5,
    max_retries=5,
)
def render_decision_letter(letter_id: int) -> int:
    """Lay out a final decision's letter from its stored HTML (issue 20: off the request
    path). Idempotent: a letter already laid out – by an earlier run or by a reader – is
    left as it is."""
    from cases.models import DecisionLetter
    from cases.services.decisions import letter_pdf

    letter = DecisionLetter.objects.filter(pk=letter_id).first()
    if letter is None:
        return 0
    return len(letter_pdf(letter))


@shared_task(name="cases.tasks.lay_out_pending_decision_letters")
def lay_out_pending_decision_letters() -> int:
    """The safety net: letters still without a PDF a few minutes after their decision."""
    from cases.services.decisions import pending_letters_lay_out

    return pending_letters_lay_out()


@shared_task(name="cases.tasks.sweep_deadlines")
def sweep_deadlines() -> int:
    """Every few minutes: notifications for deadlines that reached a stage."""
    import time

    from cases.deadlines import sweep
    from config.metrics import record_sweep

    started = time.perf_counter()
    count = len(sweep().notifications)
    record_sweep(time.perf_counter() - started, count)  # /metrics (config.metrics)
    return count


@shared_task(name="cases.tasks.send_notification_emails")
def send_notification_emails(notification_ids: list[int]) -> int:
    """One e-mail per notification, never two (see cases.notifications)."""
    from cases.notifications import send_email

    return sum(send_email(pk) for pk in notification_ids)


@shared_task(name="cases.tasks.dispatch_notification_emails")
def dispatch_notification_emails(first_id: int, last_id: int) -> int:
    """A sweep's e-mails (one message per sweep): the pending notifications in the id
    range, queued in batches from the worker. Idempotent: queuing twice is harmless,
    the claim in cases.notifications decides who sends."""
    from cases.notifications import enqueue_emails, pending_ids_between

    ids = pending_ids_between(first_id, last_id)
    enqueue_emails(ids)
    return len(ids)


@shared_task(name="cases.tasks.send_pending_notification_emails")
def send_pending_notification_emails() -> int:
    """Safety net, every minute: e-mails whose Celery message was lost (broker restart)
    and claims a killed worker left before sending are queued again (idempotent: the
    claim in cases.notifications decides who sends)."""
    from cases.notifications import requeue_stale_emails

    result = requeue_stale_emails()
    return len(result.pending) + len(result.stale)


# A yearly walk over every record: longer limits than the minute-scale tasks (settings),
# still bounded so a stuck run frees the worker.
@shared_task(name="cases.tasks.gallring_dry_run", soft_time_limit=3300, time_limit=3600)
def gallring_dry_run() -> int | None:
    """Yearly (beat): the dry run of gallring (SoL 16 kap. 1 §). Idempotent – while a
    proposal waits for approval it is returned, not made again."""
    from cases.services.gallring import gallring_propose

    run = gallring_propose()
    return run.pk if run else None
