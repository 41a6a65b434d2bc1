"""Building decided cases for letter tests, and reading a stored letter as text."""

import html as html_module
import re
from datetime import date
from decimal import Decimal

from cases.models import LegalBasis
from cases.services import decisions as svc
from cases.services.applications import (
    CostLine,
    IncomeLine,
    application_register,
    application_save_calculation,
)
from cases.services.casework import case_open
from cases.services.people import household_create, household_member_add
from cases.tests.factories import PersonFactory


def letter_text(html: str) -> str:
    """The words of a stored letter (DecisionLetter.html) as a reader sees them: no
    tags, no comments, entities decoded, whitespace collapsed."""
    body = re.sub(r"<head>.*?</head>", " ", html, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html_module.unescape(body)).strip()


def applied_case(
    caseworker,
    *,
    month=date(2026, 11, 1),
    children=0,
    co_applicant=False,
    co_applicant_protected=False,
    rent="8000",
    adjustment="0",
    adjustment_reason="",
    items=(),
    applicant=None,
):
    """A household that applied for ``month`` with a stored calculation."""
    applicant = applicant or PersonFactory(
        first_name="Alva",
        last_name="Lind",
        birth_date=date(1985, 3, 3),
        personnummer="191212121212",
        street_address="Storgatan 1",
        postal_code="602 24",
        city="Norrköping",
    )
    valid_from = date(month.year, 1, 1)
    household = household_create(
        applicant=applicant, unit=caseworker.unit, valid_from=valid_from, actor=caseworker
    )
    case = case_open(
        actor=caseworker, household=household, unit=caseworker.unit, caseworker=caseworker
    )
    partner = None
    if co_applicant:
        partner = PersonFactory(
            first_name="Bo",
            last_name="Lind",
            birth_date=date(1983, 5, 5),
            protection_level="sekretessmarkering" if co_applicant_protected else "none",
        )
        household_member_add(
            household, person=partner, role="co_applicant", valid_from=valid_from, actor=caseworker
        )
    for i in range(children):
        household_member_add(
            household,
            person=PersonFactory(first_name=f"Barn{i + 1}", birth_date=date(2016 + i, 1, 1)),
            role="child",
            valid_from=valid_from,
            actor=caseworker,
        )
    application = application_register(
        case,
        actor=caseworker,
        month=month,
        channel="e_service",
        applicant=applicant,
        co_applicant=partner,
        items=list(items),
    )
    return application_save_calculation(
        application,
        actor=caseworker,
        costs=[CostLine("rent", Decimal(rent), Decimal(rent))],
        incomes=[IncomeLine("child_benefit", Decimal("2500"), applicant.pk)] if children else [],
        lunch_away_ids=set(),
        adjustment=Decimal(adjustment),
        adjustment_reason=adjustment_reason,
        household_size=None,
    )


def item(kind, outcome, granted, basis, applied=None, **kwargs):
    granted = Decimal(granted)
    return svc.ItemInput(
        kind=kind,
        outcome=outcome,
        granted_amount=granted,
        applied_amount=Decimal(applied) if applied is not None else granted,
        legal_basis=LegalBasis.objects.get(code=basis),
        **kwargs,
    )


def decide(application, actor, items, *, approver=None, **kwargs):
    """Save a draft and make it final (through the unit manager when above delegation)."""
    kwargs.setdefault("motivering", "Hushållet saknar egna medel för månaden.")
    if any(is_adverse(i) for i in items):
        # FL 25 §: an adverse decision needs its kommunikation recorded (issue 15).
        kwargs.setdefault("communication", communicated())
    draft = svc.decision_save_draft(application, actor=actor, items=items, **kwargs)
    decision = svc.decision_submit(draft, actor=actor)
    if not decision.is_final:
        decision = svc.decision_approve(decision, actor=approver)
    return decision


def is_adverse(item) -> bool:
    basis = item.legal_basis
    return item.outcome != "granted" or bool(basis and basis.reduces_livelihood)


def communicated():
    from cases.tests.test_decisions import communicated as done

    return done()
