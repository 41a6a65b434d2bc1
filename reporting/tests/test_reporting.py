"""The unit manager's follow-up: caseload, indicators against hand-computed data,
case reviews, the access-log review, monthly statistics, permissions, query counts."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.access import record_access
from cases.deadlines import meet_deadlines
from cases.models import AccessLog, Case, ClosingReason, Deadline, Meeting
from cases.roles import Role
from cases.services.casework import case_close, meeting_plan, meeting_record
from cases.services.contacts import first_contact_register
from cases.tests.factories import CaseFactory, PersonFactory
from reporting.indicators import (
    callbacks_in_time,
    client_visits_per_day,
    closed_households,
    days_to_first_visit,
    months_back,
    personal_meeting_share,
    working_days_in,
)
from reporting.models import AccessLogReview, CaseReview
from reporting.selectors import caseload
from reporting.statistics import (
    Member,
    household_type,
    month_to_report,
    month_to_show,
    monthly_statistics,
    report_due,
    statistics_csv,
)

STHLM = ZoneInfo("Europe/Stockholm")
pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=STHLM)


def test_months_back_crosses_the_year():
    assert months_back(date(2026, 2, 15), 3) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_working_days_in_month():
    # 23 weekdays − julafton, juldagen, nyårsafton (annandag jul is a Saturday)
    assert working_days_in(date(2026, 12, 1)) == 20
    # 22 weekdays − midsommarafton (nationaldagen 6 June is a Saturday)
    assert working_days_in(date(2026, 6, 1)) == 21


def test_callbacks_within_24_working_hours_by_month(reception, unit, caseworker):
    def contact(received, answered_after):
        c = first_contact_register(
            actor=reception,
            channel="phone",
            subject="other",
            unit=unit,
            name="X",
            received_at=received,
        )
        if answered_after is not None:
            meet_deadlines(c, kind="callback", at=received + answered_after)
        return c

    contact(at(2025, 12, 30, 10), timedelta(hours=10))  # December: in time
    contact(at(2026, 1, 5, 9), timedelta(hours=20))  # January: in time
    contact(at(2026, 1, 7, 9), timedelta(days=5))  # January: late
    contact(at(2026, 1, 8, 9), None)  # January: never answered, long past due

    indicator = callbacks_in_time(unit, [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)])

    assert [p.value for p in indicator.points] == [100.0, 33.3, None]
    assert (indicator.points[1].numerator, indicator.points[1].denominator) == (1, 3)


def test_first_visit_waiting_and_personal_meeting_share(caseworker):
    with_visit = CaseFactory(caseworker=caseworker)
    without = CaseFactory(caseworker=caseworker)
    Case.objects.filter(pk=with_visit.pk).update(
        opened_on=date(2026, 3, 2), first_visit_on=date(2026, 3, 12)
    )
    Case.objects.filter(pk=without.pk).update(opened_on=date(2026, 3, 20))
    months = [date(2026, 3, 1)]

    assert days_to_first_visit(with_visit.unit, months).points[0].value == 10.0
    assert personal_meeting_share(with_visit.unit, months).points[0].value == 50.0


def test_client_visits_per_caseworker_and_working_day(caseworker):
    case = CaseFactory(caseworker=caseworker)
    for day in (2, 3, 4):
        meeting = meeting_plan(
            case, actor=caseworker, kind=Meeting.Kind.FOLLOW_UP, planned_at=at(2026, 3, day, 10)
        )
        meeting_record(meeting, actor=caseworker, state=Meeting.State.HELD, client_attended=True)
    indicator = client_visits_per_day(case.unit, [date(2026, 3, 1)])
    # March 2026: 22 working days, one caseworker → 3 / 22
    assert indicator.points[0].value == round(3 / 22, 2)
    assert indicator.meets_target is False


def test_closed_households_share_with_children_or_young_vs_last_year(caseworker):
    reason = ClosingReason.objects.get(code="work")

    def closed(birth, closed_on):
        case = CaseFactory(caseworker=caseworker, applicant=PersonFactory(birth_date=birth))
        case = case_close(
            case, actor=caseworker, reason=reason, closed_on=max(closed_on, case.opened_on)
        )
        Case.objects.filter(pk=case.pk).update(closed_on=closed_on, opened_on=date(2024, 1, 1))

    closed(date(2002, 5, 1), date(2026, 4, 30))  # 23 years old at closing: young
    closed(date(1970, 1, 1), date(2026, 5, 1))
    closed(date(1960, 1, 1), date(2025, 12, 31))  # last year: not young

    result = closed_households(caseworker.unit, 2026)

    assert (result.share_young, result.closed) == (50.0, 2)
    assert (result.share_young_previous, result.closed_previous) == (0.0, 1)
    assert result.by_reason == [("Arbete", 2)]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 15), date(2026, 10, 1)),  # October is due today
        (date(2026, 11, 16), date(2026, 11, 1)),  # then November, due 15 December
        (date(2027, 1, 3), date(2026, 12, 1)),  # over the year
    ],
)
def test_statistics_open_on_the_month_due_next(today, expected):
    assert month_to_report(today) == expected


def test_report_due_the_15th_of_next_month():
    assert report_due(date(2026, 12, 1)) == date(2027, 1, 15)
    assert report_due(date(2026, 1, 1)) == date(2026, 2, 15)


def test_household_type_codes():
    def M(role, pnr=None):  # noqa: N802 – reads like the member it builds
        return Member(person_id=0, role=role, personnummer=pnr)

    man, woman = "191212121212", "194408139089"  # 3rd digit of NNN: 1 odd → man, 8 even → woman
    assert household_type([M("applicant", man)]) == 3
    assert household_type([M("applicant", man), M("child")]) == 4
    assert household_type([M("applicant", woman)]) == 5
    assert household_type([M("applicant", woman), M("child")]) == 6
    assert household_type([M("applicant", man), M("co_applicant", woman)]) == 7
    assert household_type([M("applicant", man), M("co_applicant", woman), M("child")]) == 8
    assert household_type([M("applicant")]) == 9
    assert household_type([M("child")]) == 1


def test_caseload_counts_per_caseworker(caseworker, make_user, reception, unit):
    other = make_user(Role.CASEWORKER)
    CaseFactory(caseworker=caseworker)
    CaseFactory(caseworker=caseworker)
    CaseFactory(caseworker=other, closed=True)
    first_contact_register(
        actor=reception,
        channel="phone",
        subject="other",
        unit=unit,
        name="Y",
        assigned_to=caseworker,
        received_at=timezone.now() - timedelta(days=7),
    )

    rows = {row.caseworker: row for row in caseload(unit)}

    assert rows[caseworker].open_cases == 2
    assert rows[caseworker].group("callbacks").overdue == 1
    assert rows[other].open_cases == 0


def test_case_review_creates_deadlines_and_counts(client, unit_manager, caseworker):
    case = CaseFactory(caseworker=caseworker)
    client.force_login(unit_manager)
    due = (timezone.localdate() + timedelta(days=10)).isoformat()

    response = client.post(
        reverse("reporting:case_reviews"),
        {
            "caseworker": caseworker.pk,
            "held_on": timezone.localdate().isoformat(),
            "cases": [case.pk],
            "notes": "Genomgång",
            "action_1": "Boka trepartssamtal",
            "due_1": due,
        },
    )

    assert response.status_code == 302
    review = CaseReview.objects.get()
    assert list(review.cases.all()) == [case]
    assert Deadline.objects.get(kind="review_action").responsible == caseworker
    row = next(r for r in caseload(caseworker.unit) if r.caseworker == caseworker)
    assert (row.reviews_this_year, row.days_since_review) == (1, 0)


def test_case_review_keeps_input_on_error(client, unit_manager, caseworker):
    client.force_login(unit_manager)
    response = client.post(
        reverse("reporting:case_reviews"),
        {
            "caseworker": caseworker.pk,
            "held_on": timezone.localdate().isoformat(),
            "notes": "Min anteckning",
            "action_1": "Något",
            "due_1": "",
        },
    )
    assert "Ange när åtgärden ska vara klar" in response.content.decode()
    assert "Min anteckning" in response.content.decode()
    assert not CaseReview.objects.exists()


def test_log_review_flags_protected_access_and_is_marked_once(client, unit_manager, caseworker, rf):
    protected = PersonFactory(protected=True)
    request = rf.get("/")
    request.user = caseworker
    record_access(
        request, subject_type="person", subject_id=protected.pk, subject_unit=caseworker.unit
    )
    client.force_login(unit_manager)

    page = client.get(reverse("reporting:log_review")).content.decode()
    assert "åtkomster till skyddade personer" in page and caseworker.username in page

    month = timezone.localdate().strftime("%Y-%m")
    for _ in range(2):
        client.post(reverse("reporting:log_review_done") + f"?manad={month}", {"notes": "OK"})
    assert AccessLogReview.objects.count() == 1
    assert AccessLog.objects.filter(user=unit_manager, subject_type="access_log_review").exists()


def _granted(case, caseworker, applicant, month, amount):
    """An application for ``month`` with a final decision granting ``amount`` kr (0: a
    refusal)."""
    from cases.models import LegalBasis
    from cases.services import decisions as svc
    from cases.services.applications import application_register
    from cases.services.communication import Communication

    application = application_register(
        case, actor=caseworker, month=month, channel="e_service", applicant=applicant
    )
    decision = svc.decision_save_draft(
        application,
        actor=caseworker,
        motivering="M.",
        child_impact="Barnen påverkas inte negativt.",
        items=[
            svc.ItemInput(
                "livelihood",
                "granted" if amount else "refused",
                amount,
                amount,
                LegalBasis.objects.get(code="sol2025-12-1"),
            )
        ],
        # A refusal on the household's own figures: kommunicering not needed (FL 25 §).
        communication=Communication(exemption="own_information"),
    )
    svc.decision_submit(decision, actor=caseworker)
    return application


def test_monthly_statistics_counts_and_csv(caseworker):
    applicant = PersonFactory(personnummer="191212121212", birth_date=date(1912, 12, 12))
    case = CaseFactory(caseworker=caseworker, applicant=applicant)
    _granted(case, caseworker, applicant, date(2026, 10, 1), Decimal("4321.50"))

    stats = monthly_statistics(case.unit, date(2026, 10, 1))

    assert (stats.households, stats.adults, stats.children) == (1, 1, 0)
    assert stats.amount == Decimal("4321.50")
    assert stats.household_types[3] == 1  # single man without children
    assert stats.missing_obstacles == 1
    csv_text = statistics_csv(stats, case.unit)
    assert "hushall;;Hushåll med utbetalt bistånd;1;4321.50" in csv_text
    assert "forsorjningshinder;uppgift_saknas;Uppgift saknas;1;" in csv_text
    assert monthly_statistics(case.unit, date(2026, 11, 1)).households == 0


def test_a_household_paid_from_the_25th_counts_in_the_month_its_application_names(caseworker):
    """Norrköping 2015 §7.4: "November" of a household whose periods start on the 25th
    runs 25 Nov–24 Dec; its statistics month is November (cases.payment_periods) – not
    lost because the decision's period does not start on the 1st, nor counted twice."""
    applicant = PersonFactory(personnummer="191212121212", birth_date=date(1912, 12, 12))
    case = CaseFactory(caseworker=caseworker, applicant=applicant)
    case.household.period_start_day = 25
    case.household.save(update_fields=["period_start_day"])
    november = _granted(case, caseworker, applicant, date(2026, 11, 1), Decimal("5000"))
    assert november.decisions.get().period_start == date(2026, 11, 25)

    assert monthly_statistics(case.unit, date(2026, 11, 1)).households == 1
    assert monthly_statistics(case.unit, date(2026, 11, 1)).amount == Decimal("5000")
    assert monthly_statistics(case.unit, date(2026, 12, 1)).households == 0
    # On 20 December (December due next, without data) the page opens on November.
    assert month_to_show(case.unit, date(2026, 12, 20)) == date(2026, 11, 1)


def test_monthly_statistics_obstacles_per_adult_and_labour_market(caseworker):
    """Hand-computed: a couple with a child granted 9 000 kr for October 2026. The
    applicant is unemployed without benefit, the co-applicant's obstacle is not recorded;
    the co-applicant has been in the municipality's job programme since September, the
    applicant in a state agency's (not municipal) and in a municipal one that ended in
    September. A second household, refused, is
    not counted at all."""
    from cases.models import SupportObstacle
    from cases.services.applications import application_set_obstacles
    from cases.services.people import household_member_add
    from referrals.models import Provider, Referral
    from referrals.tests.factories import ServiceFactory

    october = date(2026, 10, 1)
    applicant = PersonFactory(personnummer="191212121212", birth_date=date(1912, 12, 12))
    partner = PersonFactory()
    child = PersonFactory(birth_date=date(2019, 3, 3))
    case = CaseFactory(caseworker=caseworker, applicant=applicant)
    for person, role in ((partner, "co_applicant"), (child, "child")):
        household_member_add(
            case.household, person=person, role=role, valid_from=date(2026, 1, 1), actor=caseworker
        )
    application = _granted(case, caseworker, applicant, october, Decimal("9000.00"))
    unemployed = SupportObstacle.objects.get(code="arbetslos_ingen_ersattning")
    application_set_obstacles(application, actor=caseworker, obstacles={applicant.pk: unemployed})
    municipal = ServiceFactory(provider__kind=Provider.Kind.MUNICIPAL)
    state_agency = ServiceFactory(provider__kind=Provider.Kind.STATE_AGENCY)
    for person, service, ended_on in (
        (partner, municipal, None),
        (applicant, state_agency, None),
        (applicant, municipal, date(2026, 9, 30)),  # ended before October
    ):
        Referral.objects.create(
            case=case,
            person=person,
            provider=service.provider,
            service=service,
            reason="R",
            request="F",
            state=Referral.State.ENDED if ended_on else Referral.State.STARTED,
            sent_on=date(2026, 8, 20),
            started_on=date(2026, 9, 1),
            ended_on=ended_on,
            outcome=Referral.Outcome.NO_RESULT if ended_on else "",
            created_by=caseworker,
        )
    other = PersonFactory()
    _granted(
        CaseFactory(caseworker=caseworker, applicant=other),
        caseworker,
        other,
        october,
        Decimal("0.00"),
    )

    stats = monthly_statistics(case.unit, october)

    assert (stats.households, stats.adults, stats.children, stats.persons) == (1, 2, 1, 3)
    assert stats.household_types[8] == 1  # couple with children
    counts = {code: n for code, _, n in stats.hindrances}
    assert counts["arbetslos_ingen_ersattning"] == 1
    assert counts["uppgift_saknas"] == 1
    assert sum(counts.values()) == stats.adults
    assert counts["pension"] == 0  # every active code is reported, zeros included
    assert stats.labour_market == 1
    csv_text = statistics_csv(stats, case.unit)
    assert (
        "forsorjningshinder;arbetslos_ingen_ersattning;Arbetslös – ingen ersättning;1;\r\n"
        in csv_text
    )
    assert "arbetsmarknadsinsats;kommunal;Vuxna i kommunal arbetsmarknadsinsats;1;" in csv_text
    # November: no decision – no household, so no adult in a programme is counted either.
    assert monthly_statistics(case.unit, date(2026, 11, 1)).labour_market == 0


@pytest.mark.parametrize(
    "url_name",
    ["dashboard", "overdue", "indicators", "case_reviews", "log_review", "statistics"],
)
@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.RECEPTION, Role.ADMINISTRATOR])
def test_only_unit_managers(client, make_user, url_name, role):
    client.force_login(make_user(role))
    assert client.get(reverse(f"reporting:{url_name}")).status_code == 403


def test_managers_see_only_their_unit(client, make_user, other_unit, caseworker):
    CaseFactory(caseworker=caseworker)
    stranger_manager = make_user(Role.UNIT_MANAGER, unit=other_unit)
    client.force_login(stranger_manager)
    body = client.get(reverse("reporting:dashboard")).content.decode()
    assert caseworker.get_full_name() not in body


@pytest.mark.parametrize(
    "url_name", ["dashboard", "overdue", "indicators", "case_reviews", "log_review", "statistics"]
)
def test_dashboards_have_fixed_query_counts(
    client, unit_manager, make_user, reception, unit, url_name
):
    client.force_login(unit_manager)

    def world(n):
        for _ in range(n):
            worker = make_user(Role.CASEWORKER)
            CaseFactory(caseworker=worker)
            first_contact_register(
                actor=reception,
                channel="phone",
                subject="other",
                unit=unit,
                name="Z",
                assigned_to=worker,
                received_at=timezone.now() - timedelta(days=9),
            )

    def count():
        client.get(reverse(f"reporting:{url_name}"))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(f"reporting:{url_name}")).status_code == 200
        return len(ctx)

    world(2)
    few = count()
    world(6)
    assert count() == few


@time_machine.travel(datetime(2026, 4, 10, 12, tzinfo=STHLM), tick=False)
def test_days_from_first_contact_to_decision_by_month(reception, unit, caseworker):
    # The household starts on the day the case is opened: the clock is frozen after the
    # last decision so that the application month is inside it on any day the suite runs.
    from cases.models import Decision, LegalBasis
    from cases.services import decisions as svc
    from cases.services.applications import application_register
    from cases.services.casework import case_open_from_contact
    from reporting.indicators import days_to_decision

    def decided(received, decided_on, number):
        person = PersonFactory(personnummer=number, birth_date=date(1980, 1, 1))
        contact = first_contact_register(
            actor=reception,
            channel="phone",
            subject="other",
            unit=unit,
            assigned_to=caseworker,
            received_at=received,
            personnummer=number,
            name="A B",
        )
        contact.person = person
        contact.save()
        case = case_open_from_contact(actor=caseworker, contact=contact)
        application = application_register(
            case, actor=caseworker, month=date(2026, 4, 1), channel="e_service", applicant=person
        )
        decision = svc.decision_submit(
            svc.decision_save_draft(
                application,
                actor=caseworker,
                motivering="M.",
                items=[
                    svc.ItemInput(
                        "livelihood",
                        "granted",
                        Decimal(100),
                        Decimal(100),
                        LegalBasis.objects.get(code="sol2025-12-1"),
                    )
                ],
            ),
            actor=caseworker,
        )
        Decision.objects.filter(pk=decision.pk).update(decided_on=decided_on)

    # Received late in the evening on 28 Feb Stockholm time (UTC date differs): 12 days.
    decided(at(2026, 2, 28, 23, 30), date(2026, 3, 12), "191212121212")
    decided(at(2026, 3, 2, 9), date(2026, 3, 22), "194408139089")  # 20 days
    decided(at(2026, 3, 25, 9), date(2026, 4, 2), "199006022397")  # April: 8 days

    indicator = days_to_decision(unit, [date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)])

    assert [p.value for p in indicator.points] == [16.0, 8.0, None]


def test_plans_within_their_deadline_by_month(caseworker):
    from cases.deadlines import open_deadline

    case = CaseFactory(caseworker=caseworker)

    def plan_deadline(due, met):
        deadline = open_deadline(
            kind="workplan",
            subject=case,
            due_at=due,
            unit=case.unit,
            responsible=caseworker,
            now=due - timedelta(days=90),
        )
        if met is not None:
            Deadline.objects.filter(pk=deadline.pk).update(state="met", met_at=met)

    plan_deadline(at(2025, 12, 31, 23, 59), at(2025, 12, 20, 10))  # December: in time
    plan_deadline(at(2026, 1, 15, 23, 59), at(2026, 1, 10, 10))  # January: in time
    plan_deadline(at(2026, 1, 20, 23, 59), at(2026, 1, 25, 10))  # January: late
    plan_deadline(at(2026, 1, 31, 23, 59), None)  # January: never met

    from reporting.indicators import plans_in_time

    indicator = plans_in_time(case.unit, [date(2025, 12, 1), date(2026, 1, 1)])

    assert [p.value for p in indicator.points] == [100.0, 33.3]


def test_chart_coordinates_are_numbers_in_swedish(client, unit_manager):
    """SVG reads "38.0", not the Swedish "38,0": a localised coordinate draws nothing."""
    import re

    client.force_login(unit_manager)
    body = client.get(reverse("reporting:indicators"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()

    coordinates = re.findall(r"<(?:rect|line|text) ([^>]*)>", body)
    values = [
        v
        for attrs in coordinates
        for v in re.findall(r'\b(?:x|y|width|height|x1|x2|y1|y2)="([^"]*)"', attrs)
    ]
    assert values
    for value in values:
        float(value)  # raises on "38,0"


def test_statistics_page_lists_what_to_complete_but_not_protected_cases(
    client, caseworker, unit_manager
):
    october = date(2026, 10, 1)
    shown = PersonFactory(first_name="Synlig")
    hidden = PersonFactory(first_name="Skyddad", protected=True)
    cases = {}
    for person in (shown, hidden):
        cases[person.first_name] = CaseFactory(caseworker=caseworker, applicant=person)
        _granted(cases[person.first_name], caseworker, person, october, Decimal("5000.00"))
    client.force_login(unit_manager)

    body = client.get(reverse("reporting:statistics") + "?manad=2026-10").content.decode()

    assert "2 vuxna saknar försörjningshinder" in body
    assert cases["Synlig"].reference in body and "Synlig Testperson" in body
    assert cases["Skyddad"].reference not in body and "Skyddad" not in body


def test_the_dashboard_counts_every_decision_awaiting_approval_once(
    client, unit_manager, make_user, other_unit
):
    """The total is the per-author rows' sum: an author who has left the unit counts in
    the row for nobody, another unit's decision not at all."""
    from cases.services import decisions as svc
    from cases.tests.test_decisions import LIMIT, calculated_application, draft

    stays, leaves = make_user(Role.CASEWORKER), make_user(Role.CASEWORKER)
    elsewhere = make_user(Role.CASEWORKER, unit=other_unit)
    for author in (stays, stays, leaves, elsewhere):
        application = calculated_application(author)
        decision = svc.decision_submit(draft(application, author, amount=LIMIT + 1), actor=author)
        assert decision.status == "awaiting_approval"
    leaves.is_active = False
    leaves.save()

    client.force_login(unit_manager)
    body = client.get(reverse("reporting:dashboard")).content.decode()
    assert '<span class="stats__value">3</span> <span class="stats__label">beslut väntar' in body
    rows = caseload(unit_manager.unit)
    assert sum(row.waiting_approval for row in rows) == 3
    assert [row.waiting_approval for row in rows if row.caseworker == stays] == [2]
