"""Återkrav: reclaiming ekonomiskt bistånd paid wrongly or as an advance.

SoL (2025:400) 33 kap.: 1 § första stycket (oriktiga uppgifter, uppgiftsskyldighet not
fulfilled, or caused otherwise), 1 § andra stycket (received wrongly and should reasonably
have realised), 2 § (12:1 bistånd given as förskott på förmån, in a labour conflict or to
someone who could not dispose of their income – stated in the served decision), 3 § (12:2
bistånd given on condition of repayment, stated in the served decision), 4–5 §§ (action in
förvaltningsrätten within three years of the costs), 6 § (the nämnd may waive the claim in
whole or part). Bistånd granted before 2025-07-01 is reclaimed under the old law, SoL
(2001:453) 9 kap. (SFS 2025:400, övergångsbestämmelse 5 a) – ``cases.recovery_law``.

Money is Decimal in öre (``KRONOR``): the claim is the sum of its lines, the balance the
claim less what was paid and what was waived, never rounded.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.idempotency import idempotency_key_model_field
from cases.models.decisions import KRONOR, CommunicationExemption, CommunicationMethod


class RecoveryGround(models.TextChoices):
    """The ground of the claim, in the new law's terms; ``cases.recovery_law`` maps each
    to the paragraph of the law that applies to the bistånd reclaimed."""

    INCORRECT_INFORMATION = (
        "33_1_1",
        _("Oriktiga uppgifter, inte fullgjord uppgiftsskyldighet eller orsakat på annat sätt"),
    )
    SHOULD_HAVE_REALISED = (
        "33_1_2",
        _("Tagit emot för mycket och borde skäligen ha insett det"),
    )
    ADVANCE = (
        "33_2",
        _("Förskott på förmån, arbetskonflikt eller hinder att förfoga över inkomster"),
    )
    CONDITION = "33_3", _("Bistånd enligt 12 kap. 2 § under villkor om återbetalning")


class Recovery(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Under utredning")
        DECIDED = "decided", _("Beslutat – återbetalas")
        PAID = "paid", _("Återbetalt")
        WAIVED = "waived", _("Avstått")
        COURT = "court", _("Talan väckt i förvaltningsrätten")
        CANCELLED = "cancelled", _("Avslutat utan återkrav")

    # A claim still alive: holds gallring (SoL 16 kap.) and the three-year clock.
    OPEN_STATUSES = (Status.DRAFT, Status.DECIDED, Status.COURT)

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="recoveries")
    debtor = models.ForeignKey(
        "cases.Person",
        verbose_name=_("återbetalningsskyldig"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ground = models.CharField(_("grund"), max_length=10, choices=RecoveryGround.choices)
    # "2025:400" or "2001:453": fixed from the grant dates of the reclaimed payments.
    law = models.CharField(_("lag"), max_length=10)
    facts = models.TextField(
        _("vad som hänt"), help_text=_("Vilka uppgifter som var fel eller inte lämnades, och när.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Kommunikation before the decision (FL 25 §, SoL 14 kap. 8 §) – same fields as a
    # Decision's, so cases.services.communication applies to both.
    communicated_on = models.DateField(_("kommunicerat"), null=True, blank=True)
    communication_method = models.CharField(
        _("kommunicerat hur"), max_length=20, choices=CommunicationMethod.choices, blank=True
    )
    communication_oral_offered = models.BooleanField(
        _("informerad om rätten att lämna uppgifter muntligt"), default=False
    )
    communication_exemption = models.CharField(
        _("skäl att inte kommunicera"),
        max_length=20,
        choices=CommunicationExemption.choices,
        blank=True,
    )
    communication_note = models.TextField(_("personens synpunkter"), blank=True)
    # The decision (FL 31–32 §§).
    motivering = models.TextField(_("motivering"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beslutsfattare"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    # The repayment plan: so much a month from the first month.
    monthly_amount = models.DecimalField(_("belopp per månad"), null=True, blank=True, **KRONOR)
    first_month = models.DateField(_("första månaden"), null=True, blank=True)
    court_filed_on = models.DateField(_("talan väckt"), null=True, blank=True)
    closed_note = models.TextField(_("avslutat – skäl"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)
    idempotency_key = idempotency_key_model_field()

    class Meta:
        verbose_name = _("återkrav")
        verbose_name_plural = _("återkrav")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "created_by", "idempotency_key"],
                name="recovery_once_per_key",
                condition=models.Q(idempotency_key__isnull=False),
            ),
            models.CheckConstraint(
                condition=models.Q(monthly_amount__isnull=True) | models.Q(monthly_amount__gt=0),
                name="recovery_monthly_positive",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="decided")
                | models.Q(decided_by__isnull=False, decided_on__isnull=False),
                name="recovery_decided_has_decider",
            ),
        ]
        indexes = [models.Index(fields=["status", "case"], name="recovery_status")]

    def __str__(self) -> str:
        return f"Återkrav {self.reference}"

    @property
    def reference(self) -> str:
        return f"ÅK-{self.created_at:%Y}-{self.pk:06d}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class RecoveryLine(models.Model):
    """One month and payment of the claim: what was paid and what is reclaimed of it."""

    recovery = models.ForeignKey(Recovery, on_delete=models.CASCADE, related_name="lines")
    payment = models.ForeignKey(
        "cases.Payment", verbose_name=_("utbetalning"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("månad"))
    amount = models.DecimalField(_("återkrävs"), **KRONOR)
    note = models.CharField(_("varför"), max_length=300, blank=True)

    class Meta:
        ordering = ["month", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="recoveryline_positive"),
            models.UniqueConstraint(fields=["recovery", "payment"], name="recoveryline_once"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.amount} kr"


class RecoveryRepayment(models.Model):
    """A repayment received against the claim."""

    recovery = models.ForeignKey(Recovery, on_delete=models.CASCADE, related_name="repayments")
    paid_on = models.DateField(_("betalt"))
    amount = models.DecimalField(_("belopp"), **KRONOR)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(default=timezone.now)
    idempotency_key = idempotency_key_model_field()

    class Meta:
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="recoveryrepayment_positive"
            ),
            models.UniqueConstraint(
                fields=["recovery", "registered_by", "idempotency_key"],
                name="recoveryrepayment_once_per_key",
                condition=models.Q(idempotency_key__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.amount} kr"


class RecoveryLetter(models.Model):
    """A letter of the claim exactly as sent: the återkravsbeslut or the decision to
    waive (avstå, SoL 33 kap. 6 §)."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("Beslut om återkrav")
        WAIVER = "waiver", _("Beslut att avstå från återkrav")

    recovery = models.ForeignKey(Recovery, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    html = models.TextField()
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.recovery.reference}"


class RecoveryWaiver(models.Model):
    """Avstå (SoL 2025:400 33 kap. 6 §; 2001:453 9 kap. 4 §: efterge): a decision of its
    own, for all or part of the balance, with motivering and letter."""

    recovery = models.ForeignKey(Recovery, on_delete=models.CASCADE, related_name="waivers")
    amount = models.DecimalField(_("belopp som avstås"), **KRONOR)
    motivering = models.TextField(_("motivering"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("beslutsdatum"))
    letter = models.OneToOneField(
        RecoveryLetter, on_delete=models.PROTECT, null=True, blank=True, related_name="waiver"
    )
    idempotency_key = idempotency_key_model_field()

    class Meta:
        ordering = ["decided_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="recoverywaiver_positive"
            ),
            models.UniqueConstraint(
                fields=["recovery", "decided_by", "idempotency_key"],
                name="recoverywaiver_once_per_key",
                condition=models.Q(idempotency_key__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Avstått {self.amount} kr"


def zero() -> Decimal:
    return Decimal("0.00")
