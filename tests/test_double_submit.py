"""Every write a double click can repeat, fired many times at once (issue 14).

Each test posts the same form from several clients in threads at the same moment – each
thread its own PostgreSQL connection, released together by a barrier – and counts the
rows. A journal note posted 20 times at once used to make 20 notes; the form's
idempotency key (cases.idempotency) makes it one, and the other writes are shown to make
exactly one row too."""

import threading
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    Application,
    Callback,
    Decision,
    FirstContact,
    JournalNote,
    LegalBasis,
    Meeting,
    Payment,
    SupplementRequest,
)
from cases.services import decisions as decision_svc
from cases.services.contacts import first_contact_register
from cases.tests.factories import CaseFactory, PersonFactory
from cases.tests.test_decisions import calculated_application, draft

pytestmark = pytest.mark.django_db(transaction=True)


def fire(user, url, data, *, times=8, files=None):
    """POST ``data`` to ``url`` ``times`` times at once as ``user``; the status codes."""
    clients = []
    for _ in range(times):
        client = Client()
        client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(times)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def post(client):
        try:
            barrier.wait(timeout=30)
            payload = dict(data)
            if files:
                payload.update({name: make() for name, make in files.items()})
            statuses.append(client.post(url, payload).status_code)
        except BaseException as error:  # noqa: BLE001 – reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert len(statuses) == times
    assert all(status < 500 for status in statuses), statuses
    return statuses


def today() -> str:
    return timezone.localdate().isoformat()


def test_twenty_identical_journal_posts_make_one_note(caseworker):
    case = CaseFactory(caseworker=caseworker)
    data = {
        "kind": "note",
        "occurred_on": today(),
        "text": "Ringde om hyran.",
        "idempotency_key": str(uuid.uuid4()),
    }
    fire(caseworker, reverse("journal_add", args=[case.pk]), data, times=20)
    assert JournalNote.objects.filter(case=case).count() == 1


def test_a_new_form_makes_a_new_note(client, caseworker):
    """The key is per form: the same text written again in a new form is a new note."""
    case = CaseFactory(caseworker=caseworker)
    client.force_login(caseworker)
    url = reverse("journal_add", args=[case.pk])
    for _ in range(2):
        page = client.get(reverse("case_detail", args=[case.pk]))
        key = page.context["journal_form"]["idempotency_key"].value()
        data = {"kind": "note", "occurred_on": today(), "text": "Samma", "idempotency_key": key}
        assert client.post(url, data).status_code == 302
        assert client.post(url, data).status_code == 302  # the double click
    assert JournalNote.objects.filter(case=case).count() == 2


def test_simultaneous_corrections_make_one(caseworker):
    case = CaseFactory(caseworker=caseworker)
    from cases.services.casework import journal_note_add

    note = journal_note_add(case, actor=caseworker, text="Fel datum")
    data = {
        "kind": "note",
        "occurred_on": today(),
        "text": "Rätt datum är i går.",
        "corrects": note.pk,
        "idempotency_key": str(uuid.uuid4()),
    }
    fire(caseworker, reverse("journal_add", args=[case.pk]), data)
    assert JournalNote.objects.filter(case=case, corrects=note).count() == 1


def test_simultaneous_first_contacts_make_one(reception, unit):
    data = {
        "channel": "phone",
        "subject": "new_application",
        "name": "Kim Kontakt",
        "phone": "070-174 06 01",
        "unit": unit.pk,
        "idempotency_key": str(uuid.uuid4()),
    }
    fire(reception, reverse("contact_create"), data)
    assert FirstContact.objects.count() == 1


def test_simultaneous_meeting_bookings_make_one(caseworker):
    case = CaseFactory(caseworker=caseworker)
    # A wall-clock time with its fold, as the form would post it: on the night the clocks
    # go back "02:30" comes twice and the form asks which (cases.forms_datetime).
    at = timezone.localtime(timezone.now() + timedelta(days=3))
    data = {
        "kind": "follow_up",
        "planned_at": at.strftime("%Y-%m-%dT%H:%M"),
        "planned_at_fold": str(at.fold),
        "idempotency_key": str(uuid.uuid4()),
    }
    fire(caseworker, reverse("meeting_add", args=[case.pk]), data)
    assert Meeting.objects.filter(case=case).count() == 1


def test_simultaneous_callbacks_make_one(reception, unit, caseworker):
    contact = first_contact_register(
        actor=reception,
        channel="phone",
        subject="new_application",
        unit=unit,
        assigned_to=caseworker,
        name="Kim Kontakt",
    )
    now = timezone.localtime()
    data = {
        "made_at": now.strftime("%Y-%m-%dT%H:%M"),
        "made_at_fold": str(now.fold),  # answers "which 02:30" on the night clocks go back
        "method": "phone",
        "outcome": Callback.Outcome.APPLICATION_SENT,
        "note": "Blankett skickad.",
    }
    fire(caseworker, reverse("contact_detail", args=[contact.pk]), data)
    assert Callback.objects.filter(contact=contact).count() == 1


def test_simultaneous_applications_make_one(caseworker):
    applicant = PersonFactory(birth_date=date(1985, 3, 3))
    case = CaseFactory(caseworker=caseworker, applicant=applicant)
    data = {
        "month": timezone.localdate().strftime("%Y-%m"),
        "received_on": today(),
        "channel": "e_service",
        "applicant": applicant.pk,
        "items": ["livelihood"],
    }
    fire(caseworker, reverse("application_new", args=[case.pk]), data)
    assert Application.objects.filter(case=case).count() == 1


def test_simultaneous_supplement_requests_make_one(caseworker):
    application = calculated_application(caseworker)
    data = {
        "what": "Hyresavi för december.",
        "due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "idempotency_key": str(uuid.uuid4()),
    }
    url = reverse("supplement_add", args=[application.case_id, application.pk])
    fire(caseworker, url, data)
    assert SupplementRequest.objects.filter(application=application).count() == 1


def test_simultaneous_decision_drafts_make_one(caseworker):
    application = calculated_application(caseworker)
    data = {
        "post-TOTAL_FORMS": "1",
        "post-INITIAL_FORMS": "0",
        "post-MIN_NUM_FORMS": "1",
        "post-0-kind": "livelihood",
        "post-0-outcome": "granted",
        # Not the prefilled amount: a formset row equal to its initial counts as empty.
        "post-0-applied_amount": "1000",
        "post-0-granted_amount": "1000",
        "post-0-legal_basis": LegalBasis.objects.get(code="sol2025-12-1").pk,
        "motivering": "Sökanden saknar egna medel (SoL 12 kap. 1 §).",
    }
    url = reverse("decision_new", args=[application.case_id, application.pk])
    fire(caseworker, url, data)
    assert Decision.objects.filter(application=application).count() == 1


def test_simultaneous_payments_make_one(caseworker):
    application = calculated_application(caseworker)
    decision = decision_svc.decision_submit(draft(application, caseworker), actor=caseworker)
    data = {
        "payee": application.applicant.pk,
        "amount": "100",
        "pay_on": today(),
    }
    fire(caseworker, reverse("payment_new", args=[decision.pk]), data)
    assert Payment.objects.filter(decision=decision).count() == 1
    assert Payment.objects.get(decision=decision).amount == Decimal(100)


def test_simultaneous_plan_signatures_make_one(caseworker, settings, tmp_path):
    from workplans.models import Signature
    from workplans.tests.conftest import ready_plan, scan

    settings.MEDIA_ROOT = tmp_path / "media"
    case = CaseFactory(caseworker=caseworker)
    plan = ready_plan(case, caseworker)
    data = {
        "party": "caseworker",
        "caseworker-method": "in_person",
        "caseworker-signed_on": today(),
    }
    url = reverse("workplans:plan_sign", args=[plan.pk])
    fire(caseworker, url, data, files={"caseworker-scanned_copy": scan})
    assert Signature.objects.filter(version__plan=plan, party="caseworker").count() == 1


# ------------------------------------------------------------------ the rest (issue 14)
# Each of these made one row per post before its form carried a key (or, for a case,
# before the one-open-case-per-household constraint): eight rows for eight posts.


def test_simultaneous_appeals_make_one(caseworker):
    from cases.models import Appeal

    application = calculated_application(caseworker)
    decision = decision_svc.decision_submit(draft(application, caseworker), actor=caseworker)
    data = {"received_on": today(), "idempotency_key": str(uuid.uuid4())}
    fire(caseworker, reverse("appeal_new", args=[decision.pk]), data)
    assert Appeal.objects.filter(decision=decision).count() == 1


def test_simultaneous_referrals_make_one(caseworker):
    from referrals.models import Referral
    from referrals.tests.factories import ServiceFactory, applicant_of, open_case

    case = open_case(caseworker)
    service = ServiceFactory()
    data = {
        "person": applicant_of(case).pk,
        "service": service.pk,
        "reason": "Vill ha praktik",
        "request": "Inskrivning",
        "sent_on": today(),
        "shared_fields": ["identity", "reason"],
        "idempotency_key": str(uuid.uuid4()),
    }
    fire(caseworker, reverse("referrals:referral_new", args=[case.pk]), data)
    assert Referral.objects.filter(case=case).count() == 1


def test_simultaneous_three_party_meetings_make_one(caseworker):
    from referrals.models import AgreedStep, ThreePartyMeeting
    from referrals.tests.factories import ProviderFactory, open_case

    case = open_case(caseworker)
    held = timezone.localtime()
    data = {
        "held_at": held.strftime("%Y-%m-%dT%H:%M"),
        "held_at_fold": str(held.fold),  # which 02:30, on the night the clocks go back
        "provider": ProviderFactory().pk,
        "participant_name": "Ada Arbetsförmedlare",
        "client_attended": "on",
        "notes": "Vi kom överens om nästa steg.",
        "steg-TOTAL_FORMS": "3",
        "steg-INITIAL_FORMS": "0",
        "steg-0-what": "Skriva CV",
        "steg-0-responsible": "client",
        "steg-0-becomes": "activity",
        "idempotency_key": str(uuid.uuid4()),
    }
    fire(caseworker, reverse("referrals:meeting_new", args=[case.pk]), data)
    assert ThreePartyMeeting.objects.filter(case=case).count() == 1
    assert AgreedStep.objects.filter(meeting__case=case).count() == 1


def test_simultaneous_plan_follow_ups_make_one(caseworker, settings, tmp_path):
    from workplans.models import FollowUp
    from workplans.tests.conftest import signed_plan

    settings.MEDIA_ROOT = tmp_path / "media"
    plan = signed_plan(CaseFactory(caseworker=caseworker), caseworker)
    version = plan.versions.get()
    data = {
        "held_on": today(),
        "participants": "Kim och handläggaren",
        "note": "Praktiken har börjat.",
        "idempotency_key": str(uuid.uuid4()),
    }
    for activity in version.activities.all():
        data[f"a{activity.pk}-status"] = "ongoing"
    fire(caseworker, reverse("workplans:follow_up_add", args=[plan.pk]), data)
    assert FollowUp.objects.filter(version=version).count() == 1


@pytest.mark.parametrize("same_form", [True, False], ids=["double-click", "two-forms"])
def test_simultaneous_new_cases_for_one_person_make_one(caseworker, same_form):
    """The same form posted eight times returns the one case; eight different forms
    (two colleagues) make one case too – the person is locked while their household is
    found or made, and a household has one open case (a constraint)."""
    from cases.models import Case, Household

    person = PersonFactory(personnummer="198112189876", unit=caseworker.unit)
    data = {"personnummer": "19811218-9876", "caseworker": caseworker.pk}
    if same_form:
        data["idempotency_key"] = str(uuid.uuid4())
    statuses = fire(caseworker, reverse("case_new"), data)
    assert Case.objects.filter(household__memberships__person=person).count() == 1
    assert Household.objects.filter(memberships__person=person).count() == 1
    if same_form:
        assert set(statuses) == {302}  # each post lands on the case it opened
