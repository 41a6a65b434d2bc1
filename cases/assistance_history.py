"""A person's history of försörjningsstöd in the municipality – the facts SoL (2025:400)
12 kap. 8–9 §§ ask for – read across every case and unit.

A selector: it only reads, and it returns derived facts (months, amounts, a
``JobbstimulansStatus``), never another unit's case, application or decision. Views show
what it derives for the people in a case the user may see; they never reach other
units' cases themselves (DESIGN.md "Roles and access").

- **Received försörjningsstöd in a month** (12:8): the person belonged to the household
  of a case that month (``HouseholdMember`` valid on some day of it), and that case has
  an application for the month (the month the application names: a household paid in
  periods from e.g. the 25th receives "November" from 25 November, cases.payment_periods)
  whose decision
  is final, not replaced by a later final decision, grants försörjningsstöd (a
  livelihood item granted or partly granted, more than 0 kr) – and was paid: a payment
  of a final decision on that application is attested or exported. A refused, undecided
  or unpaid month is not one.
- **Income from employment assessed in a month** (12:8, when the two years start):
  the stored calculation of an application with a final decision (any outcome) has a
  salary of the person counted as an adult's (not under 12:9).
- **A child's earned income left out earlier in the calendar year** (12:9): the sum over
  the stored calculations of every earlier month of the same year, any case and any
  state, of the child's salary lines left out under 12:9.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef

from cases.calculation import Calculation
from cases.jobbstimulans import JobbstimulansStatus, Month, jobbstimulans_status
from cases.models import (
    Application,
    ApplicationItem,
    Decision,
    DecisionItem,
    HouseholdMember,
    Payment,
)
from cases.workdays import last_of_month

__all__ = [
    "PersonHistory",
    "child_income_left_out_this_year",
    "jobbstimulans_for",
    "livelihood_history",
]

GRANTING_OUTCOMES = (DecisionItem.Outcome.GRANTED, DecisionItem.Outcome.PARTLY)
PAID_STATUSES = (Payment.Status.ATTESTED, Payment.Status.EXPORTED)


@dataclass
class PersonHistory:
    """``granted_months``: months the person received försörjningsstöd;
    ``income_months``: months their income from employment was assessed as an adult's."""

    granted_months: set[Month] = field(default_factory=set)
    income_months: set[Month] = field(default_factory=set)


def _memberships(person_ids: set[int]) -> dict[int, list[tuple[int, date, date | None]]]:
    """person id → [(household id, valid from, valid to)]."""
    rows: dict[int, list[tuple[int, date, date | None]]] = defaultdict(list)
    for person_id, household_id, valid_from, valid_to in HouseholdMember.objects.filter(
        person_id__in=person_ids
    ).values_list("person_id", "household_id", "valid_from", "valid_to"):
        rows[person_id].append((household_id, valid_from, valid_to))
    return rows


def _member_in(memberships, household_id: int, month: Month) -> bool:
    first = date(month[0], month[1], 1)
    last = last_of_month(first)
    return any(
        household == household_id and valid_from <= last and (valid_to is None or valid_to >= first)
        for household, valid_from, valid_to in memberships
    )


def livelihood_history(person_ids: Iterable[int], *, before: date) -> dict[int, PersonHistory]:
    """Each person's months of försörjningsstöd and of assessed income from employment
    before the month of ``before`` (see the module docstring). Four queries, whatever
    the length of the history."""
    person_ids = set(person_ids)
    history = {person_id: PersonHistory() for person_id in person_ids}
    if not person_ids:
        return history
    first_of_month = before.replace(day=1)
    memberships = _memberships(person_ids)
    household_ids = {h for rows in memberships.values() for h, _f, _t in rows}
    applications = {
        row["pk"]: row
        for row in Application.objects.filter(
            case__household_id__in=household_ids, month__lt=first_of_month
        ).values("pk", "month", "applicant_id", "case__household_id")
    }
    if not applications:
        return history
    final = Decision.objects.filter(status=Decision.Status.FINAL)
    decisions = list(
        final.filter(application_id__in=applications)
        .annotate(
            replaced=Exists(final.filter(replaces_id=OuterRef("pk"))),
            grants=Exists(
                DecisionItem.objects.filter(
                    decision_id=OuterRef("pk"),
                    kind=ApplicationItem.Kind.LIVELIHOOD,
                    outcome__in=GRANTING_OUTCOMES,
                    granted_amount__gt=0,
                )
            ),
            paid=Exists(
                Payment.objects.filter(
                    decision__application_id=OuterRef("application_id"),
                    decision__status=Decision.Status.FINAL,
                    status__in=PAID_STATUSES,
                )
            ),
        )
        .filter(replaced=False)
        .values("application_id", "grants", "paid")
    )
    decided = {row["application_id"] for row in decisions}
    calculations = dict(
        Application.objects.filter(pk__in=decided, calculation__isnull=False).values_list(
            "pk", "calculation"
        )
    )
    for row in decisions:
        application = applications[row["application_id"]]
        household_id = application["case__household_id"]
        month = (application["month"].year, application["month"].month)
        if row["grants"] and row["paid"] and month < (first_of_month.year, first_of_month.month):
            for person_id in person_ids:
                if _member_in(memberships[person_id], household_id, month):
                    history[person_id].granted_months.add(month)
        stored = calculations.get(row["application_id"])
        if stored is None:
            continue
        calculation = Calculation.from_dict(stored)
        for person_id in calculation.employment_income_person_ids(
            applicant_id=application["applicant_id"]
        ):
            if person_id in history and _member_in(memberships[person_id], household_id, month):
                history[person_id].income_months.add(month)
    return history


def jobbstimulans_for(person_ids: Iterable[int], month: date) -> dict[int, JobbstimulansStatus]:
    """Each person's SoL 12:8 status in ``month``, from their history in every case."""
    history = livelihood_history(person_ids, before=month)
    return {
        person_id: jobbstimulans_status(
            year=month.year,
            month=month.month,
            granted_months=facts.granted_months,
            income_months=facts.income_months,
        )
        for person_id, facts in history.items()
    }


def child_income_left_out_this_year(
    person_ids: Iterable[int], month: date, *, exclude_application: int | None = None
) -> dict[int, Decimal]:
    """Per child: earned income left out under SoL 12:9 in the calendar year of
    ``month`` before that month, summed over every stored calculation in any case – so
    the yearly prisbasbelopp holds across months and a change of household."""
    person_ids = set(person_ids)
    left_out = dict.fromkeys(person_ids, Decimal("0.00"))
    if not person_ids:
        return left_out
    household_ids = {h for rows in _memberships(person_ids).values() for h, _f, _t in rows}
    stored = Application.objects.filter(
        case__household_id__in=household_ids,
        month__gte=date(month.year, 1, 1),
        month__lt=month.replace(day=1),
        calculation__isnull=False,
    )
    if exclude_application is not None:
        stored = stored.exclude(pk=exclude_application)
    for data in stored.values_list("calculation", flat=True):
        if data is None:  # pragma: no cover – filtered above; for the type checker
            continue
        for person_id, amount in Calculation.from_dict(data).child_disregarded_by_person().items():
            if person_id in left_out:
                left_out[person_id] += amount
    return left_out
