"""Decisions (beslut) with delegation, their letters, appeals and payments.

DOMAIN.md §5 (förvaltningslagen 2017:900): the decision record (31 §), motivering (32 §),
besvärshänvisning (33 §), omprövning (38–39 §§), appeal period (44 §), rättidsprövning
(45 §), forwarding (46 §). Decisions are never edited once final: a change is a new
decision that refers to the one it replaces.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.idempotency import idempotency_key_model_field

KRONOR: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}


class AppealRoute(models.TextChoices):
    """Which appeal notice a decision gets (SoL 2025:400 35 kap. 1 §; DOMAIN.md §5)."""

    ADMINISTRATIVE = "forvaltningsbesvar", _("Förvaltningsbesvär")
    LEGALITY = "laglighetsprovning", _("Laglighetsprövning (kommunallagen 13 kap.)")


class LegalBasis(models.Model):
    """A legal basis as data: the law in force on the decision date is chosen by its
    validity period (DOMAIN.md §3: SoL 2025:400 from 2025-07-01, SoL 2001:453 before)."""

    code = models.SlugField(_("kod"), max_length=40, unique=True)
    law = models.CharField(_("lag"), max_length=80)
    reference = models.CharField(_("lagrum"), max_length=60)
    description = models.CharField(_("innebörd"), max_length=200)
    appeal_route = models.CharField(
        _("överklagas genom"), max_length=30, choices=AppealRoute.choices
    )
    valid_from = models.DateField(_("gäller från"))
    valid_to = models.DateField(_("gäller till och med"), null=True, blank=True)
    # Optimistic locking (the admin's change form posts the version it showed; a stale
    # save is refused – cases.admin_versions).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("lagrum")
        verbose_name_plural = _("lagrum")
        ordering = ["-valid_from", "code"]

    def __str__(self) -> str:
        return f"{self.law} {self.reference}"


class DelegationRule(models.Model):
    """Who may decide what, up to which amount (the delegeringsordning as data).
    Eslöv (sources/000 §4.1): decisions at the lowest level allowed, legal certainty kept."""

    class Outcome(models.TextChoices):
        GRANT = "grant", _("Bifall eller delvis bifall")
        REFUSAL = "refusal", _("Avslag")

    item_kind = models.CharField(_("avser"), max_length=20)  # ApplicationItem.Kind value
    outcome = models.CharField(_("utfall"), max_length=10, choices=Outcome.choices)
    role = models.CharField(_("roll"), max_length=20)  # cases.roles.Role value
    max_amount = models.DecimalField(
        _("högsta belopp per beslut"),
        null=True,
        blank=True,
        help_text=_("Tomt = utan gräns."),
        **KRONOR,
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    # Optimistic locking (the admin's change form posts the version it showed; a stale
    # save is refused – cases.admin_versions).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("delegationsregel")
        verbose_name_plural = _("delegationsordning")
        ordering = ["item_kind", "outcome", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["item_kind", "outcome", "role"], name="delegation_rule_unique"
            ),
        ]

    def __str__(self) -> str:
        limit = f"högst {self.max_amount} kr" if self.max_amount is not None else "utan gräns"
        return f"{self.item_kind}/{self.outcome}: {self.role} {limit}"


class Decision(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        AWAITING_APPROVAL = "awaiting_approval", _("Väntar på godkännande")
        FINAL = "final", _("Beslutat")

    class ServedHow(models.TextChoices):
        LETTER = "letter", _("Brev")
        IN_PERSON = "in_person", _("Personligen")
        DIGITAL = "digital", _("Digital brevlåda")

    class LetterDelivery(models.TextChoices):
        """How the letter reaches the person. A person with skyddad folkbokföring or
        sekretessmarkering is never sent post with the real address (DOMAIN.md §5):
        the letter goes through Skatteverket's särskilda postförmedling (the address is
        configuration, VAGEN_PROTECTED_MAIL_LINES) or is handed over in person."""

        POST = "post", _("Post till folkbokföringsadressen")
        FORWARDING = "forwarding", _("Via Skatteverkets särskilda postförmedling")
        IN_PERSON = "in_person", _("Lämnas personligen")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="decisions")
    application = models.ForeignKey(
        "cases.Application", on_delete=models.PROTECT, related_name="decisions"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    period_start = models.DateField(_("period från"))
    period_end = models.DateField(_("period till och med"))
    motivering = models.TextField(
        _("motivering"),
        blank=True,
        help_text=_(
            "De bestämmelser som tillämpats och de omständigheter som varit avgörande (FL 32 §)."
        ),
    )
    child_impact = models.TextField(
        _("barnperspektiv"),
        blank=True,
        help_text=_("Krävs när hushållet har barn: hur beslutet påverkar barnen."),
    )
    conditions = models.TextField(
        _("villkor"),
        blank=True,
        help_text=_("T.ex. att delta i anvisad praktik (SoL 12 kap. 4 §)."),
    )
    letter_delivery = models.CharField(
        _("brevet når personen"),
        max_length=20,
        choices=LetterDelivery.choices,
        default=LetterDelivery.POST,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("föredragande"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beslutsfattare"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    participants = models.CharField(_("övriga som deltagit"), max_length=300, blank=True)
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("ersätter beslut"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    served_on = models.DateField(_("delgivet"), null=True, blank=True)
    served_how = models.CharField(
        _("delgivningssätt"), max_length=20, choices=ServedHow.choices, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)

    idempotency_key = idempotency_key_model_field()  # a double-clicked new draft is one

    class Meta:
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "case"], name="decision_status")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="final")
                | models.Q(decided_by__isnull=False, decided_on__isnull=False),
                name="decision_final_has_decider",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="decision_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"Beslut {self.reference}"

    @property
    def reference(self) -> str:
        return f"B-{self.created_at:%Y}-{self.pk:06d}"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL


class DecisionItem(models.Model):
    class Outcome(models.TextChoices):
        GRANTED = "granted", _("Bifall")
        PARTLY = "partly", _("Delvis bifall")
        REFUSED = "refused", _("Avslag")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("avser"), max_length=20)  # ApplicationItem.Kind value
    description = models.CharField(_("beskrivning"), max_length=300, blank=True)
    legal_basis = models.ForeignKey(
        LegalBasis, verbose_name=_("lagrum"), on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("utfall"), max_length=10, choices=Outcome.choices)
    applied_amount = models.DecimalField(_("sökt belopp"), null=True, blank=True, **KRONOR)
    granted_amount = models.DecimalField(_("beviljat belopp"), default=0, **KRONOR)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(granted_amount__gte=0), name="decisionitem_granted_not_negative"
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome="refused") | models.Q(granted_amount=0),
                name="decisionitem_refused_grants_nothing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.kind}"

    def get_kind_display(self) -> str:
        from cases.models.applications import ApplicationItem

        return (
            str(ApplicationItem.Kind(self.kind).label)
            if self.kind in ApplicationItem.Kind
            else self.kind
        )


class DecisionLetter(models.Model):
    """The letter exactly as sent: HTML and PDF are stored and shown again unchanged."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="letter")
    html = models.TextField()
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Brev {self.decision.reference}"


class Appeal(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Inkommet")
        RECONSIDERED = "reconsidered", _("Omprövat")
        FORWARDED = "forwarded", _("Överlämnat till förvaltningsrätten")
        DISMISSED = "dismissed", _("Avvisat (för sent)")
        COURT_DECIDED = "court_decided", _("Avgjort av domstol")

    class CourtOutcome(models.TextChoices):
        UPHELD = "upheld", _("Avslag – beslutet står fast")
        CHANGED = "changed", _("Bifall – beslutet ändrat")
        REMANDED = "remanded", _("Återförvisat")
        DISMISSED = "dismissed", _("Avvisat")

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="appeals")
    received_on = models.DateField(_("inkom"))
    last_day = models.DateField(_("sista dag att överklaga"), null=True, blank=True)
    notice_missing_or_wrong = models.BooleanField(
        _("besvärshänvisning saknades eller var felaktig"), default=False
    )
    is_timely = models.BooleanField(_("inkommit i rätt tid"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    reconsidered_changed = models.BooleanField(_("ändrat vid omprövning"), null=True, blank=True)
    reconsideration_note = models.TextField(_("omprövning"), blank=True)
    forwarded_on = models.DateField(_("överlämnat"), null=True, blank=True)
    court_outcome = models.CharField(
        _("domstolens avgörande"), max_length=20, choices=CourtOutcome.choices, blank=True
    )
    court_decided_on = models.DateField(_("dom meddelad"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The form's key (cases.idempotency): a double-clicked registration is one appeal.
    idempotency_key = idempotency_key_model_field()

    class Meta:
        verbose_name = _("överklagande")
        verbose_name_plural = _("överklaganden")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "registered_by", "idempotency_key"],
                name="appeal_once_per_key",
                condition=models.Q(idempotency_key__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Överklagande {self.received_on}"


class Payment(models.Model):
    """One payment per final decision, attested by a second person (attestkontroll)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Ska attesteras")
        ATTESTED = "attested", _("Attesterad")
        EXPORTED = "exported", _("Skickad till ekonomisystemet")

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="payment")
    payee = models.ForeignKey(
        "cases.Person",
        verbose_name=_("betalningsmottagare"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.DecimalField(_("belopp"), **KRONOR)
    pay_on = models.DateField(_("utbetalningsdag"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attesterad av"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    attested_at = models.DateTimeField(null=True, blank=True)
    batch = models.ForeignKey(
        "cases.PaymentBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
    )

    class Meta:
        verbose_name = _("utbetalning")
        verbose_name_plural = _("utbetalningar")
        ordering = ["pay_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive"),
        ]

    def __str__(self) -> str:
        return f"Utbetalning {self.amount} kr {self.pay_on}"


class PaymentBatch(models.Model):
    """A payment file for the finance system: the CSV as produced, with its totals."""

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("cases.Unit", on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField()
    total = models.DecimalField(**KRONOR)
    csv = models.TextField()

    class Meta:
        verbose_name = _("betalfil")
        verbose_name_plural = _("betalfiler")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Betalfil {self.created_at:%Y-%m-%d %H:%M}"


# Seed data when the tables are empty (post_migrate; editable by administrators).
DEFAULT_LEGAL_BASES = (
    (
        "sol2025-12-1",
        "Socialtjänstlag (2025:400)",
        "12 kap. 1 §",
        "Försörjningsstöd och livsföringen i övrigt",
        AppealRoute.ADMINISTRATIVE,
        "2025-07-01",
    ),
    (
        "sol2025-12-2",
        "Socialtjänstlag (2025:400)",
        "12 kap. 2 §",
        "Bistånd utöver 12 kap. 1 §",
        AppealRoute.LEGALITY,
        "2025-07-01",
    ),
    (
        "sol2025-12-5",
        "Socialtjänstlag (2025:400)",
        "12 kap. 5 §",
        "Vägran eller nedsättning av försörjningsstöd",
        AppealRoute.ADMINISTRATIVE,
        "2025-07-01",
    ),
    (
        "sol2001-4-1",
        "Socialtjänstlag (2001:453)",
        "4 kap. 1 §",
        "Försörjningsstöd och livsföringen i övrigt",
        AppealRoute.ADMINISTRATIVE,
        "2002-01-01",
    ),
    (
        "sol2001-4-2",
        "Socialtjänstlag (2001:453)",
        "4 kap. 2 §",
        "Bistånd utöver 4 kap. 1 §",
        AppealRoute.LEGALITY,
        "2002-01-01",
    ),
)
# Example delegeringsordning (Eslöv's principle: as low as legal certainty allows).
DEFAULT_DELEGATION = (
    ("livelihood", "grant", "caseworker", "15000"),
    ("livelihood", "refusal", "caseworker", None),
    ("livelihood", "grant", "unit_manager", None),
    ("livelihood", "refusal", "unit_manager", None),
    ("dental", "grant", "caseworker", "5000"),
    ("dental", "grant", "unit_manager", "30000"),
    ("dental", "refusal", "unit_manager", None),
    ("glasses", "grant", "caseworker", "2000"),
    ("glasses", "grant", "unit_manager", None),
    ("glasses", "refusal", "unit_manager", None),
    ("furniture", "grant", "caseworker", "3000"),
    ("furniture", "grant", "unit_manager", None),
    ("furniture", "refusal", "unit_manager", None),
    ("medical", "grant", "caseworker", "3000"),
    ("medical", "grant", "unit_manager", None),
    ("medical", "refusal", "unit_manager", None),
    ("other", "grant", "unit_manager", None),
    ("other", "refusal", "unit_manager", None),
)


def ensure_decision_data(**kwargs) -> None:
    """post_migrate: seed legal bases and the delegation order when empty."""
    from datetime import date
    from decimal import Decimal

    if not LegalBasis.objects.exists():
        LegalBasis.objects.bulk_create(
            LegalBasis(
                code=code,
                law=law,
                reference=ref,
                description=text,
                appeal_route=route,
                valid_from=date.fromisoformat(start),
                valid_to=date(2025, 6, 30) if "2001" in law else None,
            )
            for code, law, ref, text, route, start in DEFAULT_LEGAL_BASES
        )
    if not DelegationRule.objects.exists():
        DelegationRule.objects.bulk_create(
            DelegationRule(
                item_kind=kind,
                outcome=outcome,
                role=role,
                max_amount=Decimal(limit) if limit else None,
            )
            for kind, outcome, role, limit in DEFAULT_DELEGATION
        )
