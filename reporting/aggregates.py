"""The unit's indicators and monthly statistics kept per unit and month (issue 20), so that
the *Indikatorer* and *Månadsstatistik* pages read a fixed number of rows instead of
counting the unit's whole history on every request.

How the rows stay right:

- The figures of a month are computed by the very functions that compute them from the
  facts (``reporting.indicators.*_figures``, ``reporting.statistics.statistics_figures``):
  ``recompute_months`` stores what they return, and nothing else computes a figure.
- A service that changes a fact calls ``cases.figures.figures_changed`` in its
  transaction; ``mark_dirty`` (the hook) upserts the (unit, month) rows with
  ``dirty = true`` in that same transaction, and after commit a Celery task
  (``reporting.tasks.refresh_monthly_aggregates``) recomputes only those months.
- Recomputing locks the rows (SELECT … FOR UPDATE) before it counts: a service marking
  the same month waits for it and marks the row again afterwards, so no change is lost;
  the unique (unit, month) constraint makes a retried or doubled task update the one row.
- A page that finds a month missing, dirty or stale (``stale_at``: an unanswered first
  contact's callback deadline passes, which changes the callbacks figure with no new
  fact) recomputes it on the spot and stores it: the page is never wrong.
- Beat's safety net (``reporting.tasks.refresh_dirty_monthly_aggregates``) sends one
  message per unit to recompute every dirty month and the current and previous month,
  for a message lost with the broker, and the months the pages open on that are not
  stored yet.
- ``manage.py check_monthly_aggregates`` compares every stored row with a recomputation.
"""

import logging
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases.models import Unit
from reporting.indicators import (
    ClosedHouseholds,
    ClosedMonth,
    Indicator,
    callbacks_settle_at,
    caseworker_count,
    closed_figures,
    closed_households_from,
    closed_months,
    indicator_figures,
    indicators_from,
    months_back,
)
from reporting.models_aggregates import MonthlyAggregate
from reporting.statistics import (
    MonthlyStatistics,
    StatisticsFigures,
    statistics_figures,
    statistics_from,
)

logger = logging.getLogger(__name__)

# The stored figures; ``recompute_months`` writes them and the check compares them.
FIGURE_FIELDS = [
    "callbacks_in_time",
    "callbacks_decided",
    "decision_days",
    "decisions",
    "first_visit_days",
    "first_visits",
    "opened_met",
    "opened",
    "client_visits",
    "plans_in_time",
    "plans_due",
    "closed",
    "closed_young",
    "closed_reasons",
    "households",
    "adults",
    "children",
    "amount",
    "household_types",
    "obstacle_counts",
    "obstacles_missing",
    "labour_market",
    "closing_reasons",
    "missing_applications",
]


def _first(month: date) -> date:
    return month.replace(day=1)


def compute_figures(unit: Unit, months: list[date], now=None) -> dict[date, dict]:
    """Every stored figure of ``months``, from the facts – the full recomputation (the
    same functions the figures were always computed with). Also ``stale_at`` per month."""
    months = sorted({_first(m) for m in months})
    if not months:
        return {}
    now = now or timezone.now()
    indicators = indicator_figures(unit, months, now)
    settle_at = callbacks_settle_at(unit, months, now)
    closed = closed_figures(unit, months)
    result = {}
    for month in months:
        stats = statistics_figures(unit, month)
        closed_month = closed.get(month, ClosedMonth(0, 0, []))
        pair = {
            code: indicators[code].get(month, (0, 0))
            for code in indicators
            if code != "client_visits"
        }
        result[month] = {
            "callbacks_in_time": pair["callbacks"][0],
            "callbacks_decided": pair["callbacks"][1],
            "decision_days": pair["days_to_decision"][0],
            "decisions": pair["days_to_decision"][1],
            "first_visit_days": pair["days_to_first_visit"][0],
            "first_visits": pair["days_to_first_visit"][1],
            "opened_met": pair["personal_meeting"][0],
            "opened": pair["personal_meeting"][1],
            "client_visits": indicators["client_visits"].get(month, 0),
            "plans_in_time": pair["plans"][0],
            "plans_due": pair["plans"][1],
            "closed": closed_month.closed,
            "closed_young": closed_month.young,
            "closed_reasons": [[label, n] for label, n in closed_month.reasons],
            "households": stats.households,
            "adults": stats.adults,
            "children": stats.children,
            "amount": Decimal(stats.amount).quantize(Decimal("0.01")),
            "household_types": {str(code): n for code, n in stats.household_types.items()},
            "obstacle_counts": {str(pk): n for pk, n in sorted(stats.obstacle_counts.items())},
            "obstacles_missing": stats.obstacles_missing,
            "labour_market": stats.labour_market,
            "closing_reasons": [[label, n] for label, n in stats.closing_reasons],
            "missing_applications": sorted(stats.missing_applications),
            "stale_at": settle_at.get(month),
        }
    return result


def recompute_months(unit: Unit, months, *, now=None) -> dict[date, MonthlyAggregate]:
    """Recompute exactly the (unit, month) rows of ``months`` from the facts and store them
    (idempotent: one row per unit and month, whatever runs it how often)."""
    months = sorted({_first(m) for m in months})
    if not months:
        return {}
    now = now or timezone.now()
    with transaction.atomic():
        MonthlyAggregate.objects.bulk_create(
            [MonthlyAggregate(unit=unit, month=m) for m in months], ignore_conflicts=True
        )
        # Locked before counting: a service marking one of these months in between waits
        # and marks it again after this commits (READ COMMITTED: each count below sees
        # every change committed before the lock was had).
        rows = {
            row.month: row
            for row in MonthlyAggregate.objects.select_for_update()
            .filter(unit=unit, month__in=months)
            .order_by("month")
        }
        figures = compute_figures(unit, months, now)
        for month, row in rows.items():
            for field, value in figures[month].items():
                setattr(row, field, value)
            row.dirty, row.computed_at, row.updated_at = False, now, timezone.now()
        MonthlyAggregate.objects.bulk_update(
            list(rows.values()),
            [*FIGURE_FIELDS, "stale_at", "dirty", "computed_at", "updated_at"],
        )
    return rows


def mark_dirty(*, unit_id: int, months: list[date], **kwargs) -> None:
    """The ``figures_changed`` hook (cases.figures): in the caller's transaction, mark the
    months dirty (a row for a month not yet stored is made, dirty); after commit, ask a
    worker to recompute them – one message per unit and transaction, however many
    services of the transaction reported changes."""
    months = sorted({_first(m) for m in months})
    MonthlyAggregate.objects.bulk_create(
        [MonthlyAggregate(unit_id=unit_id, month=m, dirty=True) for m in months],
        update_conflicts=True,
        unique_fields=["unit", "month"],
        update_fields=["dirty"],
    )
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _enqueue(unit_id, [m.isoformat() for m in months])
        return
    pending = getattr(connection, "_monthly_aggregates_pending", None)
    # A rolled-back transaction drops its on-commit functions but not the attribute: a
    # collection is reused only while its flush is still waiting for this commit.
    if pending is None or not any(entry[1] == pending.flush for entry in connection.run_on_commit):
        pending = _Pending()
        connection._monthly_aggregates_pending = pending
        transaction.on_commit(pending.flush)
    pending.add(unit_id, months)


class _Pending:
    """The months one transaction marked, per unit, queued when it commits."""

    def __init__(self) -> None:
        self.months: dict[int, set[date]] = {}

    def add(self, unit_id: int, months: list[date]) -> None:
        self.months.setdefault(unit_id, set()).update(months)

    def flush(self) -> None:
        for unit_id, months in self.months.items():
            _enqueue(unit_id, [m.isoformat() for m in sorted(months)])


def _enqueue(unit_id: int, months: list[str]) -> None:
    from reporting.tasks import refresh_monthly_aggregates

    try:
        refresh_monthly_aggregates.delay(unit_id, months)
    except Exception:  # noqa: BLE001 – the change is committed; beat's safety net catches up
        # The broker being away must not turn a committed change into an error page: the
        # rows stay dirty, and a page or the periodic refresh recomputes them.
        logger.warning("refresh of monthly aggregates not queued", exc_info=True)


def refresh_dirty(*, unit_id: int, months: list[date], force: bool = False) -> int:
    """The task's work: recompute those of ``months`` that are still dirty (a retried or
    late task finds them clean and does nothing) – or, with ``force`` (the periodic
    refresh), all of them. Returns how many were recomputed."""
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        return 0
    if not force:
        months = list(
            MonthlyAggregate.objects.filter(unit=unit, month__in=months, dirty=True).values_list(
                "month", flat=True
            )
        )
    return len(recompute_months(unit, months))


def months_to_refresh(*, today: date | None = None) -> dict[int, list[date]]:
    """What beat's safety net recomputes, per unit: every dirty month, the current and
    previous month (facts written outside the services, a lost task message), and any
    month the pages open on by default that is not stored yet (January last year to this
    month: the indicators' twelve months and the closed households of this year and the
    last), so that a page's first view after a deploy does not count two years."""
    today = today or timezone.localdate()
    this_month = _first(today)
    previous = _first(this_month - timedelta(days=1))
    window = months_back(this_month, 12 + this_month.month)
    stored = set(
        MonthlyAggregate.objects.filter(month__gte=window[0]).values_list("unit_id", "month")
    )
    wanted: dict[int, set[date]] = {
        unit_id: {previous, this_month} | {m for m in window if (unit_id, m) not in stored}
        for unit_id in Unit.objects.values_list("pk", flat=True)
    }
    for unit_id, month in MonthlyAggregate.objects.filter(dirty=True).values_list(
        "unit_id", "month"
    ):
        wanted.setdefault(unit_id, set()).add(month)
    return {unit_id: sorted(months) for unit_id, months in wanted.items()}


def refresh_all_dirty(*, today: date | None = None) -> int:
    """``months_to_refresh`` recomputed here and now (the periodic task sends one message
    per unit instead, each with its own time limit)."""
    return sum(
        refresh_dirty(unit_id=unit_id, months=months, force=True)
        for unit_id, months in months_to_refresh(today=today).items()
    )


def current_rows(unit: Unit, months, *, now=None) -> dict[date, MonthlyAggregate]:
    """The stored rows of ``months`` (one query); a month missing, dirty or stale is
    recomputed on the spot and stored, so what is returned is always right."""
    now = now or timezone.now()
    months = sorted({_first(m) for m in months})
    rows = {r.month: r for r in MonthlyAggregate.objects.filter(unit=unit, month__in=months)}
    outdated = [
        m
        for m in months
        if (row := rows.get(m)) is None
        or row.dirty
        or (row.stale_at is not None and row.stale_at < now)
    ]
    if outdated:
        rows.update(recompute_months(unit, outdated, now=now))
    return rows


def _indicator_figures_of(rows: dict[date, MonthlyAggregate]) -> dict[str, dict]:
    """Stored rows as ``reporting.indicators.indicator_figures`` returns them."""
    return {
        "callbacks": {m: (r.callbacks_in_time, r.callbacks_decided) for m, r in rows.items()},
        "days_to_decision": {m: (r.decision_days, r.decisions) for m, r in rows.items()},
        "days_to_first_visit": {m: (r.first_visit_days, r.first_visits) for m, r in rows.items()},
        "personal_meeting": {m: (r.opened_met, r.opened) for m, r in rows.items() if r.opened},
        "client_visits": {m: r.client_visits for m, r in rows.items()},
        "plans": {m: (r.plans_in_time, r.plans_due) for m, r in rows.items() if r.plans_due},
    }


def stored_indicators(
    unit: Unit, *, last_month: date, count: int = 12
) -> tuple[list[Indicator], ClosedHouseholds]:
    """What the *Indikatorer* page shows, from the stored months: the indicators of the
    ``count`` months up to ``last_month`` and the closed households of its year (and the
    year before). Three queries when every month is stored and current."""
    months = months_back(last_month, count)
    year_months = closed_months(last_month.year)
    rows = current_rows(unit, [*months, *year_months])
    shown = {m: rows[m] for m in months}
    indicators = indicators_from(_indicator_figures_of(shown), months, caseworker_count(unit))
    closed = closed_households_from(
        {
            m: ClosedMonth(r.closed, r.closed_young, [tuple(x) for x in r.closed_reasons])
            for m in year_months
            if (r := rows[m]).closed
        },
        last_month.year,
    )
    return indicators, closed


def _statistics_figures_of(row: MonthlyAggregate) -> StatisticsFigures:
    return StatisticsFigures(
        households=row.households,
        adults=row.adults,
        children=row.children,
        amount=row.amount,
        household_types={int(code): n for code, n in row.household_types.items()},
        obstacle_counts={int(pk): n for pk, n in row.obstacle_counts.items()},
        obstacles_missing=row.obstacles_missing,
        labour_market=row.labour_market,
        closing_reasons=[tuple(x) for x in row.closing_reasons],
        missing_applications=frozenset(row.missing_applications),
    )


def stored_statistics(unit: Unit, month: date) -> MonthlyStatistics:
    """What the *Månadsstatistik* page (and its CSV) shows for ``month``, from the stored
    row: two queries (the row, and the försörjningshinder's codes and labels)."""
    month = _first(month)
    row = current_rows(unit, [month])[month]
    return statistics_from(month, _statistics_figures_of(row))


def pending_rows(*, unit: Unit | None = None, months=None, now=None):
    """Rows a page would recompute before use: dirty, or stale since ``stale_at``."""
    now = now or timezone.now()
    query = MonthlyAggregate.objects.filter(Q(dirty=True) | Q(stale_at__lt=now))
    if unit is not None:
        query = query.filter(unit=unit)
    if months is not None:
        query = query.filter(month__in=months)
    return query


def check_rows(*, unit: Unit | None = None, months=None) -> list[tuple[MonthlyAggregate, dict]]:
    """Every stored row (of ``unit``, of ``months``) a page would use as it is – neither
    dirty nor stale – whose figures differ from a full recomputation:
    (row, {field: (stored, computed)})."""
    now = timezone.now()
    query = (
        MonthlyAggregate.objects.select_related("unit")
        .exclude(pk__in=pending_rows(now=now).values("pk"))
        .order_by("unit_id", "month")
    )
    if unit is not None:
        query = query.filter(unit=unit)
    if months is not None:
        query = query.filter(month__in=months)
    by_unit: dict[int, list[MonthlyAggregate]] = {}
    for row in query:
        by_unit.setdefault(row.unit_id, []).append(row)
    differences = []
    for rows in by_unit.values():
        computed = compute_figures(rows[0].unit, [r.month for r in rows], now)
        for row in rows:
            diff = {
                field: (getattr(row, field), computed[row.month][field])
                for field in FIGURE_FIELDS
                if getattr(row, field) != computed[row.month][field]
            }
            if diff:
                differences.append((row, diff))
    return differences
