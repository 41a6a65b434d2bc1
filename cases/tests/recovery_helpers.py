"""Test data for återkrav and gallring: decided and paid bistånd, written as the stored
rows a decision leaves (the decision flow itself is tested in test_decisions)."""

from datetime import date
from decimal import Decimal

from cases.models import Application, Decision, DecisionItem, LegalBasis, Payment


def paid_decision(
    case,
    *,
    decided_on: date,
    amount: str,
    pay_on: date | None = None,
    basis: str | None = None,
    repayment_ground: str = "",
    served_on: date | None = None,
    author=None,
) -> Payment:
    """A final decision granting ``amount`` for the month of ``decided_on`` and its
    attested payment."""
    author = author or case.caseworker
    applicant = case.household.memberships.first().person
    month = decided_on.replace(day=1)
    application = Application.objects.create(
        case=case, month=month, channel="e_service", applicant=applicant, created_by=author
    )
    basis = basis or ("sol2001-4-1" if decided_on < date(2025, 7, 1) else "sol2025-12-1")
    decision = Decision.objects.create(
        case=case,
        application=application,
        status=Decision.Status.FINAL,
        period_start=month,
        period_end=month.replace(day=28),
        motivering="Bistånd enligt norm.",
        author=author,
        decided_by=author,
        decided_on=decided_on,
        served_on=served_on,
    )
    DecisionItem.objects.create(
        decision=decision,
        kind="livelihood",
        legal_basis=LegalBasis.objects.get(code=basis),
        outcome="granted",
        granted_amount=Decimal(amount),
        repayment_ground=repayment_ground,
    )
    return Payment.objects.create(
        decision=decision,
        payee=applicant,
        amount=Decimal(amount),
        pay_on=pay_on or decided_on,
        status=Payment.Status.ATTESTED,
        created_by=author,
        attested_by=author,
    )
