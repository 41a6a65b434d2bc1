"""What the unit manager records: case reviews (ärendegenomgångar) and the monthly
access-log review (Lag 2001:454 10 §, DOMAIN.md §8)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CaseReview(models.Model):
    """An ärendegenomgång: the manager and a caseworker go through cases together
    (target: at least three per caseworker and year, DOMAIN.md §1)."""

    unit = models.ForeignKey("cases.Unit", on_delete=models.PROTECT, related_name="+")
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handläggare"),
        on_delete=models.PROTECT,
        related_name="case_reviews",
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enhetschef"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    held_on = models.DateField(_("datum"))
    cases = models.ManyToManyField("cases.Case", verbose_name=_("ärenden"), blank=True)
    notes = models.TextField(_("anteckningar"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("ärendegenomgång")
        verbose_name_plural = _("ärendegenomgångar")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["caseworker", "-held_on"], name="review_caseworker")]

    def __str__(self) -> str:
        return f"Ärendegenomgång {self.held_on}"


class ReviewAction(models.Model):
    """An agreed action from a review; it becomes a deadline in the deadline engine."""

    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="actions")
    what = models.CharField(_("åtgärd"), max_length=300)
    due_on = models.DateField(_("senast"))

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.what


class AccessLogReview(models.Model):
    """The manager's monthly check of who read what in the unit; one per unit and month."""

    unit = models.ForeignKey("cases.Unit", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("månad"))  # first day of the month reviewed
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(default=timezone.now)
    notes = models.TextField(_("iakttagelser"), blank=True)

    class Meta:
        verbose_name = _("granskning av åtkomstlogg")
        verbose_name_plural = _("granskningar av åtkomstlogg")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="accesslogreview_once_a_month"),
        ]

    def __str__(self) -> str:
        return f"Logggranskning {self.month:%Y-%m}"


# Export and import jobs live in their own module; imported here so Django registers them.
from reporting.models_aggregates import MonthlyAggregate  # noqa: E402, F401
from reporting.models_jobs import ExportImportJob, LegacyHousehold  # noqa: E402, F401
