"""Notification texts and e-mail delivery.

E-mail is sent after commit by Celery, one message per notification, at most once:
a notification is claimed (PENDING → SENDING, committed) before the mail goes out and
marked SENT after. A worker killed between claim and SENT leaves it SENDING, and a
retried task does not send it again – a missed e-mail is visible in the in-app inbox
(which never loses anything), a duplicate one cannot be taken back. Messages carry no
personal data: what kind of deadline, when, and a link into Vägen.
"""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from cases.models import Notification

logger = logging.getLogger(__name__)

EMAIL_BATCH = 100
STAGE_PHRASES: dict[str, str] = {
    Notification.Stage.ACUTE: "Akut – behöver tas om hand nu",
    Notification.Stage.SOON: "Förfaller snart",
    Notification.Stage.OVERDUE: "Försenad",
}


def title(notification: Notification) -> str:
    from cases.deadlines import get_kind

    try:
        label = get_kind(notification.deadline.kind).label
    except KeyError:
        label = notification.deadline.kind
    return f"{label}: {STAGE_PHRASES.get(notification.stage, notification.stage).lower()}"


def due_text(notification: Notification) -> str:
    due = timezone.localtime(notification.deadline.due_at)
    return date_format(due, "D j M H:i")


def enqueue_emails(notification_ids: Iterable[int]) -> None:
    """Queue e-mail delivery in batches (one Celery message per batch, one mail per
    notification). Lost messages are picked up by the beat task
    ``send_pending_notification_emails``."""
    from cases.tasks import send_notification_emails

    ids = list(notification_ids)
    for start in range(0, len(ids), EMAIL_BATCH):
        send_notification_emails.delay(ids[start : start + EMAIL_BATCH])


def _claim(notification_id: int) -> Notification | None:
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("deadline", "recipient")
            .filter(pk=notification_id, email_state=Notification.EmailState.PENDING)
            .first()
        )
        if notification is None:
            return None
        notification.email_state = Notification.EmailState.SENDING
        notification.save(update_fields=["email_state"])
    return notification


def send_email(notification_id: int) -> bool:
    """Send the e-mail for one notification unless it was already claimed or sent."""
    notification = _claim(notification_id)
    if notification is None:
        return False
    from cases.deadlines import url_for

    recipient = notification.recipient
    body = (
        f"Hej {recipient.first_name or recipient.username},\n\n"
        f"{title(notification)} (senast {due_text(notification)}).\n\n"
        f"Öppna Vägen: {settings.VAGEN_BASE_URL.rstrip('/')}{url_for(notification.deadline)}\n\n"
        "Meddelandet innehåller inga personuppgifter. Logga in för att se ärendet.\n"
    )
    send_mail(
        subject=f"Vägen: {title(notification)}",
        message=body,
        from_email=None,
        recipient_list=[recipient.email],
    )
    Notification.objects.filter(pk=notification.pk).update(
        email_state=Notification.EmailState.SENT, emailed_at=timezone.now()
    )
    logger.info("notification e-mail sent", extra={"notification_id": notification.pk})
    return True


def pending_email_ids(older_than_seconds: int = 120, limit: int = 5000) -> list[int]:
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return list(
        Notification.objects.filter(
            email_state=Notification.EmailState.PENDING, created_at__lte=cutoff
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def mark_read(user, notification_ids: Iterable[int] | None = None) -> int:
    query = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        query = query.filter(pk__in=list(notification_ids))
    return query.update(read_at=timezone.now())
