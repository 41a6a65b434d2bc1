"""The nämnd's lists, read only: the anmälan av delegationsbeslut (KL 6 kap. 40 §) and the
quarterly reports of decisions not executed (SoL 2025:400 34 kap. 1–3 §§).

Rows carry the decision's reference, dates, kinds and outcomes, the delegate's title and
point, the unit – never a client's name, personnummer or address. Each list is a fixed
number of queries, whatever its length.
"""

import calendar
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F, Prefetch, Q
from django.utils.translation import gettext as _

from cases.models import (
    AppealDismissal,
    ApplicationItem,
    Decision,
    DecisionItem,
    DelegationReport,
    DelegationRule,
    ExecutionClock,
)
from cases.models.decisions import PROCEDURAL_KINDS


def kind_label(kind: str) -> str:
    if kind in ApplicationItem.Kind.values:
        return str(ApplicationItem.Kind(kind).label)
    return str(PROCEDURAL_KINDS.get(kind, kind))


# --- anmälan av delegationsbeslut ----------------------------------------------------------


@dataclass(frozen=True)
class DelegationRow:
    reference: str
    decided_on: date
    kind: str
    outcome: str
    title: str
    point: str
    above_delegation: bool  # approved by the unit manager above the author's delegation
    unit: str


DELEGATION_HEADER = [
    "beslut",
    "beslutsdatum",
    "slag",
    "utfall",
    "delegat",
    "delegationspunkt",
    "godkänt över delegation",
    "enhet",
]


def _decision_row(decision: Decision) -> DelegationRow:
    items = list(decision.items.all())
    kinds = ", ".join(dict.fromkeys(kind_label(item.kind) for item in items))
    if decision.kind == Decision.Kind.RECONSIDERATION:
        kinds = f"{_('Omprövning')}: {kinds}"
    outcome = ", ".join(dict.fromkeys(str(item.get_outcome_display()) for item in items))
    return DelegationRow(
        reference=decision.reference,
        decided_on=decision.decided_on,
        kind=kinds,
        outcome=outcome,
        title=decision.decided_by_title,
        point=decision.delegation_point,
        above_delegation=decision.decided_by_id != decision.author_id,
        unit=decision.case.unit.name,
    )


def _dismissal_row(dismissal: AppealDismissal) -> DelegationRow:
    return DelegationRow(
        reference=dismissal.reference,
        decided_on=dismissal.decided_on,
        kind=str(PROCEDURAL_KINDS["appeal_dismissal"]),
        outcome=_("Avvisat"),
        title=dismissal.decided_by_title,
        point=dismissal.delegation_point,
        above_delegation=False,
        unit=dismissal.appeal.decision.case.unit.name,
    )


def delegation_rows(
    unit_ids, *, start: date | None = None, end: date | None = None, report=None
) -> list[DelegationRow]:
    """The decisions under delegation of ``unit_ids``: those on ``report``, or (preview)
    those decided from ``start`` to ``end`` – in date order. Three queries."""
    decisions = Decision.objects.filter(
        status=Decision.Status.FINAL, case__unit_id__in=unit_ids
    ).select_related("case__unit")
    dismissals = AppealDismissal.objects.filter(
        appeal__decision__case__unit_id__in=unit_ids
    ).select_related("appeal__decision__case__unit")
    if report is not None:
        decisions = decisions.filter(delegation_report=report)
        dismissals = dismissals.filter(delegation_report=report)
    else:
        decisions = decisions.filter(decided_on__gte=start, decided_on__lte=end)
        dismissals = dismissals.filter(decided_on__gte=start, decided_on__lte=end)
    decisions = decisions.prefetch_related(
        Prefetch("items", queryset=DecisionItem.objects.order_by("pk"))
    ).only(
        "pk",
        "created_at",
        "kind",
        "decided_on",
        "decided_by_title",
        "delegation_point",
        "decided_by_id",
        "author_id",
        "case__unit__name",
    )
    rows = [_decision_row(d) for d in decisions] + [_dismissal_row(d) for d in dismissals]
    return sorted(rows, key=lambda row: (row.decided_on, row.reference))


def delegation_csv_rows(rows: list[DelegationRow]) -> list[list]:
    return [
        [
            row.reference,
            row.decided_on,
            row.kind,
            row.outcome,
            row.title,
            row.point,
            _("ja") if row.above_delegation else _("nej"),
            row.unit,
        ]
        for row in rows
    ]


def reports_of(board_name: str):
    return DelegationReport.objects.filter(board_name=board_name)


def delegation_order_rules():
    """The delegeringsordning's points in order, for the printout."""
    rules = list(DelegationRule.objects.filter(is_active=True))

    def key(rule):
        parts = [int(p) if p.isdigit() else p for p in rule.point.split(".")] if rule.point else []
        return (not rule.point, [str(p).zfill(4) for p in parts], rule.item_kind, rule.role)

    return sorted(rules, key=key)


# --- ej verkställda beslut (SoL 34 kap.) ---------------------------------------------------


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter is 1–4")
    first_month = 3 * (quarter - 1) + 1
    last_month = first_month + 2
    return date(year, first_month, 1), date(
        year, last_month, calendar.monthrange(year, last_month)[1]
    )


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _add_months(day: date, months: int) -> date:
    year, index = divmod(day.month - 1 + months, 12)
    year += day.year
    month = index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class NonExecutionRow:
    reference: str
    decided_on: date
    insats: str
    interrupted_on: date | None
    due_on: date
    status: str
    ended_on: date | None  # executed or resumed within the quarter
    days: int  # from the decision (or interruption) to execution or the quarter's end
    reason: str
    reported_before: bool
    unit: str
    clock_id: int
    decision_id: int
    ended_in_quarter: bool
    kinds: tuple[str, ...]
    elapsed_band: str


NON_EXECUTION_HEADER = [
    "beslut",
    "beslutsdatum",
    "typ av bistånd",
    "datum för avbrott",
    "skulle vara verkställt senast",
    "läge vid kvartalets slut",
    "verkställt eller återupptaget",
    "dagar",
    "skäl för dröjsmålet",
    "rapporterat tidigare kvartal",
    "enhet",
]

BANDS = ("3–6 månader", "6–12 månader", "mer än 12 månader")


def _band(start: date, end: date) -> str:
    if end > _add_months(start, 12):
        return BANDS[2]
    if end > _add_months(start, 6):
        return BANDS[1]
    return BANDS[0]


def reportable_clocks(unit_ids, year: int, quarter: int):
    """Clocks to report for the quarter (34 kap. 1–2 §§): three months passed before the
    quarter ended without execution in time (``due_on`` before the last day – on the last
    day itself a decision can still be executed in time), and either still not executed
    at the quarter's end, or executed (resumed, or the decision ended) during the quarter:
    the second report. A clock ended before the quarter began was reported earlier."""
    start, end = quarter_bounds(year, quarter)
    return (
        ExecutionClock.objects.filter(unit_id__in=unit_ids, due_on__lt=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=F("due_on")))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .select_related("decision", "unit")
        .prefetch_related(
            Prefetch(
                "decision__items",
                queryset=DecisionItem.objects.filter(
                    outcome__in=("granted", "partly"), legal_basis__execution_reporting=True
                ).order_by("pk"),
            )
        )
        .order_by("due_on", "pk")
    )


def non_execution_rows(unit_ids, year: int, quarter: int) -> list[NonExecutionRow]:
    start, end = quarter_bounds(year, quarter)
    rows = []
    for clock in reportable_clocks(unit_ids, year, quarter):
        ended_in_quarter = clock.ended_on is not None and clock.ended_on <= end
        if ended_in_quarter:
            status = str(ExecutionClock.Ending(clock.ending).label)
        elif clock.kind == ExecutionClock.Kind.INTERRUPTION:
            status = _("Avbrott – inte återupptaget")
        else:
            status = _("Inte verkställt")
        until = clock.ended_on if ended_in_quarter else end
        kinds = tuple(dict.fromkeys(item.kind for item in clock.decision.items.all()))
        rows.append(
            NonExecutionRow(
                reference=clock.decision.reference,
                decided_on=clock.decision.decided_on,
                insats=", ".join(kind_label(kind) for kind in kinds),
                interrupted_on=clock.started_on
                if clock.kind == ExecutionClock.Kind.INTERRUPTION
                else None,
                due_on=clock.due_on,
                status=status,
                ended_on=clock.ended_on if ended_in_quarter else None,
                days=(until - clock.started_on).days,
                reason=clock.delay_reason,
                reported_before=clock.due_on < start - timedelta(days=1),
                unit=clock.unit.name,
                clock_id=clock.pk,
                decision_id=clock.decision_id,
                ended_in_quarter=ended_in_quarter,
                kinds=kinds,
                elapsed_band=_band(clock.started_on, until),
            )
        )
    return rows


def non_execution_csv_rows(rows: list[NonExecutionRow]) -> list[list]:
    return [
        [
            row.reference,
            row.decided_on,
            row.insats,
            row.interrupted_on,
            row.due_on,
            row.status,
            row.ended_on,
            row.days,
            row.reason,
            _("ja") if row.reported_before else _("nej"),
            row.unit,
        ]
        for row in rows
    ]


@dataclass(frozen=True)
class StatisticsLine:
    insats: str
    not_executed: int
    executed: int
    bands: tuple[int, int, int]


def statistics(rows: list[NonExecutionRow]) -> list[StatisticsLine]:
    """The statistics report to kommunfullmäktige (34 kap. 3 §): per kind of bistånd, how
    many were not executed at the quarter's end, how many were executed late during it,
    and how long had passed from the decision (or interruption). No individual rows."""
    not_executed: Counter[str] = Counter()
    executed: Counter[str] = Counter()
    bands: dict[str, Counter[str]] = {}
    for row in rows:
        for kind in row.kinds or ("",):
            label = kind_label(kind) if kind else _("Okänt")
            (executed if row.ended_in_quarter else not_executed)[label] += 1
            bands.setdefault(label, Counter())[row.elapsed_band] += 1
    return [
        StatisticsLine(
            insats=label,
            not_executed=not_executed[label],
            executed=executed[label],
            bands=tuple(bands[label][band] for band in BANDS),  # type: ignore[arg-type]
        )
        for label in sorted(bands)
    ]


def statistics_csv_rows(lines: list[StatisticsLine]) -> list[list]:
    return [[line.insats, line.not_executed, line.executed, *line.bands] for line in lines]


STATISTICS_HEADER = [
    "typ av bistånd",
    "inte verkställda vid kvartalets slut",
    "verkställda under kvartalet",
    *BANDS,
]
