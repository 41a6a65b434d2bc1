"""The one deadline engine (DESIGN.md "Deadlines, reminders and notifications").

A Deadline is opened and met by services in the same transaction as the event that
causes it. The sweep (cases.deadlines.sweep) moves open deadlines through stages –
SOON (reminder to the responsible person), OVERDUE (the responsible person and the
unit's managers) – and writes one Notification per (deadline, stage, recipient); the
unique constraint makes reruns, retried tasks and concurrent sweeps harmless.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Deadline(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Öppen")
        MET = "met", _("Klar")
        CANCELLED = "cancelled", _("Avbruten")

    class Stage(models.TextChoices):
        NONE = "none", _("Ingen påminnelse ännu")
        SOON = "soon", _("Snart förfallen")
        OVERDUE = "overdue", _("Försenad")

    # A code registered in cases.deadlines (callback, workplan, appeal_forward, …).
    kind = models.CharField(_("typ"), max_length=40)
    due_at = models.DateTimeField(_("senast"))
    remind_at = models.DateTimeField(_("påminn från"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarig"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadlines",
    )
    unit = models.ForeignKey(
        "cases.Unit", verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+"
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.OPEN)
    stage = models.CharField(
        _("påminnelsesteg"), max_length=10, choices=Stage.choices, default=Stage.NONE
    )
    opened_at = models.DateTimeField(_("öppnad"), default=timezone.now)
    met_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        verbose_name = _("tidsfrist")
        verbose_name_plural = _("tidsfrister")
        ordering = ["due_at", "pk"]
        indexes = [
            # The sweep reads only open deadlines, by time.
            models.Index(
                fields=["remind_at"],
                name="deadline_open_remind",
                condition=models.Q(state="open"),
            ),
            models.Index(
                fields=["due_at"], name="deadline_open_due", condition=models.Q(state="open")
            ),
            models.Index(fields=["subject_type", "subject_id"], name="deadline_subject"),
            models.Index(fields=["responsible", "state", "due_at"], name="deadline_responsible"),
            # A unit's open deadlines by person and kind, from the index alone (the unit
            # manager's dashboard counts them on every view).
            models.Index(
                fields=["unit", "responsible", "kind", "due_at"],
                include=["id"],
                condition=models.Q(state="open"),
                name="deadline_open_unit",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(remind_at__lte=models.F("due_at")),
                name="deadline_remind_not_after_due",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="met") | models.Q(met_at__isnull=False),
                name="deadline_met_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app message to one member of staff, optionally mirrored by e-mail.

    Rows carry no personal data: the text is rendered from the deadline's kind and
    stage, and the link leads into Vägen where the permission gate applies."""

    class Stage(models.TextChoices):
        ACUTE = "acute", _("Akut")
        SOON = "soon", _("Snart förfallen")
        OVERDUE = "overdue", _("Försenad")

    class EmailState(models.TextChoices):
        PENDING = "pending", _("Ska skickas")
        SENDING = "sending", _("Skickas")
        SENT = "sent", _("Skickat")
        SKIPPED = "skipped", _("Skickas inte")

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="notifications")
    stage = models.CharField(_("steg"), max_length=10, choices=Stage.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mottagare"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    read_at = models.DateTimeField(_("läst"), null=True, blank=True)
    email_state = models.CharField(
        max_length=10, choices=EmailState.choices, default=EmailState.PENDING
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    # The claim of the send in progress (cases.notifications): when it was taken, by
    # which attempt, and when that attempt handed the message to the mail server.
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_claim_token = models.UUIDField(null=True, blank=True)
    email_send_started_at = models.DateTimeField(null=True, blank=True)
    # A database default too: the sweep inserts notifications in one raw INSERT … SELECT.
    email_attempts = models.PositiveSmallIntegerField(default=0, db_default=0)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("avisering")
        verbose_name_plural = _("aviseringar")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "stage", "recipient"], name="notification_once_per_stage"
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                name="notification_unread",
                condition=models.Q(read_at__isnull=True),
            ),
            models.Index(
                fields=["email_state"],
                name="notification_email_pending",
                condition=models.Q(email_state="pending"),
            ),
            models.Index(
                fields=["email_claimed_at"],
                name="notification_email_sending",
                condition=models.Q(email_state="sending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage} → {self.recipient_id}"
