"""Read-only queries behind the unit manager's dashboards. Each returns data for a whole
unit in a fixed number of queries, whatever the number of rows (DESIGN.md "Targets")."""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, Max, Q
from django.utils import timezone

from cases.models import Case, Deadline, Decision, Unit, User
from cases.roles import Role
from cases.workdays import STOCKHOLM, first_of_month

# Deadline kinds grouped into the dashboard's columns; unknown kinds count as "other".
CALLBACK_KINDS = {"callback"}
PLAN_KIND_PREFIXES = ("workplan", "plan", "jobbplan", "introduktionsplan")
REFERRAL_KIND_PREFIXES = ("referral",)


def deadline_group(kind: str) -> str:
    if kind in CALLBACK_KINDS:
        return "callbacks"
    if kind.startswith(PLAN_KIND_PREFIXES):
        return "plans"
    if kind.startswith(REFERRAL_KIND_PREFIXES):
        return "referrals"
    return "other"


@dataclass
class Counts:
    open: int = 0
    overdue: int = 0


@dataclass
class CaseloadRow:
    caseworker: User | None
    open_cases: int = 0
    new_this_month: int = 0
    deadlines: dict[str, Counts] = field(default_factory=dict)
    waiting_approval: int = 0
    last_review: date | None = None
    reviews_this_year: int = 0

    def group(self, name: str) -> Counts:
        return self.deadlines.get(name, Counts())

    @property
    def days_since_review(self) -> int | None:
        return (timezone.localdate() - self.last_review).days if self.last_review else None


def caseload(unit: Unit, *, today: date | None = None) -> list[CaseloadRow]:
    """Per caseworker of the unit (plus a row for what nobody holds)."""
    from reporting.models import CaseReview

    today = today or timezone.localdate()
    now = timezone.now()
    caseworkers = list(
        User.objects.filter(unit=unit, is_active=True, groups__name=Role.CASEWORKER).order_by(
            "first_name", "last_name"
        )
    )
    rows = {user.pk: CaseloadRow(user) for user in caseworkers}
    nobody = CaseloadRow(None)

    def row(user_id):
        return rows.get(user_id, nobody)

    for item in (
        Case.objects.filter(unit=unit)
        .exclude(status=Case.Status.CLOSED)
        .values("caseworker")
        .annotate(
            total=Count("pk"), new=Count("pk", filter=Q(opened_on__gte=first_of_month(today)))
        )
    ):
        target = row(item["caseworker"])
        target.open_cases += item["total"]
        target.new_this_month += item["new"]
    for item in (
        Deadline.objects.filter(unit=unit, state=Deadline.State.OPEN)
        .values("responsible", "kind")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    ):
        counts = row(item["responsible"]).deadlines.setdefault(
            deadline_group(item["kind"]), Counts()
        )
        counts.open += item["total"]
        counts.overdue += item["overdue"]
    for item in (
        Decision.objects.filter(case__unit=unit, status=Decision.Status.AWAITING_APPROVAL)
        .values("author")
        .annotate(total=Count("pk"))
    ):
        row(item["author"]).waiting_approval += item["total"]
    for item in (
        CaseReview.objects.filter(unit=unit)
        .values("caseworker")
        .annotate(
            last=Max("held_on"),
            this_year=Count("pk", filter=Q(held_on__year=today.year)),
        )
    ):
        target = row(item["caseworker"])
        target.last_review = item["last"]
        target.reviews_this_year = item["this_year"]
    result = [rows[user.pk] for user in caseworkers]
    if nobody.open_cases or nobody.deadlines or nobody.waiting_approval:
        result.append(nobody)
    return result


def overdue_deadlines(unit: Unit, *, group: str = "", responsible_id: int | None = None):
    query = (
        Deadline.objects.filter(unit=unit, state=Deadline.State.OPEN, due_at__lt=timezone.now())
        .select_related("responsible")
        .order_by("due_at", "pk")
    )
    if responsible_id is not None:
        query = query.filter(responsible_id=responsible_id or None)
    if group:
        # order_by(): with the list's ordering, DISTINCT would return every deadline.
        kinds = set(query.values_list("kind", flat=True).order_by().distinct())
        query = query.filter(kind__in=[k for k in kinds if deadline_group(k) == group])
    return query


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=STOCKHOLM)


def as_decimal(value) -> Decimal:
    return Decimal(value or 0)
