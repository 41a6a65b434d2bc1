"""SoL (2025:400) 12 kap. 8–9 §§ to the letter (issue 22), hand-computed.

12:8 – "För den som har fått försörjningsstöd under sex månader i följd ska 25 procent av
inkomsterna av anställning inte beaktas … Den särskilda beräkningsregeln gäller under två
år. Därefter måste kravet … uppfyllas på nytt … gäller inte hemmavarande barns och
skolungdomars inkomster som anges i 9 § tredje stycket."

12:9 – "… inte räkna in hemmavarande barns inkomster av eget arbete, eller hemmavarande
skolungdomars inkomster av eget arbete om skolungdomarna är under 21 år. Till skolgång
räknas studier i grundskolan eller gymnasieskolan eller annan jämförlig grundutbildning.
… får dock räknas in … till den del dessa inkomster per kalenderår överstiger ett
prisbasbelopp."

Every figure below is typed in from the 2026 riksnorm (DOMAIN.md §4): ensamstående 3 940,
barn 15–18 år 4 960, ungdom 19–20 år 5 000, common costs for 1 person 1 280, for 2
persons 1 410; prisbasbelopp 2026 59 200 kr. Rent 5 000 kr accepted in every month.
Dates are explicit; nothing depends on the day the tests run.
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from cases.assistance_history import (
    child_income_left_out_this_year,
    jobbstimulans_for,
    livelihood_history,
)
from cases.calculation import Calculation, IncomeInput, MemberInput, calculate
from cases.jobbstimulans import jobbstimulans_status
from cases.models import (
    Application,
    ApplicationSchooling,
    Decision,
    DecisionItem,
    LegalBasis,
    Payment,
)
from cases.roles import Role
from cases.services import decisions as decision_services
from cases.services.applications import (
    CostLine,
    IncomeLine,
    application_jobbstimulans,
    application_register,
    application_save_calculation,
    application_set_schooling,
)
from cases.services.casework import CaseError, case_open
from cases.services.people import household_create, household_member_add, household_member_end
from cases.tests.factories import PersonFactory, copy_norm_year
from cases.workdays import last_of_month

pytestmark = pytest.mark.django_db

D = Decimal
RENT = D(5000)


@pytest.fixture(autouse=True)
def clock():
    """Registered and decided on a fixed day: the rules read the months, never today."""
    with time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=ZoneInfo("Europe/Stockholm"))):
        yield


def month(year, number):
    return date(year, number, 1)


def months(first: date, last: date) -> list[date]:
    out, cursor = [], first
    while cursor <= last:
        out.append(cursor)
        cursor = month(cursor.year + cursor.month // 12, cursor.month % 12 + 1)
    return out


# ------------------------------------------------------------------------ the world


@pytest.fixture
def attester(make_user):
    """Attests payments: never the one who decided (attestkontroll)."""
    return make_user(Role.UNIT_MANAGER)


def household_case(actor, applicant, *, valid_from, unit=None, valid_to=None, members=()):
    """A case for ``applicant``'s household from ``valid_from``; ``members`` are
    (person, role) joining on the same day."""
    unit = unit or actor.unit
    household = household_create(applicant=applicant, unit=unit, valid_from=valid_from, actor=actor)
    for person, role in members:
        household_member_add(
            household, person=person, role=role, valid_from=valid_from, actor=actor
        )
    if valid_to is not None:
        for member in household.memberships.all():
            household_member_end(member, valid_to=valid_to)
    return case_open(actor=actor, household=household, unit=unit, caseworker=actor)


def apply(case, actor, applicant, when, *, salaries=(), schooling=None):
    """Register ``when``'s application and save its calculation: rent 5 000 and the given
    (person, amount) salaries; ``schooling`` {person: in school} recorded first."""
    application = application_register(
        case, actor=actor, month=when, channel="e_service", applicant=applicant
    )
    if schooling:
        application_set_schooling(
            application,
            actor=actor,
            schooling={person.pk: value for person, value in schooling.items()},
        )
    return application_save_calculation(
        application,
        actor=actor,
        costs=[CostLine("rent", RENT, RENT)],
        incomes=[IncomeLine("salary", D(amount), person.pk) for person, amount in salaries],
        lunch_away_ids=set(),
        adjustment=D(0),
        adjustment_reason="",
        household_size=None,
    )


def decide(application, author, attester, *, outcome="granted", payment=Payment.Status.ATTESTED):
    """A final decision on the application's month – the facts the history reads, made
    directly (the letter is another test's business). ``payment``: the status of its
    payment, or None for none."""
    application.refresh_from_db()
    amount = application.result or D(1000)
    decision = Decision.objects.create(
        case=application.case,
        application=application,
        status=Decision.Status.FINAL,
        period_start=application.month,
        period_end=last_of_month(application.month),
        motivering="Prövat enligt SoL 12 kap. 1 §.",
        author=author,
        decided_by=author,
        decided_on=application.month,
    )
    DecisionItem.objects.create(
        decision=decision,
        kind="livelihood",
        legal_basis=LegalBasis.objects.get(
            code="sol2025-12-5" if outcome == "refused" else "sol2025-12-1"
        ),
        outcome=outcome,
        applied_amount=amount,
        granted_amount=D(0) if outcome == "refused" else amount,
    )
    if payment is not None and outcome != "refused":
        Payment.objects.create(
            decision=decision,
            payee=application.applicant,
            amount=amount,
            pay_on=application.month,
            status=payment,
            created_by=author,
            attested_by=None if payment == Payment.Status.PROPOSED else attester,
        )
    Application.objects.filter(pk=application.pk).update(status=Application.Status.DECIDED)
    return decision


def granted_months(case, actor, attester, applicant, whens, *, salaries=()):
    for when in whens:
        decide(apply(case, actor, applicant, when, salaries=salaries), actor, attester)


def salary_line(application, person):
    calculation = Calculation.from_dict(application.calculation)
    (line,) = [
        line
        for line in calculation.income_lines
        if line.kind == "salary" and line.person_id == person.pk
    ]
    return line


# --------------------------------------------------------- 12:9 – the schooling condition


@pytest.fixture
def anna(db):
    return PersonFactory(first_name="Anna", last_name="Ek", birth_date=date(1980, 2, 2))


@pytest.fixture
def olle(db):
    """18 on 2026-03-01 (born 2007-09-10)."""
    return PersonFactory(first_name="Olle", last_name="Ek", birth_date=date(2007, 9, 10))


@pytest.fixture
def anna_and_olle(caseworker, anna, olle):
    return household_case(caseworker, anna, valid_from=month(2026, 1), members=[(olle, "child")])


def test_an_18_year_old_in_gymnasiet_keeps_his_salary(anna_and_olle, caseworker, anna, olle):
    # SoL 12:9 andra strecksatsen: a school youth under 21 – earned income not counted.
    # Norm 3 940 (Anna) + 4 960 (Olle, 15–18 år) + 1 410 (2 persons) = 10 310
    # + rent 5 000 = 15 310 − counted income 0 = 15 310 kr.
    march = apply(
        anna_and_olle, caseworker, anna, month(2026, 3), salaries=[(olle, 3000)],
        schooling={olle: True},
    )  # fmt: skip
    line = salary_line(march, olle)
    assert line.counted == 0
    assert line.rule == "12:9"
    assert "Skolungdoms inkomst av arbete räknas inte (12 kap. 9 § SoL)" in line.note
    assert "18 år, under 21 och går i grundskola, gymnasieskola" in line.note
    assert march.result == 15310


def test_an_18_year_old_who_has_left_school_is_counted_like_an_adult(
    anna_and_olle, caseworker, anna, olle
):
    # SoL 12:9 covers barn (under 18, 3 kap. 1 §) and skolungdomar: Olle is neither.
    # Norm 10 310 + rent 5 000 = 15 310 − Olle's 3 000 counted in full = 12 310 kr.
    # (Today's code left out every 0–20-year-old's salary: 15 310 kr.)
    march = apply(
        anna_and_olle, caseworker, anna, month(2026, 3), salaries=[(olle, 3000)],
        schooling={olle: False},
    )  # fmt: skip
    line = salary_line(march, olle)
    assert line.counted == 3000
    assert line.rule == ""
    assert "18 år och går inte i skolan: inkomsten räknas som en vuxens" in line.note
    assert march.result == 12310


def test_an_18_year_old_out_of_school_gets_jobbstimulans_on_his_own_six_months(
    anna_and_olle, caseworker, attester, anna, olle
):
    # Olle was in the household that received försörjningsstöd January–June 2026 (granted,
    # paid): six months in a row, so in July 12:8 leaves 25 % of his salary out.
    # Norm 10 310 + rent 5 000 = 15 310 − 3 000 × 0,75 = 2 250 → 13 060 kr.
    granted_months(
        anna_and_olle, caseworker, attester, anna, months(month(2026, 1), month(2026, 6))
    )
    july = apply(
        anna_and_olle, caseworker, anna, month(2026, 7), salaries=[(olle, 3000)],
        schooling={olle: False},
    )  # fmt: skip
    line = salary_line(july, olle)
    assert line.counted == 2250
    assert line.rule == "12:8"
    assert "månad 1 av 24 (t.o.m. juni 2028)" in line.note
    assert july.result == 13060


def test_an_18_to_20_year_olds_salary_needs_the_schooling(
    client, anna_and_olle, caseworker, anna, olle
):
    application = application_register(
        anna_and_olle, actor=caseworker, month=month(2026, 3), channel="e_service", applicant=anna
    )
    client.force_login(caseworker)
    # As the browser: the page (which logs the read) before its live preview.
    client.get(reverse("application_detail", args=[anna_and_olle.pk, application.pk]))
    url = reverse("application_preview", args=[anna_and_olle.pk, application.pk])
    response = client.post(
        url,
        {
            "version": application.version,
            "kostnad-TOTAL_FORMS": "0",
            "kostnad-INITIAL_FORMS": "0",
            "inkomst-TOTAL_FORMS": "1",
            "inkomst-INITIAL_FORMS": "0",
            "inkomst-0-kind": "salary",
            "inkomst-0-amount": "3000",
            "inkomst-0-person": str(olle.pk),
        },
    )
    assert "ange om Olle Ek går i grundskola, gymnasieskola" in response.content.decode()


def test_a_20_year_old_turning_21_mid_year(caseworker, anna):
    # Lina, born 2005-09-15: 20 on the first day of May and July, 21 on 1 October (the
    # age the norm uses). Salary 3 000 kr each month.
    lina = PersonFactory(first_name="Lina", last_name="Ek", birth_date=date(2005, 9, 15))
    case = household_case(caseworker, anna, valid_from=month(2026, 1), members=[(lina, "child")])

    # May, in gymnasiet: a school youth under 21 (12:9) – 3 940 + 5 000 (19–20 år) +
    # 1 410 = 10 350 + 5 000 = 15 350 kr, her salary not counted.
    may = apply(case, caseworker, anna, month(2026, 5), salaries=[(lina, 3000)],
                schooling={lina: True})  # fmt: skip
    assert salary_line(may, lina).counted == 0
    assert may.result == 15350

    june = application_register(
        case, actor=caseworker, month=month(2026, 6), channel="e_service", applicant=anna
    )

    # July, after the spring term she has left school: still 20, but no longer a school
    # youth – counted like an adult: 15 350 − 3 000 = 12 350 kr.
    july = apply(case, caseworker, anna, month(2026, 7), salaries=[(lina, 3000)],
                 schooling={lina: False})  # fmt: skip
    assert salary_line(july, lina).counted == 3000
    assert july.result == 12350

    # October: 21 – an adult whatever her schooling; the norm is an adult's too:
    # 3 940 + 3 940 + 1 410 = 9 290 + 5 000 − 3 000 = 11 290 kr. No schooling is asked.
    october = apply(case, caseworker, anna, month(2026, 10), salaries=[(lina, 3000)])
    assert salary_line(october, lina).counted == 3000
    assert october.result == 11290
    assert not october.schooling.exists()  # 21: not carried over, not asked for

    # June started with May's schooling (carried over like the försörjningshinder).
    assert list(june.schooling.values_list("person_id", "in_school")) == [(lina.pk, True)]


def test_schooling_is_recorded_only_for_18_to_20_year_olds_of_the_household(
    anna_and_olle, caseworker, anna
):
    application = application_register(
        anna_and_olle, actor=caseworker, month=month(2026, 3), channel="e_service", applicant=anna
    )
    with pytest.raises(CaseError, match="18–20 år"):
        application_set_schooling(application, actor=caseworker, schooling={anna.pk: True})


def test_a_decided_application_keeps_the_schooling_it_was_calculated_on(
    anna_and_olle, caseworker, anna, olle
):
    application = apply(anna_and_olle, caseworker, anna, month(2026, 3), schooling={olle: True})
    Application.objects.filter(pk=application.pk).update(status=Application.Status.DECIDED)
    with pytest.raises(CaseError, match="beslutad"):
        application_set_schooling(application, actor=caseworker, schooling={olle.pk: False})
    assert ApplicationSchooling.objects.get(application=application).in_school is True


def test_the_caseworker_records_schooling_on_the_application_page(
    client, anna_and_olle, caseworker, anna, olle
):
    application = application_register(
        anna_and_olle, actor=caseworker, month=month(2026, 3), channel="e_service", applicant=anna
    )
    client.force_login(caseworker)
    page = client.get(reverse("application_detail", args=[anna_and_olle.pk, application.pk]))
    assert "Skolgång (SoL 12 kap. 9 §)" in page.content.decode()
    assert "Inte angivet för Olle Ek" in page.content.decode()

    response = client.post(
        reverse("application_schooling", args=[anna_and_olle.pk, application.pk]),
        {f"skola_{olle.pk}": "no"},
    )
    assert response.status_code == 302
    assert ApplicationSchooling.objects.get(application=application).in_school is False


def test_a_colleague_reads_the_schooling_without_a_form(
    client, anna_and_olle, caseworker, anna, olle, make_user
):
    application = apply(anna_and_olle, caseworker, anna, month(2026, 3), schooling={olle: True})
    colleague = make_user(Role.CASEWORKER)
    client.force_login(colleague)
    page = client.get(reverse("application_detail", args=[anna_and_olle.pk, application.pk]))
    html = page.content.decode()
    assert "Går i skolan" in html
    assert "Spara skolgång" not in html
    response = client.post(
        reverse("application_schooling", args=[anna_and_olle.pk, application.pk]),
        {f"skola_{olle.pk}": "no"},
    )
    assert response.status_code == 404
    assert ApplicationSchooling.objects.get(application=application).in_school is True


# ------------------------------------------- 12:8 – months the person received, per person


@pytest.fixture
def sam(db):
    return PersonFactory(first_name="Sam", last_name="Sökande", birth_date=date(1990, 5, 5))


@pytest.fixture
def sams_case(caseworker, sam):
    return household_case(caseworker, sam, valid_from=month(2024, 1))


@pytest.mark.parametrize(
    "july",
    [
        pytest.param({"outcome": "refused"}, id="refused"),
        pytest.param(None, id="undecided"),
        pytest.param({"payment": None}, id="granted-never-paid"),
        pytest.param({"payment": Payment.Status.PROPOSED}, id="payment-not-attested"),
    ],
)
def test_six_granted_months_then_a_broken_month_then_a_granted_month_restart_the_count(
    sams_case, caseworker, attester, sam, july
):
    # January–June 2026 granted and paid: six in a row. July is refused (or never
    # decided, or never paid) – no salary that month, so no two-year period started. August
    # granted and paid: the count restarts at 1. September, salary 4 000 kr:
    # 1 of 6 → no jobbstimulans: 5 220 + 5 000 − 4 000 = 6 220 kr.
    # (Today's code counted the case's months with a calculated result above 0 – eight –
    # and left 1 000 kr out: 7 220 kr.)
    granted_months(sams_case, caseworker, attester, sam, months(month(2026, 1), month(2026, 6)))
    july_application = apply(sams_case, caseworker, sam, month(2026, 7))
    if july is not None:
        decide(july_application, caseworker, attester, **july)
    granted_months(sams_case, caseworker, attester, sam, [month(2026, 8)])

    september = apply(sams_case, caseworker, sam, month(2026, 9), salaries=[(sam, 4000)])

    assert salary_line(september, sam).counted == 4000
    assert september.result == 6220
    (person,) = Calculation.from_dict(september.calculation).jobbstimulans
    assert person.text == (
        "Jobbstimulans uppfylls inte: 1 av 6 månader i följd med försörjningsstöd."
    )
    # July itself still had the six months before it; August had none.
    assert jobbstimulans_for([sam.pk], month(2026, 7))[sam.pk].applies
    assert jobbstimulans_for([sam.pk], month(2026, 8))[sam.pk].months_in_row == 0


def test_a_replaced_grant_is_not_a_month_received(sams_case, caseworker, attester, sam):
    # March was granted and paid, then replaced by a final refusal (omprövning): the
    # decision in force refuses, so March is not a month of försörjningsstöd.
    granted_months(sams_case, caseworker, attester, sam, [month(2026, 2)])
    march = apply(sams_case, caseworker, sam, month(2026, 3))
    first = decide(march, caseworker, attester)
    second = decide(march, caseworker, attester, outcome="refused")
    Decision.objects.filter(pk=second.pk).update(replaces=first)
    assert livelihood_history([sam.pk], before=month(2026, 4))[sam.pk].granted_months == {(2026, 2)}


def test_six_months_in_another_units_case_before_moving(
    client, caseworker, attester, other_unit, make_user, sam
):
    # Sam's household in unit Syd received försörjningsstöd January–June 2026 (granted,
    # paid). Sam moves and applies in unit Nord for July: his six months follow him
    # (12:8 is about the person). Salary 4 000 × 0,75 = 3 000 counted:
    # 5 220 + 5 000 − 3 000 = 7 220 kr. (Today's code counted Nord's case only: 0 months,
    # 6 220 kr.)
    syd_worker = make_user(Role.CASEWORKER, unit=other_unit)
    syd_manager = make_user(Role.UNIT_MANAGER, unit=other_unit)
    syd_case = household_case(
        syd_worker, sam, valid_from=month(2026, 1), valid_to=date(2026, 6, 30), unit=other_unit
    )
    granted_months(syd_case, syd_worker, syd_manager, sam, months(month(2026, 1), month(2026, 6)))
    nord_case = household_case(caseworker, sam, valid_from=month(2026, 7))

    july = apply(nord_case, caseworker, sam, month(2026, 7), salaries=[(sam, 4000)])

    assert salary_line(july, sam).counted == 3000
    assert july.result == 7220
    # The page shows the derived result – never the other unit's case.
    client.force_login(caseworker)
    html = client.get(reverse("application_detail", args=[nord_case.pk, july.pk])).content
    html = html.decode()
    assert "Jobbstimulans gäller t.o.m. juni 2028 (månad 1 av 24)." in html
    assert syd_case.reference not in html
    assert other_unit.name not in html
    assert client.get(reverse("case_detail", args=[syd_case.pk])).status_code == 404


@pytest.fixture
def norm_2024(db):
    copy_norm_year(2025, 2024)  # a test copy: only for the history months of 2024


def test_month_24_and_month_25_of_the_window(sams_case, caseworker, attester, sam, norm_2024):
    # Granted and paid June–November 2024: six months. December 2024, with a salary: the
    # rule first applied → the two years are December 2024 – November 2026. On
    # försörjningsstöd every month since.
    granted_months(sams_case, caseworker, attester, sam, months(month(2024, 6), month(2024, 11)))
    granted_months(sams_case, caseworker, attester, sam, [month(2024, 12)], salaries=[(sam, 1000)])
    granted_months(sams_case, caseworker, attester, sam, months(month(2025, 1), month(2026, 10)))

    # November 2026 is month 24: 8 000 × 0,75 = 6 000 counted: 5 220 + 5 000 − 6 000 =
    # 4 220 kr.
    november = apply(sams_case, caseworker, sam, month(2026, 11), salaries=[(sam, 8000)])
    assert salary_line(november, sam).counted == 6000
    assert november.result == 4220
    decide(november, caseworker, attester)

    # December 2026 is month 25: the two years are over ("Därefter … på nytt"), and the
    # months inside them do not count again: 8 000 counted → 5 220 + 5 000 − 8 000 =
    # 2 220 kr. (Today's code never ended the period: 4 220 kr.)
    december = apply(sams_case, caseworker, sam, month(2026, 12), salaries=[(sam, 8000)])
    assert salary_line(december, sam).counted == 8000
    assert december.result == 2220
    assert "månad 24 av 24 (t.o.m. november 2026)" in salary_line(november, sam).note
    (person,) = Calculation.from_dict(december.calculation).jobbstimulans
    assert person.text == (
        "Jobbstimulans gällde t.o.m. november 2026 och uppfylls inte på nytt: 0 av 6 "
        "månader i följd med försörjningsstöd efter de två åren."
    )


def test_renewal_after_a_gap():
    # Six months January–June 2023, a salary in July 2023: the period is July 2023 – June
    # 2025. Off assistance July–December 2025 (a job). Granted again January–June 2026:
    # six new months after the two years → from July 2026 it applies again, a new period
    # July 2026 – June 2028.
    granted = months(month(2023, 1), month(2025, 6)) + months(month(2026, 1), month(2026, 6))
    history = {"granted_months": granted, "income_months": [month(2023, 7)]}

    may = jobbstimulans_status(year=2026, month=5, **history)
    assert not may.applies
    assert may.describe() == (
        "Jobbstimulans gällde t.o.m. juni 2025 och uppfylls inte på nytt: 4 av 6 månader i "
        "följd med försörjningsstöd efter de två åren."
    )
    july = jobbstimulans_status(year=2026, month=7, **history)
    assert july.applies and july.period_start is None  # starts with the first salary
    assert july.started().period_end == (2028, 6)
    assert july.started().describe() == "Jobbstimulans gäller t.o.m. juni 2028 (månad 1 av 24)."


def test_renewal_needs_six_months_after_the_two_years_not_inside_them():
    # On försörjningsstöd without a break from January 2023; the period July 2023 – June
    # 2025 ended. July, August, September 2025 are months 1–3 of the next six; the months
    # inside the period do not count again. October 2025: 3 of 6, no jobbstimulans.
    status = jobbstimulans_status(
        year=2025,
        month=10,
        granted_months=months(month(2023, 1), month(2025, 9)),
        income_months=[month(2023, 7)],
    )
    assert (status.applies, status.months_in_row, status.previous_period_end) == (
        False,
        3,
        (2025, 6),
    )


def test_a_period_started_in_a_refused_month_keeps_running(sams_case, caseworker, attester, sam):
    # Six months January–June 2026. July: salary 20 000 kr, 15 000 counted, refused (the
    # income covers the need) – but the rule was applied, so the two years started in
    # July. August: not on försörjningsstöd. September: still within July 2026 – June 2028.
    granted_months(sams_case, caseworker, attester, sam, months(month(2026, 1), month(2026, 6)))
    july = apply(sams_case, caseworker, sam, month(2026, 7), salaries=[(sam, 20000)])
    assert july.result == 0  # 10 220 − 15 000
    decide(july, caseworker, attester, outcome="refused")

    september = jobbstimulans_for([sam.pk], month(2026, 9))[sam.pk]
    assert september.applies and september.month_number == 3
    assert september.period_end == (2028, 6)


def test_the_real_decision_and_payment_services_count(sams_case, caseworker, attester, sam):
    # The same facts as the tests above, made through the services a caseworker uses:
    # six decisions (within delegation, final at once) and six attested payments.
    for when in months(month(2026, 1), month(2026, 6)):
        application = apply(sams_case, caseworker, sam, when)
        decision = decision_services.decision_submit(
            decision_services.decision_save_draft(
                application,
                actor=caseworker,
                items=decision_services.prefill_items(application),
                motivering="Sökanden saknar egna medel (SoL 12 kap. 1 §).",
            ),
            actor=caseworker,
        )
        payment = decision_services.payment_create(
            decision, actor=caseworker, payee=sam, amount=application.result, pay_on=when
        )
        decision_services.payment_attest(payment, actor=attester)

    july = apply(sams_case, caseworker, sam, month(2026, 7), salaries=[(sam, 4000)])

    # 5 220 + 5 000 − 4 000 × 0,75 = 7 220 kr.
    assert july.result == 7220


def test_the_application_page_and_statement_show_the_derived_status(
    client, sams_case, caseworker, attester, sam
):
    granted_months(sams_case, caseworker, attester, sam, months(month(2026, 3), month(2026, 6)))
    july = apply(sams_case, caseworker, sam, month(2026, 7), salaries=[(sam, 4000)])
    client.force_login(caseworker)

    html = client.get(reverse("application_detail", args=[sams_case.pk, july.pk])).content
    assert (
        "Jobbstimulans uppfylls inte: 4 av 6 månader i följd med försörjningsstöd." in html.decode()
    )
    assert [p.pk for p, _status in application_jobbstimulans(july)] == [sam.pk]
    pdf = client.get(reverse("calculation_statement", args=[sams_case.pk, july.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"


# --------------------------------------- 12:9 – one prisbasbelopp per calendar year and child


@pytest.fixture
def norm_2027(db):
    copy_norm_year(2026, 2027)  # a test copy of 2026 (prisbasbelopp 59 200) for January 2027


def test_a_child_crosses_the_prisbasbelopp_in_december_and_starts_again_in_january(
    caseworker, attester, other_unit, make_user, norm_2027
):
    # Kalle (16) earns 5 000 kr a month. January–June 2026 he lives with his mother in
    # unit Syd; from July with his father in unit Nord. Both cases' stored calculations
    # leave his salary out: 6 × 5 000 + 5 × 5 000 (July–November) = 55 000 kr by December.
    mother = PersonFactory(first_name="Mia", last_name="Ek", birth_date=date(1984, 1, 1))
    father = PersonFactory(first_name="Per", last_name="Ek", birth_date=date(1982, 1, 1))
    kalle = PersonFactory(first_name="Kalle", last_name="Ek", birth_date=date(2010, 5, 5))
    syd_worker = make_user(Role.CASEWORKER, unit=other_unit)
    mothers = household_case(
        syd_worker, mother, valid_from=month(2026, 1), valid_to=date(2026, 6, 30),
        unit=other_unit, members=[(kalle, "child")],
    )  # fmt: skip
    for when in months(month(2026, 1), month(2026, 6)):
        apply(mothers, syd_worker, mother, when, salaries=[(kalle, 5000)])
    fathers = household_case(caseworker, father, valid_from=month(2026, 6))
    household_member_add(
        fathers.household, person=kalle, role="child", valid_from=month(2026, 7), actor=caseworker
    )
    # The father: granted and paid June–November – six months, so jobbstimulans in December.
    granted_months(fathers, caseworker, attester, father, [month(2026, 6)])
    for when in months(month(2026, 7), month(2026, 11)):
        decide(apply(fathers, caseworker, father, when, salaries=[(kalle, 5000)]), caseworker,
               attester)  # fmt: skip

    # December: Kalle 6 000 kr – 59 200 − 55 000 = 4 200 left out, 1 800 counted, and
    # counted in full: 12:8 never reaches it (third paragraph), though his father's salary
    # gets it: 2 000 × 0,75 = 1 500.
    # Norm 3 940 + 4 960 + 1 410 = 10 310 + 5 000 − 1 800 − 1 500 = 12 010 kr.
    # (Today's code left all 6 000 out: 13 810 kr.)
    december = apply(
        fathers, caseworker, father, month(2026, 12), salaries=[(kalle, 6000), (father, 2000)]
    )
    kalles = salary_line(december, kalle)
    assert kalles.counted == 1800
    assert kalles.rule == "12:9"
    assert "4\u00a0200\u00a0kr återstod av årets gräns" in kalles.note
    assert "utan jobbstimulans (12 kap. 8 § tredje stycket SoL)" in kalles.note
    assert salary_line(december, father).counted == 1500
    assert december.result == 12010
    assert child_income_left_out_this_year([kalle.pk], month(2026, 12)) == {kalle.pk: 55000}
    decide(december, caseworker, attester)

    # January 2027: a new calendar year, a new limit – all 6 000 left out again.
    # 10 310 + 5 000 − 1 500 (the father, month 2 of his period) = 13 810 kr.
    january = apply(
        fathers, caseworker, father, month(2027, 1), salaries=[(kalle, 6000), (father, 2000)]
    )
    assert salary_line(january, kalle).counted == 0
    assert january.result == 13810


def test_the_limit_is_summed_per_child_in_the_calculated_year_only(caseworker, anna):
    kalle = PersonFactory(first_name="Kalle", last_name="Ek", birth_date=date(2010, 5, 5))
    ella = PersonFactory(first_name="Ella", last_name="Ek", birth_date=date(2012, 5, 5))
    case = household_case(
        caseworker, anna, valid_from=month(2025, 11), members=[(kalle, "child"), (ella, "child")]
    )
    apply(case, caseworker, anna, month(2025, 12), salaries=[(kalle, 9000)])  # last year
    apply(case, caseworker, anna, month(2026, 1), salaries=[(kalle, 1000), (ella, 700)])
    apply(case, caseworker, anna, month(2026, 2), salaries=[(kalle, 2000)])
    assert child_income_left_out_this_year([kalle.pk, ella.pk], month(2026, 3)) == {
        kalle.pk: 3000,
        ella.pk: 700,
    }


# ----------------------------------------------------- stored calculations are historical

# A calculation as the code before issue 22 stored it (form version 1): household-wide
# jobbstimulans month, no rule per line.
VERSION_1 = {
    "version": 1,
    "year": 2026,
    "month": 2,
    "norm_source": "SFS 2025:1046",
    "household_size": 2,
    "norm_lines": [
        {"label": "Personliga kostnader – Anna Ek", "amount": "3940.00", "note": ""},
        {"label": "Personliga kostnader – Kalle, 16 år", "amount": "4960.00", "note": ""},
        {"label": "Gemensamma hushållskostnader", "amount": "1410.00", "note": ""},
    ],
    "norm_total": "10310.00",
    "adjustment": "0.00",
    "adjustment_reason": "",
    "cost_lines": [],
    "costs_total": "0.00",
    "income_lines": [
        {
            "label": "Lön, netto – Kalle",
            "amount": "3000.00",
            "counted": "0.00",
            "note": "Barns inkomst av eget arbete räknas inte upp till ett prisbasbelopp "
            "(59\u00a0200\u00a0kr) per år (SoL 12 kap. 9 §).",
            "kind": "salary",
            "person_id": None,  # replaced per test
        },
        {
            "label": "Lön, netto",
            "amount": "4000.00",
            "counted": "3000.00",
            "note": "Jobbstimulans (SoL 12 kap. 8 §): 25 % av arbetsinkomsten räknas inte, "
            "månad 1 av 24.",
            "kind": "salary",
            "person_id": None,
        },
    ],
    "income_total": "3000.00",
    "result": "7310",
    "jobbstimulans_first_month": [2026, 2],
    "child_earned_income_disregarded": "3000.00",
}


def test_a_version_1_calculation_is_read_and_used_as_stored(caseworker, anna):
    kalle = PersonFactory(first_name="Kalle", last_name="Ek", birth_date=date(2010, 5, 5))
    case = household_case(caseworker, anna, valid_from=month(2026, 1), members=[(kalle, "child")])
    stored = {**VERSION_1, "income_lines": [dict(line) for line in VERSION_1["income_lines"]]}
    stored["income_lines"][0]["person_id"] = kalle.pk
    february = application_register(
        case, actor=caseworker, month=month(2026, 2), channel="e_service", applicant=anna
    )
    Application.objects.filter(pk=february.pk).update(calculation=stored, result=D(7310))

    calculation = Calculation.from_dict(stored)
    assert calculation.version == 1
    assert calculation.result == 7310
    assert [line.counted for line in calculation.income_lines] == [0, 3000]
    assert calculation.to_dict()["version"] == 1  # shown as what it is
    # Its 12:9 line still counts towards Kalle's limit in March (known by its note)…
    assert child_income_left_out_this_year([kalle.pk], month(2026, 3)) == {kalle.pk: 3000}
    # …its salary without a person was the applicant's (the old household-wide rule).
    assert calculation.employment_income_person_ids(applicant_id=anna.pk) == {anna.pk}
    # The stored form itself is untouched by reading it.
    february.refresh_from_db()
    assert february.calculation == stored


def test_a_new_calculation_keeps_its_derivation(sams_case, caseworker, attester, sam):
    granted_months(sams_case, caseworker, attester, sam, months(month(2026, 1), month(2026, 6)))
    july = apply(sams_case, caseworker, sam, month(2026, 7), salaries=[(sam, 4000)])
    stored = july.calculation
    # A later refusal of a month in the history does not change what July stored.
    Decision.objects.filter(application__month=month(2026, 3)).update(
        status=Decision.Status.DRAFT, decided_by=None, decided_on=None
    )
    july.refresh_from_db()
    assert july.calculation == stored
    assert stored["jobbstimulans"][0]["status"]["period_start"] == [2026, 7]
    assert stored["jobbstimulans"][0]["text"] == (
        "Jobbstimulans gäller t.o.m. juni 2028 (månad 1 av 24)."
    )


def test_pure_calculation_with_an_adult_child_of_19_not_in_school():
    # For completeness of the pure function: 19, not in school, six months → 12:8.
    # 3 940 + 5 000 + 1 410 = 10 350 − 3 000 × 0,75 = 2 250 → 8 100 kr.
    anna = MemberInput("Anna", 45, "applicant", person_id=1)
    olle = MemberInput("Olle", 19, "child", person_id=2, in_school=False)
    status = jobbstimulans_status(
        year=2026, month=3, granted_months=months(month(2025, 9), month(2026, 2))
    )
    result = calculate(
        year=2026,
        month=3,
        members=[anna, olle],
        incomes=[IncomeInput("salary", D(3000), person_id=2)],
        jobbstimulans={2: status},
    )
    assert result.income_lines[0].counted == 2250
    assert result.result == 8100


def test_the_history_is_read_in_a_fixed_number_of_queries(
    django_assert_num_queries, sams_case, caseworker, attester, sam
):
    # Memberships, applications, decisions (with grant, payment and replacement as
    # subqueries), stored calculations – four, however long the history.
    granted_months(sams_case, caseworker, attester, sam, months(month(2026, 1), month(2026, 2)))
    with django_assert_num_queries(4):
        short = jobbstimulans_for([sam.pk], month(2026, 3))
    granted_months(sams_case, caseworker, attester, sam, months(month(2026, 3), month(2026, 8)))
    with django_assert_num_queries(4):
        long = jobbstimulans_for([sam.pk], month(2026, 9))
    assert (short[sam.pk].months_in_row, long[sam.pk].months_in_row) == (2, 8)


def test_months_of_a_household_paid_from_the_25th_are_the_months_the_applications_name(
    caseworker, attester, anna
):
    """12:8 counts months of försörjningsstöd. A household on periods from the 25th
    (Norrköping 2015 §7.4) receiving "June"–"October" (25 Jun–24 Nov) has had five
    months – not six because the last period reaches into November: five months in a
    row, so no jobbstimulans in December yet."""
    case = household_case(caseworker, anna, valid_from=month(2026, 1))
    case.household.period_start_day = 25
    case.household.save(update_fields=["period_start_day"])
    for when in months(month(2026, 6), month(2026, 10)):
        decision = decide(apply(case, caseworker, anna, when), caseworker, attester)
        Decision.objects.filter(pk=decision.pk).update(
            period_start=when.replace(day=25),
            period_end=month(when.year, when.month + 1).replace(day=24),
        )
    history = livelihood_history([anna.pk], before=month(2026, 12))[anna.pk]
    assert history.granted_months == {(2026, n) for n in range(6, 11)}
    status = jobbstimulans_for([anna.pk], month(2026, 12))[anna.pk]
    assert not status.applies
