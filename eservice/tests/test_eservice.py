"""Min ansökan through Django's test client, signed in through the real local IdP:
Mina sidor, the continued and first application, couples signing, attachments,
supplements and messages – and that nothing of one person reaches another."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.models import (
    AccessLog,
    Application,
    Deadline,
    FirstContact,
    JournalNote,
    Meeting,
)
from cases.services.applications import SUPPLEMENT, supplement_request
from cases.services.casework import meeting_plan
from cases.services.decisions import letter_pdf
from cases.tests.factories import PersonFactory
from cases.tests.letters import applied_case, decide, item
from cases.workdays import first_of_month
from eservice.models import EApplication, IncomingDocument
from eservice.services import next_month
from eservice.tests.idp import sign_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def this_month():
    return first_of_month(timezone.localdate())


@pytest.fixture
def decided(caseworker, unit_manager):
    """Alva (191212121212) applied this month; the caseworker calculated and decided."""
    application = applied_case(caseworker, month=this_month(), rent="7800")
    decision = decide(
        application,
        caseworker,
        [item("livelihood", "granted", application.result, "sol2025-12-1")],
        approver=unit_manager,
    )
    return application, decision


def test_mina_sidor_shows_status_decision_and_meetings(client, eid, decided, caseworker):
    application, decision = decided
    meeting_plan(
        application.case,
        actor=caseworker,
        kind=Meeting.Kind.FOLLOW_UP,
        planned_at=timezone.now() + timedelta(days=3),
    )
    sign_in(client, "191212121212")
    page = client.get("/e-tjanst/").content.decode()
    assert "Beslutad" in page
    assert f"/e-tjanst/beslut/{decision.pk}/brev/" in page
    assert "Uppföljning" in page
    letter = client.get(f"/e-tjanst/beslut/{decision.pk}/brev/")
    assert letter.status_code == 200
    assert letter.content == letter_pdf(decision.letter)  # exactly as stored
    row = AccessLog.objects.filter(subject_type="decision").latest("pk")
    assert (row.user, row.role, row.username, row.outcome) == (
        None,
        "citizen",
        f"person:{application.applicant_id}",
        "allowed",
    )
    assert row.subject_unit_id == application.case.unit_id


def test_another_person_opens_nothing_of_the_first(client, eid, decided):
    application, decision = decided
    PersonFactory(personnummer="194408139089")
    sign_in(client, "194408139089")
    page = client.get("/e-tjanst/").content.decode()
    assert "brev" not in page and "Beslutad" not in page
    assert client.get(f"/e-tjanst/beslut/{decision.pk}/brev/").status_code == 404
    denied = AccessLog.objects.filter(subject_type="decision").latest("pk")
    assert denied.outcome == "denied"
    supplement = supplement_request(
        application, actor=application.case.caseworker, what="Hyresavi", due_on=timezone.localdate()
    )
    assert client.get(f"/e-tjanst/komplettering/{supplement.pk}/").status_code == 404


def test_citizen_session_opens_no_staff_page_and_staff_session_no_citizen_page(
    client, eid, decided, caseworker
):
    application, _decision = decided
    sign_in(client, "191212121212")
    response = client.get(f"/arenden/{application.case_id}/")
    assert response.status_code == 302 and "/logga-in/" in response["Location"]
    staff = client.__class__()
    staff.force_login(caseworker)
    assert staff.get("/e-tjanst/").status_code == 302  # to the e-service's own sign-in


def test_continued_application_prefilled_and_submitted_into_the_case(
    client, eid, decided, caseworker
):
    application, _decision = decided
    sign_in(client, "191212121212")
    start = client.post("/e-tjanst/ansok/")
    eapplication = EApplication.objects.get()
    assert eapplication.kind == "continued" and eapplication.based_on == application
    assert start["Location"] == f"/e-tjanst/ansokan/{eapplication.pk}/household/"
    costs_page = client.get(f"/e-tjanst/ansokan/{eapplication.pk}/costs/").content.decode()
    assert 'value="7800.00"' in costs_page and "Förra månaden: 7800.00 kr" in costs_page
    version = eapplication.version
    r = client.post(
        f"/e-tjanst/ansokan/{eapplication.pk}/household/",
        {"version": version, "household_same": "yes"},
    )
    assert r.status_code == 302
    eapplication.refresh_from_db()
    # The rent went up: the person changes that line, keeps the rest.
    fields = {"version": eapplication.version, "line_0": "8100"}
    assert client.post(f"/e-tjanst/ansokan/{eapplication.pk}/costs/", fields).status_code == 302
    eapplication.refresh_from_db()
    client.post(f"/e-tjanst/ansokan/{eapplication.pk}/incomes/", {"version": eapplication.version})
    eapplication.refresh_from_db()
    upload = client.post(
        f"/e-tjanst/ansokan/{eapplication.pk}/attachments/",
        {
            "action": "upload",
            "kind": "hyresavi",
            "line": "cost:rent",
            "file": SimpleUploadedFile("hyra.pdf", PDF, "application/pdf"),
        },
    )
    assert upload.status_code == 302
    client.post(
        f"/e-tjanst/ansokan/{eapplication.pk}/attachments/", {"version": eapplication.version}
    )
    signed = client.post(f"/e-tjanst/ansokan/{eapplication.pk}/sign/", {"confirm": "on"})
    assert signed.status_code == 302
    eapplication.refresh_from_db()
    assert eapplication.status == "submitted"
    new = eapplication.application
    assert new.case == application.case and new.month == next_month()
    assert new.channel == "e_service"
    rent = new.costs.get(kind="rent")
    assert (rent.actual, rent.note) == (Decimal("8100"), "Uppgivet av sökande")
    # The caseworker sees the line, last month's amount and the hyresavi beside it.
    client.force_login(caseworker)
    staff_page = client.get(f"/arenden/{application.case_id}/").content.decode()
    assert "Uppgivet av sökande jämfört med förra månaden" in staff_page
    assert "8100" in staff_page and "7800.00 kr" in staff_page and "Hyresavi" in staff_page
    attachment = eapplication.attachments.get()
    assert client.get(f"/e-tjanst-underlag/underlag/{attachment.pk}/").content == PDF


def test_a_stale_step_is_refused_and_loses_nothing(client, eid, decided):
    sign_in(client, "191212121212")
    client.post("/e-tjanst/ansok/")
    eapplication = EApplication.objects.get()
    old = eapplication.version
    client.post(f"/e-tjanst/ansokan/{eapplication.pk}/costs/", {"version": old, "line_0": "1"})
    stale = client.post(
        f"/e-tjanst/ansokan/{eapplication.pk}/costs/", {"version": old, "line_0": "2"}
    )
    assert stale.status_code == 400
    assert "ändrats i ett annat fönster" in stale.content.decode()
    eapplication.refresh_from_db()
    assert eapplication.data["costs"][0]["amount"] == "1"


def test_double_click_on_apply_makes_one_draft(client, eid, decided):
    sign_in(client, "191212121212")
    client.post("/e-tjanst/ansok/")
    client.post("/e-tjanst/ansok/")
    assert EApplication.objects.count() == 1


def test_attachments_checked_by_content_not_name(client, eid, decided, settings):
    sign_in(client, "191212121212")
    client.post("/e-tjanst/ansok/")
    eapplication = EApplication.objects.get()
    url = f"/e-tjanst/ansokan/{eapplication.pk}/attachments/"
    fake = client.post(
        url,
        {
            "action": "upload",
            "kind": "kvitto",
            "file": SimpleUploadedFile("kvitto.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
        },
    )
    assert fake.status_code == 400 and "inte en PDF, JPEG eller PNG" in fake.content.decode()
    settings.VAGEN_ESERVICE_ATTACHMENT_MAX_BYTES = 100
    big = client.post(
        url,
        {
            "action": "upload",
            "kind": "kvitto",
            "file": SimpleUploadedFile("bild.png", PNG + b"\x00" * 100, "image/png"),
        },
    )
    assert big.status_code == 400 and "för stor" in big.content.decode()
    assert not eapplication.attachments.exists()
    ok = client.post(
        url, {"action": "upload", "kind": "kvitto", "file": SimpleUploadedFile("x.bin", PNG)}
    )
    assert ok.status_code == 302
    attachment = eapplication.attachments.get()
    assert attachment.content_type == "image/png"
    assert attachment.storage_name.endswith(".png") and "x.bin" not in attachment.storage_name


def test_couple_both_sign_before_it_is_submitted(client, eid, caseworker, unit_manager):
    application = applied_case(caseworker, month=this_month(), co_applicant=True)
    decide(
        application,
        caseworker,
        [item("livelihood", "granted", application.result, "sol2025-12-1")],
        approver=unit_manager,
    )
    partner = application.co_applicant
    partner.personnummer = "194408139089"
    partner.save()
    sign_in(client, "191212121212")
    client.post("/e-tjanst/ansok/")
    eapplication = EApplication.objects.get()
    assert eapplication.co_applicant_personnummer == "194408139089"
    client.post(f"/e-tjanst/ansokan/{eapplication.pk}/sign/", {"confirm": "on"})
    eapplication.refresh_from_db()
    assert eapplication.status == "awaiting_signature"
    assert not Application.objects.filter(month=next_month()).exists()
    other = client.__class__()
    sign_in(other, "194408139089")
    home = other.get("/e-tjanst/").content.decode()
    assert "Väntar på din underskrift" in home
    other.post(f"/e-tjanst/ansokan/{eapplication.pk}/sign/", {"confirm": "on"})
    eapplication.refresh_from_db()
    assert eapplication.status == "submitted"
    assert [s.personnummer for s in eapplication.signatures.all()] == [
        "191212121212",
        "194408139089",
    ]
    assert eapplication.application.co_applicant == partner


def test_first_application_without_case_is_a_first_contact_with_a_callback(client, eid, unit):
    sign_in(client, "198112289874")
    client.post("/e-tjanst/ansok/")
    eapplication = EApplication.objects.get()
    assert eapplication.kind == "first"
    client.post(
        f"/e-tjanst/ansokan/{eapplication.pk}/household/",
        {"version": eapplication.version, "phone": "070-123 45 67", "children": "0"},
    )
    client.post(f"/e-tjanst/ansokan/{eapplication.pk}/sign/", {"confirm": "on"})
    eapplication.refresh_from_db()
    contact = eapplication.first_contact
    assert contact.channel == "e_service" and contact.subject == "new_application"
    assert contact.person.personnummer == "198112289874"
    assert contact.unit == unit
    assert Deadline.objects.filter(kind="callback", state="open").count() == 1
    assert contact.callback_due_at > contact.received_at


def test_protected_person_applies_and_reception_sees_no_name(client, eid, unit):
    person = PersonFactory(personnummer="200001052380", protected=True, unit=unit)
    sign_in(client, "200001052380")
    assert client.get("/e-tjanst/").status_code == 200
    client.post("/e-tjanst/ansok/")
    eapplication = EApplication.objects.get()
    client.post(
        f"/e-tjanst/ansokan/{eapplication.pk}/household/",
        {"version": eapplication.version, "phone": "070-1"},
    )
    client.post(f"/e-tjanst/ansokan/{eapplication.pk}/sign/", {"confirm": "on"})
    contact = FirstContact.objects.get()
    assert contact.person == person and contact.name == "" and contact.phone == ""


def test_supplement_answer_meets_the_deadline_and_is_an_incoming_document(
    client, eid, decided, caseworker
):
    application, _ = decided
    supplement = supplement_request(
        application,
        actor=caseworker,
        what="Lönespecifikation för oktober",
        due_on=timezone.localdate() + timedelta(days=7),
    )
    notes_before = JournalNote.objects.count()
    sign_in(client, "191212121212")
    page = client.get(f"/e-tjanst/komplettering/{supplement.pk}/").content.decode()
    assert "Lönespecifikation för oktober" in page
    import re

    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    data = {"idempotency_key": key, "text": "Här är lönespecifikationen."}
    client.post(f"/e-tjanst/komplettering/{supplement.pk}/", {**data, "file": BytesIO(PDF)})
    client.post(f"/e-tjanst/komplettering/{supplement.pk}/", data)  # a double click
    supplement.refresh_from_db()
    assert supplement.received_on == timezone.localdate()
    assert Deadline.objects.get(kind=SUPPLEMENT).state == "met"
    document = IncomingDocument.objects.get()
    assert document.case == application.case and document.kind == "supplement"
    assert JournalNote.objects.count() == notes_before  # never a staff journal note
    client.force_login(caseworker)
    assert (
        "Här är lönespecifikationen."
        in client.get(f"/arenden/{application.case_id}/").content.decode()
    )


def test_idle_citizen_session_ends(client, eid, decided, settings):
    from eservice.models import CitizenSession

    sign_in(client, "191212121212")
    CitizenSession.objects.update(last_seen_at=timezone.now() - timedelta(minutes=16))
    response = client.get("/e-tjanst/")
    assert response.status_code == 302 and "utloggad=1" in response["Location"]
    assert client.get("/e-tjanst/").status_code == 302
