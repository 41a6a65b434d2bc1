"""Applications (ansökningar) for a month, their items, the lines the calculation is made
from, the stored calculation, and requests for supplements (kompletteringar)."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.calculation import CostKind, IncomeKind
from cases.idempotency import idempotency_key_model_field
from cases.models.casework import ListEntry
from cases.models.contacts import Channel

KRONOR: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}


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
    # A broken period (brutna utbetalningsperioder, Norrköping 2015 §7.4): the first/last
    # day the bistånd covers when assistance starts or ends inside the month's payment
    # period – the norm is pro-rated (cases.calculation, cases.payment_periods.prorated).
    # Empty = from the period's first day / to its last.
    covered_from = models.DateField(_("biståndet gäller från"), null=True, blank=True)
    covered_to = models.DateField(_("biståndet gäller till och med"), null=True, blank=True)
    # Jobbstimulans (SoL 12:8) is derived from each person's history when calculating
    # (cases.assistance_history); the stored calculation keeps what was derived.
    # The stored calculation: exactly what was calculated, whatever the norms say later.
    calculation = models.JSONField(null=True, blank=True, editable=False)
    calculated_at = models.DateTimeField(null=True, blank=True, editable=False)
    result = models.DecimalField(_("beräknat bistånd"), null=True, blank=True, **KRONOR)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)
    # A fortsättningsansökan: the month it continued from, and what was not carried over
    # (a person who left the household, a co-applicant who moved out) – told to the
    # caseworker on the application page (cases.services.continued_application).
    continued_from = models.ForeignKey(
        "self",
        verbose_name=_("fortsätter från"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    carry_over_notes = models.JSONField(
        default=list,
        db_default=models.Value([], output_field=models.JSONField()),
        blank=True,
        editable=False,
    )

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
    # Copied from last month's application and not yet confirmed by saving the
    # calculation (shown as "från förra månaden").
    carried_over = models.BooleanField(default=False, db_default=False, editable=False)

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
    carried_over = models.BooleanField(default=False, db_default=False, editable=False)

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
    idempotency_key = idempotency_key_model_field()  # a double-clicked request counts once

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "requested_by", "idempotency_key"],
                name="supplement_once_per_key",
                condition=models.Q(idempotency_key__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Komplettering senast {self.due_on}"


class SupportObstacle(ListEntry):
    """Försörjningshinder – why an adult cannot support themselves, reported per adult and
    application to Socialstyrelsen (HSLF-FS 2015:30; DOMAIN.md §9: "keep the list as
    editable data"). Administrators edit the list in the admin site; the code is what the
    monthly statistics file carries."""

    code = models.SlugField(_("kod"), max_length=60, unique=True)
    group = models.CharField(_("huvudgrupp"), max_length=120)
    label = models.CharField(_("benämning"), max_length=160)

    class Meta(ListEntry.Meta):
        verbose_name = _("försörjningshinder")
        verbose_name_plural = _("försörjningshinder")


class ApplicationObstacle(models.Model):
    """One adult's försörjningshinder in one application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="obstacles")
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="+")
    obstacle = models.ForeignKey(
        SupportObstacle,
        verbose_name=_("försörjningshinder"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("försörjningshinder i ansökan")
        verbose_name_plural = _("försörjningshinder i ansökningar")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "person"], name="application_obstacle_once_per_adult"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.obstacle}"


class ApplicationSchooling(models.Model):
    """Whether a young person of 18–20 living at home goes to school in the month applied
    for – grundskola, gymnasieskola or comparable basic education (SoL 12 kap. 9 §):
    then their earned income is left out up to one prisbasbelopp a year, otherwise it
    is counted like any adult's. Carried over to the next month's application like the
    försörjningshinder, for the caseworker to confirm or change."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="schooling")
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="+")
    in_school = models.BooleanField(
        _("går i grundskola, gymnasieskola eller jämförlig grundutbildning")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("skolgång i ansökan")
        verbose_name_plural = _("skolgång i ansökningar")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "person"], name="application_schooling_once_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {'i skolan' if self.in_school else 'inte i skolan'}"


# DOMAIN.md §9: the main groups of försörjningshinder (HSLF-FS 2015:30) a municipality
# starts with – (code, main group, label). Editable data: administrators change the list
# in the admin site.
DEFAULT_SUPPORT_OBSTACLES = (
    ("arbetslos_ingen_ersattning", "Arbetslös", "Arbetslös – ingen ersättning"),
    ("arbetslos_otillracklig_ersattning", "Arbetslös", "Arbetslös – otillräcklig ersättning"),
    ("arbetslos_vantar_ersattning", "Arbetslös", "Arbetslös – väntar på ersättning"),
    (
        "arbetslos_etableringsersattning",
        "Arbetslös med etableringsersättning",
        "Arbetslös med etableringsersättning",
    ),
    ("arbetar_heltid", "Arbetar, otillräcklig inkomst", "Arbetar heltid – otillräcklig inkomst"),
    ("arbetar_deltid", "Arbetar, otillräcklig inkomst", "Arbetar deltid – otillräcklig inkomst"),
    ("arbetshinder_sociala_skal", "Arbetshinder", "Arbetshinder, sociala skäl"),
    (
        "sjukskriven_ingen_sjukpenning",
        "Sjukskriven med läkarintyg",
        "Sjukskriven med läkarintyg – ingen sjukpenning",
    ),
    (
        "sjukskriven_otillracklig_sjukpenning",
        "Sjukskriven med läkarintyg",
        "Sjukskriven med läkarintyg – otillräcklig sjukpenning",
    ),
    (
        "sjukskriven_vantar_sjukpenning",
        "Sjukskriven med läkarintyg",
        "Sjukskriven med läkarintyg – väntar på sjukpenning",
    ),
    (
        "sjuk_aktivitetsersattning",
        "Sjuk- eller aktivitetsersättning",
        "Sjuk- eller aktivitetsersättning – otillräcklig",
    ),
    ("foraldrapenning", "Föräldrapenning", "Föräldrapenning – otillräcklig"),
    ("pension", "Pension", "Pension – otillräcklig"),
    ("saknar_barnomsorg", "Saknar barnomsorg", "Saknar barnomsorg"),
    ("utan_forsorjningshinder", "Utan försörjningshinder", "Utan försörjningshinder"),
)


def ensure_support_obstacles(**kwargs) -> None:
    """post_migrate: the default list, only when there is none at all (a new database or
    one flushed by tests) – an administrator's edits are kept."""
    if SupportObstacle.objects.exists():
        return
    SupportObstacle.objects.bulk_create(
        SupportObstacle(code=code, group=group, label=label, ordering=i)
        for i, (code, group, label) in enumerate(DEFAULT_SUPPORT_OBSTACLES, start=1)
    )
