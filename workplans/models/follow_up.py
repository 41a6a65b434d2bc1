"""Follow-ups (uppföljningar) of a signed plan: a meeting where each activity's status
is recorded, with the client's own view. The signed plan itself is not changed; its
activities' current status is the latest follow-up's (Eslöv, sources/000: "Den skall
vara möjlig att följa upp")."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.idempotency import idempotency_key_model_field
from workplans.models.plans import ActivityStatus


class FollowUp(models.Model):
    version = models.ForeignKey(
        "workplans.PlanVersion",
        verbose_name=_("planversion"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    held_on = models.DateField(_("datum"))
    participants = models.CharField(_("deltagare"), max_length=300, blank=True)
    note = models.TextField(_("vad har hänt"), blank=True)
    client_view = models.TextField(_("klientens syn"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("registrerad"), default=timezone.now)
    # The form's key (cases.idempotency): a double-clicked post records one follow-up.
    idempotency_key = idempotency_key_model_field()

    class Meta:
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "recorded_by", "idempotency_key"],
                name="follow_up_once_per_key",
                condition=models.Q(idempotency_key__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Uppföljning {self.held_on}"


class FollowUpEntry(models.Model):
    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="entries")
    activity = models.ForeignKey(
        "workplans.Activity", on_delete=models.CASCADE, related_name="follow_up_entries"
    )
    status = models.CharField(_("status"), max_length=12, choices=ActivityStatus.choices)
    comment = models.CharField(_("kommentar"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("uppföljd aktivitet")
        verbose_name_plural = _("uppföljda aktiviteter")
        ordering = ["follow_up", "activity__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["follow_up", "activity"], name="followupentry_once"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.status}"
