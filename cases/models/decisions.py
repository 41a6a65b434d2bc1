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
from cases.models.legal_bases import AppealRoute, ItemOutcome, LegalBasis

KRONOR: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}


class DelegationRule(models.Model):
    """Who may decide what, up to which amount (the delegeringsordning as data).
    Eslöv (sources/000 §4.1): decisions at the lowest level allowed, legal certainty kept."""

    class Outcome(models.TextChoices):
        GRANT = "grant", _("Bifall eller delvis bifall")
        REFUSAL = "refusal", _("Avslag")
        # Decisions in an appeal (avvisning, omprövning): no amount, no outcome of their
        # own; the rule's item_kind is one of PROCEDURAL_KINDS.
        PROCEDURAL = "procedural", _("Beslut i överklagandeärende")

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
    # The point of the delegeringsordning as the nämnd adopted it (e.g. "1.3"): printed in
    # the order and on every decision taken under it (KL 6 kap. 40 §).
    point = models.CharField(_("punkt"), max_length=20, blank=True, db_default="")
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


# The delegeringsordning's points for decisions in an appeal (DelegationRule.item_kind
# with Outcome.PROCEDURAL): who may dismiss a late appeal (FL 45 §) and who may change an
# appealed decision on omprövning (FL 37–39 §§).
APPEAL_DISMISSAL = "appeal_dismissal"
RECONSIDERATION = "reconsideration"
# Återkrav (SoL 2025:400 33 kap. 1–3 §§) and avstå från återkrav (33 kap. 6 §).
RECOVERY = "recovery"
RECOVERY_WAIVER = "recovery_waiver"
PROCEDURAL_KINDS = {
    APPEAL_DISMISSAL: _("Avvisning av överklagande som kommit in för sent (FL 45 §)"),
    RECONSIDERATION: _("Omprövning av överklagat beslut (FL 37–39 §§)"),
    RECOVERY: _("Beslut om återkrav (SoL 33 kap. 1–3 §§)"),
    RECOVERY_WAIVER: _("Beslut att avstå från återkrav (SoL 33 kap. 6 §)"),
}


class CommunicationMethod(models.TextChoices):
    """How the material was communicated before the decision (FL 25 §)."""

    LETTER = "letter", _("Brev")
    DIGITAL = "digital", _("E-tjänst eller digital brevlåda")
    MEETING = "meeting", _("Vid möte")
    PHONE = "phone", _("Per telefon")


class CommunicationExemption(models.TextChoices):
    """Why no kommunicering was needed (FL 25 §). The choices are the law's grounds, so the
    decision record says which one was relied on (SOSFS 2014:5)."""

    OWN_INFORMATION = (
        "own_information",
        _(
            "Uppenbart obehövligt: beslutet bygger bara på uppgifter som personen själv lämnat "
            "(FL 25 § första stycket)"
        ),
    )
    NO_SIGNIFICANCE = (
        "no_significance",
        _(
            "Uppenbart obehövligt: uppgifterna saknar betydelse för beslutet "
            "(FL 25 § första stycket)"
        ),
    )
    HINDER = (
        "hinder",
        _(
            "Det kan befaras att beslutet annars blir avsevärt svårare att genomföra "
            "(FL 25 § andra stycket)"
        ),
    )


class Decision(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        AWAITING_APPROVAL = "awaiting_approval", _("Väntar på godkännande")
        FINAL = "final", _("Beslutat")

    class Kind(models.TextChoices):
        ORIGINAL = "decision", _("Beslut")
        # FL 37–39 §§: a decision changed on omprövning after an appeal is a new decision
        # with its own letter and besvärshänvisning; ``reconsiders`` is the appeal.
        RECONSIDERATION = "reconsideration", _("Omprövningsbeslut")

    class ServedHow(models.TextChoices):
        """Delgivningssätt (delgivningslagen 2010:1932)."""

        LETTER = "letter", _("Vanlig post")
        SIMPLIFIED = "simplified", _("Förenklad delgivning")
        IN_PERSON = "in_person", _("Personligen")
        DIGITAL = "digital", _("E-tjänst eller digital brevlåda")

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
    # The payment proposed with the decision (its day from the household's payment day):
    # created, waiting for attestation, when the decision becomes final.
    proposed_pay_on = models.DateField(_("föreslagen utbetalningsdag"), null=True, blank=True)
    # The motivering as drafted from the unit's template, to tell whether it was changed
    # (an unchanged template is allowed only for bifall of a routine month).
    motivering_draft = models.TextField(blank=True, db_default="", editable=False)
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
    kind = models.CharField(
        _("slag"), max_length=20, choices=Kind.choices, default=Kind.ORIGINAL, db_default="decision"
    )
    reconsiders = models.ForeignKey(
        "cases.Appeal",
        verbose_name=_("omprövning efter överklagande"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reconsiderations",
    )
    # Delgivning (DOMAIN.md §5): the day the letter was sent, how, the control notice of
    # förenklad delgivning, and the day the person received it when that is known.
    # ``served_on`` is the day the appeal period runs from: the day of receipt, or the
    # day förenklad delgivning deems the person served; empty while it is not known.
    sent_on = models.DateField(_("brevet skickat"), null=True, blank=True)
    control_notice_on = models.DateField(_("kontrollmeddelande skickat"), null=True, blank=True)
    simplified_informed = models.BooleanField(
        _("informerad om förenklad delgivning"), default=False, db_default=False
    )
    received_on = models.DateField(_("personen fick beslutet"), null=True, blank=True)
    served_on = models.DateField(_("delgivet"), null=True, blank=True)
    served_how = models.CharField(
        _("delgivningssätt"), max_length=20, choices=ServedHow.choices, blank=True
    )
    # Kommunikation before an adverse decision (FL 25 §, SOSFS 2014:5, SoL 14 kap. 8 §).
    communicated_on = models.DateField(_("kommunicerat"), null=True, blank=True)
    communication_method = models.CharField(
        _("kommunicerat hur"),
        max_length=20,
        choices=CommunicationMethod.choices,
        blank=True,
        db_default="",
    )
    communication_oral_offered = models.BooleanField(
        _("informerad om rätten att lämna uppgifter muntligt"), default=False, db_default=False
    )
    communication_exemption = models.CharField(
        _("skäl att inte kommunicera"),
        max_length=20,
        choices=CommunicationExemption.choices,
        blank=True,
        db_default="",
    )
    communication_note = models.TextField(
        _("kommunicering – underlag och synpunkter"), blank=True, db_default=""
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)

    idempotency_key = idempotency_key_model_field()  # a double-clicked new draft is one

    # Delegation (KL 6 kap. 37–40 §§), kept as it was when the decision became final:
    # the points of the delegeringsordning it was taken under and the decider's title –
    # for a decision above the author's delegation, the approving manager's point.
    delegation_point = models.CharField(
        _("delegationspunkt"), max_length=120, blank=True, db_default=""
    )
    decided_by_title = models.CharField(
        _("beslutsfattarens titel"), max_length=120, blank=True, db_default=""
    )
    delegation_report = models.ForeignKey(
        "cases.DelegationReport",
        verbose_name=_("anmäld till nämnden"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )

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

    @property
    def simplified_service_failed(self) -> bool:
        """Förenklad delgivning was chosen but did not happen: the control notice was not
        sent by the first working day after the letter (delgivningslagen 24–25 §§)."""
        from cases.serving import simplified_deemed_served_on

        return (
            self.served_how == self.ServedHow.SIMPLIFIED
            and self.sent_on is not None
            and simplified_deemed_served_on(self.sent_on, self.control_notice_on) is None
        )

    @property
    def service_date_uncertain(self) -> bool:
        """Only the sending is known: the day the appeal period runs from is not."""
        return self.is_final and self.served_on is None


class RepaymentGround(models.TextChoices):
    """Why bistånd granted in a decision can be reclaimed – stated in the decision itself,
    as SoL (2025:400) 33 kap. 2 § 2 b and 3 § 3 require. The first three are 33:2 1 a–c
    (bistånd under 12:1), the last 33:3 (bistånd under 12:2)."""

    NONE = "", _("Ingen återbetalningsskyldighet")
    ADVANCE = "advance", _("Förskott på förmån eller ersättning")
    LABOUR_CONFLICT = "labour_conflict", _("Indragen i arbetskonflikt")
    ASSETS_BLOCKED = "assets_blocked", _("Hindrad att förfoga över sina inkomster och tillgångar")
    CONDITION = "condition", _("Beviljat under villkor om återbetalning")


class AdvanceBenefit(models.TextChoices):
    """The förmån or ersättning bistånd is an advance on (33 kap. 2 § 1 a)."""

    AKASSA = "akassa", _("a-kassa")
    SICKNESS_BENEFIT = "sickness_benefit", _("sjukpenning")
    PARENTAL_BENEFIT = "parental_benefit", _("föräldrapenning")
    HOUSING_ALLOWANCE = "housing_allowance", _("bostadsbidrag")
    MAINTENANCE_SUPPORT = "maintenance_support", _("underhållsstöd")
    ACTIVITY_SUPPORT = "activity_support", _("aktivitetsstöd eller utvecklingsersättning")
    ESTABLISHMENT_ALLOWANCE = "establishment_allowance", _("etableringsersättning")
    SICKNESS_COMPENSATION = "sickness_compensation", _("sjuk- eller aktivitetsersättning")
    PENSION = "pension", _("pension")
    STUDY_MEANS = "study_means", _("studiemedel")
    OTHER = "other", _("annan förmån eller ersättning")


class DecisionItem(models.Model):
    Outcome = ItemOutcome

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("avser"), max_length=20)  # ApplicationItem.Kind value
    description = models.CharField(_("beskrivning"), max_length=300, blank=True)
    legal_basis = models.ForeignKey(
        LegalBasis, verbose_name=_("lagrum"), on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("utfall"), max_length=10, choices=Outcome.choices)
    applied_amount = models.DecimalField(_("sökt belopp"), null=True, blank=True, **KRONOR)
    granted_amount = models.DecimalField(_("beviljat belopp"), default=0, **KRONOR)
    # Derived from basis + outcome when the item is saved (LegalBasisOutcome) and kept
    # with the decision: the route the decision was made with, whatever the data says
    # later. Empty on rows written without the service (bench data): derived on read.
    appeal_route = models.CharField(
        _("överklagas genom"),
        max_length=30,
        choices=AppealRoute.choices,
        blank=True,
        default="",
        db_default="",
    )
    appeal_reference = models.CharField(
        _("lagrum för överklagandet"), max_length=120, blank=True, default="", db_default=""
    )
    repayment_ground = models.CharField(
        _("återbetalningsskyldighet"),
        max_length=20,
        choices=RepaymentGround.choices,
        blank=True,
        default="",
        db_default="",
    )
    advance_benefit = models.CharField(
        _("förskott på"),
        max_length=30,
        choices=AdvanceBenefit.choices,
        blank=True,
        default="",
        db_default="",
    )
    repayment_note = models.CharField(
        _("om återbetalningen"), max_length=300, blank=True, default="", db_default=""
    )

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

    @property
    def route(self) -> str:
        """The appeal route of this item: as decided, or derived from basis + outcome."""
        if self.appeal_route:
            return self.appeal_route
        rule = self.legal_basis.rule_for(self.outcome)
        return rule.appeal_route if rule else AppealRoute.ADMINISTRATIVE

    @property
    def is_legality_only(self) -> bool:
        return self.route == AppealRoute.LEGALITY

    def get_kind_display(self) -> str:
        from cases.models.applications import ApplicationItem

        return (
            str(ApplicationItem.Kind(self.kind).label)
            if self.kind in ApplicationItem.Kind
            else self.kind
        )


class DecisionLetter(models.Model):
    """The letter exactly as sent: HTML and PDF are stored and shown again unchanged.

    The HTML – what the letter says – is made in the decision's own transaction; the PDF
    is laid out from it after the commit by a task (issue 20: the person finalising does
    not wait for WeasyPrint), or by the first reader who comes before the task
    (``cases.services.decisions.letter_pdf``). Empty ``pdf`` and ``sha256`` until then."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="letter")
    html = models.TextField()
    pdf = models.BinaryField(null=True)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Which language notices (FL 13 §) the letter carried: codes, comma-separated.
    language_notice = models.CharField(
        _("meddelande på annat språk"), max_length=60, blank=True, db_default=""
    )

    class Meta:
        # The letters still to be laid out (a handful at any time): the safety net's
        # lookup reads this small index, not the table.
        indexes = [
            models.Index(
                fields=["id"], name="decisionletter_pending", condition=models.Q(pdf__isnull=True)
            )
        ]

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
    # What is appealed and how: an appeal of an item decided under 12:2 is a
    # laglighetsprövning (KL 13 kap.) – no rättidsprövning, omprövning or forwarding
    # clock at the unit; the court tries it. Empty item = the whole decision.
    item = models.ForeignKey(
        DecisionItem,
        verbose_name=_("överklagad del"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
    )
    route = models.CharField(
        _("överklagas genom"),
        max_length=30,
        choices=AppealRoute.choices,
        default=AppealRoute.ADMINISTRATIVE,
    )
    received_on = models.DateField(_("inkom"))
    last_day = models.DateField(_("sista dag att överklaga"), null=True, blank=True)
    notice_missing_or_wrong = models.BooleanField(
        _("besvärshänvisning saknades eller var felaktig"), default=False
    )
    # FL 45 § 2 st.: not dismissed if it reached förvaltningsrätten within the time.
    court_received_on = models.DateField(_("inkom till förvaltningsrätten"), null=True, blank=True)
    is_timely = models.BooleanField(_("inkommit i rätt tid"))
    # Only the posting date is known: the last day cannot be fixed, never proposed for
    # avvisning on that ground.
    timeliness_uncertain = models.BooleanField(
        _("sista dagen osäker"), default=False, db_default=False
    )
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

    @property
    def is_legality_review(self) -> bool:
        return self.route == AppealRoute.LEGALITY


class AppealDismissal(models.Model):
    """Avvisningsbeslut (FL 45 §): a late appeal dismissed by the unit is a decision of
    its own – its record, who decided it under which delegation, and its letter exactly
    as sent, with the besvärshänvisning that it can itself be appealed (förvaltningsbesvär,
    FL 40–44 §§)."""

    appeal = models.OneToOneField(Appeal, on_delete=models.PROTECT, related_name="dismissal")
    motivering = models.TextField(_("motivering"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beslutsfattare"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("beslutsdatum"))
    html = models.TextField()
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    language_notice = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # As on Decision: the delegation it was taken under and its anmälan (KL 6 kap. 40 §).
    delegation_point = models.CharField(
        _("delegationspunkt"), max_length=120, blank=True, db_default=""
    )
    decided_by_title = models.CharField(
        _("beslutsfattarens titel"), max_length=120, blank=True, db_default=""
    )
    delegation_report = models.ForeignKey(
        "cases.DelegationReport",
        verbose_name=_("anmäld till nämnden"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dismissals",
    )

    class Meta:
        verbose_name = _("avvisningsbeslut")
        verbose_name_plural = _("avvisningsbeslut")
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"Avvisningsbeslut {self.reference}"

    @property
    def reference(self) -> str:
        return f"AV-{self.created_at:%Y}-{self.pk:06d}"


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
    (APPEAL_DISMISSAL, "procedural", "caseworker", None),
    (APPEAL_DISMISSAL, "procedural", "unit_manager", None),
    (RECONSIDERATION, "procedural", "caseworker", None),
    (RECONSIDERATION, "procedural", "unit_manager", None),
    (RECOVERY, "procedural", "caseworker", None),
    (RECOVERY, "procedural", "unit_manager", None),
    (RECOVERY_WAIVER, "procedural", "unit_manager", None),
)
# Points added after the first delegation order: seeded where none of their kind exists.
LATER_KINDS = (RECOVERY, RECOVERY_WAIVER)


def default_delegation_points() -> dict[tuple[str, str, str], str]:
    """The points of DEFAULT_DELEGATION: one section per kind, numbered in order."""
    sections: dict[str, int] = {}
    counts: dict[str, int] = {}
    points = {}
    for kind, outcome, role, _limit in DEFAULT_DELEGATION:
        sections.setdefault(kind, len(sections) + 1)
        counts[kind] = counts.get(kind, 0) + 1
        points[(kind, outcome, role)] = f"{sections[kind]}.{counts[kind]}"
    return points


def ensure_decision_data(**kwargs) -> None:
    """post_migrate: seed legal bases and the delegation order when empty."""
    from decimal import Decimal

    from cases.models.legal_bases import ensure_legal_bases

    ensure_legal_bases()
    if not DelegationRule.objects.exists():
        points = default_delegation_points()
        DelegationRule.objects.bulk_create(
            DelegationRule(
                item_kind=kind,
                outcome=outcome,
                role=role,
                max_amount=Decimal(limit) if limit else None,
                point=points[(kind, outcome, role)],
            )
            for kind, outcome, role, limit in DEFAULT_DELEGATION
        )
        return
    present = set(
        DelegationRule.objects.filter(item_kind__in=LATER_KINDS).values_list("item_kind", flat=True)
    )
    DelegationRule.objects.bulk_create(
        DelegationRule(item_kind=kind, outcome=outcome, role=role, max_amount=None)
        for kind, outcome, role, _limit in DEFAULT_DELEGATION
        if kind in LATER_KINDS and kind not in present
    )
