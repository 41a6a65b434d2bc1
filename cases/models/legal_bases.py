"""Legal bases (lagrum) as rules: what each basis allows and what follows from it.

A legal basis is data, edited in the admin site (DOMAIN.md §3 "Keep legal references as
data"; STYLE.md "a legal basis knows its allowed outcomes and its appeal route"). Each one
says which law and paragraph it is, when it is in force, which kinds of items and which
outcomes it may decide, and – per outcome – how the decision is appealed:

- SoL (2025:400) 12 kap. 1 §: the right to bistånd (försörjningsstöd and livsföring i
  övrigt). Bifall, delvis bifall and avslag; förvaltningsbesvär (35 kap. 1 § första
  stycket 1). A refusal of an application is a 12:1 decision.
- 12 kap. 5 §: försörjningsstöd refused or reduced after praktik was declined or missed;
  förvaltningsbesvär (35 kap. 1 § första stycket 2).
- 12 kap. 2 §: bistånd *granted* beyond 12:1. Only bifall; laglighetsprövning alone
  (kommunallagen 2017:725 13 kap.), because 35:1 does not list it.
- SoL (2001:453) 4 kap. 1, 2 and 5 §§: the same three under the old law, in force until
  2025-06-30 (appeals: 16 kap. 3 §). The old law still governs appeals of decisions made
  before 2025-07-01 and återkrav of bistånd granted before then (transitional provisions
  5–6 of SFS 2025:400) – those decisions keep the basis they were made under.

The decision service (``cases.services.decisions``) enforces these rules.
"""

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppealRoute(models.TextChoices):
    """Which appeal notice a decision gets (SoL 2025:400 35 kap. 1 §; DOMAIN.md §5)."""

    ADMINISTRATIVE = "forvaltningsbesvar", _("Förvaltningsbesvär")
    LEGALITY = "laglighetsprovning", _("Laglighetsprövning (kommunallagen 13 kap.)")


class ItemOutcome(models.TextChoices):
    """The outcome of one item of a decision (``DecisionItem.Outcome``)."""

    GRANTED = "granted", _("Bifall")
    PARTLY = "partly", _("Delvis bifall")
    REFUSED = "refused", _("Avslag")


class RepaymentRule(models.TextChoices):
    """Whether bistånd decided under a basis can be made repayable in the decision."""

    NONE = "", _("Kan inte göras återbetalningspliktigt")
    RECLAIMABLE = (
        "reclaimable",
        _("Förskott på förmån, arbetskonflikt eller hinder att förfoga över inkomster"),
    )
    CONDITIONAL = "conditional", _("Villkor om återbetalning")


class LegalBasisQuerySet(models.QuerySet):
    def in_force(self, day: date) -> "LegalBasisQuerySet":
        return self.filter(valid_from__lte=day).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
        )


class LegalBasis(models.Model):
    """A legal basis as a rule: in force from ``valid_from`` to ``valid_to`` (the law
    in force on the decision date is the one cited), the item kinds it covers, the
    outcomes it allows (``outcomes``, each with its appeal route) and what follows
    from a decision under it (immediate effect, repayment)."""

    code = models.SlugField(_("kod"), max_length=40, unique=True)
    law = models.CharField(_("lag"), max_length=80)
    reference = models.CharField(_("lagrum"), max_length=60)
    description = models.CharField(_("innebörd"), max_length=200)
    valid_from = models.DateField(_("gäller från"))
    valid_to = models.DateField(_("gäller till och med"), null=True, blank=True)
    # Optimistic locking (the admin's change form posts the version it showed; a stale
    # save is refused – cases.admin_versions).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    allowed_kinds = models.JSONField(
        _("avser"),
        default=list,
        blank=True,
        help_text=_("Vilka slags poster (försörjningsstöd, tandvård …) lagrummet kan avse."),
    )
    is_default = models.BooleanField(
        _("förval"),
        default=False,
        help_text=_("Föreslås för nya beslut när lagrummet gäller och avser posten."),
    )
    usage_note = models.CharField(
        _("när lagrummet används"),
        max_length=400,
        blank=True,
        help_text=_("Visas för handläggaren när ett beslut inte stämmer med lagrummet."),
    )
    reduces_livelihood = models.BooleanField(
        _("nekar eller sätter ned försörjningsstöd"),
        default=False,
        help_text=_("Justeringen i beräkningen är då en nedsättning enligt detta lagrum."),
    )
    calculation_reference = models.CharField(
        _("lagrum för beräkningen"),
        max_length=80,
        blank=True,
        help_text=_("Där riksnormen och den individuella beräkningen regleras."),
    )
    immediate_effect_reference = models.CharField(
        _("lagrum för att beslutet gäller omedelbart"), max_length=80, blank=True
    )
    repayment_rule = models.CharField(
        _("återbetalningsskyldighet"),
        max_length=20,
        choices=RepaymentRule.choices,
        blank=True,
        default=RepaymentRule.NONE,
    )
    repayment_reference = models.CharField(_("lagrum för återbetalning"), max_length=80, blank=True)
    # SoL (2025:400) 34 kap. 1 §: a favourable decision under this basis that is not
    # executed within three months is reported to IVO and the revisorer.
    execution_reporting = models.BooleanField(
        _("rapporteras om det inte verkställs"),
        default=False,
        db_default=False,
        help_text=_("Gynnande beslut som inte verkställts inom tre månader (SoL 34 kap. 1 §)."),
    )

    objects = LegalBasisQuerySet.as_manager()

    class Meta:
        verbose_name = _("lagrum")
        verbose_name_plural = _("lagrum")
        ordering = ["-valid_from", "code"]

    def __str__(self) -> str:
        return f"{self.law} {self.reference}"

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def covers(self, kind: str) -> bool:
        return kind in (self.allowed_kinds or [])

    def rule_for(self, outcome: str) -> "LegalBasisOutcome | None":
        """The allowed outcome with its appeal route, or None if not allowed (uses
        prefetched ``outcomes`` when there are)."""
        return next((rule for rule in self.outcomes.all() if rule.outcome == outcome), None)


class LegalBasisOutcome(models.Model):
    """One outcome a legal basis allows, and how a decision with it is appealed."""

    basis = models.ForeignKey(
        LegalBasis, verbose_name=_("lagrum"), on_delete=models.CASCADE, related_name="outcomes"
    )
    outcome = models.CharField(_("utfall"), max_length=10, choices=ItemOutcome.choices)
    appeal_route = models.CharField(
        _("överklagas genom"), max_length=30, choices=AppealRoute.choices
    )
    appeal_reference = models.CharField(
        _("lagrum för överklagandet"),
        max_length=120,
        help_text=_("T.ex. socialtjänstlagen (2025:400) 35 kap. 1 § första stycket 1."),
    )

    class Meta:
        verbose_name = _("tillåtet utfall")
        verbose_name_plural = _("tillåtna utfall")
        ordering = ["basis", "outcome"]
        constraints = [
            models.UniqueConstraint(fields=["basis", "outcome"], name="legal_basis_outcome_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.get_appeal_route_display()}"


# --- the lagrum a municipality starts with ---------------------------------------------
# Seeded when the table is empty (post_migrate, e.g. after a test flush); migration
# 0013_legal_bases_as_rules writes the same rows into existing databases. A test keeps
# the two equal. Administrators edit the rows afterwards.

ALL_KINDS = ("livelihood", "dental", "glasses", "furniture", "medical", "other")
_NEW = "Socialtjänstlag (2025:400)"
_OLD = "Socialtjänstlag (2001:453)"
_ADM, _LEG = AppealRoute.ADMINISTRATIVE.value, AppealRoute.LEGALITY.value
_KL = "kommunallagen (2017:725) 13 kap."

DEFAULT_LEGAL_BASES: tuple[dict, ...] = (
    {
        "code": "sol2025-12-1",
        "law": _NEW,
        "reference": "12 kap. 1 §",
        "description": "Försörjningsstöd och livsföringen i övrigt (rätten till bistånd)",
        "valid_from": "2025-07-01",
        "valid_to": None,
        "allowed_kinds": list(ALL_KINDS),
        "is_default": True,
        "usage_note": "Rätten till bistånd. Ett avslag på en ansökan om försörjningsstöd "
        "eller livsföring i övrigt är ett beslut enligt 12 kap. 1 §.",
        "reduces_livelihood": False,
        "calculation_reference": "12 kap. 7 §",
        "immediate_effect_reference": "35 kap. 5 §",
        "repayment_rule": RepaymentRule.RECLAIMABLE.value,
        "repayment_reference": "33 kap. 2 §",
        "execution_reporting": True,
        "outcomes": [
            (outcome, _ADM, "socialtjänstlagen (2025:400) 35 kap. 1 § första stycket 1")
            for outcome in ("granted", "partly", "refused")
        ],
    },
    {
        "code": "sol2025-12-2",
        "law": _NEW,
        "reference": "12 kap. 2 §",
        "description": "Bistånd utöver 12 kap. 1 §",
        "valid_from": "2025-07-01",
        "valid_to": None,
        "allowed_kinds": list(ALL_KINDS),
        "is_default": False,
        "usage_note": "Bara för bistånd som beviljas utöver rätten enligt 12 kap. 1 §. "
        "Det som inte beviljas är ett avslag enligt 12 kap. 1 § och kan överklagas genom "
        "förvaltningsbesvär – lägg det som en egen rad med 12 kap. 1 §.",
        "reduces_livelihood": False,
        "calculation_reference": "12 kap. 7 §",
        "immediate_effect_reference": "",
        "repayment_rule": RepaymentRule.CONDITIONAL.value,
        "repayment_reference": "33 kap. 3 §",
        "outcomes": [("granted", _LEG, _KL)],
    },
    {
        "code": "sol2025-12-5",
        "law": _NEW,
        "reference": "12 kap. 5 §",
        "description": "Nekat eller nedsatt försörjningsstöd (avböjd eller utebliven praktik "
        "eller kompetenshöjande verksamhet)",
        "valid_from": "2025-07-01",
        "valid_to": None,
        "allowed_kinds": ["livelihood"],
        "is_default": False,
        "usage_note": "Bara försörjningsstöd som nekas eller sätts ned för att den enskilde "
        "utan godtagbart skäl avböjt eller uteblivit från anvisad praktik (12 kap. 4 §).",
        "reduces_livelihood": True,
        "calculation_reference": "12 kap. 7 §",
        "immediate_effect_reference": "35 kap. 5 §",
        "repayment_rule": RepaymentRule.RECLAIMABLE.value,
        "repayment_reference": "33 kap. 2 §",
        "outcomes": [
            (outcome, _ADM, "socialtjänstlagen (2025:400) 35 kap. 1 § första stycket 2")
            for outcome in ("partly", "refused")
        ],
    },
    {
        "code": "sol2001-4-1",
        "law": _OLD,
        "reference": "4 kap. 1 §",
        "description": "Försörjningsstöd och livsföringen i övrigt (rätten till bistånd)",
        "valid_from": "2002-01-01",
        "valid_to": "2025-06-30",
        "allowed_kinds": list(ALL_KINDS),
        "is_default": True,
        "usage_note": "Den upphävda lagen: för beslut fattade före den 1 juli 2025.",
        "reduces_livelihood": False,
        "calculation_reference": "4 kap. 3 §",
        "immediate_effect_reference": "16 kap. 4 §",
        "repayment_rule": RepaymentRule.RECLAIMABLE.value,
        "repayment_reference": "9 kap. 2 § första stycket",
        "execution_reporting": True,
        "outcomes": [
            (outcome, _ADM, "socialtjänstlagen (2001:453) 16 kap. 3 §")
            for outcome in ("granted", "partly", "refused")
        ],
    },
    {
        "code": "sol2001-4-2",
        "law": _OLD,
        "reference": "4 kap. 2 §",
        "description": "Bistånd utöver 4 kap. 1 §",
        "valid_from": "2002-01-01",
        "valid_to": "2025-06-30",
        "allowed_kinds": list(ALL_KINDS),
        "is_default": False,
        "usage_note": "Den upphävda lagen, för beslut fattade före den 1 juli 2025. Bara för "
        "bistånd som beviljas utöver rätten enligt 4 kap. 1 §.",
        "reduces_livelihood": False,
        "calculation_reference": "4 kap. 3 §",
        "immediate_effect_reference": "",
        "repayment_rule": RepaymentRule.CONDITIONAL.value,
        "repayment_reference": "9 kap. 2 § andra stycket",
        "outcomes": [("granted", _LEG, _KL)],
    },
    {
        "code": "sol2001-4-5",
        "law": _OLD,
        "reference": "4 kap. 5 §",
        "description": "Vägran eller nedsättning av fortsatt försörjningsstöd (avböjd eller "
        "utebliven praktik eller kompetenshöjande verksamhet)",
        "valid_from": "2002-01-01",
        "valid_to": "2025-06-30",
        "allowed_kinds": ["livelihood"],
        "is_default": False,
        "usage_note": "Den upphävda lagen, för beslut fattade före den 1 juli 2025. Bara "
        "försörjningsstöd som vägras eller sätts ned.",
        "reduces_livelihood": True,
        "calculation_reference": "4 kap. 3 §",
        "immediate_effect_reference": "16 kap. 4 §",
        "repayment_rule": RepaymentRule.RECLAIMABLE.value,
        "repayment_reference": "9 kap. 2 § första stycket",
        "outcomes": [
            (outcome, _ADM, "socialtjänstlagen (2001:453) 16 kap. 3 §")
            for outcome in ("partly", "refused")
        ],
    },
)


def ensure_legal_bases() -> None:
    """Seed the default lagrum when the table is empty (post_migrate)."""
    if LegalBasis.objects.exists():
        return
    for row in DEFAULT_LEGAL_BASES:
        fields = {k: v for k, v in row.items() if k != "outcomes"}
        fields["valid_from"] = date.fromisoformat(fields["valid_from"])
        if fields["valid_to"]:
            fields["valid_to"] = date.fromisoformat(fields["valid_to"])
        basis = LegalBasis.objects.create(**fields)
        LegalBasisOutcome.objects.bulk_create(
            LegalBasisOutcome(basis=basis, outcome=o, appeal_route=r, appeal_reference=ref)
            for o, r, ref in row["outcomes"]
        )
