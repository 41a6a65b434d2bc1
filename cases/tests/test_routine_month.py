"""Issue 17: the routine month – fortsättningsansökan, quick lines, the decision in the same
flow, the year turn, and payment periods."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import AccessLog, Application, Decision, NormYear, Payment
from cases.payment_periods import payment_date, period_for, proposed_payment_date, prorated
from cases.roles import Role
from cases.services.applications import (
    CostLine,
    IncomeLine,
    application_register,
    application_save_calculation,
)
from cases.services.continued_application import next_month_for, prefill_from_previous
from cases.services.motivering import draft_motivering
from cases.services.people import household_member_add, household_member_end
from cases.tests.factories import CaseFactory, PersonFactory, copy_norm_year
from cases.year_turn import year_turn_warning

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(*args):
    return time_machine.travel(datetime(*args, tzinfo=STOCKHOLM), tick=False)


def save(application, actor, costs, incomes):
    return application_save_calculation(
        application,
        actor=actor,
        costs=costs,
        incomes=incomes,
        lunch_away_ids=set(),
        adjustment=Decimal(0),
        adjustment_reason="",
        household_size=None,
    )


@pytest.fixture
def couple(caseworker):
    """Anna and Bo, sambor, with their son Carl (19) who works; October 2026 calculated."""
    anna = PersonFactory(first_name="Anna", birth_date=date(1985, 2, 2))
    bo = PersonFactory(first_name="Bo", birth_date=date(1984, 3, 3))
    carl = PersonFactory(first_name="Carl", birth_date=date(2007, 4, 4))
    case = CaseFactory(caseworker=caseworker, applicant=anna)
    household_member_add(
        case.household,
        person=bo,
        role="co_applicant",
        valid_from=date(2026, 1, 1),
        actor=caseworker,
    )
    household_member_add(
        case.household,
        person=carl,
        role="other_adult",
        valid_from=date(2026, 1, 1),
        actor=caseworker,
    )
    october = application_register(
        case,
        actor=caseworker,
        month=date(2026, 10, 1),
        channel="e_service",
        applicant=anna,
        co_applicant=bo,
    )
    save(
        october,
        caseworker,
        [
            CostLine("rent", Decimal("9000"), Decimal("8500"), "Hyra"),
            CostLine("household_electricity", Decimal("400"), Decimal("400")),
        ],
        [
            IncomeLine("salary", Decimal("3000"), bo.pk),
            IncomeLine("salary", Decimal("2500"), carl.pk),
            IncomeLine("child_benefit", Decimal("1250"), None),
        ],
    )
    return case, anna, bo, carl, october


def _member(case, person):
    return case.household.memberships.get(person=person)


# ------------------------------------------------------------------ carry-over


def test_the_next_month_carries_lines_applicant_and_co_applicant(couple, caseworker):
    case, anna, bo, carl, october = couple
    assert next_month_for(case, today=date(2026, 10, 20)) == date(2026, 11, 1)

    prefill = prefill_from_previous(case, date(2026, 11, 1))

    assert (prefill.applicant, prefill.co_applicant) == (anna, bo)
    assert [(c.kind, c.actual, c.accepted) for c in prefill.costs] == [
        ("rent", Decimal("9000"), Decimal("8500")),
        ("household_electricity", Decimal("400"), Decimal("400")),
    ]
    assert len(prefill.incomes) == 3 and prefill.notes == []

    november = application_register(
        case,
        actor=caseworker,
        month=date(2026, 11, 1),
        channel="e_service",
        applicant=anna,
        co_applicant=bo,
        continue_from_previous=True,
    )
    assert november.continued_from == october
    assert all(c.carried_over for c in november.costs.all())
    assert sorted(i.person_id or 0 for i in november.incomes.all()) == sorted([bo.pk, carl.pk, 0])
    # Saving the calculation confirms the lines: no longer "från förra månaden".
    save(november, caseworker, [CostLine("rent", Decimal(9000), Decimal(8500))], [])
    assert not november.costs.filter(carried_over=True).exists()


def test_a_person_who_left_is_not_carried_and_the_caseworker_is_told(couple, caseworker, client):
    case, anna, bo, carl, october = couple
    household_member_end(_member(case, carl), valid_to=date(2026, 10, 31))

    client.force_login(caseworker)
    page = client.get(reverse("application_new", args=[case.pk]))
    assert page.context["form"].initial["month"] == date(2026, 11, 1)
    assert "Carl" in page.content.decode() and "inte överförda" in page.content.decode()
    response = client.post(
        reverse("application_new", args=[case.pk]),
        {
            "month": "2026-11",
            "received_on": "2026-10-25",
            "channel": "e_service",
            "applicant": anna.pk,
            "co_applicant": bo.pk,
            "items": ["livelihood"],
            "continue_from_previous": "on",
        },
        follow=True,
    )

    november = Application.objects.get(case=case, month=date(2026, 11, 1))
    assert carl.pk not in {i.person_id for i in november.incomes.all()}
    assert november.incomes.count() == 2 and november.costs.count() == 2
    assert any("Carl" in note and "1 inkomstrad" in note for note in november.carry_over_notes)
    body = response.content.decode()
    assert "Inte överfört från förra månaden" in body and "från förra månaden" in body


def test_a_co_applicant_who_moved_out_is_not_carried(couple, caseworker):
    case, anna, bo, carl, october = couple
    household_member_end(_member(case, bo), valid_to=date(2026, 10, 15))

    prefill = prefill_from_previous(case, date(2026, 11, 1))

    assert prefill.applicant == anna and prefill.co_applicant is None
    assert any("Medsökande" in note and "Bo" in note for note in prefill.notes)
    # Bo's salary went with him.
    assert bo.pk not in {i.person_id for i in prefill.incomes}


def test_the_form_defaults_to_last_months_people(couple, caseworker, client):
    case, anna, bo, carl, october = couple
    client.force_login(caseworker)
    form = client.get(reverse("application_new", args=[case.pk])).context["form"]
    assert form.initial["applicant"] == anna.pk and form.initial["co_applicant"] == bo.pk
    assert form.initial["continue_from_previous"] is True


def _page_queries(client, case, application):
    client.get(reverse("application_detail", args=[case.pk, application.pk]))  # warm session
    with CaptureQueriesContext(connection) as ctx:
        assert (
            client.get(reverse("application_detail", args=[case.pk, application.pk])).status_code
            == 200
        )
    return len(ctx)


def test_no_extra_queries_per_carried_line(couple, caseworker, client):
    case, anna, bo, carl, october = couple
    client.force_login(caseworker)
    few = application_register(
        case,
        actor=caseworker,
        month=date(2026, 11, 1),
        channel="e_service",
        applicant=anna,
        co_applicant=bo,
        continue_from_previous=True,
    )
    small = _page_queries(client, case, few)
    save(
        october,  # october is not decided: give December a longer month to carry
        caseworker,
        [CostLine("rent", Decimal(100 + n), Decimal(100 + n)) for n in range(12)],
        [IncomeLine("salary", Decimal(50 + n), bo.pk) for n in range(12)],
    )
    Application.objects.filter(pk=few.pk).delete()
    many = application_register(
        case,
        actor=caseworker,
        month=date(2026, 11, 1),
        channel="e_service",
        applicant=anna,
        co_applicant=bo,
        continue_from_previous=True,
    )
    assert many.costs.count() == 12 and many.incomes.count() == 12
    assert _page_queries(client, case, many) == small


# ------------------------------------------------------------------ quick lines


def _calc_post(application, rows, *, add_row=None):
    application.refresh_from_db()
    data = {
        "version": application.version,
        "kostnad-TOTAL_FORMS": str(len(rows)),
        "kostnad-INITIAL_FORMS": "0",
        "inkomst-TOTAL_FORMS": "1",
        "inkomst-INITIAL_FORMS": "0",
        "inkomst-0-kind": "",
        "inkomst-0-amount": "",
    }
    for n, (kind, actual, accepted) in enumerate(rows):
        data |= {
            f"kostnad-{n}-kind": kind,
            f"kostnad-{n}-actual": actual,
            f"kostnad-{n}-accepted": accepted,
        }
    if add_row:
        data["add_row"] = add_row
    return data


def test_add_row_keeps_what_was_typed_and_saves_nothing(couple, caseworker, client):
    case, anna, bo, carl, october = couple
    client.force_login(caseworker)
    url = reverse("application_detail", args=[case.pk, october.pk])
    before = list(october.costs.values_list("kind", "actual"))

    response = client.post(url, _calc_post(october, [("rent", "7000", "")], add_row="kostnad"))

    assert response.status_code == 200
    costs = response.context["costs"]
    assert len(costs.forms) == 2
    assert costs.forms[0]["actual"].value() == "7000"
    assert "autofocus" in str(costs.forms[1]["kind"])
    assert list(october.costs.values_list("kind", "actual")) == before
    # An empty row has no preset type.
    assert 'value="" selected' in str(costs.forms[1]["kind"])


def test_godtagen_defaults_to_faktisk(couple, caseworker, client):
    case, anna, bo, carl, october = couple
    client.force_login(caseworker)
    url = reverse("application_detail", args=[case.pk, october.pk])
    response = client.post(url, _calc_post(october, [("rent", "7000", ""), ("", "", "")]))
    assert response.status_code == 302, [
        f.errors for f in (*response.context["costs"], *response.context["incomes"])
    ] + [response.context["calc_form"].errors]
    assert list(october.costs.values_list("kind", "actual", "accepted")) == [
        ("rent", Decimal(7000), Decimal(7000))
    ]


# ------------------------------------------------------------------ the decision


def test_template_motivering_has_the_months_figures(couple, caseworker):
    case, anna, bo, carl, october = couple
    october.refresh_from_db()
    text = draft_motivering(october)
    assert "oktober 2026" in text
    assert (
        f"{int(october.result):,}".replace(",", "\xa0") in text or str(int(october.result)) in text
    )
    case.unit.motivering_template = "Bistånd för {manad}: {bistand} kr ({norm} kr norm). {okänd}"
    case.unit.save()
    october.case.unit.refresh_from_db()
    text = draft_motivering(october)
    assert text.startswith("Bistånd för oktober 2026:") and "{okänd}" in text


def _decide_post(application, client, *, motivering, action="decide", pay_on="2026-11-24"):
    page = client.get(reverse("decision_new", args=[application.case_id, application.pk]))
    form, items = page.context["form"], page.context["items"]
    data = {
        "motivering": motivering,
        "child_impact": "",
        "conditions": "",
        "participants": "",
        "communication_exemption": "own_information",
        "idempotency_key": form.initial.get("idempotency_key") or form["idempotency_key"].value(),
        "pay_on": pay_on,
        "action": action,
        "post-TOTAL_FORMS": str(len(items.forms)),
        "post-INITIAL_FORMS": str(len(items.forms)),
        "post-MIN_NUM_FORMS": "1",
    }
    for n, item in enumerate(items.forms):
        for name in ("kind", "outcome", "granted_amount", "applied_amount", "legal_basis"):
            value = item[name].value()
            data[f"post-{n}-{name}"] = "" if value is None else value
    return page, data


def test_an_unchanged_template_is_refused_for_a_first_month(couple, caseworker, client):
    case, anna, bo, carl, october = couple
    client.force_login(caseworker)
    with at(2026, 10, 20, 10, 0):
        page, data = _decide_post(october, client, motivering="")
        data["motivering"] = page.context["form"].initial["motivering"]
        response = client.post(reverse("decision_new", args=[case.pk, october.pk]), data)
    assert response.status_code == 302, (
        response.context["form"].errors,
        [f.errors for f in response.context["items"]],
        response.context["items"].non_form_errors(),
        response.context["items"].management_form.errors,
    )
    decision = Decision.objects.get(application=october)
    assert decision.status == Decision.Status.DRAFT  # saved, not decided
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Mallens motivering räcker bara" in m for m in messages)


def test_decide_on_the_form_letters_and_proposes_the_payment(couple, caseworker, client):
    case, anna, bo, carl, october = couple
    case.household.payment_day = 25
    case.household.save()
    client.force_login(caseworker)
    with at(2026, 10, 20, 10, 0):
        page, data = _decide_post(october, client, motivering="", pay_on="")
        assert page.context["form"].initial["pay_on"] == date(2026, 10, 20)  # never before today
        data["motivering"] = page.context["form"].initial["motivering"] + " Hyran är godtagen."
        data["pay_on"] = "2026-10-23"
        response = client.post(reverse("decision_new", args=[case.pk, october.pk]), data)
        again = client.post(reverse("decision_new", args=[case.pk, october.pk]), data)
    decision = Decision.objects.get(application=october)
    assert response.status_code == 302 and again.status_code in (200, 302)
    assert decision.status == Decision.Status.FINAL and hasattr(decision, "letter")
    payment = Payment.objects.get(decision=decision)
    assert payment.status == Payment.Status.PROPOSED and payment.pay_on == date(2026, 10, 23)
    october.refresh_from_db()
    assert payment.amount == october.result
    assert Payment.objects.count() == 1


def test_preview_button_saves_the_draft_and_opens_the_letter(couple, caseworker, client):
    case, anna, bo, carl, october = couple
    client.force_login(caseworker)
    with at(2026, 10, 20, 10, 0):
        page, data = _decide_post(october, client, motivering="Egen text.", action="preview")
        response = client.post(reverse("decision_new", args=[case.pk, october.pk]), data)
        decision = Decision.objects.get(application=october)
        assert response["Location"] == reverse("decision_letter", args=[decision.pk])
        # The same form again, changed, continues the same draft (not ignored).
        data["motivering"] = "Ändrad text."
        data["action"] = "save"
        client.post(reverse("decision_new", args=[case.pk, october.pk]), data)
    decision.refresh_from_db()
    assert decision.motivering == "Ändrad text." and Decision.objects.count() == 1


# ------------------------------------------------------------------ the year turn


def test_warning_from_first_october_until_next_year_is_active(db):
    NormYear.objects.filter(year=2027).delete()
    assert year_turn_warning(date(2026, 9, 30)) is None
    warning = year_turn_warning(date(2026, 10, 1))
    assert warning is not None and warning.year == 2027 and not warning.imported
    copy_norm_year(2026, 2027)
    assert year_turn_warning(date(2026, 12, 1)) is None
    NormYear.objects.filter(year=2027).update(is_active=False)
    assert "används inte" in year_turn_warning(date(2026, 12, 1)).message


def test_start_pages_warn_and_the_import_is_primary(client, administrator, unit_manager):
    NormYear.objects.filter(year=2027).delete()
    with at(2026, 10, 1, 9, 0):
        client.force_login(administrator)
        body = client.get(reverse("administrator_start")).content.decode()
        assert "Nytt år 2027" in body
        assert 'class="button button--primary" href="/rapporter/import/"' in body or (
            "button--primary" in body and "Importera riksnorm" in body
        )
        client.force_login(unit_manager)
        assert "Nytt år 2027" in client.get(reverse("unit_manager_start")).content.decode()
    with at(2026, 9, 30, 9, 0):
        assert "Nytt år" not in client.get(reverse("unit_manager_start")).content.decode()


def test_january_prepared_in_december_computes_once_2027_is_active(caseworker, client):
    NormYear.objects.filter(year=2027).delete()
    anna = PersonFactory(first_name="Anna", birth_date=date(1985, 2, 2))
    case = CaseFactory(caseworker=caseworker, applicant=anna)
    with at(2026, 12, 10, 10, 0):
        client.force_login(caseworker)
        january = application_register(
            case, actor=caseworker, month=date(2027, 1, 1), channel="e_service", applicant=anna
        )
        url = reverse("application_detail", args=[case.pk, january.pk])
        page = client.get(url)
        assert "väntar på riksnormen för 2027" in page.content.decode()
        preview = client.post(
            reverse("application_preview", args=[case.pk, january.pk]),
            _calc_post(january, [("rent", "7000", "")]),
        )
        assert "väntar på riksnormen för 2027" in preview.content.decode()
        saved = client.post(url, _calc_post(january, [("rent", "7000", "")]), follow=True)
        assert "Raderna är sparade" in saved.content.decode()
    january.refresh_from_db()
    assert january.calculation is None and january.costs.get().actual == 7000  # nothing lost

    copy_norm_year(2026, 2027)  # the administrator imports and switches 2027 on
    with at(2026, 12, 20, 10, 0):
        client.force_login(caseworker)
        page = client.get(url)
        assert page.context["calculation"].result == 3940 + 1280 + 7000
        client.post(url, _calc_post(january, [("rent", "7000", "")]))
    january.refresh_from_db()
    assert january.result == 3940 + 1280 + 7000


# ------------------------------------------------------------------ payment periods


def test_a_period_from_the_25th_across_a_month_end_and_a_year_end():
    december = period_for(date(2026, 12, 1), start_day=25)
    assert (december.start, december.end, december.days) == (
        date(2026, 12, 25),
        date(2027, 1, 24),
        31,
    )
    november = period_for(date(2026, 11, 1), start_day=25)
    assert (november.start, november.end) == (date(2026, 11, 25), date(2026, 12, 24))
    calendar = period_for(date(2027, 2, 1))
    assert (calendar.start, calendar.end) == (date(2027, 2, 1), date(2027, 2, 28))


def test_a_broken_first_period_is_prorated_by_days_over_30_rounded_half_up():
    december = period_for(date(2026, 12, 1), start_day=25)
    # Assistance from 10 January: 10–24 Jan = 15 days of a period across the year end.
    assert (
        prorated(
            Decimal(5220), december, covered_from=date(2027, 1, 10), covered_to=date(2027, 1, 24)
        )
        == 2610
    )
    # Across the month end: 20 Nov period from 1 Dec = 1–24 Dec = 24 days → 5220×24/30 = 4176.
    november = period_for(date(2026, 11, 1), start_day=25)
    assert (
        prorated(
            Decimal(5220), november, covered_from=date(2026, 12, 1), covered_to=date(2027, 3, 1)
        )
        == 4176
    )
    # 7 days of 1 001 kr = 233.57 → 234 (half up, whole kronor).
    assert (
        prorated(
            Decimal(1001), november, covered_from=date(2026, 11, 25), covered_to=date(2026, 12, 1)
        )
        == 234
    )
    # The whole 31-day period is the whole amount, never more.
    assert (
        prorated(
            Decimal(5220), december, covered_from=date(2026, 1, 1), covered_to=date(2027, 12, 31)
        )
        == 5220
    )
    assert (
        prorated(
            Decimal(5220), december, covered_from=date(2027, 2, 1), covered_to=date(2027, 3, 1)
        )
        == 0
    )


def test_payment_day_before_the_period_on_a_working_day(caseworker):
    december = period_for(date(2026, 12, 1), start_day=25)
    # Payment day 24 → 24 Dec 2026 is julafton (not a working day) → 23 Dec.
    assert payment_date(december, payment_day=24) == date(2026, 12, 23)
    # A calendar-month household paid on the 27th: January's money on 27 Dec → a Sunday → Wed 23 Dec
    # (24–26 Dec julafton, juldagen, annandag jul).
    assert payment_date(period_for(date(2027, 1, 1)), payment_day=27) == date(2026, 12, 23)
    anna = PersonFactory(birth_date=date(1985, 2, 2))
    case = CaseFactory(caseworker=caseworker, applicant=anna)
    case.household.period_start_day, case.household.payment_day = 25, 24
    case.household.save()
    application = application_register(
        case, actor=caseworker, month=date(2026, 12, 1), channel="e_service", applicant=anna
    )
    assert proposed_payment_date(application, today=date(2026, 12, 1)) == date(2026, 12, 23)
    assert proposed_payment_date(application, today=date(2026, 12, 28)) == date(2026, 12, 28)


def test_the_preview_writes_nothing_while_typing(couple, caseworker, client):
    case, anna, bo, carl, october = couple
    client.force_login(caseworker)
    client.get(reverse("application_detail", args=[case.pk, october.pk]))
    logged = AccessLog.objects.count()
    for rent in ("1", "12", "123"):
        client.post(
            reverse("application_preview", args=[case.pk, october.pk]),
            _calc_post(october, [("rent", rent, "")]),
        )
    assert AccessLog.objects.count() == logged
    assert Role.CASEWORKER  # the role under test


def test_the_caseworker_sets_the_payment_period_and_a_stale_form_is_refused(
    couple, caseworker, client, make_user
):
    case, anna, bo, carl, october = couple
    url = reverse("case_payment_period", args=[case.pk])
    client.force_login(make_user(Role.CASEWORKER))  # a colleague who may only read
    assert client.get(url).status_code == 404
    client.force_login(caseworker)
    case.household.refresh_from_db()
    version = case.household.version
    response = client.post(url, {"period_start_day": "25", "payment_day": "24", "version": version})
    assert response.status_code == 302, (
        response.context["form"].errors,
        [str(m) for m in response.context["messages"]],
    )
    case.household.refresh_from_db()
    assert (case.household.period_start_day, case.household.payment_day) == (25, 24)
    stale = client.post(url, {"period_start_day": "1", "payment_day": "", "version": version})
    assert stale.status_code == 200 and "Någon annan" in stale.content.decode()
    case.household.refresh_from_db()
    assert case.household.period_start_day == 25
    bad = client.post(url, {"period_start_day": "31", "version": case.household.version})
    assert bad.status_code == 200 and bad.context["form"].errors


def test_a_decision_takes_the_households_period_and_opens_the_next_application_deadline(
    couple, caseworker, client
):
    from cases.models import Deadline
    from cases.services.decisions import decision_save_draft, decision_submit, prefill_items

    case, anna, bo, carl, october = couple
    case.household.period_start_day, case.household.payment_day = 25, 24
    case.household.save()
    october.refresh_from_db()
    with at(2026, 10, 20, 10, 0):
        decision = decision_save_draft(
            october, actor=caseworker, items=prefill_items(october), motivering="Egen."
        )
        decision_submit(decision, actor=caseworker)
    decision.refresh_from_db()
    assert (decision.period_start, decision.period_end) == (date(2026, 10, 25), date(2026, 11, 24))
    deadline = Deadline.objects.get(kind="next_application", state="open")
    # The November period starts 25 November: due by the end of 24 November.
    assert deadline.due_at.astimezone(STOCKHOLM).date() == date(2026, 11, 24)
    application_register(
        case, actor=caseworker, month=date(2026, 11, 1), channel="e_service", applicant=anna
    )
    deadline.refresh_from_db()
    assert deadline.state == "met"
