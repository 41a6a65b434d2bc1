"""Monthly statistics for Socialstyrelsen (HSLF-FS 2015:30, DOMAIN.md §9): households and
persons granted bistånd in a month, amounts, household type codes, försörjningshinder per
adult and closing reasons – as a CSV in the layout documented in
docs/statistik-socialstyrelsen.md."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Q, Sum

from cases.models import (
    ApplicationObstacle,
    Case,
    Decision,
    HouseholdMember,
    SupportObstacle,
    Unit,
)
from cases.personnummer import InvalidPersonnummer, parse
from cases.spreadsheets import csv_text
from cases.sql import AnyOf
from cases.workdays import next_month
from referrals.models import Provider, Referral

HOUSEHOLD_TYPES = {
    1: "Barn utan vuxen",
    3: "Ensamstående man utan barn",
    4: "Ensamstående man med barn",
    5: "Ensamstående kvinna utan barn",
    6: "Ensamstående kvinna med barn",
    7: "Sammanboende utan barn",
    8: "Sammanboende med barn",
    9: "Okänd",
}
ADULT_ROLES = {"applicant", "co_applicant", "other_adult"}
MISSING_OBSTACLE = ("uppgift_saknas", "Uppgift saknas")
REPORT_DAY = 15  # a month is reported by the 15th of the next (HSLF-FS 2015:30, DOMAIN.md §9)


def report_due(month: date) -> date:
    return next_month(month).replace(day=REPORT_DAY)


def month_to_report(today: date) -> date:
    """The month whose report is due next: last month until its day has passed."""
    this_month = today.replace(day=1)
    if today.day <= REPORT_DAY:
        return (this_month - timedelta(days=1)).replace(day=1)
    return this_month


def month_to_show(unit: Unit, today: date, *, report_month_has_data: bool = False) -> date:
    """The month the statistics page opens on: the month to report if it has any
    household, otherwise the latest month up to this one that has (an empty month
    while this month has data helps nobody), otherwise the month to report. A caller
    that knows the month to report has households (its stored figures) says so and
    saves the search through every month."""
    report_month = month_to_report(today)
    if report_month_has_data:
        return report_month
    months = (
        Decision.objects.filter(
            case__unit=unit,
            status=Decision.Status.FINAL,
            application__month__lte=today.replace(day=1),
            replaced_by__isnull=True,
        )
        .annotate(granted=Sum("items__granted_amount"))
        .filter(granted__gt=0)
        .values_list("application__month", flat=True)
    )
    with_data = set(months)
    if report_month in with_data or not with_data:
        return report_month
    return max(with_data)


@dataclass(frozen=True)
class MonthlyStatistics:
    month: date
    households: int
    persons: int
    adults: int
    children: int
    amount: Decimal
    household_types: dict[int, int]
    hindrances: list[tuple[str, str, int]]  # (code, label, adults)
    labour_market: int  # adults in a municipal labour-market programme (kommunal insats)
    closing_reasons: list[tuple[str | None, int]]  # label (None: not given), cases
    # Applications with an adult whose försörjningshinder is not recorded (to fix them).
    missing_applications: frozenset[int] = frozenset()

    @property
    def missing_obstacles(self) -> int:
        return sum(n for code, _, n in self.hindrances if code == MISSING_OBSTACLE[0])


class Member(NamedTuple):
    """What the statistics need of a household member (no model instances: a month of a
    large unit is thousands of rows)."""

    person_id: int
    role: str
    personnummer: str | None


def _sex(personnummer: str | None) -> str | None:
    if not personnummer:
        return None
    try:
        return parse(personnummer).sex
    except InvalidPersonnummer:
        return None


def household_type(members: list[Member]) -> int:
    adults = [m for m in members if m.role in ADULT_ROLES]
    children = [m for m in members if m.role == "child"]
    applicants = [m for m in adults if m.role in ("applicant", "co_applicant")]
    if not adults:
        return 1 if children else 9
    if len(applicants) >= 2:
        return 8 if children else 7
    sex = _sex((applicants[0] if applicants else adults[0]).personnummer)
    if sex is None:
        return 9
    if sex == "man":
        return 4 if children else 3
    return 6 if children else 5


@dataclass(frozen=True)
class StatisticsFigures:
    """A month's statistics as counted from the facts – what ``reporting.aggregates``
    stores per unit and month. Försörjningshinder are counted per obstacle id; their codes
    and labels (which an administrator may change) are read when shown."""

    households: int
    adults: int
    children: int
    amount: Decimal
    household_types: dict[int, int]
    obstacle_counts: dict[int, int]  # SupportObstacle id → adults
    obstacles_missing: int  # adults without a recorded försörjningshinder
    labour_market: int
    closing_reasons: list[tuple[str | None, int]]
    missing_applications: frozenset[int]


def statistics_figures(unit: Unit, month: date) -> StatisticsFigures:
    """The full count of one month from the facts (HSLF-FS 2015:30, DOMAIN.md §9)."""
    month = month.replace(day=1)
    decisions = list(
        Decision.objects.filter(
            case__unit=unit,
            status=Decision.Status.FINAL,
            # The statistics month is the month the application names – also for a
            # household whose payment periods run e.g. from the 25th, or a broken
            # period that starts inside it (cases.payment_periods).
            application__month=month,
            replaced_by__isnull=True,
        )
        .annotate(granted=Sum("items__granted_amount"))
        .filter(granted__gt=0)
        .values("case__household_id", "application_id", "granted")
    )
    households = {d["case__household_id"] for d in decisions}
    end = next_month(month)
    # One row per person and household, the latest membership in the month (as the
    # application's own household_in_month does).
    members: dict[int, dict[int, Member]] = defaultdict(dict)
    for household_id, *member in (
        HouseholdMember.objects.filter(AnyOf("household_id", households), valid_from__lt=end)
        .exclude(valid_to__lt=month)
        .order_by("valid_from", "pk")
        .values_list("household_id", "person_id", "role", "person__personnummer")
    ):
        members[household_id][member[0]] = Member(*member)
    rows = {h: list(members[h].values()) for h in households}
    types = Counter(household_type(rows[h]) for h in households)
    adult_ids = {(h, m.person_id) for h in households for m in rows[h] if m.role in ADULT_ROLES}
    children = sum(1 for h in households for m in rows[h] if m.role == "child")
    counts, missing, applications = _obstacle_counts(decisions, adult_ids)
    return StatisticsFigures(
        households=len(households),
        adults=len(adult_ids),
        children=children,
        amount=sum((d["granted"] for d in decisions), Decimal(0)),
        household_types={code: types.get(code, 0) for code in HOUSEHOLD_TYPES},
        obstacle_counts=counts,
        obstacles_missing=missing,
        labour_market=_labour_market(adult_ids, month, end),
        closing_reasons=_closing_reasons(unit, month, end),
        missing_applications=applications,
    )


def statistics_from(month: date, figures: StatisticsFigures) -> MonthlyStatistics:
    """The page's statistics from a month's figures (counted now or stored)."""
    return MonthlyStatistics(
        month=month.replace(day=1),
        households=figures.households,
        persons=figures.adults + figures.children,
        adults=figures.adults,
        children=figures.children,
        amount=figures.amount,
        household_types=figures.household_types,
        hindrances=hindrance_rows(figures.obstacle_counts, figures.obstacles_missing),
        labour_market=figures.labour_market,
        closing_reasons=figures.closing_reasons,
        missing_applications=figures.missing_applications,
    )


def monthly_statistics(unit: Unit, month: date) -> MonthlyStatistics:
    """The month's statistics computed from the facts (the full recomputation; the page
    reads the stored aggregate, ``reporting.aggregates.stored_statistics``)."""
    return statistics_from(month, statistics_figures(unit, month))


def _obstacle_counts(decisions, adult_ids) -> tuple[dict[int, int], int, frozenset[int]]:
    """Försörjningshinder per adult (DOMAIN.md §9): adults per recorded obstacle id, the
    adults without one, and the applications where one is missing."""
    household_of = {d["application_id"]: d["case__household_id"] for d in decisions}
    recorded = {}
    for application_id, person_id, obstacle_id in ApplicationObstacle.objects.filter(
        AnyOf("application_id", household_of)
    ).values_list("application_id", "person_id", "obstacle_id"):
        key = (household_of[application_id], person_id)
        if key in adult_ids:
            recorded[key] = obstacle_id
    missing = adult_ids - recorded.keys()
    households = {household for household, _ in missing}
    applications = frozenset(a for a, h in household_of.items() if h in households)
    return dict(Counter(recorded.values())), len(missing), applications


def hindrance_rows(counts: dict[int, int], missing: int) -> list[tuple[str, str, int]]:
    """Every active code (zero included), retired codes still recorded, and adults without
    one as "uppgift saknas" (DOMAIN.md §9)."""
    result = [
        (o.code, o.label, counts.get(o.pk, 0))
        for o in SupportObstacle.objects.filter(Q(is_active=True) | Q(pk__in=counts))
    ]
    if missing:
        result.append((*MISSING_OBSTACLE, missing))
    return result


def _labour_market(adult_ids, month: date, end: date) -> int:
    """Adults in the month's households taking part in a municipal labour-market
    programme (kommunal arbetsmarknadsinsats, DOMAIN.md §9): a started referral to a
    municipal provider that runs at some time during the month."""
    people = {person_id for _, person_id in adult_ids}
    return (
        Referral.objects.filter(
            AnyOf("person_id", people),
            provider__kind=Provider.Kind.MUNICIPAL,
            started_on__lt=end,
        )
        .exclude(ended_on__lt=month)
        .values("person_id")
        .distinct()
        .count()
    )


def _closing_reasons(unit: Unit, month: date, end: date) -> list[tuple[str | None, int]]:
    closing = Counter(
        Case.objects.filter(
            unit=unit, status=Case.Status.CLOSED, closed_on__gte=month, closed_on__lt=end
        ).values_list("closing_reason__label", flat=True)
    )
    return sorted(closing.items(), key=lambda r: (-r[1], r[0] or ""))


def statistics_csv(stats: MonthlyStatistics, unit: Unit) -> str:
    """The month's statistics as CSV, through the one neutralising writer
    (``cases.spreadsheets``): labels are data an administrator types."""
    rows: list[list] = [
        ["period", f"{stats.month:%Y-%m}", unit.name, None, None],
        ["hushall", None, "Hushåll med utbetalt bistånd", stats.households, stats.amount],
        ["personer", "vuxna", "Vuxna", stats.adults, None],
        ["personer", "barn", "Barn", stats.children, None],
    ]
    rows += [
        ["hushallstyp", code, label, stats.household_types[code], None]
        for code, label in HOUSEHOLD_TYPES.items()
    ]
    rows += [
        ["forsorjningshinder", code, label, count, None] for code, label, count in stats.hindrances
    ]
    rows.append(
        [
            "arbetsmarknadsinsats",
            "kommunal",
            "Vuxna i kommunal arbetsmarknadsinsats",
            stats.labour_market,
            None,
        ]
    )
    rows += [
        ["avslutsorsak", None, label or "Okänd", count, None]
        for label, count in stats.closing_reasons
    ]
    rows.append(["summa", None, "Personer totalt", stats.persons, stats.amount])
    return csv_text(
        rows, header=["avsnitt", "kod", "benamning", "antal", "belopp"], decimal_separator="."
    )
