"""Referrals (remisser): from a case, for one person in its household, to a provider's
service – with the reason, what is asked for, the states it moves through (the table of
allowed moves is ``referrals.workflow``), its clocks and its history.

What the referral letter may tell the provider is decided per field by the person
(``shared_fields``, consent per field: OSL 26 kap. 1 § – information about a person's
circumstances is secret unless it is clear that disclosure causes no harm, and the
person's consent lifts the secrecy only for what they agreed to, OSL 12 kap. 2 §).
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.idempotency import idempotency_key_model_field

# The parts of a referral letter the person may agree to share, in letter order. Fields
# marked with "mapping" come from the kartläggning the referral builds on.
LETTER_FIELDS: tuple[tuple[str, Any], ...] = (  # (code, lazy label)
    ("identity", _("Namn och personnummer")),
    ("contact", _("Telefon och e-post")),
    ("address", _("Adress")),
    ("language", _("Språk och behov av tolk")),
    ("reason", _("Anledning till remissen")),
    ("education", _("Utbildning")),
    ("work_experience", _("Arbetslivserfarenhet")),
    ("health", _("Hälsa och andra hinder, som personen beskriver dem")),
    ("goals", _("Egna mål och vilken hjälp personen vill ha")),
    ("contacts", _("Kontakt med Arbetsförmedlingen och andra")),
)
MAPPING_LETTER_FIELDS = frozenset({"education", "work_experience", "health", "goals", "contacts"})


class Referral(models.Model):
    class State(models.TextChoices):
        SENT = "sent", _("Skickad")
        ACCEPTED = "accepted", _("Antagen")
        DECLINED = "declined", _("Avböjd")
        STARTED = "started", _("Påbörjad")
        ENDED = "ended", _("Avslutad")
        WITHDRAWN = "withdrawn", _("Återkallad")

    class Outcome(models.TextChoices):
        WORK = "work", _("Arbete")
        STUDIES = "studies", _("Studier")
        PRAKTIK = "praktik", _("Praktik")
        OTHER_BENEFIT = "other_benefit", _("Annan ersättning")
        NO_RESULT = "no_result", _("Inget resultat")
        DROPPED_OUT = "dropped_out", _("Avbröt")
        # Set only by the case being closed while the stay was going on.
        CASE_CLOSED = "case_closed", _("Ärendet avslutades")

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("ärende"), on_delete=models.PROTECT, related_name="referrals"
    )
    person = models.ForeignKey(
        "cases.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    provider = models.ForeignKey(
        "referrals.Provider",
        verbose_name=_("insatsgivare"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    service = models.ForeignKey(
        "referrals.ProviderService",
        verbose_name=_("insats"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    mapping = models.ForeignKey(
        "referrals.Mapping",
        verbose_name=_("kartläggning"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    reason = models.TextField(_("anledning"))
    request = models.TextField(_("vad som efterfrågas"))
    state = models.CharField(_("status"), max_length=12, choices=State.choices, default=State.SENT)
    sent_on = models.DateField(_("skickad"))
    response_due_at = models.DateTimeField(_("svar väntas senast"), null=True, blank=True)
    answered_on = models.DateField(_("svar"), null=True, blank=True)
    decline_reason = models.TextField(_("skäl att avböja"), blank=True)
    started_on = models.DateField(_("påbörjad"), null=True, blank=True)
    follow_up_due_at = models.DateTimeField(_("följs upp senast"), null=True, blank=True)
    last_follow_up_on = models.DateField(_("senast uppföljd"), null=True, blank=True)
    ended_on = models.DateField(_("avslutad"), null=True, blank=True)
    outcome = models.CharField(_("resultat"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("kommentar till resultatet"), blank=True)
    # Consent per field (LETTER_FIELDS codes) and, at the time of consent, a copy of the
    # shared personal details, so the letter reads the same whenever it is printed.
    shared_fields = models.JSONField(_("uppgifter som får lämnas ut"), default=list, blank=True)
    letter_snapshot = models.JSONField(default=dict, blank=True, editable=False)
    consent_recorded_at = models.DateTimeField(_("samtycke registrerat"), null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("samtycke registrerat av"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking, like Case: a form posts the version it showed.
    version = models.PositiveIntegerField(default=1)
    # The form's key (cases.idempotency): a double-clicked post sends one referral.
    idempotency_key = idempotency_key_model_field()

    class Meta:
        verbose_name = _("remiss")
        verbose_name_plural = _("remisser")
        ordering = ["-sent_on", "-pk"]
        indexes = [
            models.Index(fields=["case", "-sent_on"], name="referral_case"),
            models.Index(fields=["provider", "state"], name="referral_provider_state"),
            models.Index(
                fields=["follow_up_due_at"],
                name="referral_started_follow_up",
                condition=models.Q(state="started"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "created_by", "idempotency_key"],
                name="referral_once_per_key",
                condition=models.Q(idempotency_key__isnull=False),
            ),
            models.CheckConstraint(
                condition=~models.Q(state="ended")
                | (models.Q(ended_on__isnull=False) & ~models.Q(outcome="")),
                name="referral_ended_has_outcome",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="started") | models.Q(started_on__isnull=False),
                name="referral_started_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Remiss {self.reference}"

    @property
    def reference(self) -> str:
        return f"R-{self.sent_on:%Y}-{self.pk:06d}"

    @property
    def is_open(self) -> bool:
        from referrals.workflow import OPEN_STATES

        return self.state in OPEN_STATES

    def is_long_stay(self, now=None) -> bool:
        """A started stay whose follow-up is overdue (the jobbklubb lesson)."""
        now = now or timezone.now()
        return (
            self.state == self.State.STARTED
            and self.follow_up_due_at is not None
            and self.follow_up_due_at < now
        )

    @property
    def long_stay(self) -> bool:
        return self.is_long_stay()

    @property
    def clock_at(self):
        """The instant the referral is waiting for: the provider's answer while sent,
        the next follow-up while started."""
        if self.state == self.State.SENT:
            return self.response_due_at
        if self.state == self.State.STARTED:
            return self.follow_up_due_at
        return None


class ReferralEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Remissens historik ändras inte i efterhand.")


class ReferralEvent(models.Model):
    """History of a referral: every change of state, follow-up and change of consent
    (who, when, what) – never changed afterwards."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Skickad")
        STATE = "state", _("Status ändrad")
        FOLLOW_UP = "follow_up", _("Uppföljning")
        CONSENT = "consent", _("Samtycke ändrat")
        MEETING = "meeting", _("Trepartssamtal")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("registrerad"), default=timezone.now)
    occurred_on = models.DateField(_("datum"), default=timezone.localdate)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, blank=True)
    note = models.TextField(_("anteckning"), blank=True)

    objects = ReferralEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("remisshändelse")
        verbose_name_plural = _("remisshändelser")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.from_state} → {self.to_state}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Remissens historik ändras inte i efterhand.")
        super().save(*args, **kwargs)

    @property
    def from_label(self) -> str:
        return str(Referral.State(self.from_state).label) if self.from_state else ""

    @property
    def to_label(self) -> str:
        return str(Referral.State(self.to_state).label) if self.to_state else ""
