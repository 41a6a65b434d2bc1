"""The e-service's continued application starts from the staff side's carry-over
(cases.services.continued_application): a co-applicant who has moved out is neither in
the prefilled household nor asked to sign, and their income is not prefilled."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases.services.applications import CostLine, IncomeLine, application_save_calculation
from cases.tests.letters import applied_case
from eservice.models import CitizenSession
from eservice.prefill import prefill_from
from eservice.services import eapplication_start

pytestmark = pytest.mark.django_db


def test_a_co_applicant_who_moved_out_takes_his_income_along(caseworker):
    application = applied_case(caseworker, month=date(2026, 11, 1), co_applicant=True)
    bo = application.co_applicant
    application = application_save_calculation(
        application,
        actor=caseworker,
        costs=[CostLine("rent", Decimal(8000), Decimal(8000))],
        incomes=[
            IncomeLine("salary", Decimal(4000), bo.pk),
            IncomeLine("housing_allowance", Decimal(1500), None),
        ],
        lunch_away_ids=set(),
        adjustment=Decimal(0),
        adjustment_reason="",
        household_size=None,
    )
    membership = application.case.household.memberships.get(person=bo)
    membership.valid_to = date(2026, 11, 30)  # Bo moved out at the end of November
    membership.save(update_fields=["valid_to"])

    data = prefill_from(application, date(2026, 12, 1))

    assert [m["person_id"] for m in data["household"]] == [application.applicant_id]
    assert [(c["kind"], c["amount"]) for c in data["costs"]] == [("rent", "8000.00")]
    assert [(i["kind"], i["person_id"]) for i in data["incomes"]] == [("housing_allowance", None)]

    # November itself still has both.
    again = prefill_from(application, date(2026, 11, 1))
    assert {i["person_id"] for i in again["incomes"]} == {bo.pk, None}

    # Alva starts December's application on 20 November: a continued one, alone.
    with time_machine.travel(datetime(2026, 11, 20, 12, tzinfo=ZoneInfo("Europe/Stockholm"))):
        alva = CitizenSession.objects.create(
            key_hash="t" * 64, personnummer="191212121212", person=application.applicant
        )
        draft = eapplication_start(alva, month=date(2026, 12, 1))
    assert draft.kind == "continued" and draft.based_on == application
    assert draft.co_applicant is None and draft.co_applicant_personnummer == ""


@pytest.mark.parametrize("lines", [1, 6])
def test_the_prefill_reads_no_person_per_income_line(caseworker, lines):
    """The household's own incomes are carried by person id: more lines, no more queries
    (the application passed in has its lines not prefetched)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.models import Application

    application = applied_case(caseworker, month=date(2026, 11, 1))
    application = application_save_calculation(
        application,
        actor=caseworker,
        costs=[CostLine("rent", Decimal(8000), Decimal(8000))],
        incomes=[
            IncomeLine("salary", Decimal(100 + i), application.applicant_id) for i in range(lines)
        ],
        lunch_away_ids=set(),
        adjustment=Decimal(0),
        adjustment_reason="",
        household_size=None,
    )
    fresh = Application.objects.get(pk=application.pk)
    with CaptureQueriesContext(connection) as ctx:
        data = prefill_from(fresh, date(2026, 12, 1))
    assert len(data["incomes"]) == lines
    person_reads = [q for q in ctx.captured_queries if 'FROM "cases_person"' in q["sql"]]
    assert len(person_reads) <= 2  # the applicant, the household – not one per line
