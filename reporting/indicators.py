"""The unit's indicators per month, with targets from settings (DOMAIN.md §9; Norrköping
2015 sources/001, Eslöv sources/000). Each indicator is one grouped query over the whole
period, so the page's query count does not depend on the number of rows or months.

Each indicator is split in two: ``*_figures(unit, months)`` counts the facts per month (the
numerators and denominators – the full recomputation, also what
``reporting.aggregates`` stores per unit and month) and ``*_indicator(figures, months)``
turns figures into points. ``unit_indicators`` and ``closed_households`` compute from the
facts; the pages read the stored figures (``reporting.aggregates``)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Sum
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


def share_point(month: date, numerator: int, denominator: int) -> Point:
    return Point(month, _share(numerator, denominator), numerator, denominator)


def average_point(month: date, total: int, count: int) -> Point:
    """The average in whole days of ``count`` durations summing to ``total`` days."""
    return Point(month, round(total / count, 1), total, count) if count else Point(month, None)


def targets() -> dict:
    return settings.VAGEN_INDICATOR_TARGETS


def _callback_contacts(unit: Unit, months: list[date]):
    """The unit's first contacts received in the period, with ``met`` (answered) and
    ``met_in_time`` (answered by the callback deadline) subqueries and their month."""
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
    contacts = FirstContact.objects.filter(
        unit=unit,
        received_at__gte=start_of(months[0]),
        received_at__lt=start_of(next_month(months[-1])),
    ).annotate(m=TruncMonth("received_at", tzinfo=STOCKHOLM))
    return contacts, callbacks


def callbacks_figures(unit: Unit, months: list[date], now=None) -> dict[date, tuple[int, int]]:
    """Per month of receipt: (answered in time, answered or past due)."""
    now = now or timezone.now()
    contacts, callbacks = _callback_contacts(unit, months)
    rows = contacts.values("m").annotate(
        in_time=Count("pk", filter=Q(Exists(callbacks.filter(met_at__lte=F("due_at"))))),
        decided=Count("pk", filter=Q(Exists(callbacks)) | Q(callback_due_at__lt=now)),
    )
    return {_month_key(r["m"]): (r["in_time"], r["decided"]) for r in rows}


def callbacks_settle_at(unit: Unit, months: list[date], now=None) -> dict[date, object]:
    """Per month: the earliest callback deadline of a contact not yet answered nor past
    due – when ``callbacks_figures`` of that month changes with no new fact (the contact
    then counts as decided, not in time)."""
    now = now or timezone.now()
    contacts, callbacks = _callback_contacts(unit, months)
    rows = (
        contacts.filter(~Exists(callbacks), callback_due_at__gte=now)
        .values("m")
        .annotate(first=Min("callback_due_at"))
    )
    return {_month_key(r["m"]): r["first"] for r in rows}


def callbacks_indicator(figures: dict[date, tuple[int, int]], months: list[date]) -> Indicator:
    return Indicator(
        "callbacks",
        "Återkoppling inom 24 arbetstimmar",
        "%",
        targets()["callback_share"],
        True,
        [share_point(m, *figures[m]) if m in figures else Point(m, None) for m in months],
    )


def callbacks_in_time(unit: Unit, months: list[date], now=None) -> Indicator:
    """Share of first contacts answered within 24 working hours (met ≤ due), among
    those already answered or past due."""
    return callbacks_indicator(callbacks_figures(unit, months, now), months)


def _days_by_month(rows) -> dict[date, tuple[int, int]]:
    """Figures from grouped rows with ``m`` (month), ``days`` (a summed duration) and
    ``n`` (how many): (total days, count) per month."""
    return {r["m"]: (r["days"].days if r["days"] is not None else 0, r["n"]) for r in rows}


def _average_days_by_month(figures: dict[date, tuple[int, int]], months: list[date]) -> list[Point]:
    return [average_point(m, *figures.get(m, (0, 0))) for m in months]


def decision_days_figures(unit: Unit, months: list[date]) -> dict[date, tuple[int, int]]:
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
    return _days_by_month(rows)


def days_to_decision_indicator(figures, months: list[date]) -> Indicator:
    return Indicator(
        "days_to_decision",
        "Dagar från första kontakt till beslut",
        "dagar",
        targets()["days_to_decision"],
        False,
        _average_days_by_month(figures, months),
    )


def days_to_decision(unit: Unit, months: list[date]) -> Indicator:
    return days_to_decision_indicator(decision_days_figures(unit, months), months)


def first_visit_days_figures(unit: Unit, months: list[date]) -> dict[date, tuple[int, int]]:
    """Waiting time to the first visit, from the first contact (or the case's opening),
    by month of the visit."""
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
    return _days_by_month(rows)


def days_to_first_visit_indicator(figures, months: list[date]) -> Indicator:
    return Indicator(
        "days_to_first_visit",
        "Väntetid till nybesök",
        "dagar",
        targets()["days_to_first_visit"],
        False,
        _average_days_by_month(figures, months),
    )


def days_to_first_visit(unit: Unit, months: list[date]) -> Indicator:
    return days_to_first_visit_indicator(first_visit_days_figures(unit, months), months)


def personal_meeting_figures(unit: Unit, months: list[date]) -> dict[date, tuple[int, int]]:
    """Per month of opening: (cases that have had their first visit, cases opened)."""
    rows = (
        Case.objects.filter(
            unit=unit, opened_on__gte=months[0], opened_on__lt=next_month(months[-1])
        )
        .annotate(m=TruncMonth("opened_on"))
        .values("m")
        .annotate(total=Count("pk"), met=Count("pk", filter=Q(first_visit_on__isnull=False)))
    )
    return {r["m"]: (r["met"], r["total"]) for r in rows}


def personal_meeting_indicator(figures, months: list[date]) -> Indicator:
    return Indicator(
        "personal_meeting",
        "Personligt möte i nya ärenden",
        "%",
        targets()["meeting_share"],
        True,
        [share_point(m, *figures[m]) if m in figures else Point(m, None) for m in months],
    )


def personal_meeting_share(unit: Unit, months: list[date]) -> Indicator:
    """Share of the cases opened in a month that have had their first visit."""
    return personal_meeting_indicator(personal_meeting_figures(unit, months), months)


def working_days_in(month: date) -> int:
    day, count = month, 0
    while day < next_month(month):
        count += is_working_day(day)
        day += timezone.timedelta(days=1)
    return count


def caseworker_count(unit: Unit) -> int:
    """The unit's active caseworkers now: the visits indicator's capacity is counted with
    today's staff for every month, as before the figures were stored."""
    return User.objects.filter(unit=unit, is_active=True, groups__name=Role.CASEWORKER).count()


def client_visits_figures(unit: Unit, months: list[date]) -> dict[date, int]:
    """Held meetings where the client took part, per month planned."""
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
    return {_month_key(r["m"]): r["total"] for r in rows}


def client_visits_indicator(
    visits_by_month: dict[date, int], months: list[date], caseworkers: int
) -> Indicator:
    points = []
    for m in months:
        capacity = caseworkers * working_days_in(m)
        visits = visits_by_month.get(m, 0)
        points.append(Point(m, round(visits / capacity, 2) if capacity else None, visits, capacity))
    return Indicator(
        "client_visits",
        "Klientbesök per handläggare och arbetsdag",
        "besök/dag",
        targets()["visits_per_day"],
        True,
        points,
    )


def client_visits_per_day(unit: Unit, months: list[date]) -> Indicator:
    """Held meetings where the client took part, per caseworker and working day
    (target ≥ 1, Norrköping 2015, sources/001)."""
    return client_visits_indicator(
        client_visits_figures(unit, months), months, caseworker_count(unit)
    )


def plans_figures(unit: Unit, months: list[date]) -> dict[date, tuple[int, int]]:
    """Plan deadlines (arbetsplan within three months of the first visit, Eslöv
    sources/000) due in a month: (met on time, due)."""
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
    return {_month_key(r["m"]): (r["in_time"], r["total"]) for r in rows}


def plans_indicator(figures, months: list[date]) -> Indicator:
    points = [share_point(m, *figures[m]) if m in figures else Point(m, None) for m in months]
    return Indicator(
        "plans", "Planer klara inom tidsfristen", "%", targets()["plan_share"], True, points
    )


def plans_in_time(unit: Unit, months: list[date]) -> Indicator:
    """Plan deadlines due in a month: the share met on time (Eslöv sources/000)."""
    return plans_indicator(plans_figures(unit, months), months)


@dataclass(frozen=True)
class ClosedHouseholds:
    by_reason: list[tuple[str, int]]
    year: int
    share_young: float | None
    share_young_previous: float | None
    closed: int
    closed_previous: int


@dataclass(frozen=True)
class ClosedMonth:
    """A month's closed households: how many, how many with a member aged ≤ 24 on the
    closing date, and how many per closing reason (label; None when not given)."""

    closed: int
    young: int
    reasons: list[tuple[str | None, int]]


def _is_young(household_id: int, closed_on: date, members: dict[int, list]) -> bool:
    for birth, valid_from, valid_to in members.get(household_id, ()):
        if birth is None or valid_from > closed_on or (valid_to and valid_to < closed_on):
            continue
        age = (
            closed_on.year
            - birth.year
            - ((closed_on.month, closed_on.day) < (birth.month, birth.day))
        )
        if age <= YOUNG_MAX_AGE:
            return True
    return False


def closed_figures(unit: Unit, months: list[date]) -> dict[date, ClosedMonth]:
    """Per month of closing: the unit's closed households (Norrköping 2015, mål 2–3)."""
    closed = list(
        Case.objects.filter(
            unit=unit,
            status=Case.Status.CLOSED,
            closed_on__gte=months[0],
            closed_on__lt=next_month(months[-1]),
        )
        .values_list("household_id", "closed_on", "closing_reason__label")
        .order_by("closed_on", "pk")
    )
    members: dict[int, list] = defaultdict(list)
    for household_id, birth, start, end in (
        HouseholdMember.objects.filter(AnyOf("household_id", {c[0] for c in closed}))
        .values_list("household_id", "person__birth_date", "valid_from", "valid_to")
        .order_by()
    ):
        members[household_id].append((birth, start, end))
    counts: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    reasons: dict[date, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    wanted = set(months)
    for household_id, closed_on, label in closed:
        month = closed_on.replace(day=1)
        if month not in wanted:
            continue
        counts[month][0] += 1
        counts[month][1] += _is_young(household_id, closed_on, members)
        reasons[month][label] += 1
    return {
        m: ClosedMonth(n, young, sorted(reasons[m].items(), key=lambda r: (-r[1], r[0] or "")))
        for m, (n, young) in counts.items()
    }


def closed_households_from(figures: dict[date, ClosedMonth], year: int) -> ClosedHouseholds:
    """The year's closed households by reason, and the share with children or young people
    this year and the year before, from per-month figures."""

    def of_year(y: int) -> list[ClosedMonth]:
        return [f for m, f in figures.items() if m.year == y]

    reasons: dict[str, int] = defaultdict(int)
    for month in of_year(year):
        for label, n in month.reasons:
            reasons[label or "Okänd"] += n
    this_year, previous = of_year(year), of_year(year - 1)
    count = sum(f.closed for f in this_year)
    count_previous = sum(f.closed for f in previous)
    return ClosedHouseholds(
        # Most common first; equal counts by label, so the order does not depend on how
        # the months were summed.
        sorted(reasons.items(), key=lambda r: (-r[1], r[0])),
        year,
        _share(sum(f.young for f in this_year), count),
        _share(sum(f.young for f in previous), count_previous),
        count,
        count_previous,
    )


def closed_months(year: int) -> list[date]:
    """The months ``closed_households`` reads: this year and the year before."""
    return [date(y, m, 1) for y in (year - 1, year) for m in range(1, 13)]


def closed_households(unit: Unit, year: int) -> ClosedHouseholds:
    """Closed households this year by closing reason, and the share that are families with
    children or young people compared with the year before (Norrköping 2015, mål 2–3)."""
    return closed_households_from(closed_figures(unit, closed_months(year)), year)


def indicators_from(
    figures: dict[str, dict], months: list[date], caseworkers: int
) -> list[Indicator]:
    """The page's indicators from figures per indicator code and month (computed from the
    facts by ``indicator_figures`` or read from the stored monthly aggregates)."""
    return [
        callbacks_indicator(figures["callbacks"], months),
        days_to_decision_indicator(figures["days_to_decision"], months),
        days_to_first_visit_indicator(figures["days_to_first_visit"], months),
        personal_meeting_indicator(figures["personal_meeting"], months),
        client_visits_indicator(figures["client_visits"], months, caseworkers),
        plans_indicator(figures["plans"], months),
    ]


def indicator_figures(unit: Unit, months: list[date], now=None) -> dict[str, dict]:
    """Every indicator's figures per month, from the facts (one query per indicator)."""
    return {
        "callbacks": callbacks_figures(unit, months, now),
        "days_to_decision": decision_days_figures(unit, months),
        "days_to_first_visit": first_visit_days_figures(unit, months),
        "personal_meeting": personal_meeting_figures(unit, months),
        "client_visits": client_visits_figures(unit, months),
        "plans": plans_figures(unit, months),
    }


def unit_indicators(
    unit: Unit, *, last_month: date | None = None, count: int = 12
) -> list[Indicator]:
    """The indicators computed from the facts (the full recomputation; the page reads the
    stored aggregates, ``reporting.aggregates.stored_indicators``)."""
    months = months_back(last_month or timezone.localdate(), count)
    return indicators_from(indicator_figures(unit, months), months, caseworker_count(unit))
