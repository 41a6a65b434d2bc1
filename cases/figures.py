"""Which months of the follow-up figures a change of facts touches (issue 20).

The unit manager's indicators and monthly statistics are kept per unit and month by
``reporting`` (reporting.aggregates). The core does not import reporting (DESIGN.md
"Layout"): a service that changes a fact those figures count calls ``figures_changed``
inside its transaction with the unit and the months the fact belongs to, and reporting's
hook (registered in its AppConfig.ready) marks them for recomputation. A back-dated change
names the earlier months: e.g. a household member from 1 March names every month from
March on."""

from collections.abc import Iterable
from datetime import date, datetime

from django.utils import timezone

from cases.extensions import run_hooks
from cases.workdays import STOCKHOLM, next_month

# The hook's event. A change without an end (a household member still there, a referral
# still running) touches the months up to this one; later months are counted when they
# come (a month not stored is computed when first read).
FIGURES_CHANGED = "figures_changed"


def month_of(value: date | datetime) -> date:
    """The month a date or an instant belongs to, in Europe/Stockholm (DOMAIN.md §6)."""
    if isinstance(value, datetime):
        value = value.astimezone(STOCKHOLM).date()
    return value.replace(day=1)


def months_between(first: date | datetime, last: date | datetime | None = None) -> list[date]:
    """Every month from ``first``'s to ``last``'s (default: this month, or ``first``'s
    when that is later – a change from next month on touches next month), inclusive."""
    cursor = month_of(first)
    end = month_of(last) if last is not None else max(cursor, month_of(timezone.localdate()))
    months = []
    while cursor <= end:
        months.append(cursor)
        cursor = next_month(cursor)
    return months


def figures_changed(*, unit_id: int | None, months: Iterable[date | datetime | None]) -> None:
    """Facts of ``unit_id`` in ``months`` changed: their figures are to be recomputed."""
    wanted = sorted({month_of(m) for m in months if m is not None})
    if unit_id is None or not wanted:
        return
    run_hooks(FIGURES_CHANGED, unit_id=unit_id, months=wanted)
