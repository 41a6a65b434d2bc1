"""Applications (ansökningar) for a month, their items, the lines the calculation is made
from, the stored calculation, and requests for supplements (kompletteringar)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.calculation import CostKind, IncomeKind
from cases.models.contacts import Channel

KRONOR = {"max_digits": 12, "decimal_places": 2}


class Application(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Inkommen")
        INVESTIGATING = "investigating", _("Under utredning")
        READY = "ready", _("Klar för beslut")
        DECIDED = "decided", _("Beslutad")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="applications")
    # The month applied for: always the first day of that month.
    month = models.DateField(_("månad"))
    received_on = models.DateField(_("inkom"), default=timezone.localdate)
    channel = models.CharField(_("kanal"), max_length=20, choices=Channel.choices)
    applicant = models.ForeignKey(
        "cases.Person", verbose_name=_("sökande"), on_delete=models.PROTECT, related_name="+"
    )
    co_applicant = models.ForeignKey(
        "cases.Person",
        verbose_name=_("medsökande"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    # Children 0–6 who eat lunch at förskola five days a week (DOMAIN.md §4).
    lunch_away_person_ids = models.JSONField(default=list, blank=True)
    household_size = models.PositiveSmallIntegerField(
        _("personer i bostaden"),
        null=True,
        blank=True,
        help_text=_("Fyll i om fler bor i bostaden än de som ingår i ansökan."),
    )
    adjustment = models.DecimalField(_("justering av norm"), default=Decimal(0), **KRONOR)
    adjustment_reason = models.CharField(_("skäl för justering"), max_length=300, blank=True)
    consecutive_months = models.PositiveSmallIntegerField(
        _("månader i följd med försörjningsstöd före denna"), default=0
    )
    # The stored calculation: exactly what was calculated, whatever the norms say later.
    calculation = models.JSONField(null=True, blank=True, editable=False)
    calculated_at = models.DateTimeField(null=True, blank=True, editable=False)
    result = models.DecimalField(_("beräknat bistånd"), null=True, blank=True, **KRONOR)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("ansökan")
        verbose_name_plural = _("ansökningar")
        ordering = ["-month", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "month"], name="application_once_per_month"),
        ]

    def __str__(self) -> str:
        return f"Ansökan {self.month:%Y-%m}"


class ApplicationItem(models.Model):
    class Kind(models.TextChoices):
        LIVELIHOOD = "livelihood", _("Försörjningsstöd (norm och skäliga kostnader)")
        DENTAL = "dental", _("Tandvård")
        GLASSES = "glasses", _("Glasögon")
        FURNITURE = "furniture", _("Möbler och husgeråd")
        MEDICAL = "medical", _("Läkarvård och medicin")
        OTHER = "other", _("Övrigt")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("avser"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(
        _("belopp"), null=True, blank=True, validators=[MinValueValidator(0)], **KRONOR
    )
    description = models.CharField(_("beskrivning"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class ApplicationCost(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="costs")
    kind = models.CharField(_("kostnad"), max_length=30, choices=CostKind.choices)
    actual = models.DecimalField(_("faktisk"), **KRONOR)
    accepted = models.DecimalField(_("godtagen"), **KRONOR)
    note = models.CharField(_("kommentar"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class ApplicationIncome(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="incomes")
    kind = models.CharField(_("inkomst"), max_length=30, choices=IncomeKind.choices)
    amount = models.DecimalField(_("belopp"), **KRONOR)
    person = models.ForeignKey(
        "cases.Person",
        verbose_name=_("vems"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("kommentar"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class SupplementRequest(models.Model):
    """A request for supplements (komplettering) with a deadline in the deadline engine."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="supplement_requests"
    )
    what = models.TextField(_("vad som ska kompletteras"))
    requested_on = models.DateField(_("begärd"), default=timezone.localdate)
    due_on = models.DateField(_("senast"))
    received_on = models.DateField(_("inkom"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"Komplettering senast {self.due_on}"
