"""The unit's indicators per month, with targets from settings (DOMAIN.md §9; Norrköping
2015 sources/001, Eslöv sources/000). Each indicator is one grouped query over the whole
period, so the page's query count does not depend on the number of rows or months."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from cases.models import (
    Case,
    Deadline,
    Decision,
    FirstContact,
    HouseholdMember,
    Meeting,
    Unit,
    User,
)
from cases.roles import Role
from cases.sql import AnyOf
from cases.workdays import STOCKHOLM, is_working_day, next_month
from reporting.selectors import deadline_group, start_of

YOUNG_MAX_AGE = 24  # "families with children or young people (≤ 24)", Norrköping mål 2–3


@dataclass(frozen=True)
class Point:
    month: date
    value: float | None  # None: nothing to measure that month
    numerator: float = 0
    denominator: float = 0


@dataclass(frozen=True)
class Indicator:
    code: str
    title: str
    unit: str  # "%", "dagar", "besök/dag"
    target: float | None
    higher_is_better: bool
    points: list[Point]
    note: str = ""

    @property
    def latest(self) -> Point | None:
        measured = [p for p in self.points if p.value is not None]
        return measured[-1] if measured else None

    @property
    def meets_target(self) -> bool | None:
        latest = self.latest
        if latest is None or self.target is None:
            return None
        if self.higher_is_better:
            return latest.value >= self.target
        return latest.value <= self.target


def months_back(last: date, count: int) -> list[date]:
    months, cursor = [], last.replace(day=1)
    for _ in range(count):
        months.append(cursor)
        cursor = (cursor - timezone.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def _month_key(value) -> date:
    if hasattr(value, "astimezone"):
        value = value.astimezone(STOCKHOLM)
    return date(value.year, value.month, 1)


def _share(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


def targets() -> dict:
    return settings.VAGEN_INDICATOR_TARGETS


def callbacks_in_time(unit: Unit, months: list[date], now=None) -> Indicator:
    """Share of first contacts answered within 24 working hours (met ≤ due), among
    those already answered or past due."""
    now = now or timezone.now()
    # The unit's callback deadlines of the period only (a callback deadline has its
    # contact's unit and falls due after the contact came in): PostgreSQL hashes this
    # set once, and unbounded it was every callback ever made in every unit.
    callbacks = Deadline.objects.filter(
        kind="callback",
        subject_type=ContentType.objects.get_for_model(FirstContact),
        unit=unit,
        due_at__gte=start_of(months[0]),
        met_at__isnull=False,
        subject_id=OuterRef("pk"),
    )
    met_in_time = callbacks.filter(met_at__lte=F("due_at"))
    met = callbacks
    rows = (
        FirstContact.objects.filter(
            unit=unit,
            received_at__gte=start_of(months[0]),
            received_at__lt=start_of(next_month(months[-1])),
        )
        .annotate(m=TruncMonth("received_at", tzinfo=STOCKHOLM))
        .values("m")
        .annotate(
            in_time=Count("pk", filter=Q(Exists(met_in_time))),
            decided=Count("pk", filter=Q(Exists(met)) | Q(callback_due_at__lt=now)),
        )
    )
    by_month = {_month_key(r["m"]): r for r in rows}
    points = [
        Point(m, _share(r["in_time"], r["decided"]), r["in_time"], r["decided"])
        if (r := by_month.get(m))
        else Point(m, None)
        for m in months
    ]
    return Indicator(
        "callbacks",
        "Återkoppling inom 24 arbetstimmar",
        "%",
        targets()["callback_share"],
        True,
        points,
    )


def _average_days_by_month(rows, months: list[date]) -> list[Point]:
    """Points from grouped rows with ``m`` (month), ``days`` (a summed duration) and
    ``n`` (how many): the average in whole days per month."""
    by_month = {r["m"]: (r["days"].days if r["days"] is not None else 0, r["n"]) for r in rows}
    points = []
    for m in months:
        total, count = by_month.get(m, (0, 0))
        points.append(Point(m, round(total / count, 1), total, count) if count else Point(m, None))
    return points


def days_to_decision(unit: Unit, months: list[date]) -> Indicator:
    """Days from first contact to the first final decision, by month of decision
    (national average 16, DOMAIN.md §9). Summed per month in the database: one row per
    month, not one per decision (10 000 a year in a large unit)."""
    received_on = TruncDate("case__origin_contact__received_at", tzinfo=STOCKHOLM)
    rows = (
        Decision.objects.filter(
            case__unit=unit,
            status=Decision.Status.FINAL,
            replaces__isnull=True,
            decided_on__gte=months[0],
            decided_on__lt=next_month(months[-1]),
            case__origin_contact__isnull=False,
        )
        .annotate(m=TruncMonth("decided_on"))
        .values("m")
        .annotate(days=Sum(F("decided_on") - received_on), n=Count("pk"))
        .order_by()
    )
    return Indicator(
        "days_to_decision",
        "Dagar från första kontakt till beslut",
        "dagar",
        targets()["days_to_decision"],
        False,
        _average_days_by_month(rows, months),
    )


def days_to_first_visit(unit: Unit, months: list[date]) -> Indicator:
    """Waiting time to the first visit, from the first contact (or the case's opening)."""
    start = Coalesce(TruncDate("origin_contact__received_at", tzinfo=STOCKHOLM), F("opened_on"))
    rows = (
        Case.objects.filter(
            unit=unit, first_visit_on__gte=months[0], first_visit_on__lt=next_month(months[-1])
        )
        .annotate(m=TruncMonth("first_visit_on"))
        .values("m")
        .annotate(days=Sum(F("first_visit_on") - start), n=Count("pk"))
        .order_by()
    )
    return Indicator(
        "days_to_first_visit",
        "Väntetid till nybesök",
        "dagar",
        targets()["days_to_first_visit"],
        False,
        _average_days_by_month(rows, months),
    )


def personal_meeting_share(unit: Unit, months: list[date]) -> Indicator:
    """Share of the cases opened in a month that have had their first visit."""
    rows = (
        Case.objects.filter(
            unit=unit, opened_on__gte=months[0], opened_on__lt=next_month(months[-1])
        )
        .annotate(m=TruncMonth("opened_on"))
        .values("m")
        .annotate(total=Count("pk"), met=Count("pk", filter=Q(first_visit_on__isnull=False)))
    )
    by_month = {r["m"]: r for r in rows}
    points = [
        Point(m, _share(r["met"], r["total"]), r["met"], r["total"])
        if (r := by_month.get(m))
        else Point(m, None)
        for m in months
    ]
    return Indicator(
        "personal_meeting",
        "Personligt möte i nya ärenden",
        "%",
        targets()["meeting_share"],
        True,
        points,
    )


def working_days_in(month: date) -> int:
    day, count = month, 0
    while day < next_month(month):
        count += is_working_day(day)
        day += timezone.timedelta(days=1)
    return count


def client_visits_per_day(unit: Unit, months: list[date]) -> Indicator:
    """Held meetings where the client took part, per caseworker and working day
    (target ≥ 1, Norrköping 2015, sources/001)."""
    caseworkers = User.objects.filter(
        unit=unit, is_active=True, groups__name=Role.CASEWORKER
    ).count()
    rows = (
        Meeting.objects.filter(
            case__unit=unit,
            state=Meeting.State.HELD,
            client_attended=True,
            planned_at__gte=start_of(months[0]),
            planned_at__lt=start_of(next_month(months[-1])),
        )
        .annotate(m=TruncMonth("planned_at", tzinfo=STOCKHOLM))
        .values("m")
        .annotate(total=Count("pk"))
    )
    by_month = {_month_key(r["m"]): r["total"] for r in rows}
    points = []
    for m in months:
        capacity = caseworkers * working_days_in(m)
        visits = by_month.get(m, 0)
        points.append(Point(m, round(visits / capacity, 2) if capacity else None, visits, capacity))
    return Indicator(
        "client_visits",
        "Klientbesök per handläggare och arbetsdag",
        "besök/dag",
        targets()["visits_per_day"],
        True,
        points,
    )


def plans_in_time(unit: Unit, months: list[date]) -> Indicator:
    """Plan deadlines (arbetsplan within three months of the first visit, Eslöv
    sources/000) due in a month: the share met on time."""
    kinds = [
        k
        # order_by(): the default ordering would make DISTINCT return every deadline.
        for k in Deadline.objects.filter(unit=unit)
        .values_list("kind", flat=True)
        .order_by()
        .distinct()
        if deadline_group(k) == "plans"
    ]
    rows = (
        Deadline.objects.filter(
            unit=unit,
            kind__in=kinds,
            due_at__gte=start_of(months[0]),
            due_at__lt=start_of(next_month(months[-1])),
        )
        .exclude(state=Deadline.State.CANCELLED)
        .annotate(m=TruncMonth("due_at", tzinfo=STOCKHOLM))
        .values("m")
        .annotate(
            total=Count("pk"),
            in_time=Count("pk", filter=Q(met_at__isnull=False, met_at__lte=F("due_at"))),
        )
    )
    by_month = {_month_key(r["m"]): r for r in rows}
    points = [
        Point(m, _share(r["in_time"], r["total"]), r["in_time"], r["total"])
        if (r := by_month.get(m))
        else Point(m, None)
        for m in months
    ]
    return Indicator(
        "plans", "Planer klara inom tidsfristen", "%", targets()["plan_share"], True, points
    )


@dataclass(frozen=True)
class ClosedHouseholds:
    by_reason: list[tuple[str, int]]
    year: int
    share_young: float | None
    share_young_previous: float | None
    closed: int
    closed_previous: int


def _young_share(
    cases: list[tuple[int, date]], members: dict[int, list]
) -> tuple[float | None, int]:
    """Share of closed households with a member aged ≤ 24 on the closing date."""
    young = 0
    for household_id, closed_on in cases:
        for birth, valid_from, valid_to in members.get(household_id, ()):
            if birth is None or valid_from > closed_on or (valid_to and valid_to < closed_on):
                continue
            age = (
                closed_on.year
                - birth.year
                - ((closed_on.month, closed_on.day) < (birth.month, birth.day))
            )
            if age <= YOUNG_MAX_AGE:
                young += 1
                break
    return _share(young, len(cases)), len(cases)


def closed_households(unit: Unit, year: int) -> ClosedHouseholds:
    """Closed households this year by closing reason, and the share that are families with
    children or young people compared with the year before (Norrköping 2015, mål 2–3)."""
    closed = list(
        Case.objects.filter(
            unit=unit, status=Case.Status.CLOSED, closed_on__year__in=[year, year - 1]
        ).values_list("household_id", "closed_on", "closing_reason__label")
    )
    members: dict[int, list] = defaultdict(list)
    for household_id, birth, start, end in (
        HouseholdMember.objects.filter(AnyOf("household_id", {c[0] for c in closed}))
        .values_list("household_id", "person__birth_date", "valid_from", "valid_to")
        .order_by()
    ):
        members[household_id].append((birth, start, end))
    this_year = [(h, d) for h, d, _ in closed if d.year == year]
    previous = [(h, d) for h, d, _ in closed if d.year == year - 1]
    reasons: dict[str, int] = defaultdict(int)
    for _, d, label in closed:
        if d.year == year:
            reasons[label or "Okänd"] += 1
    share, count = _young_share(this_year, members)
    share_previous, count_previous = _young_share(previous, members)
    return ClosedHouseholds(
        sorted(reasons.items(), key=lambda r: -r[1]),
        year,
        share,
        share_previous,
        count,
        count_previous,
    )


def unit_indicators(
    unit: Unit, *, last_month: date | None = None, count: int = 12
) -> list[Indicator]:
    months = months_back(last_month or timezone.localdate(), count)
    return [
        callbacks_in_time(unit, months),
        days_to_decision(unit, months),
        days_to_first_visit(unit, months),
        personal_meeting_share(unit, months),
        client_visits_per_day(unit, months),
        plans_in_time(unit, months),
    ]
