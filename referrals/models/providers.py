"""Providers (insatsgivare) and the services they offer – data an administrator keeps in
the admin site, not code (DOMAIN.md §2.9: Arbetsförmedlingen, jobbklubb, vuxenutbildning/
SFI, Försäkringskassan, budget- och skuldrådgivning, praktik, FIA/insatsstöd …).

Two numbers per provider drive the clocks of a referral:
- ``response_days``: the provider is expected to answer (accept or decline) within this
  many working days of the referral being sent; empty means no answer is expected.
- ``follow_up_days``: a stay (a started referral) must be followed up at least this often;
  a stay that goes longer without follow-up is flagged – the jobbklubb lesson of Burlöv
  2013 (sources/002: many participants had become long-term at the jobbklubb without
  anyone following up).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# A municipality's own choice, not law: a stay is followed up at least once a quarter
# unless the provider says otherwise.
DEFAULT_FOLLOW_UP_DAYS = 90


class Provider(models.Model):
    class Kind(models.TextChoices):
        STATE_AGENCY = "state_agency", _("Statlig myndighet")
        MUNICIPAL = "municipal", _("Kommunal verksamhet")
        EDUCATION = "education", _("Utbildning")
        REGION = "region", _("Region, hälso- och sjukvård")
        SOCIAL_ENTERPRISE = "social_enterprise", _("Socialt företag")
        NON_PROFIT = "non_profit", _("Ideell organisation")
        COORDINATION = "coordination", _("Samordningsförbund")
        OTHER = "other", _("Annan aktör")

    name = models.CharField(_("namn"), max_length=150, unique=True)
    kind = models.CharField(_("typ"), max_length=30, choices=Kind.choices)
    contact_name = models.CharField(_("kontaktperson"), max_length=150, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    address = models.TextField(
        _("postadress"), blank=True, help_text=_("Som den ska stå på remissbrevet, en rad per rad.")
    )
    response_days = models.PositiveSmallIntegerField(
        _("svar väntas inom (arbetsdagar)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Tomt om inget svar väntas. Räknas i arbetsdagar från att remissen skickas."),
    )
    follow_up_days = models.PositiveSmallIntegerField(
        _("följ upp pågående insats minst var (dag)"),
        default=DEFAULT_FOLLOW_UP_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_(
            "En påbörjad insats som inte följts upp på så här många dagar flaggas som lång "
            "vistelse utan uppföljning."
        ),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    # The version of the provider with its services (the admin's change form edits both):
    # a stale save is refused (cases.admin_versions).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("insatsgivare")
        verbose_name_plural = _("insatsgivare")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]


class ProviderService(models.Model):
    """What a provider offers (e.g. Arbetsförmedlingen: inskrivning och gemensam
    planering; Vuxenutbildningen: SFI)."""

    provider = models.ForeignKey(
        Provider,
        verbose_name=_("insatsgivare"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    name = models.CharField(_("insats"), max_length=150)
    description = models.TextField(_("beskrivning"), blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        ordering = ["provider__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "name"], name="providerservice_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.provider.name} – {self.name}"
