"""Issue 17: a broken first or last payment period (brutna utbetalningsperioder,
Norrköping 2015 §7.4) is pro-rated in the calculation itself – days × the month's norm
÷ 30, at most the whole month, rounded half up to whole kronor – and the decision's
period, the statement and the letter say so.

Riksnorm 2026 for one adult: personal costs 3 940 kr + common costs 1 280 kr = 5 220 kr.
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from cases.calculation import (
    Calculation,
    CalculationError,
    CostInput,
    MemberInput,
    calculate,
)
from cases.payment_periods import period_for
from cases.services.applications import (
    CostLine,
    application_register,
    application_save_calculation,
)
from cases.tests.factories import CaseFactory, PersonFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")
ALONE = [MemberInput(label="Alva", age=40, role="applicant", person_id=1)]


def _norm(calculation):
    return [line.amount for line in calculation.norm_lines]


# --------------------------------------------------------------- the calculation


@pytest.mark.django_db
def test_a_first_period_across_a_month_end_counts_the_days_covered():
    # Periods from the 25th: "november 2026" is 25 Nov–24 Dec. Bistånd from 1 Dec:
    # 24 days → 3 940 × 24/30 = 3 152 and 1 280 × 24/30 = 1 024.
    november = period_for(date(2026, 11, 1), start_day=25)
    calc = calculate(
        year=2026,
        month=11,
        members=ALONE,
        costs=[CostInput("rent", Decimal(6000), Decimal(6000))],
        period=november,
        covered_from=date(2026, 12, 1),
    )
    assert _norm(calc) == [Decimal("3152.00"), Decimal("1024.00")]
    assert calc.norm_total == Decimal("4176.00")
    assert calc.result == 4176 + 6000  # costs as entered, not pro-rated
    assert (calc.covered_from, calc.covered_to) == (date(2026, 12, 1), date(2026, 12, 24))
    assert (calc.covered_days, calc.period_days) == (24, 30)
    assert "24 av 30 dagar" in calc.norm_lines[0].note
    assert "3\u00a0940\u00a0kr" in calc.norm_lines[0].note
    text = calc.broken_period_text()
    assert "1 dec 2026–24 dec 2026" in text
    assert "24 av periodens 30 dagar" in text and "× 24 / 30" in text


@pytest.mark.django_db
def test_a_first_period_across_the_year_end_uses_the_norm_of_the_month_it_is_named_by():
    # "december 2026" from the 25th is 25 Dec 2026–24 Jan 2027: bistånd from 10 Jan is
    # 15 days of the 2026 norm (the period's month), half of it: 1 970 + 640.
    december = period_for(date(2026, 12, 1), start_day=25)
    calc = calculate(
        year=2026, month=12, members=ALONE, period=december, covered_from=date(2027, 1, 10)
    )
    assert _norm(calc) == [Decimal("1970.00"), Decimal("640.00")]
    assert calc.result == 2610
    assert (calc.covered_days, calc.period_days) == (15, 31)


@pytest.mark.django_db
def test_a_last_period_ends_inside_the_calendar_month_rounded_half_up_per_line():
    # Bistånd ends 10 March: 10 days → 3 940 × 10/30 = 1 313,33 → 1 313 and
    # 1 280 × 10/30 = 426,67 → 427 (whole kronor, half up, per line).
    calc = calculate(year=2026, month=3, members=ALONE, covered_to=date(2026, 3, 10))
    assert _norm(calc) == [Decimal("1313.00"), Decimal("427.00")]
    assert calc.result == 1740
    assert (calc.covered_from, calc.covered_to) == (date(2026, 3, 1), date(2026, 3, 10))


@pytest.mark.django_db
def test_the_whole_period_is_no_broken_period_and_31_days_never_give_more():
    whole = calculate(
        year=2026,
        month=3,
        members=ALONE,
        covered_from=date(2026, 3, 1),
        covered_to=date(2026, 3, 31),
    )
    assert whole.result == 5220 and not whole.broken_period
    assert whole.broken_period_text() == ""
    # 30 of March's 31 days: 30/30 of the norm – the daily amount never exceeds a month.
    almost = calculate(year=2026, month=3, members=ALONE, covered_from=date(2026, 3, 2))
    assert almost.result == 5220 and almost.broken_period


@pytest.mark.django_db
def test_days_outside_the_period_or_backwards_are_refused_in_swedish():
    with pytest.raises(CalculationError, match="bara gälla dagar i perioden 1 mar 2026"):
        calculate(year=2026, month=3, members=ALONE, covered_from=date(2026, 4, 1))
    with pytest.raises(CalculationError, match="bara gälla dagar i perioden"):
        calculate(year=2026, month=3, members=ALONE, covered_to=date(2026, 2, 28))
    with pytest.raises(CalculationError, match="sista dag kan inte vara före"):
        calculate(
            year=2026,
            month=3,
            members=ALONE,
            covered_from=date(2026, 3, 20),
            covered_to=date(2026, 3, 10),
        )
    with pytest.raises(CalculationError, match="annan månad"):
        calculate(year=2026, month=3, members=ALONE, period=period_for(date(2026, 4, 1)))


@pytest.mark.django_db
def test_the_stored_form_keeps_the_broken_period_and_older_forms_still_read():
    calc = calculate(year=2026, month=3, members=ALONE, covered_to=date(2026, 3, 10))
    stored = calc.to_dict()
    assert stored["version"] == 3
    assert Calculation.from_dict(stored) == calc
    older = dict(stored, version=2)
    for key in ("covered_from", "covered_to", "covered_days", "period_days"):
        older.pop(key)
    again = Calculation.from_dict(older)
    assert again.covered_from is None and not again.broken_period
    assert again.norm_total == calc.norm_total  # as stored, nothing recomputed


# ------------------------------------------------------------ through the browser


def _post(application, **extra):
    application.refresh_from_db()
    return {
        "version": application.version,
        "kostnad-TOTAL_FORMS": "1",
        "kostnad-INITIAL_FORMS": "0",
        "kostnad-0-kind": "rent",
        "kostnad-0-actual": "6000",
        "kostnad-0-accepted": "",
        "inkomst-TOTAL_FORMS": "1",
        "inkomst-INITIAL_FORMS": "0",
        "inkomst-0-kind": "",
        "inkomst-0-amount": "",
        **extra,
    }


def _save_rent(application, caseworker, **covered):
    """Save the calculation with rent 6 000 kr and the broken period's ``covered``."""
    return application_save_calculation(
        application,
        actor=caseworker,
        costs=[CostLine("rent", Decimal(6000), Decimal(6000))],
        incomes=[],
        lunch_away_ids=set(),
        adjustment=Decimal(0),
        adjustment_reason="",
        household_size=None,
        **covered,
    )


@pytest.fixture
def first_month(caseworker):
    """A household paid in periods from the 25th applies for the first time: bistånd
    from 1 December in the period 25 Nov–24 Dec 2026 (its "november")."""
    alva = PersonFactory(first_name="Alva", birth_date=date(1985, 3, 3))
    case = CaseFactory(caseworker=caseworker, applicant=alva)
    case.household.period_start_day = 25
    case.household.save(update_fields=["period_start_day"])
    application = application_register(
        case, actor=caseworker, month=date(2026, 11, 1), channel="e_service", applicant=alva
    )
    return case, application


@pytest.mark.django_db
def test_the_caseworker_enters_the_first_day_and_sees_the_rule(first_month, caseworker, client):
    case, application = first_month
    client.force_login(caseworker)
    url = reverse("application_detail", args=[case.pk, application.pk])
    with time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=STOCKHOLM), tick=False):
        page = client.get(url).content.decode()
        assert "Perioden för november 2026 är 25 nov 2026–24 dec 2026" in page
        assert 'min="2026-11-25"' in page and 'max="2026-12-24"' in page

        # A day outside the period: a Swedish message on the field, nothing saved.
        refused = client.post(url, _post(application, covered_from="2026-12-25"))
        assert refused.status_code == 200
        assert "Dagen ska ligga i perioden 25 nov 2026–24 dec 2026" in (refused.content.decode())
        application.refresh_from_db()
        assert application.calculation is None and not application.costs.exists()

        backwards = client.post(
            url, _post(application, covered_from="2026-12-10", covered_to="2026-12-01")
        )
        assert "Sista dagen kan inte vara före den första" in backwards.content.decode()

        # The live preview shows the pro-rated figures without saving anything.
        preview = client.post(
            reverse("application_preview", args=[case.pk, application.pk]),
            _post(application, covered_from="2026-12-01"),
        )
        assert preview.context["calculation"].result == 4176 + 6000
        application.refresh_from_db()
        assert application.calculation is None

        saved = client.post(url, _post(application, covered_from="2026-12-01"), follow=True)
        body = saved.content.decode()
        assert "Bruten period: biståndet gäller 1 dec 2026–24 dec 2026" in body
        # The form comes back with the day kept.
        page = client.get(url).content.decode()
        assert 'name="covered_from" value="2026-12-01"' in page
    application.refresh_from_db()
    assert application.covered_from == date(2026, 12, 1) and application.covered_to is None
    assert application.result == 4176 + 6000
    assert application.calculation["covered_days"] == 24


@pytest.mark.django_db
def test_the_decision_covers_the_days_and_its_letter_states_the_rule(first_month, caseworker):
    from cases.services import decisions as svc
    from cases.tests.test_decisions import draft, pdf_text

    case, application = first_month
    application = _save_rent(application, caseworker, covered_from=date(2026, 12, 1))
    decision = draft(application, caseworker)
    assert (decision.period_start, decision.period_end) == (date(2026, 12, 1), date(2026, 12, 24))
    decision = svc.decision_submit(decision, actor=caseworker)
    for text in (decision.letter.html, pdf_text(svc.letter_pdf(decision.letter))):
        flat = " ".join(text.split())
        assert "Bruten period: biståndet gäller 1 dec 2026–24 dec 2026" in flat
        assert "24 av 30 dagar" in flat


@pytest.mark.django_db
def test_a_broken_period_is_checked_even_while_the_norm_is_missing(first_month, caseworker):
    from cases.models import NormYear

    case, application = first_month
    NormYear.objects.filter(year=2026).update(is_active=False)
    with pytest.raises(CalculationError, match="bara gälla dagar i perioden"):
        _save_rent(application, caseworker, covered_from=date(2027, 1, 1))
    application.refresh_from_db()
    assert application.covered_from is None and not application.costs.exists()
