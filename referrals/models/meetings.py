"""Three-party meetings (trepartssamtal): client, caseworker and the other agency – the
working form in Burlöv (sources/002: three-party meetings with Arbetsförmedlingen, so the
person does not tell different stories to different agencies) and Stockholm (sources/003).

The meeting itself is also a ``cases.Meeting`` of kind THREE_PARTY (so it is on the case's
list of meetings); this model holds what only a three-party meeting has: the other
agency's participant, the notes, and the agreed next steps, each of which becomes an
activity in the work plan or a referral.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.idempotency import idempotency_key_model_field


class ThreePartyMeeting(models.Model):
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("ärende"),
        on_delete=models.PROTECT,
        related_name="three_party_meetings",
    )
    meeting = models.OneToOneField(
        "cases.Meeting",
        verbose_name=_("möte"),
        on_delete=models.PROTECT,
        related_name="three_party",
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        verbose_name=_("remiss"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="three_party_meetings",
    )
    provider = models.ForeignKey(
        "referrals.Provider",
        verbose_name=_("annan aktör"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    participant_name = models.CharField(_("deltagare från den andra aktören"), max_length=150)
    participant_title = models.CharField(_("deltagarens roll"), max_length=150, blank=True)
    held_at = models.DateTimeField(_("tid"))
    client_attended = models.BooleanField(_("klienten deltog"), default=True)
    notes = models.TextField(_("anteckningar"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The form's key (cases.idempotency): a double-clicked post records one meeting.
    idempotency_key = idempotency_key_model_field()

    class Meta:
        verbose_name = _("trepartssamtal")
        verbose_name_plural = _("trepartssamtal")
        ordering = ["-held_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "created_by", "idempotency_key"],
                name="three_party_meeting_once_per_key",
                condition=models.Q(idempotency_key__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Trepartssamtal {timezone.localtime(self.held_at):%Y-%m-%d}"


class AgreedStep(models.Model):
    """A next step agreed in a three-party meeting; it becomes a work-plan activity or a
    referral (``activity_id`` / ``referral`` say which one it became)."""

    class Becomes(models.TextChoices):
        ACTIVITY = "activity", _("Aktivitet i arbetsplanen")
        REFERRAL = "referral", _("Remiss")

    class Responsible(models.TextChoices):
        CLIENT = "client", _("Klienten")
        CASEWORKER = "caseworker", _("Handläggaren")
        PROVIDER = "provider", _("Den andra aktören")

    meeting = models.ForeignKey(
        ThreePartyMeeting,
        verbose_name=_("trepartssamtal"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    what = models.TextField(_("vad"))
    responsible = models.CharField(_("ansvarig"), max_length=20, choices=Responsible.choices)
    due_on = models.DateField(_("klart senast"), null=True, blank=True)
    becomes = models.CharField(_("blir"), max_length=10, choices=Becomes.choices)
    service = models.ForeignKey(
        "referrals.ProviderService",
        verbose_name=_("remiss till"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    referral = models.OneToOneField(
        "referrals.Referral",
        verbose_name=_("remiss"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="from_step",
    )
    # The work-plan activity it became (workplans.Activity, linked by id: either app can
    # land first, and referrals does not import workplans' models).
    activity_id = models.PositiveBigIntegerField(_("aktivitet"), null=True, blank=True)

    class Meta:
        verbose_name = _("överenskommet nästa steg")
        verbose_name_plural = _("överenskomna nästa steg")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(becomes="referral") | models.Q(service__isnull=False),
                name="agreedstep_referral_has_service",
            ),
        ]

    def __str__(self) -> str:
        return self.what[:60]

    @property
    def is_done(self) -> bool:
        return self.referral_id is not None or self.activity_id is not None
