"""Gallring (SoL 2025:400 16 kap. 1 och 4 §§; DOMAIN.md §8): the yearly run that finds
what is due for destruction, the administrator's approval, the gallringslogg, holds, and
the permit that lets the destruction remove access-log rows whose own retention is over.

The gallringslogg says which kind of records, how many and when – never whose: no row
here names a person, a case or a household, and no row holds their ids after the run is
carried out (``GallringRun.candidates`` is emptied when it is executed or cancelled).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GallringRun(models.Model):
    """One dry run and, once approved, its destruction."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Provkörd – väntar på godkännande")
        EXECUTED = "executed", _("Genomförd")
        CANCELLED = "cancelled", _("Avbruten")

    created_at = models.DateTimeField(_("provkörd"), default=timezone.now)
    # The run "as of" this day: what is five years past its last note then.
    as_of = models.DateField(_("per dag"))
    state = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    # [{"households": [ids], "persons": [ids]}, …] – the records due, kept only until the
    # run is executed or cancelled; never shown, never logged.
    candidates = models.JSONField(default=list, blank=True)
    # {kind label: count} – what would go (dry run) / went (executed).
    counts = models.JSONField(default=dict, blank=True)
    kept_for_research = models.PositiveIntegerField(_("sparas för forskning"), default=0)
    held = models.PositiveIntegerField(_("spärrade"), default=0)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("godkänd av"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    executed_at = models.DateTimeField(_("genomförd"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("gallringskörning")
        verbose_name_plural = _("gallringskörningar")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One proposal waits at a time: a second dry run replaces nothing silently.
            models.UniqueConstraint(
                fields=["state"],
                condition=models.Q(state="proposed"),
                name="gallringrun_one_proposed",
            ),
        ]

    def __str__(self) -> str:
        return f"Gallring {self.as_of}"

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class GallringLogEntry(models.Model):
    """The gallringslogg: kind of records, how many, when. Never who."""

    run = models.ForeignKey(GallringRun, on_delete=models.PROTECT, related_name="log")
    at = models.DateTimeField(_("tidpunkt"), default=timezone.now)
    kind = models.CharField(_("slag av uppgifter"), max_length=120)
    count = models.PositiveIntegerField(_("antal"))

    class Meta:
        verbose_name = _("gallringslogg")
        verbose_name_plural = _("gallringslogg")
        ordering = ["-at", "kind"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.kind}: {self.count}"


class RetentionHold(models.Model):
    """Another hold on gallring (e.g. a request for the records, a pending court case):
    while it is not released, nothing of the case's household is destroyed."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="retention_holds")
    reason = models.CharField(_("skäl"), max_length=300)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(_("hävd"), null=True, blank=True)

    class Meta:
        verbose_name = _("gallringsspärr")
        verbose_name_plural = _("gallringsspärrar")

    def __str__(self) -> str:
        return f"Spärr {self.placed_at:%Y-%m-%d}"


class AccessLogPurge(models.Model):
    """The permit the access log's trigger asks for before it lets a row be deleted
    (migration 0017): present only inside the gallring transaction, and only for rows
    older than ``cutoff`` (the log's own retention, VAGEN_ACCESS_LOG_RETENTION_YEARS)."""

    cutoff = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"Gallringstillstånd före {self.cutoff:%Y-%m-%d}"
