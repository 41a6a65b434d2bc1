"""The nämnd's own obligations: the delegation order as adopted, the reporting of
decisions taken under delegation, and the clocks of decisions not executed in time.

- Kommunallagen (2017:725) 6 kap. 37–40 §§: the nämnd delegates decisions; decisions
  taken under delegation are reported (anmäls) to the nämnd (40 §). 13 kap. 5 §: an
  appeal by laglighetsprövning must reach förvaltningsrätten within three weeks of the
  day it was announced on the kommun's anslagstavla that the protocol – here the one of
  the meeting where the decisions were reported – was justerat.
- Socialtjänstlag (2025:400) 34 kap. 1–3 §§: a favourable decision under 12 kap. 1 § not
  executed within three months of the decision, or not resumed within three months of an
  interruption, is reported every quarter to IVO and the revisorer (date of the decision,
  kind of insats, reason for the delay), reported again when executed, and counted in a
  quarterly statistics report to kommunfullmäktige.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.idempotency import idempotency_key_model_field


class DelegationOrder(models.Model):
    """The nämnd's adoption of its delegeringsordning (the points themselves are the
    ``DelegationRule`` rows): when and in which paragraph of which protocol it was
    adopted, so the order can be printed as the nämnd adopted it."""

    board_name = models.CharField(
        _("nämnd"), max_length=160, blank=True, help_text=_("Tomt = kommunens nämnd.")
    )
    adopted_on = models.DateField(_("antagen"))
    protocol_reference = models.CharField(
        _("protokollsparagraf"), max_length=80, help_text=_("T.ex. SN 2026-01-20 § 12.")
    )
    valid_from = models.DateField(_("gäller från"))
    note = models.TextField(_("allmänna bestämmelser"), blank=True)

    class Meta:
        verbose_name = _("antagen delegeringsordning")
        verbose_name_plural = _("antagna delegeringsordningar")
        ordering = ["-valid_from", "-pk"]

    def __str__(self) -> str:
        return f"{self.board_name or settings.VAGEN_BOARD_NAME} {self.protocol_reference}"


class DelegationReport(models.Model):
    """One anmälan av delegationsbeslut (KL 6 kap. 40 §): the decisions of one nämnd
    taken under delegation in a period, the meeting where the list was reported and the
    day the justerat protokoll was announced on the anslagstavla (KL 13 kap. 5 §: the
    three weeks of laglighetsprövning run from that day). The decisions point here."""

    board_name = models.CharField(_("nämnd"), max_length=160)
    period_start = models.DateField(_("beslut från"))
    period_end = models.DateField(_("beslut till och med"))
    meeting_on = models.DateField(_("anmält vid sammanträde"), null=True, blank=True)
    announced_on = models.DateField(
        _("justerat protokoll anslaget"),
        null=True,
        blank=True,
        help_text=_(
            "Dagen då det tillkännagavs på kommunens anslagstavla att protokollet justerats."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    idempotency_key = idempotency_key_model_field()

    class Meta:
        verbose_name = _("anmälan av delegationsbeslut")
        verbose_name_plural = _("anmälningar av delegationsbeslut")
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="delegation_report_period_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(announced_on__isnull=True)
                | models.Q(meeting_on__isnull=False, announced_on__gte=models.F("meeting_on")),
                name="delegation_report_announced_after_meeting",
            ),
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                name="delegation_report_once_per_key",
                condition=models.Q(idempotency_key__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Delegationsbeslut {self.board_name} {self.period_start}–{self.period_end}"


class ExecutionClock(models.Model):
    """The three months within which a favourable 12 kap. 1 § decision must be executed
    (SoL 2025:400 34 kap. 1 §): one clock from the decision date, and one more from each
    interruption of the execution. It ends when the decision is executed (the first
    attested payment, on its payment day) or the execution resumed; a decision replaced
    before it was executed ends its clock as cancelled. The Deadline of kind
    ``decision_execution`` is its reminder in the deadline engine."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("Inte verkställt från beslutet")
        INTERRUPTION = "interruption", _("Avbrott i verkställigheten")

    class Ending(models.TextChoices):
        EXECUTED = "executed", _("Verkställt")
        RESUMED = "resumed", _("Verkställigheten återupptagen")
        CANCELLED = "cancelled", _("Beslutet har upphört att gälla")

    decision = models.ForeignKey(
        "cases.Decision", on_delete=models.PROTECT, related_name="execution_clocks"
    )
    # The case's unit when the clock started: the reports are per unit and nämnd.
    unit = models.ForeignKey("cases.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("slag"), max_length=20, choices=Kind.choices)
    started_on = models.DateField(_("räknas från"))
    due_on = models.DateField(_("ska vara verkställt senast"))
    ended_on = models.DateField(_("verkställt"), null=True, blank=True)
    ending = models.CharField(_("avslutat"), max_length=20, choices=Ending.choices, blank=True)
    interruption_reason = models.TextField(_("skäl för avbrottet"), blank=True)
    delay_reason = models.TextField(
        _("skäl för dröjsmålet"),
        blank=True,
        help_text=_("Rapporteras till IVO och revisorerna (SoL 34 kap. 1 §)."),
    )
    delay_reason_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    delay_reason_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("verkställighetsfrist")
        verbose_name_plural = _("verkställighetsfrister")
        ordering = ["started_on", "pk"]
        indexes = [models.Index(fields=["unit", "due_on"], name="execution_clock_unit_due")]
        constraints = [
            # One running clock per decision: a double click on "avbrott" is one clock.
            models.UniqueConstraint(
                fields=["decision"],
                condition=models.Q(ended_on__isnull=True),
                name="execution_clock_one_open",
            ),
            models.UniqueConstraint(
                fields=["decision"],
                condition=models.Q(kind="decision"),
                name="execution_clock_one_from_decision",
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("started_on")),
                name="execution_clock_due_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True, ending="")
                | models.Q(ended_on__isnull=False) & ~models.Q(ending=""),
                name="execution_clock_ended_has_ending",
            ),
        ]

    def __str__(self) -> str:
        return f"Verkställighet {self.decision_id} {self.started_on}–{self.due_on}"

    @property
    def is_running(self) -> bool:
        return self.ended_on is None

    def is_late_on(self, day) -> bool:
        """Three months have passed on ``day`` without execution (34 kap. 1 §)."""
        return self.due_on < day and (self.ended_on is None or self.ended_on > day)
