"""The plan pages through Django's test client: the panel on the case page, the editor
with autosave, signing, revision, comparison, the PDF, the start-page panel – and fixed
query counts for the lists and panels."""

from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.services.people import household_member_add
from cases.tests.factories import CaseFactory, PersonFactory
from workplans.models import Activity, PlanType, PlanVersion, WorkPlan
from workplans.services import plan_revise
from workplans.tests.conftest import SCAN, draft_plan, ready_plan, scan, signed_plan

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def case_page(client, case) -> str:
    response = client.get(reverse("case_detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def editor_data(plan, **content) -> dict:
    """What the editor form posts: its lock fields, text and every activity row."""
    version = plan.versions.open().get()
    p = f"plan{plan.pk}"
    data = {f"{p}-edit_version": version.edit_version, f"{p}-editor": "tab-1"}
    for name in PlanVersion.CONTENT_FIELDS:
        data[f"{p}-{name}"] = content.get(name, getattr(version, name))
    data[f"{p}-aktivitet"] = []
    for activity in version.activities.all():
        data[f"{p}-aktivitet"].append(str(activity.pk))
        a = f"{p}-a{activity.pk}"
        data.update(
            {
                f"{a}-what": activity.what,
                f"{a}-responsible": activity.responsible,
                f"{a}-responsible_note": activity.responsible_note,
                f"{a}-starts_on": activity.starts_on or "",
                f"{a}-ends_on": activity.ends_on or "",
                f"{a}-follow_up_on": activity.follow_up_on or "",
                f"{a}-status": activity.status,
            }
        )
    return data


def test_the_case_page_shows_the_clock_and_starts_a_plan(client, case, caseworker):
    client.force_login(caseworker)
    page = case_page(client, case)
    assert 'id="arbetsplan"' in page
    assert "Arbetsplan ska vara undertecknad" in page
    assert "Ingen plan ännu" in page

    response = client.post(
        reverse("workplans:plan_create", args=[case.pk]),
        {"plan_type": PlanType.objects.get(code="arbetsplan").pk, "person": case_person(case).pk},
    )
    assert response.status_code == 302
    plan = WorkPlan.objects.get(case=case)
    page = case_page(client, case)
    assert f'id="plan{plan.pk}-editor"' in page  # the editor is on the case page
    assert "Lägg till aktivitet" in page


def case_person(case):
    return case.household.memberships.get(role="applicant").person


def test_autosave_saves_the_draft_and_answers_with_the_status_only(client, case, caseworker):
    plan = draft_plan(case, caseworker)
    client.force_login(caseworker)
    data = editor_data(plan, next_step="Ringa Arbetsförmedlingen i morgon")

    response = client.post(reverse("workplans:plan_autosave", args=[plan.pk]), data, **HTMX)

    assert response.status_code == 200
    assert "Utkastet är sparat" in response.content.decode()
    assert "<form" not in response.content.decode()
    assert plan.versions.get().next_step == "Ringa Arbetsförmedlingen i morgon"
    # The same editor keeps saving from the version it loaded.
    data[f"plan{plan.pk}-next_step"] = "Ringa Arbetsförmedlingen på måndag"
    response = client.post(reverse("workplans:plan_autosave", args=[plan.pk]), data, **HTMX)
    assert plan.versions.get().next_step == "Ringa Arbetsförmedlingen på måndag"


def test_autosave_of_a_stale_editor_says_so_and_keeps_the_newer_text(
    client, case, caseworker, unit_manager
):
    plan = draft_plan(case, caseworker)
    data = editor_data(plan, next_step="Eriks version")
    theirs = dict(data, **{f"plan{plan.pk}-editor": "tab-2"})
    theirs[f"plan{plan.pk}-next_step"] = "Marias version"

    client.force_login(caseworker)
    client.post(reverse("workplans:plan_autosave", args=[plan.pk]), data, **HTMX)
    client.force_login(unit_manager)
    response = client.post(reverse("workplans:plan_autosave", args=[plan.pk]), theirs, **HTMX)

    body = response.content.decode()
    assert "har ändrats av någon annan" in body
    assert 'role="alert"' in body
    assert plan.versions.get().next_step == "Eriks version"


def test_autosave_with_an_invalid_date_saves_nothing_and_says_what(client, case, caseworker):
    plan = draft_plan(case, caseworker)
    activity = plan.versions.get().activities.first()
    data = editor_data(plan, next_step="Ny text")
    data[f"plan{plan.pk}-a{activity.pk}-follow_up_on"] = "2026-13-45"
    client.force_login(caseworker)

    response = client.post(reverse("workplans:plan_autosave", args=[plan.pk]), data, **HTMX)

    body = response.content.decode()
    assert "Inte sparat än" in body and "Aktivitet 1" in body
    assert plan.versions.get().next_step == "Skriva in sig hos Arbetsförmedlingen."


def test_adding_an_activity_saves_first_and_redraws_the_editor(client, case, caseworker):
    plan = draft_plan(case, caseworker, activities=1)
    client.force_login(caseworker)
    data = editor_data(plan, client_view="Skrivet precis innan")
    data["action"] = "add"

    response = client.post(reverse("workplans:plan_save", args=[plan.pk]), data, **HTMX)

    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="plan{plan.pk}-editor"' in body
    assert "Aktivitet 2" in body and "autofocus" in body
    assert "Skrivet precis innan" in body
    version = plan.versions.get()
    assert version.client_view == "Skrivet precis innan"
    assert version.activities.count() == 2


def test_without_javascript_an_error_keeps_what_was_typed(client, case, caseworker):
    plan = draft_plan(case, caseworker)
    activity = plan.versions.get().activities.first()
    data = editor_data(plan, client_view="Min egen syn som inte får försvinna")
    data[f"plan{plan.pk}-a{activity.pk}-starts_on"] = "2026-12-10"
    data[f"plan{plan.pk}-a{activity.pk}-ends_on"] = "2026-12-01"
    data["action"] = "save"
    client.force_login(caseworker)

    response = client.post(reverse("workplans:plan_save", args=[plan.pk]), data)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Min egen syn som inte får försvinna" in body
    assert "Slutdatum kan inte ligga före startdatum" in body
    assert plan.versions.get().client_view == "Vill arbeta inom vården."


def test_ready_for_signing_then_both_signatures_meet_the_deadline(client, case, caseworker):
    plan = draft_plan(case, caseworker)
    client.force_login(caseworker)
    data = editor_data(plan)
    data["action"] = "ready"
    response = client.post(reverse("workplans:plan_save", args=[plan.pk]), data)
    assert response["Location"] == reverse("workplans:plan_detail", args=[plan.pk])

    page = client.get(response["Location"]).content.decode()
    assert "Väntar på underskrifter" in page
    assert "Klientens underskrift" in page and "Handläggarens underskrift" in page
    assert "Lägg till aktivitet" not in page  # frozen for signing

    today = timezone.localdate().isoformat()
    sign_url = reverse("workplans:plan_sign", args=[plan.pk])
    response = client.post(
        sign_url,
        {
            "party": "client",
            "client-method": "in_person",
            "client-signed_on": today,
            "client-scanned_copy": scan(),
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("workplans:plan_detail", args=[plan.pk])).content.decode()
    assert "1 av 2 underskrifter" in page
    assert "Väntar på underskrifter" in page

    client.post(
        sign_url,
        {"party": "caseworker", "caseworker-method": "in_person", "caseworker-signed_on": today},
    )
    page = client.get(reverse("workplans:plan_detail", args=[plan.pk])).content.decode()
    assert "Undertecknad – gäller" in page
    assert "Tidsfristen är klar" in case_page(client, case)


def test_signing_without_the_scan_says_why_and_records_nothing(client, case, caseworker):
    plan = ready_plan(case, caseworker)
    client.force_login(caseworker)
    response = client.post(
        reverse("workplans:plan_sign", args=[plan.pk]),
        {
            "party": "client",
            "client-method": "in_person",
            "client-signed_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "Bifoga den inskannade" in response.content.decode()
    assert not plan.versions.get().signatures.exists()


def test_a_signed_plan_has_no_editor_and_refuses_a_save(client, case, caseworker):
    plan = signed_plan(case, caseworker)
    client.force_login(caseworker)
    page = client.get(reverse("workplans:plan_detail", args=[plan.pk])).content.decode()
    assert "Klar för underskrift" not in page
    assert "Revidera planen" in page

    p = f"plan{plan.pk}"
    response = client.post(
        reverse("workplans:plan_save", args=[plan.pk]), {f"{p}-next_step": "Ändrat"}, follow=True
    )
    assert "inget utkast" in response.content.decode()
    assert plan.versions.get().next_step == "Skriva in sig hos Arbetsförmedlingen."


def test_revise_and_compare_versions(client, case, caseworker):
    plan = signed_plan(case, caseworker)
    client.force_login(caseworker)
    response = client.post(
        reverse("workplans:plan_revise", args=[plan.pk]), {"reason": "Har fått praktikplats"}
    )
    assert response.status_code == 302
    v2 = plan.versions.get(number=2)
    assert (v2.status, v2.revision_reason) == ("draft", "Har fått praktikplats")

    data = editor_data(plan, next_step="Börja praktiken")
    client.post(reverse("workplans:plan_save", args=[plan.pk]), dict(data, action="ready"))
    page = client.get(reverse("workplans:plan_detail", args=[plan.pk])).content.decode()
    assert "Version 2: <strong" in page and "Väntar på underskrifter" in page
    assert "Version 1 gäller" in page

    page = client.get(reverse("workplans:plan_compare", args=[plan.pk])).content.decode()
    assert "Jämför version 1 och 2" in page
    assert "Börja praktiken" in page and "Skriva in sig hos Arbetsförmedlingen." in page
    assert "Ändrad" in page


def test_the_pdf_has_both_signature_blocks_in_plain_swedish(client, case, caseworker):
    plan = ready_plan(case, caseworker)
    client.force_login(caseworker)
    response = client.get(reverse("workplans:plan_pdf", args=[plan.pk, 1]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")

    version = plan.versions.get()
    html = render_to_string(
        "pdf/workplan.html",
        {
            "plan": plan,
            "case": case,
            "version": version,
            "activities": list(version.activities.all()),
            "signature_by_party": {},
            "digest": version.content_digest(),
            "municipality_name": "Exempelby kommun",
        },
    )
    assert "Din arbetsplan" in html
    assert "Ditt mål" in html and "Det här ska göras" in html
    assert html.count("Datum och underskrift") == 2
    assert plan.person.full_name in html and caseworker.get_full_name() in html
    assert "font-size: 12pt" in html
    assert version.content_digest()[:12] in html


def test_the_scanned_copy_is_served_through_the_case(client, case, caseworker):
    plan = signed_plan(case, caseworker)
    signature = plan.versions.get().signatures.first()
    client.force_login(caseworker)
    response = client.get(reverse("workplans:signature_copy", args=[plan.pk, signature.pk]))
    assert b"".join(response.streaming_content) == SCAN


def test_the_start_page_lists_plans_due_soon(client, caseworker, make_user):
    from datetime import date

    applicant = PersonFactory(first_name="Snart", last_name="Klar", birth_date=date(1990, 1, 1))
    case = CaseFactory(caseworker=caseworker, applicant=applicant)
    ready_plan(CaseFactory(caseworker=caseworker), caseworker)
    client.force_login(caseworker)

    page = client.get(reverse("caseworker_start")).content.decode()

    assert "Arbetsplaner att göra" in page
    # The clock counted from the case's opening (2026-01 household, today's case) is
    # three months away: not within the month – so only the plan waiting for signatures.
    assert "Väntar på underskrifter" in page
    from cases.models import Deadline

    Deadline.objects.filter(subject_id=case.pk, kind="workplan").update(
        due_at=timezone.now() + timedelta(days=3), remind_at=timezone.now()
    )
    page = client.get(reverse("caseworker_start")).content.decode()
    assert "Arbetsplan ska vara undertecknad" in page and "Snart Klar" in page


# --- fixed query counts ---------------------------------------------------------------


def queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def add_adult(case, actor, name):
    person = PersonFactory(first_name=name)
    household_member_add(
        case.household,
        person=person,
        role="other_adult",
        valid_from=timezone.localdate(),
        actor=actor,
    )
    return person


def test_the_case_panel_has_a_fixed_query_count(client, case, caseworker):
    from workplans.services import activity_add, workplan_create

    client.force_login(caseworker)
    plan = signed_plan(case, caseworker, activities=2)
    plan_revise(plan, actor=caseworker, reason="x")
    activity_add(plan, actor=caseworker, what="Jobbklubb", referral_id=1)
    few = queries(client, reverse("case_detail", args=[case.pk]))

    for name in ("Vuxen", "Annan", "Tredje"):
        person = add_adult(case, caseworker, name)
        other = workplan_create(
            case,
            actor=caseworker,
            plan_type=PlanType.objects.get(code="jobbplan"),
            person=person,
        )
        for i in range(4):
            activity_add(other, actor=caseworker, what=f"Steg {i}", referral_id=i)
    many = queries(client, reverse("case_detail", args=[case.pk]))

    assert few == many


def test_the_plan_page_has_a_fixed_query_count(client, case, caseworker):
    from workplans.services import activity_add, follow_up_record

    client.force_login(caseworker)
    plan = signed_plan(case, caseworker, activities=1)
    url = reverse("workplans:plan_detail", args=[plan.pk])
    follow_up_record(plan.versions.get(), actor=caseworker, held_on=timezone.localdate())
    v2 = plan_revise(plan, actor=caseworker, reason="x")
    activity_add(plan, actor=caseworker, what="Jobbklubb", referral_id=99)
    few = queries(client, url)

    for i in range(4):
        activity_add(plan, actor=caseworker, what=f"Fler {i}", referral_id=100 + i)
    assert v2.activities.count() == 6
    many = queries(client, url)

    assert few == many
    assert queries(client, url + "?version=1") == queries(client, url + "?version=1")


def test_the_start_panel_has_a_fixed_query_count(client, caseworker):
    client.force_login(caseworker)
    from cases.models import Deadline

    def all_due_soon():
        Deadline.objects.filter(kind__in=["workplan", "workplan_follow_up"]).update(
            due_at=timezone.now() + timedelta(days=3), remind_at=timezone.now()
        )

    signed_plan(CaseFactory(caseworker=caseworker), caseworker, activities=1)
    ready_plan(CaseFactory(caseworker=caseworker), caseworker)
    all_due_soon()
    few = queries(client, reverse("caseworker_start"))

    for _ in range(3):
        signed_plan(CaseFactory(caseworker=caseworker), caseworker, activities=2)
        ready_plan(CaseFactory(caseworker=caseworker), caseworker)
    all_due_soon()
    many = queries(client, reverse("caseworker_start"))

    assert few == many
    page = client.get(reverse("caseworker_start")).content.decode()
    assert page.count("Följ upp:") == 7


def test_an_activity_of_another_version_cannot_be_removed_through_this_plan(
    client, case, caseworker
):
    plan = draft_plan(case, caseworker)
    other_case = CaseFactory(caseworker=caseworker)
    other = draft_plan(other_case, caseworker)
    foreign = other.versions.get().activities.first()
    client.force_login(caseworker)
    data = editor_data(plan)
    data["action"] = f"remove:{foreign.pk}"

    response = client.post(reverse("workplans:plan_save", args=[plan.pk]), data)

    assert response.status_code == 200  # refused, with the message
    assert Activity.objects.filter(pk=foreign.pk).exists()


def test_signing_a_plan_someone_reopened_meanwhile_is_refused(client, case, caseworker):
    from workplans.services import plan_reopen

    plan = ready_plan(case, caseworker)
    plan_reopen(plan.versions.get(), actor=caseworker)
    client.force_login(caseworker)
    response = client.post(
        reverse("workplans:plan_sign", args=[plan.pk]),
        {
            "party": "caseworker",
            "caseworker-method": "in_person",
            "caseworker-signed_on": timezone.localdate().isoformat(),
        },
    )
    assert "klar för underskrift" in response.content.decode()
    assert not plan.versions.get().signatures.exists()


def test_the_plan_pdf_is_tagged_and_swedish(client, case, caseworker):
    from cases.tests.pdf_structure import assert_accessible_pdf

    plan = ready_plan(case, caseworker)
    client.force_login(caseworker)
    response = client.get(reverse("workplans:plan_pdf", args=[plan.pk, 1]))

    found = assert_accessible_pdf(response.content)
    assert found["title"] and "/H2" in found["types"]
