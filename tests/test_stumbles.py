"""The stumbles of issue 21, each pinned by a test that failed before the fix: what a
caseworker, a unit manager and an administrator meet in a working day."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from guardian.shortcuts import assign_perm

from cases.demo import load_demo
from cases.models import AccessLog, Decision, User
from cases.roles import Role
from cases.services.people import household_member_add
from cases.tests.factories import CaseFactory, PersonFactory
from cases.tests.test_decisions import calculated_application, draft
from reporting.charts import bar_chart
from reporting.indicators import Indicator, Point

STOCKHOLM = ZoneInfo("Europe/Stockholm")
pytestmark = pytest.mark.django_db


def h1(response) -> str:
    match = re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S)
    return re.sub(r"\s+", " ", match.group(1)).strip()


def section(html: str, heading_id: str) -> str:
    """The <section> whose heading has ``heading_id``."""
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


# --- the case page --------------------------------------------------------------------


def test_case_heading_names_the_client(client, caseworker):
    case = CaseFactory(caseworker=caseworker, applicant=PersonFactory(first_name="Märta"))
    client.force_login(caseworker)

    heading = h1(client.get(reverse("case_detail", args=[case.pk])))

    assert case.reference in heading and "Märta Testperson" in heading


def test_case_heading_masks_a_protected_co_applicant_without_the_person_grant(
    client, caseworker, make_user
):
    case = CaseFactory(caseworker=caseworker, applicant=PersonFactory(first_name="Märta"))
    household_member_add(
        case.household,
        person=PersonFactory(first_name="Hemlig", protected=True),
        role="co_applicant",
        valid_from=date(2026, 1, 1),
        actor=caseworker,
    )
    # A colleague granted the case (django-guardian) but not the protected person.
    colleague = make_user(Role.CASEWORKER)
    assign_perm("cases.view_case", colleague, case)
    client.force_login(colleague)

    response = client.get(reverse("case_detail", args=[case.pk]))

    assert response.status_code == 200
    heading = h1(response)
    assert "Märta Testperson" in heading and "Skyddad identitet" in heading
    assert "Hemlig" not in response.content.decode()


# --- the decision ---------------------------------------------------------------------


def test_taking_a_decision_says_it_is_taken_not_sent(client, caseworker):
    decision = draft(calculated_application(caseworker), caseworker)
    client.force_login(caseworker)

    response = client.post(
        reverse("decision_submit", args=[decision.pk]), {"version": decision.version}, follow=True
    )

    decision.refresh_from_db()
    assert decision.status == Decision.Status.FINAL
    page = response.content.decode()
    assert "Beslutet är fattat." in page and "Beslutet är skickat." not in page


def test_the_empty_lagrum_choice_is_swedish(client, caseworker):
    application = calculated_application(caseworker)
    client.force_login(caseworker)

    page = client.get(reverse("decision_new", args=[application.case_id, application.pk]))

    assert "---------" not in page.content.decode()
    assert "– Välj lagrum –" in page.content.decode()


def test_barnperspektiv_only_for_a_household_with_children(client, caseworker):
    alone = calculated_application(caseworker)
    family = calculated_application(caseworker, children=1)
    client.force_login(caseworker)

    alone_page = client.get(reverse("decision_new", args=[alone.case_id, alone.pk]))
    family_page = client.get(reverse("decision_new", args=[family.case_id, family.pk]))

    assert 'name="child_impact"' not in alone_page.content.decode()
    assert 'name="child_impact"' in family_page.content.decode()


def test_the_decision_page_says_how_to_reach_the_unit(client, caseworker):
    caseworker.phone = "08-123 456 78"
    caseworker.save(update_fields=["phone"])
    decision = draft(calculated_application(caseworker), caseworker)
    client.force_login(caseworker)

    page = client.get(reverse("decision_detail", args=[decision.pk])).content.decode()

    assert "Kontakt i brevet" in page and "08-123 456 78" in page


# --- follow-up for the unit manager ---------------------------------------------------


def test_monthly_statistics_open_on_the_latest_month_with_data(client):
    # The 3rd: November is the month to report, but only December has a decision.
    with time_machine.travel(datetime(2026, 12, 3, 10, tzinfo=STOCKHOLM), tick=False):
        load_demo()
        client.force_login(User.objects.get(username="maria.enhetschef"))
        response = client.get(reverse("reporting:statistics"))
    assert h1(response) == "Månadsstatistik december 2026"
    page = response.content.decode()
    assert "Inga vuxna med bistånd denna månad." not in page


def test_statistics_show_labels_not_internal_codes(client):
    with time_machine.travel(datetime(2026, 12, 3, 10, tzinfo=STOCKHOLM), tick=False):
        load_demo()
        client.force_login(User.objects.get(username="maria.enhetschef"))
        page = client.get(reverse("reporting:statistics")).content.decode()
    assert "Försörjningshinder per vuxen" in page
    assert not re.search(r">[a-z]+(_[a-z]+)+<", page), re.findall(r">[a-z]+(?:_[a-z]+)+<", page)


def test_log_review_names_staff_and_masks_protected_persons(client, unit_manager, caseworker):
    person = PersonFactory(first_name="Hemlig", protected=True, unit=unit_manager.unit)
    AccessLog.objects.create(
        user=caseworker,
        username=caseworker.username,
        unit=caseworker.unit,
        subject_unit=caseworker.unit,
        subject_type="person",
        subject_id=str(person.pk),
        outcome=AccessLog.Outcome.ALLOWED,
    )
    client.force_login(unit_manager)

    page = client.get(reverse("reporting:log_review")).content.decode()

    users = section(page, "users-heading")
    assert caseworker.get_full_name() in users
    assert "Hemlig" not in page and "Skyddad identitet" in page


def test_percentage_axes_end_at_100_and_zero_differs_from_no_data():
    months = [date(2026, m, 1) for m in (9, 10, 11)]
    indicator = Indicator(
        "share",
        "Andel",
        "%",
        80,
        True,
        [Point(months[0], None), Point(months[1], 0.0), Point(months[2], 100.0)],
    )

    chart = bar_chart(indicator)

    assert chart.max_text == "100 %"
    no_data, zero, full = chart.bars
    assert not no_data.measured and no_data.value_text == "–"
    assert zero.measured and zero.value_text == "0" and zero.height > 0
    assert full.y == 22  # the top of the plot: 100 % fills it, nothing above
    assert [bar.label for bar in chart.bars] == ["sep", "okt", "nov"]


def test_closed_households_without_last_year_say_so(client, unit_manager):
    client.force_login(unit_manager)

    page = client.get(reverse("reporting:indicators")).content.decode()

    assert "% av 0" not in page and "jämfört med –" not in page
    assert "att jämföra med" in page


def test_unit_start_page_does_not_count_administrators(client, unit_manager):
    client.force_login(unit_manager)

    page = client.get(reverse("unit_manager_start")).content.decode()

    assert "Administratör" not in section(page, "staff-heading").split("</ul>")[0]


def test_caseworker_start_page_does_not_repeat_plan_deadlines(client):
    load_demo()
    erik = User.objects.get(username="erik.handlaggare")
    client.force_login(erik)

    response = client.get(reverse("caseworker_start"))

    [plans] = [c for p, c in response.context["extra_panels"] if p.name == "workplans_due"]
    shown = {item["deadline"].pk for item in plans["items"]}
    assert shown, "the demo gives Erik plan deadlines"
    listed = {deadline.pk for deadline, _ in response.context["my_deadlines"]}
    assert not shown & listed


# --- the administrator ----------------------------------------------------------------


def test_a_unit_without_unit_manager_is_warned_about(client, administrator):
    load_demo()
    client.force_login(administrator)

    page = client.get(reverse("administrator_start")).content.decode()

    assert "Syd har ingen aktiv enhetschef" in page
    assert "Nord har ingen aktiv enhetschef" not in page


def test_the_admin_site_speaks_swedish_about_login_attempts(client):
    admin = User.objects.create_superuser("rot", "rot@kommun.example", "x-very-long-pass")
    client.force_login(admin)

    page = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()

    assert "access attempt" not in page.lower()
    assert "inloggningsförsök" in page.lower()
