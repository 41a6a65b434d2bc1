"""The stored monthly aggregates (reporting.aggregates, issue 20): hand-computed figures over
month and year edges, back-dated changes, retried tasks, units kept apart, the pages
reading them with a fixed number of queries, and the check command."""

from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Callback, ClosingReason, Meeting
from cases.roles import Role
from cases.services.casework import case_close, meeting_plan, meeting_record
from cases.services.contacts import callback_record, first_contact_register
from cases.services.people import household_member_add
from cases.tests.factories import CaseFactory, PersonFactory
from reporting.aggregates import (
    check_rows,
    current_rows,
    recompute_months,
    refresh_all_dirty,
    stored_indicators,
    stored_statistics,
)
from reporting.indicators import closed_households, unit_indicators
from reporting.models import MonthlyAggregate
from reporting.statistics import monthly_statistics, statistics_csv
from reporting.tasks import refresh_monthly_aggregates
from reporting.tests.test_reporting import _granted

STHLM = ZoneInfo("Europe/Stockholm")
pytestmark = pytest.mark.django_db

DEC, JAN = date(2026, 12, 1), date(2027, 1, 1)
MAN = "191212121212"  # a man's personnummer (the check digit is right)


def at(*args):
    return datetime(*args, tzinfo=STHLM)


def travel(*args):
    return time_machine.travel(at(*args), tick=False)


def row(unit, month) -> MonthlyAggregate:
    return MonthlyAggregate.objects.get(unit=unit, month=month)


def assert_same_as_full(unit, last_month, months):
    """What the pages show from the stored rows equals the computation from the facts."""
    indicators, closed = stored_indicators(unit, last_month=last_month)
    assert indicators == unit_indicators(unit, last_month=last_month)
    assert closed == closed_households(unit, last_month.year)
    for month in months:
        stored = stored_statistics(unit, month)
        assert stored == monthly_statistics(unit, month)
        assert statistics_csv(stored, unit) == statistics_csv(monthly_statistics(unit, month), unit)


@pytest.fixture
def year_edge(unit, caseworker, reception):
    """Hand-computed: a single man granted 4 000 kr for December 2026 (decided 15 Dec) and
    5 000 kr for January 2027 (decided 12 Jan); a first contact received on nyårsafton at
    23:30 and answered on Saturday 2 January 09:00 – in time (the 24 working hours start
    on Monday 4 January), and December's."""
    with travel(2026, 12, 1, 9):
        applicant = PersonFactory(personnummer=MAN, birth_date=date(1912, 12, 12))
        case = CaseFactory(caseworker=caseworker, applicant=applicant)
    with travel(2026, 12, 15, 10):
        _granted(case, caseworker, applicant, DEC, Decimal("4000.00"))
    with travel(2026, 12, 31, 23, 30):
        contact = first_contact_register(
            actor=reception, channel="phone", subject="other", unit=unit, name="X"
        )
    with travel(2027, 1, 2, 9):
        callback_record(
            contact,
            actor=caseworker,
            made_at=at(2027, 1, 2, 9),
            method=Callback.Method.PHONE,
            outcome=Callback.Outcome.APPLICATION_SENT,
        )
    with travel(2027, 1, 12, 10):
        _granted(case, caseworker, applicant, JAN, Decimal("5000.00"))
    return case


@travel(2027, 1, 20, 12)
def test_year_edge_hand_computed(unit, year_edge):
    # Every service above marked its months: no row is clean before it is recomputed.
    assert set(
        MonthlyAggregate.objects.filter(unit=unit, dirty=True).values_list("month", flat=True)
    ) >= {DEC, JAN}

    rows = recompute_months(unit, [DEC, JAN])

    december, january = rows[DEC], rows[JAN]
    assert (december.households, december.adults, december.amount) == (1, 1, Decimal("4000.00"))
    assert (january.households, january.adults, january.amount) == (1, 1, Decimal("5000.00"))
    assert december.household_types["3"] == 1  # ensamstående man utan barn
    assert (december.callbacks_in_time, december.callbacks_decided) == (1, 1)
    assert (january.callbacks_in_time, january.callbacks_decided) == (0, 0)
    assert not december.dirty and not january.dirty
    assert_same_as_full(unit, JAN, [DEC, JAN])
    # The page opens on December (due 15 January has passed; January is in progress).
    stats = stored_statistics(unit, DEC)
    assert "hushall;;Hushåll med utbetalt bistånd;1;4000.00" in statistics_csv(stats, unit)


@travel(2027, 1, 20, 12)
def test_pages_compute_a_missing_month_on_the_spot_and_store_it(
    client, unit, unit_manager, year_edge
):
    MonthlyAggregate.objects.all().delete()
    client.force_login(unit_manager)

    body = client.get(reverse("reporting:statistics") + "?manad=2026-12&format=csv").content
    assert "hushall;;Hushåll med utbetalt bistånd;1;4000.00" in body.decode()
    assert not row(unit, DEC).dirty
    response = client.get(reverse("reporting:indicators") + "?manad=2027-01")
    assert response.status_code == 200
    assert [i for i, _ in response.context["items"]] == unit_indicators(unit, last_month=JAN)
    # The indicators of twelve months and the closed households of 2026 and 2027: 24 months.
    assert MonthlyAggregate.objects.filter(unit=unit, dirty=False).count() == 24


def test_a_back_dated_member_and_decision_dirty_the_months_they_belong_to(unit, caseworker):
    october, november = date(2026, 10, 1), date(2026, 11, 1)
    with travel(2026, 10, 5, 10):
        applicant = PersonFactory(personnummer=MAN, birth_date=date(1912, 12, 12))
        case = CaseFactory(caseworker=caseworker, applicant=applicant)
        _granted(case, caseworker, applicant, october, Decimal("3000.00"))
        recompute_months(unit, [october])
        assert row(unit, october).household_types["3"] == 1
    with travel(2026, 12, 10, 10):
        recompute_months(unit, [october, november, date(2026, 12, 1)])
        # A child who has lived there since 1 October, registered in December.
        household_member_add(
            case.household,
            person=PersonFactory(birth_date=date(2020, 1, 1)),
            role="child",
            valid_from=october,
            actor=caseworker,
        )
        assert row(unit, october).dirty and row(unit, november).dirty
        # A decision in December for November (applied for late): November's statistics.
        _granted(case, caseworker, applicant, november, Decimal("2500.00"))
        assert row(unit, november).dirty

        assert (
            refresh_monthly_aggregates.apply(args=[unit.pk, ["2026-10-01", "2026-11-01"]]).get()
            == 2
        )

        assert (row(unit, october).children, row(unit, october).household_types["4"]) == (1, 1)
        assert (row(unit, november).households, row(unit, november).amount) == (
            1,
            Decimal("2500.00"),
        )
        assert_same_as_full(unit, date(2026, 12, 1), [october, november])
        assert check_rows(unit=unit) == []


@travel(2027, 1, 20, 12)
def test_a_retried_task_updates_the_one_row(unit, year_edge):
    months = [DEC.isoformat(), JAN.isoformat()]
    assert refresh_monthly_aggregates.apply(args=[unit.pk, months]).get() == 2
    first_ids = dict(MonthlyAggregate.objects.filter(unit=unit).values_list("month", "pk"))
    # The same message again (a retry, a redelivery after a killed worker): nothing to do.
    assert refresh_monthly_aggregates.apply(args=[unit.pk, months]).get() == 0
    # Recomputed again regardless (the safety net, a page): still one row per month.
    recompute_months(unit, [DEC, JAN])
    recompute_months(unit, [DEC])
    assert dict(MonthlyAggregate.objects.filter(unit=unit).values_list("month", "pk")) == first_ids
    assert MonthlyAggregate.objects.filter(unit=unit, month=DEC).count() == 1
    assert row(unit, DEC).amount == Decimal("4000.00")


@travel(2027, 1, 20, 12)
def test_another_units_data_never_counts_here(unit, other_unit, make_user, year_edge):
    stranger = make_user(Role.CASEWORKER, unit=other_unit)
    with travel(2026, 12, 2, 9):
        applicant = PersonFactory()
        case = CaseFactory(caseworker=stranger, applicant=applicant)
    with travel(2026, 12, 16, 10):
        _granted(case, stranger, applicant, DEC, Decimal("9999.00"))
    with travel(2026, 12, 28, 10):
        first_contact_register(
            actor=stranger, channel="phone", subject="other", unit=other_unit, name="Y"
        )
        case_close(case, actor=stranger, reason=ClosingReason.objects.get(code="work"))

    mine, theirs = recompute_months(unit, [DEC])[DEC], recompute_months(other_unit, [DEC])[DEC]

    assert (mine.households, mine.amount, mine.closed) == (1, Decimal("4000.00"), 0)
    assert (mine.callbacks_in_time, mine.callbacks_decided) == (1, 1)
    assert (theirs.households, theirs.amount, theirs.closed) == (1, Decimal("9999.00"), 1)
    assert theirs.closing_reasons == [["Arbete", 1]]
    assert mine.closing_reasons == []


def test_an_unanswered_contact_counts_once_its_deadline_has_passed(unit, reception):
    """The callbacks figure changes with time alone: the row knows until when it holds."""
    march = date(2026, 3, 1)
    with travel(2026, 3, 2, 9):  # Monday: due Tuesday 09:00
        contact = first_contact_register(
            actor=reception, channel="phone", subject="other", unit=unit, name="Z"
        )
    with travel(2026, 3, 2, 10):
        stored = recompute_months(unit, [march])[march]
        assert (stored.callbacks_in_time, stored.callbacks_decided) == (0, 0)
        assert stored.stale_at == contact.callback_due_at
    with travel(2026, 3, 4, 10):
        assert current_rows(unit, [march])[march].callbacks_decided == 1
        assert row(unit, march).callbacks_decided == 1
        indicators, _ = stored_indicators(unit, last_month=march)
        assert indicators == unit_indicators(unit, last_month=march)


@travel(2026, 6, 18, 12)
def test_meetings_visits_and_closing_keep_the_indicators_equal(unit, caseworker):
    june = date(2026, 6, 1)
    case = CaseFactory(caseworker=caseworker)
    recompute_months(unit, [june])
    meeting = meeting_plan(
        case, actor=caseworker, kind=Meeting.Kind.FIRST_VISIT, planned_at=at(2026, 6, 17, 10)
    )
    meeting_record(meeting, actor=caseworker, state=Meeting.State.HELD, client_attended=True)
    case_close(case, actor=caseworker, reason=ClosingReason.objects.get(code="work"))

    assert row(unit, june).dirty
    current = current_rows(unit, [june])[june]
    assert (current.client_visits, current.first_visits, current.closed) == (1, 1, 1)
    assert_same_as_full(unit, june, [june])


@travel(2026, 6, 18, 12)
def test_a_plan_deadline_met_marks_the_month_it_falls_due(unit, caseworker):
    from cases.models import Deadline
    from workplans.deadlines import plan_deadline, plan_deadline_meet

    case = CaseFactory(caseworker=caseworker)
    deadline = plan_deadline(case)
    due_month = deadline.due_at.astimezone(STHLM).date().replace(day=1)
    stored = recompute_months(unit, [due_month])[due_month]
    assert (stored.plans_in_time, stored.plans_due) == (0, 1)

    plan_deadline_meet(case)

    assert Deadline.objects.get(pk=deadline.pk).met_at is not None
    assert row(unit, due_month).dirty
    current = current_rows(unit, [due_month])[due_month]
    assert (current.plans_in_time, current.plans_due) == (1, 1)
    assert_same_as_full(unit, due_month, [due_month])


def test_obstacles_a_programme_a_replacement_and_a_corrected_number_mark_their_months(
    unit, caseworker
):
    """Each fact service marks the months whose figures it changes; recomputed, the
    stored months equal the full computation."""
    from cases.models import SupportObstacle
    from cases.services import decisions as svc
    from cases.services.applications import application_set_obstacles
    from cases.services.people import person_save
    from referrals.models import Provider
    from referrals.services import referral_accept, referral_create, referral_start
    from referrals.tests.factories import ServiceFactory

    september, october, november = date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)
    with travel(2026, 9, 3, 10):
        applicant = PersonFactory(personnummer=MAN, birth_date=date(1912, 12, 12))
        case = CaseFactory(caseworker=caseworker, applicant=applicant)
        application = _granted(case, caseworker, applicant, september, Decimal("3000.00"))
        _granted(case, caseworker, applicant, october, Decimal("3100.00"))
    with travel(2026, 11, 10, 10):
        recompute_months(unit, [september, october, november])

        application_set_obstacles(
            application,
            actor=caseworker,
            obstacles={
                applicant.pk: SupportObstacle.objects.get(code="arbetslos_ingen_ersattning")
            },
        )
        assert row(unit, september).dirty and not row(unit, october).dirty
        recompute_months(unit, [september])

        # A municipal job programme since 1 October, registered in November.
        service = ServiceFactory(provider__kind=Provider.Kind.MUNICIPAL)
        referral = referral_create(
            actor=caseworker,
            case=case,
            person=applicant,
            service=service,
            reason="Arbete",
            request="Praktik",
            sent_on=date(2026, 9, 20),
        )
        referral_accept(referral, actor=caseworker, on=date(2026, 9, 25))
        referral_start(referral, actor=caseworker, on=october)
        assert row(unit, october).dirty and row(unit, november).dirty
        assert not row(unit, september).dirty
        recompute_months(unit, [october, november])
        assert row(unit, october).labour_market == 1

        # September's decision is being replaced: the old one leaves September at once.
        svc.decision_replace(application.decisions.get(), actor=caseworker)
        assert row(unit, september).dirty
        recompute_months(unit, [september])
        assert row(unit, september).households == 0

        # The applicant's personnummer corrected to a woman's: every month of the
        # membership (January on) changes household type.
        applicant.personnummer = "191212121220"
        person_save(applicant, actor=caseworker)
        assert set(
            MonthlyAggregate.objects.filter(unit=unit, dirty=True).values_list("month", flat=True)
        ) >= {date(2026, m, 1) for m in range(1, 12)}
        refresh_all_dirty()
        assert row(unit, october).household_types["5"] == 1  # ensamstående kvinna
        assert_same_as_full(unit, november, [september, october, november])
        assert check_rows(unit=unit) == []


@travel(2027, 1, 20, 12)
def test_the_periodic_refresh_recomputes_dirty_and_recent_months(unit, year_edge):
    from config.celery_app import app
    from reporting.tasks import refresh_dirty_monthly_aggregates

    recompute_months(unit, [DEC, JAN, date(2026, 11, 1)])
    MonthlyAggregate.objects.filter(unit=unit, month=date(2026, 11, 1)).update(dirty=True)
    # Written behind the services' back (the admin, a script): only the periodic refresh
    # of the current and previous month sees it.
    MonthlyAggregate.objects.filter(unit=unit, month=DEC).update(amount=Decimal("1.00"))

    app.conf.task_always_eager = True  # the per-unit messages run here, not in Redis
    try:
        assert refresh_dirty_monthly_aggregates.apply().get() >= 13
    finally:
        app.conf.task_always_eager = False

    assert not MonthlyAggregate.objects.filter(unit=unit, dirty=True).exists()
    # What the pages open on is stored: January 2026 (last year) to January 2027.
    stored = set(MonthlyAggregate.objects.filter(unit=unit).values_list("month", flat=True))
    assert {date(2026, m, 1) for m in range(1, 13)} | {JAN} <= stored
    assert row(unit, DEC).amount == Decimal("4000.00")  # the previous month
    assert row(unit, JAN).amount == Decimal("5000.00")  # this month
    entry = app.conf.beat_schedule["refresh-monthly-aggregates"]
    assert entry["task"] == "reporting.tasks.refresh_dirty_monthly_aggregates"


def test_a_change_queues_one_refresh_after_commit(
    unit, reception, caseworker, django_capture_on_commit_callbacks
):
    with travel(2026, 3, 2, 9), django_capture_on_commit_callbacks() as callbacks:
        for name in ("Q", "R"):
            first_contact_register(
                actor=reception, channel="phone", subject="other", unit=unit, name=name
            )
        case_close(
            CaseFactory(caseworker=caseworker),
            actor=caseworker,
            reason=ClosingReason.objects.get(code="work"),
        )
    # Nothing is sent to the broker inside the transaction; after it, one message for the
    # unit with every month its services marked.
    assert len(callbacks) == 1
    marked = callbacks[0].__self__.months
    assert set(marked) == {unit.pk}
    assert {date(2026, 1, 1), date(2026, 3, 1), date(2026, 6, 1)} <= marked[unit.pk]
    assert row(unit, date(2026, 3, 1)).dirty


@travel(2027, 1, 20, 12)
def test_check_command_green_then_red_then_fixed(unit, year_edge):
    recompute_months(unit, [DEC, JAN])
    out = StringIO()
    call_command("check_monthly_aggregates", stdout=out)
    assert "stämmer" in out.getvalue()

    MonthlyAggregate.objects.filter(unit=unit, month=DEC).update(households=7)
    out = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command(
            "check_monthly_aggregates", "--unit", str(unit.pk), "--months", "3", stdout=out
        )
    assert failed.value.returncode == 1
    assert "2026-12:" in out.getvalue() and "households: lagrat 7, omräknat 1" in out.getvalue()

    with pytest.raises(CommandError):
        call_command("check_monthly_aggregates", "--fix", stdout=StringIO())
    assert row(unit, DEC).households == 1
    call_command("check_monthly_aggregates", stdout=StringIO())


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        # 5 for every signed-in page (session, user, second factor, roles, unread
        # notifications) + the stored months + the unit's caseworkers (visits capacity).
        ("indikatorer/?manad=2026-10", 7),
        # 5 + the stored month + the försörjningshinder's labels + the access log + the
        # applications to complete.
        ("statistik/?manad=2026-10", 9),
        # The CSV: no page around it (no unread count, no list to complete).
        ("statistik/?manad=2026-10&format=csv", 7),
        # Opening on the month to report: its stored row says it has households.
        ("statistik/", 10),
    ],
)
def test_pages_read_a_fixed_number_of_queries(
    client, unit, unit_manager, caseworker, path, expected
):
    """With the months stored, the page's queries do not depend on how many households,
    decisions or months there are."""
    client.force_login(unit_manager)
    url = reverse("reporting:dashboard") + path

    def world(months):
        for month in months:
            with travel(2026, month, 3, 9):
                applicant = PersonFactory()
                case = CaseFactory(caseworker=caseworker, applicant=applicant)
                _granted(case, caseworker, applicant, date(2026, month, 1), Decimal("1000"))

    def count():
        with travel(2026, 10, 20, 12):
            client.get(url)  # stores what is missing or dirty
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
        return len(ctx)

    world([10])
    few = count()
    world([8, 9, 10, 10, 10])
    assert count() == few == expected


@pytest.mark.django_db(transaction=True)
def test_two_refreshes_and_a_change_at_once_leave_one_row_per_month(unit):
    """Two workers recomputing the same months while a service marks one of them: the
    unique (unit, month) and the row locks leave one row per month, none lost."""
    import threading

    from django.db import transaction

    from reporting.aggregates import mark_dirty

    barrier = threading.Barrier(3)
    errors = []

    def run(work):
        try:
            barrier.wait()
            work()
        except Exception as error:  # noqa: BLE001 – reported below
            errors.append(error)
        finally:
            connection.close()

    def change():
        with transaction.atomic():
            mark_dirty(unit_id=unit.pk, months=[JAN])

    from config.celery_app import app

    # The change's refresh runs in its thread after commit instead of waiting in Redis.
    app.conf.task_always_eager = True
    try:
        with travel(2027, 1, 20, 12):
            threads = [
                threading.Thread(target=run, args=(lambda: recompute_months(unit, [DEC, JAN]),)),
                threading.Thread(target=run, args=(lambda: recompute_months(unit, [JAN, DEC]),)),
                threading.Thread(target=run, args=(change,)),
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
    finally:
        app.conf.task_always_eager = False

    assert errors == []
    assert sorted(MonthlyAggregate.objects.filter(unit=unit).values_list("month", flat=True)) == [
        DEC,
        JAN,
    ]
    assert not MonthlyAggregate.objects.filter(unit=unit, dirty=True).exists()
