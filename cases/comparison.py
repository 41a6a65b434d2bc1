"""Month on month: what changed in household, costs and incomes since the previous
application, so the caseworker sees the difference at a glance (issue 4)."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from cases.calculation import Calculation


@dataclass(frozen=True)
class Change:
    label: str
    before: Decimal | None
    after: Decimal | None

    @property
    def difference(self) -> Decimal:
        return (self.after or Decimal(0)) - (self.before or Decimal(0))

    @property
    def direction(self) -> str:
        return "up" if self.difference > 0 else "down" if self.difference < 0 else "same"


@dataclass(frozen=True)
class MonthComparison:
    previous_month: object
    joined: list[str]
    left: list[str]
    costs: list[Change]
    incomes: list[Change]
    totals: list[Change]

    @property
    def has_changes(self) -> bool:
        return bool(
            self.joined
            or self.left
            or any(c.direction != "same" for c in (*self.costs, *self.incomes, *self.totals))
        )


def _sums(lines, amount_attr: str) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        sums[line.label] += getattr(line, amount_attr)
    return sums


def _changes(before: dict[str, Decimal], after: dict[str, Decimal]) -> list[Change]:
    labels = list(dict.fromkeys([*before, *after]))
    return [Change(label, before.get(label), after.get(label)) for label in labels]


def compare_with_previous(
    application, current: Calculation | None = None
) -> MonthComparison | None:
    """None when there is no earlier calculated application in the case. ``current`` is
    this month's calculation when it is not stored yet (carried-over lines, unsaved)."""
    previous = (
        application.case.applications.filter(month__lt=application.month, calculation__isnull=False)
        .order_by("-month")
        .first()
    )
    if current is None and application.calculation is not None:
        current = Calculation.from_dict(application.calculation)
    if previous is None or current is None:
        return None
    old = Calculation.from_dict(previous.calculation)
    new = current
    household = application.case.household
    before = {m.person_id: m.person.full_name for m in household.members_on(previous.month)}
    after = {m.person_id: m.person.full_name for m in household.members_on(application.month)}
    return MonthComparison(
        previous_month=previous.month,
        joined=[name for pk, name in after.items() if pk not in before],
        left=[name for pk, name in before.items() if pk not in after],
        costs=_changes(_sums(old.cost_lines, "accepted"), _sums(new.cost_lines, "accepted")),
        incomes=_changes(_sums(old.income_lines, "counted"), _sums(new.income_lines, "counted")),
        totals=[
            Change("Norm", old.norm_total, new.norm_total),
            Change("Skäliga kostnader", old.costs_total, new.costs_total),
            Change("Inkomster", old.income_total, new.income_total),
            Change("Beräknat bistånd", old.result, new.result),
        ],
    )
