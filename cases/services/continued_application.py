"""Fortsättningsansökan: the next month's application starts from last month's.

``prefill_from_previous(case, month)`` says what a new application for ``month`` would
carry over – month, applicant, co-applicant, the cost and income lines with their actual
and accepted amounts, persons and types – and what it cannot carry, in words for the
caseworker (a person who has left the household, a co-applicant who moved out). It reads
only; ``carry_over_lines`` writes the lines into the registered application, marked
``carried_over`` (*från förra månaden*) until the caseworker saves the calculation.

Written for the caseworker's form and for a citizen e-service that registers a
continued application through the same core service (``application_register``).
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from cases.models import Application, ApplicationCost, ApplicationIncome, Case, Person
from cases.services.applications import CostLine, IncomeLine, household_in_month
from cases.workdays import first_of_month


@dataclass(frozen=True)
class Prefill:
    month: date
    previous: Application | None
    applicant: Person | None
    co_applicant: Person | None
    costs: list[CostLine] = field(default_factory=list)
    incomes: list[IncomeLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was not carried over, and why


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def next_month_for(case: Case, *, today: date) -> date:
    """The month a new application defaults to: the one after the case's latest
    application, else the current month."""
    latest = case.applications.order_by("-month").values_list("month", flat=True).first()
    return _next_month(latest) if latest is not None else first_of_month(today)


def prefill_from_previous(
    application_case: Case, month: date, *, previous: Application | None = None
) -> Prefill:
    """What an application for ``month`` carries over from the latest earlier one (or
    from ``previous``: the citizen e-service starts from the last application the
    caseworker accepted, ``eservice.prefill``).

    Lines of a person who is not in the household during ``month`` are left out (they
    have left it – an income of theirs is no longer the household's), and so is a
    co-applicant who moved out; each omission is a note for the caseworker. Costs are
    the household's (rent, el …) and carried as they were. Two queries whatever the
    number of lines (the previous application with its lines prefetched, the household)."""
    month = first_of_month(month)
    if previous is None:
        previous = (
            application_case.applications.filter(month__lt=month)
            .select_related("applicant", "co_applicant")
            .prefetch_related("costs", "incomes__person")
            .order_by("-month")
            .first()
        )
    if previous is None:
        return Prefill(month=month, previous=None, applicant=None, co_applicant=None)
    members = {m.person_id for m in household_in_month(application_case, month)}
    notes: list[str] = []
    label = f"{month:%Y-%m}"
    applicant = previous.applicant if previous.applicant_id in members else None
    if applicant is None:
        notes.append(
            _("%(name)s (sökande förra månaden) ingår inte i hushållet %(month)s – välj sökande.")
            % {"name": previous.applicant.full_name, "month": label}
        )
    co_applicant = None
    if previous.co_applicant_id is not None:
        previous_co_applicant = previous.co_applicant
        assert previous_co_applicant is not None  # the id is set
        if previous.co_applicant_id in members:
            co_applicant = previous_co_applicant
        else:
            notes.append(
                _(
                    "Medsökande %(name)s har flyttat från hushållet och är inte medsökande "
                    "%(month)s."
                )
                % {"name": previous_co_applicant.full_name, "month": label}
            )
    incomes: list[IncomeLine] = []
    left_out: dict[int, tuple[str, int]] = {}
    for line in previous.incomes.all():
        # By id: only a line of someone who has left reads its person (the e-service
        # passes an application whose lines are not prefetched).
        if line.person_id is not None and line.person_id not in members:
            person = line.person
            assert person is not None  # the id is set
            name, count = left_out.get(line.person_id, (person.full_name, 0))
            left_out[line.person_id] = (name, count + 1)
            continue
        incomes.append(IncomeLine(line.kind, line.amount, line.person_id, line.note))
    for name, count in left_out.values():
        notes.append(
            _(
                "%(name)s ingår inte längre i hushållet: %(count)d inkomstrad(er) från förra "
                "månaden är inte överförda."
            )
            % {"name": name, "count": count}
        )
    costs = [CostLine(c.kind, c.actual, c.accepted, c.note) for c in previous.costs.all()]
    return Prefill(
        month=month,
        previous=previous,
        applicant=applicant,
        co_applicant=co_applicant,
        costs=costs,
        incomes=incomes,
        notes=notes,
    )


def carry_over_lines(application: Application, prefill: Prefill) -> None:
    """Write the carried lines into the new application (inside its registration's
    transaction), each marked *från förra månaden*, and remember the notes."""
    if prefill.previous is None:
        return
    ApplicationCost.objects.bulk_create(
        ApplicationCost(
            application=application,
            kind=c.kind,
            actual=c.actual,
            accepted=c.accepted,
            note=c.note,
            carried_over=True,
        )
        for c in prefill.costs
    )
    ApplicationIncome.objects.bulk_create(
        ApplicationIncome(
            application=application,
            kind=i.kind,
            amount=i.amount,
            person_id=i.person_id,
            note=i.note,
            carried_over=True,
        )
        for i in prefill.incomes
    )
    application.continued_from = prefill.previous
    application.carry_over_notes = prefill.notes
    application.save(update_fields=["continued_from", "carry_over_notes"])
