"""Month on month: the difference against the previous calculated application."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.comparison import compare_with_previous
from cases.services.applications import (
    CostLine,
    IncomeLine,
    application_register,
    application_save_calculation,
)
from cases.services.people import household_member_add
from cases.tests.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db


def calculated(case, applicant, month, rent, income):
    application = application_register(
        case, actor=case.caseworker, month=month, channel="e_service", applicant=applicant
    )
    return application_save_calculation(
        application,
        actor=case.caseworker,
        costs=[CostLine("rent", Decimal(rent), Decimal(rent))],
        incomes=[IncomeLine("pension", Decimal(income), applicant.pk)] if income else [],
        lunch_away_ids=set(),
        adjustment=Decimal(0),
        adjustment_reason="",
        household_size=None,
    )


def test_changes_in_household_costs_and_incomes(client, caseworker):
    applicant = PersonFactory(birth_date=date(1980, 1, 1))
    case = CaseFactory(caseworker=caseworker, applicant=applicant)
    calculated(case, applicant, date(2026, 10, 1), "6000", "2000")
    household_member_add(
        case.household,
        person=PersonFactory(first_name="Bebis", birth_date=date(2026, 10, 20)),
        role="child",
        valid_from=date(2026, 11, 1),
        actor=caseworker,
    )
    november = calculated(case, applicant, date(2026, 11, 1), "6500", None)

    comparison = compare_with_previous(november)

    assert comparison.previous_month == date(2026, 10, 1)
    assert comparison.joined == ["Bebis Testperson"] and comparison.left == []
    rent = next(c for c in comparison.costs if c.label.startswith("Boende"))
    assert (rent.before, rent.after, rent.difference) == (Decimal("6000"), Decimal("6500"), 500)
    pension = next(c for c in comparison.incomes if c.label.startswith("Pension"))
    assert pension.after is None and pension.direction == "down"
    result = comparison.totals[-1]
    assert result.difference == november.result - result.before

    client.force_login(caseworker)
    page = client.get(reverse("application_detail", args=[case.pk, november.pk]))
    body = page.content.decode()
    assert "Jämfört med oktober 2026" in body and "Bebis Testperson" in body


def test_first_application_has_nothing_to_compare(caseworker):
    applicant = PersonFactory(birth_date=date(1980, 1, 1))
    case = CaseFactory(caseworker=caseworker, applicant=applicant)
    first = calculated(case, applicant, date(2026, 10, 1), "6000", None)
    assert compare_with_previous(first) is None
