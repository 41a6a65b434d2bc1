"""The unit's follow-up figures per month, kept so that the *Indikatorer* and
*Månadsstatistik* pages cost the same at any size (issue 20). One row per unit and month;
``reporting.aggregates`` computes it from the facts, marks it dirty when a service changes
a fact of that month, and recomputes it."""

from decimal import Decimal

from django.db import models
from django.utils import timezone


class MonthlyAggregate(models.Model):
    """A unit's figures of one month: the indicators' numerators and denominators
    (reporting.indicators) and the monthly statistics (reporting.statistics,
    HSLF-FS 2015:30). Never edited by hand: ``recompute_months`` writes it."""

    unit = models.ForeignKey("cases.Unit", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    # A service changed a fact of this month after it was computed: recompute before use.
    dirty = models.BooleanField(default=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    # The callback figures change with time alone (a contact not answered counts once its
    # deadline has passed): the row is stale from this instant on.
    stale_at = models.DateTimeField(null=True, blank=True)

    # Indicators (reporting.indicators), by month of receipt / decision / visit / …
    callbacks_in_time = models.PositiveIntegerField(default=0)
    callbacks_decided = models.PositiveIntegerField(default=0)
    decision_days = models.IntegerField(default=0)
    decisions = models.PositiveIntegerField(default=0)
    first_visit_days = models.IntegerField(default=0)
    first_visits = models.PositiveIntegerField(default=0)
    opened_met = models.PositiveIntegerField(default=0)
    opened = models.PositiveIntegerField(default=0)
    client_visits = models.PositiveIntegerField(default=0)
    plans_in_time = models.PositiveIntegerField(default=0)
    plans_due = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    closed_young = models.PositiveIntegerField(default=0)
    closed_reasons = models.JSONField(default=list)  # [[label or null, n], …]

    # Monthly statistics (reporting.statistics)
    households = models.PositiveIntegerField(default=0)
    adults = models.PositiveIntegerField(default=0)
    children = models.PositiveIntegerField(default=0)
    amount = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    household_types = models.JSONField(default=dict)  # {"code": n}
    obstacle_counts = models.JSONField(default=dict)  # {"SupportObstacle id": adults}
    obstacles_missing = models.PositiveIntegerField(default=0)
    labour_market = models.PositiveIntegerField(default=0)
    closing_reasons = models.JSONField(default=list)  # [[label or null, n], …]
    missing_applications = models.JSONField(default=list)  # application ids

    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "månadsaggregat"
        verbose_name_plural = "månadsaggregat"
        constraints = [
            # A retried or doubled refresh task updates the one row, never adds a second.
            models.UniqueConstraint(fields=["unit", "month"], name="monthlyaggregate_once"),
        ]
        indexes = [
            models.Index(
                fields=["dirty"], condition=models.Q(dirty=True), name="monthlyaggregate_dirty"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m}"
