"""Notification texts and e-mail delivery.

E-mail is sent after commit by Celery, one message per notification. The guarantee:
**a reminder e-mail is never sent twice, and it is not lost unless a worker dies while
the mail server is receiving it.** How:

1. *Claim* (committed): PENDING → SENDING with ``email_claimed_at`` and a fresh
   ``email_claim_token``. A claim not carried through within
   ``VAGEN_NOTIFICATION_CLAIM_TIMEOUT_SECONDS`` (default 120 s) is stale and may be
   claimed again – by a redelivered Celery message or by the safety net below.
2. *Hand-over mark* (committed): ``email_send_started_at`` is set, only if the claim is
   still ours (compare-and-set on the token). An attempt whose claim was taken over in
   the meantime stops here and sends nothing – so a slow worker and its replacement
   cannot both send.
3. *Send* over SMTP (``EMAIL_TIMEOUT`` bounds it well inside the claim timeout).
4. *Confirm*: SENDING → SENT, again only for our token.

A worker killed between 1 and 2 (claimed, nothing sent – issue 14's three mails that
stayed SENDING forever) leaves a stale claim without a hand-over mark: the safety net
sends it, once. A worker killed between 2 and 4 may or may not have handed the mail
over; sending again could give the recipient two, so that notification stays SENDING
(at most once), is counted and logged by the safety net as *uncertain* for an
administrator, and the reminder itself is never lost: it is in the in-app inbox, which
does not depend on e-mail. That window is one SMTP exchange.

The safety net (``requeue_stale_emails``, beat every minute) re-queues PENDING rows whose
Celery message was lost and stale claims without a hand-over mark, so a lost message
delays a mail by at most about two minutes. Messages carry no personal data: what kind
of deadline, when, and a link into Vägen.
"""

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from cases.models import Notification

logger = logging.getLogger(__name__)

EMAIL_BATCH = 100
# A notification whose e-mail keeps failing (a refused address) is tried this often.
MAX_EMAIL_ATTEMPTS = 10
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
    return date_format(due, "WEEKDAY_DATETIME_FORMAT")


def enqueue_emails(notification_ids: Iterable[int]) -> None:
    """Queue e-mail delivery in batches (one Celery message per batch, one mail per
    notification). Lost messages are picked up by the beat task
    ``send_pending_notification_emails``."""
    from cases.tasks import send_notification_emails

    ids = list(notification_ids)
    for start in range(0, len(ids), EMAIL_BATCH):
        send_notification_emails.delay(ids[start : start + EMAIL_BATCH])


def enqueue_email_range(first_id: int, last_id: int) -> None:
    """One Celery message for the e-mails of a sweep: the worker finds the pending
    notifications with ids in [first_id, last_id] and queues them in batches
    (``dispatch_notification_emails``). Ids of other notifications in the range are
    harmless: the claim decides who sends, and each mail is sent once."""
    from cases.tasks import dispatch_notification_emails

    dispatch_notification_emails.delay(first_id, last_id)


def pending_ids_between(first_id: int, last_id: int) -> list[int]:
    return list(
        Notification.objects.filter(
            pk__gte=first_id, pk__lte=last_id, email_state=Notification.EmailState.PENDING
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def claim_timeout() -> timedelta:
    return timedelta(seconds=settings.VAGEN_NOTIFICATION_CLAIM_TIMEOUT_SECONDS)


def _claimable(now: datetime) -> Q:
    """PENDING, or a stale claim that never reached the hand-over mark."""
    return Q(email_state=Notification.EmailState.PENDING) | Q(
        email_state=Notification.EmailState.SENDING,
        email_claimed_at__lte=now - claim_timeout(),
        email_send_started_at__isnull=True,
    )


def _claim(notification_id: int) -> Notification | None:
    now = timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("deadline", "recipient")
            .filter(_claimable(now), pk=notification_id, email_attempts__lt=MAX_EMAIL_ATTEMPTS)
            .first()
        )
        if notification is None:
            return None
        notification.email_state = Notification.EmailState.SENDING
        notification.email_claimed_at = now
        notification.email_claim_token = uuid.uuid4()
        notification.email_attempts += 1
        notification.save(
            update_fields=[
                "email_state",
                "email_claimed_at",
                "email_claim_token",
                "email_attempts",
            ]
        )
    return notification


def _mine(notification: Notification):
    return Notification.objects.filter(
        pk=notification.pk,
        email_state=Notification.EmailState.SENDING,
        email_claim_token=notification.email_claim_token,
    )


def _message(notification: Notification) -> EmailMessage:
    from cases.deadlines import url_for

    recipient = notification.recipient
    body = (
        f"Hej {recipient.first_name or recipient.username},\n\n"
        f"{title(notification)} (senast {due_text(notification)}).\n\n"
        f"Öppna Vägen: {settings.VAGEN_BASE_URL.rstrip('/')}{url_for(notification.deadline)}\n\n"
        "Meddelandet innehåller inga personuppgifter. Logga in för att se ärendet.\n"
    )
    return EmailMessage(
        subject=f"Vägen: {title(notification)}",
        body=body,
        to=[recipient.email],
        # One notification, one Message-ID: mail systems that see it twice keep one.
        headers={"Message-ID": f"<vagen-notification-{notification.pk}@{_mail_domain()}>"},
    )


def _mail_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "vagen.invalid"


def send_email(notification_id: int) -> bool:
    """Send the e-mail for one notification unless it is sent, being sent, or uncertain
    (see the module docstring for the guarantee). Returns whether this call sent it."""
    notification = _claim(notification_id)
    if notification is None:
        return False
    message = _message(notification)
    # The hand-over mark: committed before the mail server sees anything, and only if
    # the claim is still ours. From here on, this notification is never sent again.
    if (
        not _mine(notification)
        .filter(email_send_started_at__isnull=True)
        .update(email_send_started_at=timezone.now())
    ):
        logger.info(
            "notification e-mail claim taken over", extra={"notification_id": notification.pk}
        )
        return False
    message.send()
    _mine(notification).update(email_state=Notification.EmailState.SENT, emailed_at=timezone.now())
    logger.info("notification e-mail sent", extra={"notification_id": notification.pk})
    return True


@dataclass(frozen=True)
class Requeued:
    pending: list[int]  # PENDING for a while: their Celery message was lost
    stale: list[int]  # claimed, never handed over: the worker died before sending
    uncertain: int  # handed over, never confirmed: left alone (at most once)


def pending_email_ids(older_than_seconds: int = 60, limit: int = 5000) -> list[int]:
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return list(
        Notification.objects.filter(
            email_state=Notification.EmailState.PENDING, created_at__lte=cutoff
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def requeue_stale_emails(*, now: datetime | None = None, limit: int = 5000) -> Requeued:
    """The safety net (beat, every minute): queue again what a lost message or a killed
    worker left behind. Queuing twice is harmless – the claim decides who sends."""
    now = now or timezone.now()
    pending = list(
        Notification.objects.filter(
            email_state=Notification.EmailState.PENDING,
            created_at__lte=now - timedelta(seconds=60),
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    sending = Notification.objects.filter(
        email_state=Notification.EmailState.SENDING, email_claimed_at__lte=now - claim_timeout()
    )
    stale = list(
        sending.filter(email_send_started_at__isnull=True, email_attempts__lt=MAX_EMAIL_ATTEMPTS)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    uncertain = sending.filter(email_send_started_at__isnull=False).count()
    if uncertain:
        logger.warning(
            "notification e-mails handed to the mail server but never confirmed: %s "
            "(not sent again; the reminders are in the inbox)",
            uncertain,
        )
    enqueue_emails([*pending, *stale])
    return Requeued(pending=pending, stale=stale, uncertain=uncertain)


def mark_read(user, notification_ids: Iterable[int] | None = None) -> int:
    query = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        query = query.filter(pk__in=list(notification_ids))
    return query.update(read_at=timezone.now())
