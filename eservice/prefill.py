"""The continued application's prefill in the e-service: last month's application as the
caseworker accepted it – the household members, the cost lines and the income lines – for
the person to confirm or change, line by line.

"As accepted": the latest earlier application of the case with a stored calculation
(the caseworker's saved lines), a decided one first. The lines are the staff side's
carry-over (``cases.services.continued_application.prefill_from_previous``): a person who
has left the household takes their incomes along. Costs carry the amount the person
declared then (``actual``) with what was accepted beside it; incomes their amount and
whose they are."""

from datetime import date

from cases.models import Application, Case
from cases.services.applications import household_in_month
from cases.services.continued_application import prefill_from_previous


def last_accepted_application(case: Case, month: date) -> Application | None:
    earlier = case.applications.filter(month__lt=month, calculated_at__isnull=False)
    return (
        earlier.filter(status=Application.Status.DECIDED).order_by("-month").first()
        or earlier.order_by("-month").first()
    )


def prefill_from(application: Application, month: date) -> dict:
    """The draft's data from ``application`` (JSON-safe: amounts as strings)."""
    carried = prefill_from_previous(application.case, month, previous=application)
    members = household_in_month(application.case, month)
    return {
        "household": [
            {
                "person_id": m.person_id,
                "name": m.person.legal_name,
                "role": m.get_role_display(),
            }
            for m in members
        ],
        "costs": [
            {
                "kind": cost.kind,
                "amount": str(cost.actual),
                "last_actual": str(cost.actual),
                "last_accepted": str(cost.accepted),
            }
            for cost in carried.costs
        ],
        "incomes": [
            {
                "kind": income.kind,
                "amount": str(income.amount),
                "person_id": income.person_id,
                "last_amount": str(income.amount),
            }
            for income in carried.incomes
        ],
    }
