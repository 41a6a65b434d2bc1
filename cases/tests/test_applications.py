"""Applications: registering, the stored calculation, supplements
with their deadline, and the application pages (DOMAIN.md §2.3–2.4, §4)."""

import re
from datetime import date, datetime, time
from decimal import Decimal
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.calculation import Calculation
from cases.models import (
    Application,
    ApplicationCost,
    ApplicationIncome,
    ApplicationItem,
    Case,
    Deadline,
    HouseholdMember,
    Meeting,
    NormPersonalCost,
)
from cases.roles import Role
from cases.services.applications import (
    CostLine,
    IncomeLine,
    application_register,
    application_save_calculation,
    supplement_received,
    supplement_request,
)
from cases.services.casework import CaseError, case_open, journal_note_add, meeting_plan
from cases.services.people import household_create, household_member_add
from cases.tests.factories import CaseFactory, PersonFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")
pytestmark = pytest.mark.django_db

# 2026, one adult living alone: ensamstående 3 940 + common costs for one 1 280 (DOMAIN.md §4).
NORM_2026_SINGLE = Decimal(3940 + 1280)
MARCH = date(2026, 3, 1)


@pytest.fixture
def applicant(db):
    return PersonFactory(first_name="Sam", last_name="Sökande", birth_date=date(1990, 5, 5))


@pytest.fixture
def case(caseworker, applicant):
    """A single adult's household from 2026-01-01, opened by the caseworker."""
    return CaseFactory(caseworker=caseworker, applicant=applicant)


def register(case, actor, applicant, month=MARCH, **kwargs) -> Application:
    return application_register(
        case, actor=actor, month=month, channel="e_service", applicant=applicant, **kwargs
    )


def save_calculation(application, actor, *, rent="8000", income=None, version=None):
    return application_save_calculation(
        application,
        actor=actor,
        costs=[CostLine("rent", Decimal(rent), Decimal(rent), "Hyra")],
        incomes=[IncomeLine("salary", Decimal(income))] if income else [],
        lunch_away_ids=set(),
        adjustment=Decimal(0),
        adjustment_reason="",
        household_size=None,
        version=version,
    )


# -------------------------------------------------------------------- registering


def test_application_register_normalises_the_month_and_activates_the_case(
    case, caseworker, applicant
):
    assert case.status == Case.Status.OPEN

    application = register(case, caseworker, applicant, month=date(2026, 3, 31))

    assert application.month == date(2026, 3, 1)
    assert application.status == Application.Status.RECEIVED
    assert application.created_by == caseworker
    assert application.received_on == timezone.localdate()
    assert [item.kind for item in application.items.all()] == [ApplicationItem.Kind.LIVELIHOOD]
    case.refresh_from_db()
    assert case.status == Case.Status.ACTIVE


def test_application_register_keeps_the_items_applied_for(case, caseworker, applicant):
    application = register(
        case,
        caseworker,
        applicant,
        items=[
            (ApplicationItem.Kind.LIVELIHOOD, None, ""),
            (ApplicationItem.Kind.DENTAL, Decimal(1200), "Akut tandvärk"),
        ],
    )

    assert [(i.kind, i.amount, i.description) for i in application.items.all()] == [
        (ApplicationItem.Kind.LIVELIHOOD, None, ""),
        (ApplicationItem.Kind.DENTAL, Decimal(1200), "Akut tandvärk"),
    ]


def test_one_application_per_case_and_month(case, caseworker, applicant):
    register(case, caseworker, applicant, month=date(2026, 3, 1))

    with pytest.raises(CaseError, match="redan en ansökan för 2026-03"):
        register(case, caseworker, applicant, month=date(2026, 3, 15))

    assert case.applications.count() == 1
    register(case, caseworker, applicant, month=date(2026, 4, 15))  # the next month is fine
    assert case.applications.count() == 2


def test_the_applicant_must_belong_to_the_household(case, caseworker):
    stranger = PersonFactory()

    with pytest.raises(CaseError, match="ingår inte i hushållet"):
        register(case, caseworker, stranger)

    assert not case.applications.exists()
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN


def test_the_applicant_must_belong_to_the_household_on_that_month(case, caseworker):
    newcomer = PersonFactory()
    household_member_add(
        case.household,
        person=newcomer,
        role=HouseholdMember.Role.CO_APPLICANT,
        valid_from=date(2026, 5, 1),
        actor=caseworker,
    )

    with pytest.raises(CaseError, match="ingår inte i hushållet 2026-03"):
        register(case, caseworker, newcomer, month=date(2026, 3, 1))

    assert register(case, caseworker, newcomer, month=date(2026, 5, 1)).applicant == newcomer


def test_the_co_applicant_must_belong_to_the_household(case, caseworker, applicant):
    with pytest.raises(CaseError, match="ingår inte i hushållet"):
        register(case, caseworker, applicant, co_applicant=PersonFactory())
    with pytest.raises(CaseError, match="olika personer"):
        register(case, caseworker, applicant, co_applicant=applicant)

    assert not case.applications.exists()


def test_a_household_formed_during_the_month_can_apply_for_that_month(caseworker, unit):
    person = PersonFactory(birth_date=date(1990, 5, 5))
    # What case_open_from_contact does on 2026-03-16: the household starts that day.
    household = household_create(
        applicant=person, unit=unit, valid_from=date(2026, 3, 16), actor=caseworker
    )
    case = case_open(actor=caseworker, household=household, unit=unit, caseworker=caseworker)

    application = register(case, caseworker, person, month=date(2026, 3, 1))

    assert application.month == date(2026, 3, 1)


def test_a_closed_case_takes_no_application(caseworker, applicant):
    case = CaseFactory(caseworker=caseworker, applicant=applicant, closed=True)

    with pytest.raises(CaseError, match="Öppna ärendet igen"):
        register(case, caseworker, applicant)


# -------------------------------------------------------------------- calculation


def test_save_calculation_stores_lines_calculation_and_result(case, caseworker, applicant):
    application = register(case, caseworker, applicant)
    version = application.version

    saved = application_save_calculation(
        application,
        actor=caseworker,
        costs=[
            CostLine("rent", Decimal("9000"), Decimal("8500"), "Hyra över skälig nivå"),
            CostLine("home_insurance", Decimal("150"), Decimal("150")),
        ],
        incomes=[IncomeLine("salary", Decimal("2000"), applicant.pk, "Timanställning")],
        lunch_away_ids=set(),
        adjustment=Decimal(0),
        adjustment_reason="",
        household_size=None,
        version=version,
    )

    expected = NORM_2026_SINGLE + Decimal("8500") + Decimal("150") - Decimal("2000")
    application.refresh_from_db()
    assert application.status == Application.Status.INVESTIGATING
    assert application.version == version + 1
    assert application.result == expected == saved.result
    assert application.calculated_at is not None
    assert [(c.kind, c.actual, c.accepted, c.note) for c in application.costs.all()] == [
        ("rent", Decimal("9000"), Decimal("8500"), "Hyra över skälig nivå"),
        ("home_insurance", Decimal("150"), Decimal("150"), ""),
    ]
    assert [(i.kind, i.amount, i.person_id) for i in application.incomes.all()] == [
        ("salary", Decimal("2000"), applicant.pk)
    ]
    stored = Calculation.from_dict(application.calculation)
    assert (stored.year, stored.month) == (2026, 3)
    assert stored.norm_total == NORM_2026_SINGLE
    assert stored.costs_total == Decimal("8650")
    assert stored.income_total == Decimal("2000")
    assert stored.result == expected


def test_saving_again_replaces_the_lines(case, caseworker, applicant):
    application = register(case, caseworker, applicant)
    save_calculation(application, caseworker, rent="8000", income="500")

    again = save_calculation(application, caseworker, rent="7000")

    assert ApplicationCost.objects.filter(application=application).count() == 1
    assert not ApplicationIncome.objects.filter(application=application).exists()
    assert again.result == NORM_2026_SINGLE + 7000


def test_stored_calculation_does_not_follow_a_later_norm_change(case, caseworker, applicant):
    application = save_calculation(register(case, caseworker, applicant), caseworker, rent="8000")
    stored_before = application.calculation

    NormPersonalCost.objects.filter(norm_year__year=2026, category="adult_single").update(
        amount=Decimal(4500)
    )

    application = Application.objects.get(pk=application.pk)
    assert application.calculation == stored_before
    assert application.result == NORM_2026_SINGLE + 8000
    stored = Calculation.from_dict(application.calculation)
    assert stored.norm_total == NORM_2026_SINGLE
    assert stored.result == NORM_2026_SINGLE + 8000
    # The edit did take effect: a new calculation uses it.
    recalculated = save_calculation(application, caseworker, rent="8000")
    assert recalculated.result == Decimal(4500 + 1280 + 8000)


def test_stored_calculation_shows_on_the_page_after_a_norm_change(
    client, case, caseworker, applicant
):
    application = save_calculation(register(case, caseworker, applicant), caseworker, rent="8000")
    NormPersonalCost.objects.filter(norm_year__year=2026, category="adult_single").update(
        amount=Decimal(4500)
    )
    client.force_login(caseworker)

    response = client.get(reverse("application_detail", args=[case.pk, application.pk]))

    assert response.status_code == 200
    assert result_figure(response.content.decode()) == 13220  # 5 220 + 8 000, as calculated


def test_a_stale_version_is_not_saved(case, caseworker, applicant):
    application = register(case, caseworker, applicant)
    shown = application.version
    save_calculation(application, caseworker, rent="8000", version=shown)

    with pytest.raises(CaseError, match="ändrats av någon annan"):
        save_calculation(application, caseworker, rent="5000", version=shown)

    application.refresh_from_db()
    assert application.result == NORM_2026_SINGLE + 8000
    assert application.version == shown + 1


def test_a_decided_application_cannot_be_recalculated(case, caseworker, applicant):
    application = save_calculation(register(case, caseworker, applicant), caseworker, rent="8000")
    Application.objects.filter(pk=application.pk).update(status=Application.Status.DECIDED)

    with pytest.raises(CaseError, match="beslutad ansökan"):
        save_calculation(application, caseworker, rent="5000")

    application.refresh_from_db()
    assert application.status == Application.Status.DECIDED
    assert application.result == NORM_2026_SINGLE + 8000
    assert list(application.costs.values_list("actual", flat=True)) == [Decimal(8000)]


# ---------------------------------------------------------------- jobbstimulans
# SoL 12:8 is derived from each person's granted and paid months in every case:
# cases/tests/test_sol_12_8_9.py.


# -------------------------------------------------------------------- supplements


def test_supplement_request_opens_a_deadline_at_2359_stockholm(case, caseworker, applicant):
    application = register(case, caseworker, applicant)
    due_on = timezone.localdate() + timezone.timedelta(days=10)

    request = supplement_request(
        application, actor=caseworker, what="  Hyreskontrakt  ", due_on=due_on
    )

    assert request.what == "Hyreskontrakt"
    assert request.requested_by == caseworker
    deadline = Deadline.objects.get(kind="supplement", subject_id=request.pk)
    assert deadline.due_at == datetime.combine(due_on, time(23, 59), tzinfo=STOCKHOLM)
    local_due = timezone.localtime(deadline.due_at, STOCKHOLM)
    assert (local_due.date(), local_due.hour, local_due.minute) == (due_on, 23, 59)
    assert deadline.responsible == caseworker
    assert deadline.unit == case.unit
    assert deadline.state == Deadline.State.OPEN
    assert deadline.remind_at <= deadline.due_at


def test_supplement_due_today_is_accepted(case, caseworker, applicant):
    application = register(case, caseworker, applicant)

    request = supplement_request(
        application, actor=caseworker, what="Kontoutdrag", due_on=timezone.localdate()
    )

    assert Deadline.objects.filter(kind="supplement", subject_id=request.pk).exists()


def test_supplement_with_a_past_due_date_is_refused(case, caseworker, applicant):
    application = register(case, caseworker, applicant)

    with pytest.raises(CaseError, match="kan inte ha passerat"):
        supplement_request(
            application,
            actor=caseworker,
            what="Kontoutdrag",
            due_on=timezone.localdate() - timezone.timedelta(days=1),
        )

    assert not application.supplement_requests.exists()
    assert not Deadline.objects.filter(kind="supplement").exists()


def test_supplement_received_meets_the_deadline(case, caseworker, applicant):
    application = register(case, caseworker, applicant)
    request = supplement_request(
        application,
        actor=caseworker,
        what="Kontoutdrag",
        due_on=timezone.localdate() + timezone.timedelta(days=3),
    )

    received = supplement_received(request, actor=caseworker, received_on=timezone.localdate())

    assert received.received_on == timezone.localdate()
    deadline = Deadline.objects.get(kind="supplement", subject_id=request.pk)
    assert deadline.state == Deadline.State.MET
    assert deadline.met_at is not None
    with pytest.raises(CaseError, match="redan registrerad"):
        supplement_received(request, actor=caseworker, received_on=timezone.localdate())


# -------------------------------------------------------------------------- views


class FormValues(HTMLParser):
    """The values a rendered form would submit: inputs, selected options, textareas."""

    def __init__(self, html: str):
        super().__init__()
        self.values: dict[str, str] = {}
        self._select = None
        self._textarea = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") not in ("checkbox", "radio"):
            self.values[attrs.get("name", "")] = attrs.get("value") or ""
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs.get("name")
            self.values[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def result_figure(html: str) -> int | None:
    match = re.search(r'id="berakning-resultat">([^<]*)</td>', html)
    if match is None:
        return None
    return int(re.sub(r"\D", "", match.group(1)))


def calculation_post(application, *, costs=(), incomes=(), **extra) -> dict:
    data = {
        "version": str(application.version),
        "kostnad-TOTAL_FORMS": str(len(costs)),
        "kostnad-INITIAL_FORMS": "0",
        "kostnad-MIN_NUM_FORMS": "0",
        "kostnad-MAX_NUM_FORMS": "1000",
        "inkomst-TOTAL_FORMS": str(len(incomes)),
        "inkomst-INITIAL_FORMS": "0",
        "inkomst-MIN_NUM_FORMS": "0",
        "inkomst-MAX_NUM_FORMS": "1000",
        "household_size": "",
        "adjustment": "",
        "adjustment_reason": "",
    }
    for i, line in enumerate(costs):
        data.update({f"kostnad-{i}-{key}": value for key, value in line.items()})
    for i, line in enumerate(incomes):
        data.update({f"inkomst-{i}-{key}": value for key, value in line.items()})
    data.update(extra)
    return data


@pytest.fixture
def application(case, caseworker, applicant):
    return register(case, caseworker, applicant)


def assert_nothing_saved(application):
    fresh = Application.objects.get(pk=application.pk)
    assert fresh.calculation is None
    assert fresh.result is None
    assert fresh.version == application.version
    assert fresh.status == Application.Status.RECEIVED
    assert not ApplicationCost.objects.filter(application=application).exists()
    assert not ApplicationIncome.objects.filter(application=application).exists()


RENT_TOO_HIGH = {"kind": "rent", "actual": "9000", "accepted": "9500", "note": "Enligt kontrakt"}
SALARY = {"kind": "salary", "amount": "1200,50", "person": "", "note": "Timlön mars"}


@pytest.mark.parametrize(
    ("costs", "incomes", "error"),
    [
        pytest.param(
            [RENT_TOO_HIGH],
            [SALARY],
            "Godtagen kostnad kan inte vara större än den faktiska.",
            id="accepted-above-actual",
        ),
        pytest.param(
            [{"kind": "rent", "actual": "9000", "accepted": "8500", "note": "Enligt kontrakt"}],
            [{"kind": "akassa", "amount": "0", "person": "", "note": "Karens"}],
            "Inkomsten måste vara större än 0 kr.",
            id="zero-income",
        ),
        pytest.param(
            [{"kind": "rent", "actual": "9000", "accepted": "8500", "note": "Enligt kontrakt"}],
            [{"kind": "pension", "amount": "-300", "person": "", "note": "Återbetalning"}],
            "Inkomsten måste vara större än 0 kr.",
            id="negative-income",
        ),
    ],
)
def test_invalid_lines_keep_what_was_typed_and_save_nothing(
    client, case, caseworker, applicant, application, costs, incomes, error
):
    incomes = [dict(line, person=str(applicant.pk)) for line in incomes]
    client.force_login(caseworker)
    data = calculation_post(
        application,
        costs=costs,
        incomes=incomes,
        adjustment="250",
        adjustment_reason="Särskilda kostnader för kost",
    )

    response = client.post(reverse("application_detail", args=[case.pk, application.pk]), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert error in html
    values = FormValues(html).values
    for prefix, lines in (("kostnad", costs), ("inkomst", incomes)):
        for i, line in enumerate(lines):
            for key, typed in line.items():
                assert values[f"{prefix}-{i}-{key}"] == typed, f"{prefix}-{i}-{key}"
    assert values["adjustment"] == "250"
    assert values["adjustment_reason"] == "Särskilda kostnader för kost"
    assert_nothing_saved(application)


def test_every_invalid_line_is_marked_at_once(client, case, caseworker, application):
    client.force_login(caseworker)
    data = calculation_post(
        application,
        costs=[RENT_TOO_HIGH],
        incomes=[{"kind": "akassa", "amount": "0", "person": "", "note": ""}],
    )

    response = client.post(reverse("application_detail", args=[case.pk, application.pk]), data)

    html = response.content.decode()
    assert "Godtagen kostnad kan inte vara större än den faktiska." in html
    assert "Inkomsten måste vara större än 0 kr." in html


def test_a_valid_post_saves_and_redirects(client, case, caseworker, application):
    client.force_login(caseworker)
    data = calculation_post(
        application,
        costs=[{"kind": "rent", "actual": "9000", "accepted": "8500", "note": ""}],
        incomes=[SALARY],
    )

    response = client.post(reverse("application_detail", args=[case.pk, application.pk]), data)

    assert response.status_code == 302
    application.refresh_from_db()
    # 5 220 + 8 500 − 1 200,50 = 12 519,50 → whole kronor, half up (cases/calculation.py).
    assert application.result == Decimal(12520)
    assert application.status == Application.Status.INVESTIGATING


def test_the_blank_extra_rows_of_the_page_do_not_block_the_calculation(
    client, case, caseworker, application
):
    client.force_login(caseworker)
    # Exactly what the browser posts: one filled line per table plus the page's blank
    # extra rows, whose kind select always sends its first option.
    data = calculation_post(
        application,
        costs=[
            {"kind": "rent", "actual": "8000", "accepted": "7500", "note": ""},
            {"kind": "rent", "actual": "", "accepted": "", "note": ""},
        ],
        incomes=[{"kind": "salary", "amount": "", "person": "", "note": ""}],
    )

    client.get(reverse("application_detail", args=[case.pk, application.pk]))  # as the browser
    preview = client.post(reverse("application_preview", args=[case.pk, application.pk]), data)
    assert result_figure(preview.content.decode()) == 3940 + 1280 + 7500

    saved = client.post(reverse("application_detail", args=[case.pk, application.pk]), data)
    assert saved.status_code == 302
    application.refresh_from_db()
    assert application.result == 3940 + 1280 + 7500


def test_a_colleague_who_only_reads_cannot_post_the_calculation(
    client, case, application, make_user
):
    colleague = make_user(Role.CASEWORKER)
    client.force_login(colleague)
    url = reverse("application_detail", args=[case.pk, application.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        calculation_post(
            application, costs=[{"kind": "rent", "actual": "1", "accepted": "1", "note": ""}]
        ),
    )

    assert response.status_code == 404
    assert_nothing_saved(application)


def test_preview_returns_the_calculation_fragment_and_saves_nothing(
    client, case, caseworker, application
):
    client.force_login(caseworker)
    data = calculation_post(
        application,
        costs=[{"kind": "rent", "actual": "8000", "accepted": "7500", "note": ""}],
        incomes=[{"kind": "salary", "amount": "1200", "person": "", "note": ""}],
    )
    client.get(reverse("application_detail", args=[case.pk, application.pk]))  # as the browser

    response = client.post(
        reverse("application_preview", args=[case.pk, application.pk]),
        data,
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="berakning"')
    assert "<html" not in html
    assert "inte sparad" in html
    assert result_figure(html) == 3940 + 1280 + 7500 - 1200
    assert_nothing_saved(application)


def test_preview_of_unfinished_lines_says_it_waits(client, case, caseworker, application):
    client.force_login(caseworker)
    data = calculation_post(
        application, costs=[{"kind": "rent", "actual": "", "accepted": "8000", "note": ""}]
    )
    client.get(reverse("application_detail", args=[case.pk, application.pk]))  # as the browser

    response = client.post(reverse("application_preview", args=[case.pk, application.pk]), data)

    assert response.status_code == 200
    assert "väntar på att raderna" in response.content.decode()
    assert result_figure(response.content.decode()) is None
    assert_nothing_saved(application)


def test_preview_is_refused_outside_the_unit(client, case, application, make_user, other_unit):
    client.force_login(make_user(Role.CASEWORKER, unit=other_unit))

    response = client.post(
        reverse("application_preview", args=[case.pk, application.pk]),
        calculation_post(application),
    )

    assert response.status_code == 404


def test_calculation_statement_is_a_pdf(client, case, caseworker, application):
    save_calculation(application, caseworker, rent="8000")
    client.force_login(caseworker)

    response = client.get(reverse("calculation_statement", args=[case.pk, application.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "berakning-EB-" in response["Content-Disposition"]


def test_calculation_statement_without_calculation_goes_back(client, case, caseworker, application):
    client.force_login(caseworker)

    response = client.get(reverse("calculation_statement", args=[case.pk, application.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("application_detail", args=[case.pk, application.pk])


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.CASEWORKER])
def test_calculation_statement_is_refused_to_others(
    client, case, caseworker, application, make_user, other_unit, role
):
    save_calculation(application, caseworker, rent="8000")
    outsider = make_user(role, unit=other_unit if role == Role.CASEWORKER else case.unit)
    client.force_login(outsider)

    response = client.get(reverse("calculation_statement", args=[case.pk, application.pk]))

    assert response.status_code == 404


def test_an_application_of_another_case_is_not_found(client, case, caseworker, application):
    other = CaseFactory(caseworker=caseworker)
    client.force_login(caseworker)

    response = client.get(reverse("application_detail", args=[other.pk, application.pk]))

    assert response.status_code == 404


# ------------------------------------------------------------------ query counts


def count_queries(client, url) -> int:
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def add_cases(n, caseworker):
    for _ in range(n):
        case = CaseFactory(caseworker=caseworker)
        person = case.household.memberships.get().person
        register(case, caseworker, person)


def test_case_list_query_count_does_not_grow_with_cases(client, caseworker):
    client.force_login(caseworker)
    url = reverse("case_list")
    add_cases(2, caseworker)
    few = count_queries(client, url)

    add_cases(10, caseworker)
    many = count_queries(client, url)

    assert few == many


def fill_case(case, caseworker, n, start):
    person = case.household.memberships.get().person
    for i in range(start, start + n):
        note = journal_note_add(case, actor=caseworker, text=f"Anteckning {i}")
        if i % 2:
            journal_note_add(case, actor=caseworker, text=f"Rättelse {i}", corrects=note)
        meeting_plan(
            case,
            actor=caseworker,
            kind=Meeting.Kind.FOLLOW_UP,
            planned_at=timezone.now() + timezone.timedelta(days=i + 1),
        )
        application = register(case, caseworker, person, month=date(2026, 1, 1).replace(month=i))
        supplement_request(
            application,
            actor=caseworker,
            what=f"Underlag {i}",
            due_on=timezone.localdate() + timezone.timedelta(days=i + 1),
        )


def test_case_page_query_count_does_not_grow_with_its_content(client, case, caseworker):
    client.force_login(caseworker)
    url = reverse("case_detail", args=[case.pk])
    fill_case(case, caseworker, 2, start=1)
    few = count_queries(client, url)

    fill_case(case, caseworker, 10, start=3)
    many = count_queries(client, url)

    assert few == many
